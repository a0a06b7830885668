import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { SqliteEventStore, StoredEvent } from '@helpdesk/event-store';
import { allProjections, rebuildProjections } from '@helpdesk/projections';
import { SqliteReadStore } from '@helpdesk/read-store';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { TEST_SECRET, TestApp, startTestApp } from '../support/test-app';
import { signToken } from '../../apps/api/src/http/auth';
import request from 'supertest';

const ROOT = path.resolve(__dirname, '../..');

/** `npm run <script> -- <file>` as an operator runs it */
function npmRun(script: 'backup' | 'restore', file: string, dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string; startedAt: number; endedAt: number }> {
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, '--', file], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite', READ_STORE: 'embedded', JWT_SECRET: TEST_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr, startedAt, endedAt: Date.now() }));
  });
}

const plain = (e: StoredEvent) => ({ ...e, version: Number(e.version), position: Number(e.position) });

async function allEvents(file: string): Promise<StoredEvent[]> {
  const store = SqliteEventStore.open(file, { readOnly: true });
  try {
    return await store.readAll();
  } finally {
    await store.close();
  }
}

async function dumpViews(store: SqliteReadStore): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const c of allProjections().flatMap((p) => p.collections.map((x) => x.name))) {
    out[c] = await store.find(c, { sort: [['_id', 1]], limit: 1_000_000 });
  }
  return out;
}

/**
 * Backups while the API writes: npm run backup copies the embedded log online (the API keeps
 * its writer lock), the copy verifies; npm run restore puts it into an empty DATA_DIR and
 * rebuilds the read models. The restored log equals the live one up to the backup's head, the
 * restored read models equal a fresh rebuild, and the API serves from the restored DATA_DIR.
 */
describe('npm run backup / npm run restore', () => {
  let t: TestApp;
  const dirs: string[] = [];
  const tmp = (prefix: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  let backupFile: string;
  let head: number;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-17T15:00:00.000Z' });
  });
  afterAll(async () => {
    await t.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('takes a consistent, verified copy while commands are being written', async () => {
    const admin = t.auth('root', ['admin']);
    const agent = t.auth('ana', ['agent']);
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(admin).send({ customerId, name: 'Hoteles del Bajío' }).expect(201);
    await t.http.post('/api/policies').set(admin).send({ customerId, plan: 'basic', startsOn: '2026-11-01' }).expect(201);

    const acknowledgedAt: number[] = [];
    let stop = false;
    let n = 0;
    const load = async () => {
      while (!stop) {
        const i = n++;
        const r = await t.http.post('/api/tickets').set(agent).send({ customerId, department: 'support', subject: `Caso ${i}`, description: 'no carga' });
        expect(r.status).toBe(201);
        await t.http.post(`/api/tickets/${r.body.ticketId}/assignment`).set(agent).send({ assigneeId: `agent-${i % 3}` }).expect(200);
        acknowledgedAt.push(Date.now());
      }
    };
    const writers = [load(), load(), load()];
    while (acknowledgedAt.length < 20) await new Promise((r) => setTimeout(r, 10));

    backupFile = path.join(tmp('helpdesk-backup-'), 'helpdesk.backup.db');
    const backup = await npmRun('backup', backupFile, t.dataDir);
    // keep writing a little after the copy, then stop
    const after = acknowledgedAt.length;
    while (acknowledgedAt.length < after + 5) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(writers);

    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const m = /head position (\d+), heads digest ([0-9a-f]{64}).*sha256 ([0-9a-f]{64}).*hash chains intact/.exec(backup.stdout);
    expect(m).not.toBeNull();
    head = Number(m![1]);
    // commands were acknowledged while the backup ran
    expect(acknowledgedAt.filter((at) => at > backup.startedAt && at < backup.endedAt).length).toBeGreaterThan(0);
    expect(fs.existsSync(`${backupFile}.partial`)).toBe(false);

    // the copy is one snapshot: exactly the live log up to its head
    const live = await t.events.readAll();
    expect(Number(live[live.length - 1].position)).toBeGreaterThan(head);
    const copied = await allEvents(backupFile);
    expect(copied.length).toBe(head);
    expect(copied.map(plain)).toEqual(live.filter((e) => Number(e.position) <= head).map(plain));
  }, 120_000);

  it('refuses to overwrite a file, and refuses to restore into a DATA_DIR that is not empty', async () => {
    const again = await npmRun('backup', backupFile, t.dataDir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);

    const busy = tmp('helpdesk-busy-');
    fs.writeFileSync(path.join(busy, 'keep.txt'), 'something');
    const r = await npmRun('restore', backupFile, busy);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    expect(fs.readdirSync(busy)).toEqual(['keep.txt']);
  }, 60_000);

  it('refuses a backup whose events were edited', async () => {
    const tampered = path.join(tmp('helpdesk-tampered-'), 'edited.db');
    fs.copyFileSync(backupFile, tampered);
    const db = new Database(tampered);
    db.prepare("UPDATE events SET data = json_set(data, '$.subject', 'Otro asunto') WHERE position = (SELECT MAX(position) FROM events WHERE type = 'TicketOpened')").run();
    db.close();
    const target = path.join(tmp('helpdesk-restore-'), 'data');
    const r = await npmRun('restore', tampered, target);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BROKEN chain/);
    expect(fs.existsSync(path.join(target, 'events.db'))).toBe(false);
  }, 60_000);

  it('restores into an empty DATA_DIR: the same events, read models equal to a fresh rebuild, and the API serves them', async () => {
    const target = path.join(tmp('helpdesk-restore-'), 'data');
    const r = await npmRun('restore', backupFile, target);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`head position ${head}.*read models rebuilt`));

    const restored = await allEvents(path.join(target, 'events.db'));
    expect(restored.map(plain)).toEqual((await allEvents(backupFile)).map(plain));
    const tables = new Database(path.join(target, 'events.db'), { readonly: true })
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).not.toContain('backup_manifest');

    // a fresh rebuild of the restored log into another read store
    const restoredViews = SqliteReadStore.open(path.join(target, 'views.db'));
    const freshDir = tmp('helpdesk-fresh-');
    const events = SqliteEventStore.open(path.join(target, 'events.db'), { readOnly: true });
    const fresh = SqliteReadStore.open(path.join(freshDir, 'views.db'));
    try {
      await rebuildProjections(events, fresh, allProjections());
      const restoredDocs = await dumpViews(restoredViews);
      expect(restoredDocs.tickets.length).toBeGreaterThan(20);
      expect(restoredDocs).toEqual(await dumpViews(fresh));
      for (const p of allProjections()) expect(await restoredViews.getCheckpoint(p.name)).toBe(BigInt(head));
    } finally {
      await fresh.close();
      await events.close();
      await restoredViews.close();
    }

    // the API starts on the restored DATA_DIR and serves what was backed up
    const config = loadConfig({ DATA_DIR: target, JWT_SECRET: TEST_SECRET, SCHEDULER_INTERVAL_MS: '3600000' });
    const app = await createApp(
      { config, events: SqliteEventStore.open(path.join(target, 'events.db')), views: SqliteReadStore.open(path.join(target, 'views.db')) },
      { logger: false },
    );
    try {
      const http = request(app.getHttpServer());
      const auth = { Authorization: `Bearer ${signToken(TEST_SECRET, 'root', ['admin'])}` };
      const lastTicket = restored.filter((e) => e.type === 'TicketOpened').pop()!;
      const ticket = await http.get(`/api/tickets/${(lastTicket.data as { ticketId: string }).ticketId}`).set(auth).set('X-Min-Position', String(head)).expect(200);
      expect(ticket.body.subject).toBe((lastTicket.data as { subject: string }).subject);
      await http.get('/api/health/ready').expect(200);
    } finally {
      await app.close();
    }
  }, 120_000);
});
