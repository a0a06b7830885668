import { FUZZ_ROLES, FuzzServer, ensureSchemathesis, fuzzRole, startFuzzServer } from './harness';

/**
 * The OpenAPI document is exact: schemathesis (pinned, installed into .tmp/fuzz-venv by the
 * harness with python3 -m venv and pip) runs every check against the real API on a temporary
 * DATA_DIR, once per role's token, and any failure the baseline (test/fuzz/baseline.json,
 * each entry with a written reason) does not accept fails the test. Without python3 or PyPI
 * this test fails; it never skips. `npm run fuzz` runs the same from the command line.
 */
describe('contract fuzzing: schemathesis with every check, per role', () => {
  let server: FuzzServer;

  beforeAll(async () => {
    ensureSchemathesis();
    server = await startFuzzServer();
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
      const result = await fuzzRole(server, role);
      if (result.exitCode !== 0) {
        throw new Error(`schemathesis as ${role} exited ${result.exitCode} (${result.failures.length} failing checks):\n${failuresOf(result.output)}`);
      }
      // it did test: every operation of the document, with hundreds of cases
      expect(result.operations).toBeGreaterThanOrEqual(20);
      expect(result.cases).toBeGreaterThan(500);
    }, 20 * 60_000);
  }
});
