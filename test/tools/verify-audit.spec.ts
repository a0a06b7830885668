import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { TestApp, startTestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');

/** `npm run verify-audit` as an operator runs it, on the store under dataDir. */
function verifyAudit(dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npm', ['run', '--silent', 'verify-audit'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite', READ_STORE: 'embedded' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the store's files, to tamper with behind the store's back. */
function copyStore(from: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-tampered-'));
  for (const f of fs.readdirSync(from)) if (f.startsWith('events.db')) fs.copyFileSync(path.join(from, f), path.join(to, f));
  return to;
}

type Row = { position: number; stream_id: string; version: number; id: string; type: string; data: string; metadata: string };

/**
 * Tamper evidence end to end: a store filled through the API verifies intact; editing one
 * event's data (or its actor) directly in the SQLite file, or removing an event, makes
 * verify-audit exit 1 naming the stream, the version and the reason.
 */
describe('npm run verify-audit: the hash chain of the whole log', () => {
  let t: TestApp;
  let dataDir: string;
  const copies: string[] = [];
  const ticketId = randomUUID();
  let policyId: string;

  beforeAll(async () => {
    t = await startTestApp({ preset: 'impera', now: '2026-11-17T15:00:00.000Z' });
    dataDir = t.dataDir;
    const admin = t.auth('root', ['admin']);
    const agent = t.auth('ana', ['agent']);
    const customerId = (await t.http.post('/api/customers').set(admin).send({ name: 'Hoteles del Bajío' }).expect(201)).body.customerId;
    const customer = t.auth('maria', ['customer'], customerId);
    policyId = (await t.http.post('/api/policies').set(admin).send({ customerId, plan: 'basic', startsOn: '2026-11-01' }).expect(201)).body.policyId;
    await t.http.post('/api/tickets').set(customer).send({ ticketId, department: 'support', subject: 'VPN no conecta', description: 'x', reportedPriority: 'high' }).expect(201);
    t.clock.advanceMinutes(15);
    await t.http.post(`/api/tickets/${ticketId}/assignment`).set(agent).send({ assigneeId: 'ana' }).expect(200);
    await t.http.post(`/api/tickets/${ticketId}/messages`).set(agent).send({ body: 'Revisamos hoy.', visibility: 'public' }).expect(201);
    const quoteId = randomUUID();
    await t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent).send({ quoteId, kind: 'policy-estimate', minutes: 90, description: 'VPN' }).expect(201);
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(customer).send({ decision: 'accept' }).expect(200);
    t.clock.advanceMinutes(60);
    await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent).send({ minutes: 40, workedOn: '2026-11-17', description: 'Certificados renovados' }).expect(201);
    await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent).send({ minutes: 20, workedOn: '2026-11-17', description: 'Pruebas' }).expect(201);
    await t.http.post('/api/tickets').set(customer).send({ department: 'support', subject: 'Impresora', description: 'y' }).expect(201);
    // the operator stops the API before auditing the files
    await t.app.close();
  });
  afterAll(() => {
    for (const d of [dataDir, ...copies]) fs.rmSync(d, { recursive: true, force: true });
  });

  const rows = (dir: string): Row[] => {
    const db = new Database(path.join(dir, 'events.db'), { readonly: true });
    try {
      return db.prepare('SELECT position, stream_id, version, id, type, data, metadata FROM events ORDER BY position').all() as Row[];
    } finally {
      db.close();
    }
  };
  const tamper = (dir: string, sql: string, ...params: unknown[]) => {
    const db = new Database(path.join(dir, 'events.db'));
    try {
      const changed = db.prepare(sql).run(...params).changes;
      expect(changed).toBe(1);
    } finally {
      db.close();
    }
  };

  it('exits 0 and says the chain is intact on the store the API filled', () => {
    const total = rows(dataDir).length;
    const r = verifyAudit(dataDir);
    expect(r.stderr).not.toMatch(/BROKEN/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`audit chain intact: ${total} events in \\d+ streams; head position ${total}; heads digest [0-9a-f]{64}`));
  }, 60_000);

  it("exits 1 naming the stream, version and reason when one event's data was edited in the file", () => {
    const dir = copyStore(dataDir);
    copies.push(dir);
    const deduction = rows(dir).find((r) => r.type === 'MinutesDeducted')!;
    const data = JSON.parse(deduction.data);
    expect(data.minutes).toBe(40);
    tamper(dir, 'UPDATE events SET data = ? WHERE position = ?', JSON.stringify({ ...data, minutes: 4 }), deduction.position);
    const r = verifyAudit(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`BROKEN chain in policy-${policyId} at version ${deduction.version} (position ${deduction.position}, event ${deduction.id} MinutesDeducted)`);
    expect(r.stdout).toMatch(/the event was edited/);
    // only that stream is broken: the ticket and the others still verify
    expect(r.stdout.match(/BROKEN/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/1 broken stream\(s\)/);
  }, 60_000);

  it('exits 1 when who did it was changed (the metadata is part of the hash too)', () => {
    const dir = copyStore(dataDir);
    copies.push(dir);
    const authorized = rows(dir).find((r) => r.type === 'ServiceAuthorized')!;
    const metadata = JSON.parse(authorized.metadata);
    expect(metadata.actor).toBe('maria');
    tamper(dir, 'UPDATE events SET metadata = ? WHERE position = ?', JSON.stringify({ ...metadata, actor: 'someone-else' }), authorized.position);
    const r = verifyAudit(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`BROKEN chain in ticket-${ticketId} at version ${authorized.version}`);
    expect(r.stdout).toMatch(/the event was edited/);
  }, 60_000);

  it('exits 1 when an event in the middle of a stream was deleted, naming the stream and the version where the gap shows', () => {
    const dir = copyStore(dataDir);
    copies.push(dir);
    const assigned = rows(dir).find((r) => r.type === 'TicketAssigned' && r.stream_id === `ticket-${ticketId}`)!;
    tamper(dir, 'DELETE FROM events WHERE position = ?', assigned.position);
    const r = verifyAudit(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`BROKEN chain in ticket-${ticketId} at version ${assigned.version + 1}`);
    expect(r.stdout).toContain(`expected version ${assigned.version}, found ${assigned.version + 1}`);
    expect(r.stdout).toContain(`position ${assigned.position} is missing`);
  }, 60_000);

  it("exits 1 when a stream's last event was deleted (its chain alone cannot show it: the gap in positions does)", () => {
    const dir = copyStore(dataDir);
    copies.push(dir);
    const policyEvents = rows(dir).filter((r) => r.stream_id === `policy-${policyId}`);
    const last = policyEvents[policyEvents.length - 1];
    expect(last.type).toBe('MinutesDeducted');
    tamper(dir, 'DELETE FROM events WHERE position = ?', last.position);
    const r = verifyAudit(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`BROKEN log before position ${last.position + 1}: position ${last.position} is missing (event removed)`);
  }, 60_000);

  it('exits 1 when two events of a stream were swapped', () => {
    const dir = copyStore(dataDir);
    copies.push(dir);
    const [a, b] = rows(dir).filter((r) => r.stream_id === `ticket-${ticketId}` && r.version >= 1 && r.version <= 2);
    const db = new Database(path.join(dir, 'events.db'));
    db.transaction(() => {
      db.prepare('UPDATE events SET version = -1 WHERE position = ?').run(a.position);
      db.prepare('UPDATE events SET version = ? WHERE position = ?').run(a.version, b.position);
      db.prepare('UPDATE events SET version = ? WHERE position = ?').run(b.version, a.position);
    })();
    db.close();
    const r = verifyAudit(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`BROKEN chain in ticket-${ticketId}`);
  }, 60_000);

  it('exits 2 when there is no event store to read', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-empty-'));
    copies.push(empty);
    const r = verifyAudit(empty);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot open event store/);
  }, 60_000);
});
