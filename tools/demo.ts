/**
 * npm run demo [-- --tickets N] [--seed S]
 *
 * Fills an EMPTY desk (DATA_DIR for the embedded stores; an empty event store otherwise) with
 * a realistic Spanish demo for the active preset (HELPDESK_PRESET): a dozen customers with
 * their contacts and policies at every stage of use, a few hundred tickets over the last three
 * months in every state (breached, awaiting the customer, escalated, quoted, authorized,
 * closed, reopened), work logs against policies and per-event charges. Its people are users
 * (the first administrator from a setup link, everybody else invited and accepted with a
 * password). Everything goes through the API's own command pipeline with the decision clock set to the past instant of
 * each action, and the scheduler runs every simulated hour, so the history is genuine:
 * `npm run verify-audit` and `npm run reconcile` are clean afterwards. Prints sign-in details
 * for one person of each role: e-mail and the demo password (random per run, or --password),
 * and a bearer token for the API (valid 30 days with the same JWT_SECRET).
 *
 * Exit 0 when filled; 1 when the desk is not empty or the demo failed; 2 on bad usage.
 */
import * as fs from 'fs';
import { ConfigError, loadConfig } from '../apps/api/src/config';
import type { DemoOptions } from './demo/run-demo';

function parseArgs(argv: string[]): DemoOptions {
  const out: DemoOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const int = (min: number, max: number) => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${a} must be an integer from ${min} to ${max}`);
      return v;
    };
    if (a === '--tickets') out.tickets = int(1, 5000);
    else if (a === '--seed') out.seed = int(0, 2 ** 31);
    else if (a === '--tick-minutes') out.tickMinutes = int(5, 24 * 60);
    else if (a === '--password') {
      const v = argv[++i];
      if (!v || v.length < 12) throw new RangeError('--password needs at least 12 characters');
      out.password = v;
    }
    else throw new RangeError(`unknown argument ${a}`);
  }
  return out;
}

async function main(): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: npm run demo [-- --tickets N] [--seed S] [--password P]`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : e);
    return 2;
  }
  if (config.eventStore === 'sqlite' || config.readStore === 'embedded') {
    const entries = fs.existsSync(config.dataDir) ? fs.readdirSync(config.dataDir) : [];
    if (entries.length > 0) {
      console.error(
        `DATA_DIR ${config.dataDir} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', ...' : ''}): ` +
          'the demo fills an empty desk only and never adds to a real one. Point DATA_DIR to a new directory, e.g. DATA_DIR=./demo-data npm run demo',
      );
      return 1;
    }
  }
  // loaded only now: refusing a directory needs none of the application
  const { openEventStore, openReadStore } = await import('../apps/api/src/infrastructure/stores');
  const { runDemo } = await import('./demo/run-demo');
  const events = await openEventStore(config);
  const views = await openReadStore(config);
  const head = await events.headPosition();
  if (head > 0n) {
    await views.close();
    await events.close();
    console.error(`the event store already holds ${head} events: the demo fills an empty desk only`);
    return 1;
  }
  console.log(`Filling a demo desk for preset ${config.preset.name} ${config.preset.version} in ${config.eventStore === 'sqlite' ? config.dataDir : config.eventStore}...`);
  let r;
  try {
    r = await runDemo({ config, events, views }, { ...options, log: (line) => console.log(line) });
  } catch (e) {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    console.error(`\nThe demo stopped; ${config.eventStore === 'sqlite' ? `DATA_DIR ${config.dataDir}` : 'the store'} now holds part of it: empty it before running the demo again.`);
    return 1;
  }

  console.log(`\nDemo desk ready in ${r.seconds.toFixed(0)} s: ${r.events} events from ${r.commands} commands and ${r.schedulerPasses} scheduler passes, ${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}.`);
  console.log(`Recorded by the scheduler: ${r.recordedByScheduler.warnings} SLA warnings, ${r.recordedByScheduler.breaches} breaches, ${r.recordedByScheduler.autoClosed} tickets closed for no response, ${r.recordedByScheduler.policiesExpired} policies expired.`);
  console.log('\nCustomers:');
  for (const c of r.customers) {
    const policies = c.policies.map((p) => `${p.plan} from ${p.startsOn}: ${p.status}, ${p.minutesRemaining} min left`).join('; ');
    console.log(`  ${c.name}${c.supportLevel !== null ? ` (nivel ${c.supportLevel})` : ''}: ${c.story}${policies ? ` [${policies}]` : ''}`);
  }
  console.log(`\nTickets (${r.tickets}):`);
  for (const [k, v] of Object.entries(r.states)) console.log(`  ${k}: ${v}`);
  console.log(`\nSign in (every demo user's password: ${r.password}), one person of each role, with a bearer token for the API (valid 30 days with this JWT_SECRET):`);
  if (config.jwtSecretIsDefault) console.log('  (tokens signed with the development secret: start the API without JWT_SECRET, or they will not verify)');
  for (const s of r.signIn) {
    console.log(`  ${s.role.padEnd(10)} ${s.name} <${s.email}>, ${s.title}`);
    console.log(`             ${s.token}`);
  }
  console.log(`\nThen: DATA_DIR=${config.dataDir} HELPDESK_PRESET=${config.preset.name} npm start, and e.g.`);
  console.log(`  curl -s localhost:${config.port}/api/queue -H "authorization: Bearer <the agent's token>"`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
