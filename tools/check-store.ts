/**
 * npm run check-store [-- --full]
 *
 * Checks the embedded stores' files on demand: `PRAGMA quick_check` (or `integrity_check`
 * with --full, which also compares every index with its table) of the event store
 * (DATA_DIR/events.db) and the read store (DATA_DIR/views.db). The API runs the quick check
 * by itself only after an unclean shutdown (a writer lock left behind), not on every start,
 * because it reads the whole file (about 0.8 s per GB).
 *
 * Opens both files read-only, so it runs beside a live API. Prints one line per file; exit 0
 * when every file is ok, 1 when one is damaged, 2 when a file cannot be opened or the stores
 * are not the embedded ones.
 */
import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../apps/api/src/config';

function check(file: string, pragma: 'quick_check' | 'integrity_check'): { ok: boolean; problems: string[]; ms: number } {
  const t0 = process.hrtime.bigint();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = (db.pragma(pragma) as Array<Record<string, string>>).map((r) => Object.values(r)[0]);
    return { ok: rows.length === 1 && rows[0] === 'ok', problems: rows, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  } finally {
    db.close();
  }
}

function main(): number {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--full');
  if (unknown.length) {
    console.error(`unknown argument ${unknown[0]}\nusage: npm run check-store [-- --full]`);
    return 2;
  }
  const pragma = args.includes('--full') ? 'integrity_check' : 'quick_check';
  const config = loadConfig();
  const files: string[] = [];
  if (config.eventStore === 'sqlite') files.push(path.join(config.dataDir, 'events.db'));
  if (config.readStore === 'embedded') files.push(path.join(config.dataDir, 'views.db'));
  if (files.length === 0) {
    console.error('check-store checks the embedded stores; EVENT_STORE and READ_STORE name server stores (check those with their own tools)');
    return 2;
  }
  let worst = 0;
  for (const file of files) {
    if (!fs.existsSync(file)) {
      console.log(`${file}: absent (nothing to check)`);
      continue;
    }
    try {
      const r = check(file, pragma);
      if (r.ok) console.log(`${file}: ok (${pragma}, ${Math.round(r.ms)} ms, ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB)`);
      else {
        console.log(`${file}: DAMAGED (${pragma}):`);
        for (const p of r.problems) console.log(`  ${p}`);
        worst = Math.max(worst, 1);
      }
    } catch (e) {
      console.log(`${file}: cannot be read: ${(e as Error).message}`);
      worst = 2;
    }
  }
  return worst;
}

process.exit(main());
