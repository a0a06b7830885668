import * as path from 'path';

/**
 * No import circles in libs/ and apps/: a module's dependencies run one way, so each one can
 * be read (and loaded) before the modules that use it. madge builds the graph with the
 * TypeScript resolver and tsconfig.json's path aliases (@helpdesk/...), type-only imports
 * included (a circle of types is still a circle for the reader).
 */
// madge ships no types; its API: madge(paths, config) -> { obj(), circular(), skipped }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const madge = require('madge') as (
  paths: string[],
  config: Record<string, unknown>,
) => Promise<{ obj(): Record<string, string[]>; circular(): string[][]; warnings(): { skipped: string[] } }>;

const root = path.resolve(__dirname, '../..');

describe('architecture: import graph', () => {
  let graph: Awaited<ReturnType<typeof madge>>;

  beforeAll(async () => {
    graph = await madge([path.join(root, 'libs'), path.join(root, 'apps')], {
      baseDir: root,
      fileExtensions: ['ts'],
      tsConfig: path.join(root, 'tsconfig.json'),
      // tests may import the code they test in any direction; the rule is for the product
      excludeRegExp: [/\.spec\.ts$/, /[\\/]test[\\/]/],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
  }, 120_000);

  it('resolves the @helpdesk/* path aliases (otherwise circles across libraries would go unseen)', () => {
    const deps = graph.obj();
    // apps/api/src/app.module.ts imports @helpdesk/application, @helpdesk/projections, ...
    expect(deps['apps/api/src/app.module.ts']).toEqual(
      expect.arrayContaining(['libs/application/src/index.ts', 'libs/projections/src/index.ts', 'libs/domain/src/index.ts']),
    );
    // a type-only import counts: parallel.ts imports only types from page-target.ts
    expect(deps['libs/projections/src/parallel.ts']).toContain('libs/projections/src/page-target.ts');
    expect(Object.keys(deps).length).toBeGreaterThan(100);
    // every relative and aliased import was found
    expect(graph.warnings().skipped).toEqual([]);
  });

  it('finds no import circle in libs/ and apps/', () => {
    expect(graph.circular()).toEqual([]);
  });
});
