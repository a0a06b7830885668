/**
 * The console's API types (apps/web/src/shared/api/openapi.d.ts) are generated from the
 * server's OpenAPI document by `npm run openapi`; this fails when they are stale (the server's
 * document changed and nobody regenerated them), so the console never compiles against an
 * API that is no longer there.
 */
import { execFile } from 'child_process';
import * as path from 'path';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');

describe('the web console types', () => {
  it('match the OpenAPI document the server builds (npm run openapi)', async () => {
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, ['-r', '@swc-node/register', 'tools/openapi.ts', '--check'], { cwd: ROOT, timeout: 110_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
      );
    });
    if (result.code !== 0) throw new Error(result.out);
    expect(result.out).toContain('match the OpenAPI document');
  });
});
