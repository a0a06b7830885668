/**
 * npm run fuzz [-- --roles admin,agent] [--max-examples N] [--seed N] [--concurrency N] [--verbose] [--st <schemathesis arguments>]
 * Starts the API on a temporary DATA_DIR (embedded stores), seeds a little data and runs
 * schemathesis with every check for each role's token; exit 1 on any failure the baseline
 * (test/fuzz/baseline.json, each entry with a written reason) does not accept.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FUZZ_ROLES, FuzzRole, ROOT, RoleResult, ensureSchemathesis, fuzzRole, startFuzzServer } from './harness';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const roles = (arg('roles')?.split(',') ?? [...FUZZ_ROLES]) as FuzzRole[];
  const unknown = roles.filter((r) => !(FUZZ_ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`unknown roles ${unknown.join(', ')}; roles are ${FUZZ_ROLES.join(', ')}`);
  const maxExamples = arg('max-examples') ? Number(arg('max-examples')) : undefined;
  const seed = arg('seed') ? Number(arg('seed')) : undefined;
  const verbose = process.argv.includes('--verbose');
  // everything after --st goes to schemathesis as it is (e.g. --st --include-path /api/queue --phases coverage)
  const st = process.argv.indexOf('--st');
  const extraArgs = st >= 0 ? process.argv.slice(st + 1) : [];
  ensureSchemathesis((l) => console.log(l));
  const server = await startFuzzServer();
  console.log(`API on ${server.baseUrl} (DATA_DIR ${server.dataDir}), seeded customer ${server.seeded.customerId}`);
  const concurrency = Math.max(1, Number(arg('concurrency') ?? process.env.FUZZ_CONCURRENCY ?? 2));
  const results: RoleResult[] = [];
  const report = (r: RoleResult) => {
    const log = path.join(ROOT, '.tmp', 'fuzz', `${r.role}.log`);
    fs.writeFileSync(log, r.output);
    console.log(`\n== schemathesis as ${r.role}: exit ${r.exitCode}, ${r.cases} cases, ${r.seconds.toFixed(0)} s`);
    if (!verbose) {
      const start = r.output.search(/^=+ (FAILURES|ERRORS) =+$/m);
      console.log((start >= 0 ? r.output.slice(start) : r.output.split('\n').slice(-40).join('\n')).trim());
      console.log(`(the whole report: ${path.relative(process.cwd(), log)})`);
    }
  };
  try {
    // roles run `concurrency` at a time (one schemathesis process each)
    const queue = [...roles];
    const worker = async () => {
      for (let role = queue.shift(); role; role = queue.shift()) {
        const r = await fuzzRole(server, role, { maxExamples, seed, extraArgs, log: verbose ? (l) => console.log(`[${role}] ${l}`) : undefined });
        report(r);
        results.push(r);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await server.close();
  }
  console.log('\nrole        exit  cases  operations  failures  seconds');
  for (const r of results) {
    console.log(`${r.role.padEnd(11)} ${String(r.exitCode).padStart(4)} ${String(r.cases).padStart(6)} ${String(r.operations).padStart(11)} ${String(r.failures.length).padStart(9)} ${r.seconds.toFixed(0).padStart(8)}`);
  }
  const failed = results.filter((r) => r.exitCode !== 0);
  console.log(JSON.stringify({ fuzz: 'schemathesis', roles: results.map((r) => ({ role: r.role, exitCode: r.exitCode, cases: r.cases, failures: r.failures.length, seconds: r.seconds })) }));
  process.exit(failed.length > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
