import { FUZZ_ROLES, FuzzRole, FuzzServer, RoleResult, ensureSchemathesis, fuzzRole, startFuzzServer } from './harness';

/**
 * The OpenAPI document is exact: schemathesis (pinned, installed into .tmp/fuzz-venv by the
 * harness with python3 -m venv and pip) runs every check against the real API on a temporary
 * DATA_DIR, once per role's token, and any failure the baseline (test/fuzz/baseline.json,
 * each entry with a written reason) does not accept fails the test. Without python3 or PyPI
 * this test fails; it never skips. `npm run fuzz` runs the same from the command line.
 *
 * The roles run two at a time (FUZZ_CONCURRENCY): schemathesis' data generation takes most of
 * the time, one Python process per role, while the API answers from this process.
 */
describe('contract fuzzing: schemathesis with every check, per role', () => {
  let server: FuzzServer;
  /** one promise per role, settled when its run ends */
  const results = new Map<FuzzRole, Promise<RoleResult>>();

  beforeAll(async () => {
    ensureSchemathesis();
    server = await startFuzzServer();
    const settle = new Map<FuzzRole, { resolve: (r: RoleResult) => void; reject: (e: unknown) => void }>();
    for (const role of FUZZ_ROLES) results.set(role, new Promise<RoleResult>((resolve, reject) => settle.set(role, { resolve, reject })));
    for (const p of results.values()) p.catch(() => undefined); // (each test reports its own)
    // a pool: each role starts when one of the running ones ends
    const queue = [...FUZZ_ROLES];
    const worker = async () => {
      for (let role = queue.shift(); role; role = queue.shift()) {
        try {
          settle.get(role)!.resolve(await fuzzRole(server, role));
        } catch (err) {
          settle.get(role)!.reject(err);
        }
      }
    };
    for (let i = 0; i < Math.max(1, Number(process.env.FUZZ_CONCURRENCY ?? 2)); i++) void worker();
  }, 15 * 60_000);

  afterAll(async () => {
    await server?.close();
  });

  /** the part of schemathesis' report that names the failures, with their reproductions */
  const failuresOf = (output: string) => {
    const start = output.search(/^=+ FAILURES =+$/m);
    return (start >= 0 ? output.slice(start) : output.slice(-8000)).slice(0, 20_000);
  };

  for (const role of FUZZ_ROLES) {
    it(`answers exactly as documented to ${role === 'admin' || role === 'agent' || role === 'auditor' ? 'an' : 'a'} ${role}`, async () => {
      const result = await results.get(role)!;
      if (result.exitCode !== 0) {
        throw new Error(`schemathesis as ${role} exited ${result.exitCode} (${result.failures.length} failing checks):\n${failuresOf(result.output)}`);
      }
      // it did test: every operation of the document (the forbidden ones by their examples), with hundreds of cases
      expect(result.operations).toBeGreaterThanOrEqual(20);
      expect(result.cases).toBeGreaterThan(300);
    }, 20 * 60_000);
  }
});
