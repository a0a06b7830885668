import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';

const ROOT = path.resolve(__dirname, '../..');

/** `npm run check-store` as an operator runs it, on the stores under dataDir. */
function checkStore(dataDir: string, ...args: string[]) {
  const r = spawnSync('npm', ['run', '--silent', 'check-store', ...(args.length ? ['--', ...args] : [])], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite', READ_STORE: 'embedded' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** the integrity check on demand: both embedded files, ok or damaged */
describe('npm run check-store', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-check-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
    for (let i = 0; i < 300; i++) {
      await events.append(`s-${i}`, [{ id: randomUUID(), type: 'E', data: { text: 'x'.repeat(500) }, metadata: { actor: 't', occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null, schemaVersion: 1 } }], 'no-stream');
    }
    await events.close();
    const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
    await views.close();
  });

  it('reports both files ok (quick_check, or integrity_check with --full) and exits 0', () => {
    const quick = checkStore(dataDir);
    expect(quick.stdout).toMatch(/events\.db: ok \(quick_check/);
    expect(quick.stdout).toMatch(/views\.db: ok \(quick_check/);
    expect(quick.status).toBe(0);
    const full = checkStore(dataDir, '--full');
    expect(full.stdout).toMatch(/events\.db: ok \(integrity_check/);
    expect(full.status).toBe(0);
    expect(checkStore(dataDir, '--fast').status).toBe(2);
  });

  it('names a damaged file with what SQLite found and exits 1', () => {
    const file = path.join(dataDir, 'events.db');
    const db = new Database(file);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY rootpage DESC LIMIT 1").get() as { rootpage: number }).rootpage;
    db.close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize - 200, 0xa5), 0, pageSize - 200, (root - 1) * pageSize + 100);
    fs.closeSync(fd);
    const r = checkStore(dataDir);
    expect(r.stdout).toMatch(/events\.db: DAMAGED \(quick_check\):\n {2}\*\*\* in database main \*\*\*/);
    expect(r.stdout).toMatch(/views\.db: ok/);
    expect(r.status).toBe(1);
  });
});
