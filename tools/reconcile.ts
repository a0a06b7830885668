/**
 * npm run reconcile -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--wait <ms>] [--json]
 *
 * Recomputes from the event log every policy's used minutes and the billed minutes (per
 * customer and policy, in the period by workedOn), compares them with the read models and
 * prints the differences. Exit code 0 when they agree, 1 on any difference, 2 on bad usage.
 * Uses the configured stores (DATA_DIR / EVENT_STORE / READ_STORE, as the API does); the
 * event store is opened read-only, so it runs beside a live API.
 */
import { formatReconcileReport, reconcile } from '../libs/application/src/reconcile';
import { loadConfig } from '../apps/api/src/config';
import { openEventStore, openReadStore } from '../apps/api/src/infrastructure/stores';

function parseArgs(argv: string[]): { from?: string; to?: string; waitMs: number; json: boolean } {
  const out: { from?: string; to?: string; waitMs: number; json: boolean } = { waitMs: 5000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new RangeError(`${a} needs a value`);
      return v;
    };
    if (a === '--from') out.from = value();
    else if (a === '--to') out.to = value();
    else if (a === '--wait') out.waitMs = Number(value());
    else if (a === '--json') out.json = true;
    else throw new RangeError(`unknown argument ${a}`);
  }
  return out;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: npm run reconcile -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--wait <ms>] [--json]`);
    return 2;
  }
  const config = loadConfig();
  const events = await openEventStore(config, { readOnly: true });
  const views = await openReadStore(config);
  try {
    const report = await reconcile(events, views, { from: args.from, to: args.to, waitForCatchUpMs: args.waitMs });
    if (args.json) console.log(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
    else console.log(formatReconcileReport(report));
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof RangeError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  } finally {
    await views.close();
    await events.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
