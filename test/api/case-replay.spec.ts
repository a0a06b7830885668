import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { applyStatePatch, type StatePatch } from '@helpdesk/application';
import { invited, setUpAdmin, signIn } from '../support/identity';
import { TestApp, startTestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const VERIFY = path.join(ROOT, 'tools/verify-case-export.mjs');

type Entry = {
  position: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: Record<string, any>;
  actor: string;
  actorRoles: string[];
  correlationId: string;
  causationId: string | null;
  causedByPosition: number | null;
  changes?: StatePatch[];
};

/**
 * What a case replay screen needs from GET /api/tickets/{id}/history: every step's changes
 * (applied in order they give the state asOfVersion gives), the links between events, the
 * hash-chain verdict with the first break, the customer's public part, and an export an
 * auditor verifies offline with nothing but Node.
 */
describe('Case replay: changes per step, links, chain verdict, offline verification', () => {
  let t: TestApp;
  let customerId: string;
  const ticketId = randomUUID();
  const quoteId = randomUUID();
  const declinedQuoteId = randomUUID();
  let last = 0;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const auditor = () => t.auth('auditora', ['auditor']);
  const customer = () => t.auth('maria', ['customer'], customerId);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'case-replay-'));

  async function step(at: string, req: () => Promise<{ status: number; body: { position: number; version?: number } }>, status: number) {
    t.clock.set(at);
    const r = await req();
    expect(r.status).toBe(status);
    last = Math.max(last, r.body.position);
    return r.body;
  }
  const history = (query: Record<string, string | number | boolean> = {}, who = auditor()) =>
    t.http.get(`/api/tickets/${ticketId}/history`).query(query).set(who).set('X-Min-Position', String(last));

  beforeAll(async () => {
    // Tuesday 2026-11-17 09:00 in Mexico City (impera: high 24 business hours)
    t = await startTestApp({ preset: 'impera', now: '2026-11-17T15:00:00.000Z' });
    await setUpAdmin(t, 'rocio@mesa.example.mx'); // the first administrator, while the setup link is fresh
    customerId = (await t.http.post('/api/customers').set(admin()).send({ name: 'Textiles de Puebla' }).expect(201)).body.customerId;
    await t.http.post('/api/policies').set(admin()).send({ customerId, plan: 'basic', startsOn: '2026-11-01' }).expect(201);
    await step('2026-11-17T15:00:00.000Z', () =>
      t.http.post('/api/tickets').set(customer()).send({ ticketId, department: 'support', subject: 'El ERP no abre', description: 'Error 500 al entrar', reportedPriority: 'high' }), 201);
    await step('2026-11-17T15:10:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/assignment`).set(t.auth('sofia', ['supervisor'])).send({ assigneeId: 'ana' }), 200);
    await step('2026-11-17T15:20:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/messages`).set(agent()).send({ body: 'Nota interna: revisar la licencia', visibility: 'internal' }), 201);
    await step('2026-11-17T15:30:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ quoteId: declinedQuoteId, kind: 'per-event', minutes: 60, hourlyRateMinor: 90_000, currency: 'MXN', description: 'Visita' }), 201);
    await step('2026-11-17T15:40:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/quotes/${declinedQuoteId}/authorization`).set(customer()).send({ decision: 'decline', comment: 'Muy caro' }), 200);
    await step('2026-11-17T15:50:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ quoteId, kind: 'policy-estimate', minutes: 90, description: 'Diagnóstico remoto' }), 201);
    await step('2026-11-17T16:00:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(customer()).send({ decision: 'accept', comment: 'Adelante' }), 200);
    await step('2026-11-17T16:30:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).set('X-Correlation-Id', 'req-work-1').send({ minutes: 45, workedOn: '2026-11-17', description: 'Reinstalación' }), 201);
    // the target was missed: the scheduler records the breach (its causation: the event that set the target)
    t.clock.set('2026-11-18T16:00:00.000Z');
    await t.caughtUp(last);
    expect(await t.runScheduler()).toMatchObject({ breaches: 1, errors: [] });
    last = Number(await t.events.headPosition());
    await step('2026-11-18T16:30:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/messages`).set(agent()).send({ body: 'Ya quedó', visibility: 'public' }), 201);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('each step says what it changed: applied in order from baseState they give the state asOfVersion gives', async () => {
    const r = await history({ changes: true }).expect(200);
    const events: Entry[] = r.body.events;
    expect(r.body.baseState).toMatchObject({ ticketId: null, status: null });
    let state = r.body.baseState;
    for (const e of events) {
      expect(Array.isArray(e.changes)).toBe(true);
      if (e.streamId !== `ticket-${ticketId}`) {
        expect(e.changes).toEqual([]); // a policy deduction changes the policy, not the case
        continue;
      }
      state = applyStatePatch(state, e.changes!);
      const then = await history({ asOfVersion: e.version }).expect(200);
      expect({ version: e.version, state }).toEqual({ version: e.version, state: then.body.state });
    }
    expect(state).toEqual(r.body.state);
    // without changes=true the events carry none and there is no base state
    const plain = await history().expect(200);
    expect(plain.body.baseState).toBeNull();
    expect(plain.body.events[0]).not.toHaveProperty('changes');
  });

  it('replays to the moment before the acceptance (pending) and after it (accepted by the named customer contact)', async () => {
    const { body } = await history({ changes: true }).expect(200);
    const accepted: Entry = body.events.find((e: Entry) => e.type === 'ServiceAuthorized');
    expect(accepted).toMatchObject({ actor: 'maria', actorRoles: ['customer'], data: { quoteId, authorizedBy: 'maria' } });
    expect(accepted.changes).toContainEqual({ op: 'replace', path: `/billing/quotes/${quoteId}/status`, value: 'accepted', old: 'pending' });
    expect(accepted.changes).toContainEqual(expect.objectContaining({ op: 'add', path: `/billing/authorizations/${quoteId}` }));
    const before = await history({ asOfVersion: accepted.version - 1 }).expect(200);
    expect(before.body.state.billing.quotes[quoteId]).toMatchObject({ status: 'pending', decision: null });
    const after = await history({ asOfVersion: accepted.version }).expect(200);
    expect(after.body.state.billing.quotes[quoteId]).toMatchObject({ status: 'accepted', decision: { decision: 'accept', by: 'maria' } });
    // the declined one reads declined, with its own step
    const declined: Entry = body.events.find((e: Entry) => e.type === 'QuoteDeclined');
    expect(declined.changes).toContainEqual({ op: 'replace', path: `/billing/quotes/${declinedQuoteId}/status`, value: 'declined', old: 'pending' });
  });

  it('links the events of one request (correlation) and an effect to its cause (causation)', async () => {
    const { body } = await history().expect(200);
    const events: Entry[] = body.events;
    const deduction = events.find((e) => e.type === 'MinutesDeducted')!;
    const work = events.find((e) => e.type === 'WorkLogged')!;
    expect(deduction.correlationId).toBe('req-work-1');
    expect(body.correlations).toContainEqual({ correlationId: 'req-work-1', positions: [deduction.position, work.position] });
    // every group holds two or more returned events of one correlation
    for (const g of body.correlations) {
      expect(g.positions.length).toBeGreaterThan(1);
      for (const p of g.positions) expect(events.find((e) => e.position === p)!.correlationId).toBe(g.correlationId);
    }
    const breach = events.find((e) => e.type === 'SlaBreachRecorded')!;
    const opened = events.find((e) => e.type === 'TicketOpened')!;
    expect(breach).toMatchObject({ actor: 'system:scheduler', actorRoles: ['system'], causationId: opened.eventId, causedByPosition: opened.position });
    expect(opened.causedByPosition).toBeNull();
  });

  it("gives the customer the public part only: no internal event, nor a trace of it in the state or the changes", async () => {
    const r = await history({ changes: true }, customer()).expect(200);
    const events: Entry[] = r.body.events;
    expect(events.some((e) => e.data.visibility === 'internal')).toBe(false);
    expect(JSON.stringify(r.body)).not.toContain('revisar la licencia');
    expect(r.body.state.messageCount).toBe(1);
    let state = r.body.baseState;
    for (const e of events) if (e.streamId === `ticket-${ticketId}`) state = applyStatePatch(state, e.changes!);
    expect(state).toEqual(r.body.state);
    await history({ format: 'ndjson' }, customer()).expect(403);
    const other = t.auth('pedro', ['customer'], randomUUID());
    expect((await history({ changes: true }, other).expect(404)).body.code).toBe('not-found');
    await history({ changes: 'maybe' }).expect(400);
  });

  it("shows each quote's answer with the answering person's rights then, also after they were revoked", async () => {
    // a bearer token of a customer (no known user): recorded as such
    const { body } = await history().expect(200);
    const q = body.quotes.find((x: { quoteId: string }) => x.quoteId === quoteId);
    expect(q).toMatchObject({ status: 'accepted', terms: { kind: 'policy-estimate', minutes: 90 }, issuedBy: 'ana', decision: { decision: 'accept', by: 'maria' } });
    expect(q.decision.approval).toMatchObject({ principal: 'token', userId: 'maria', roles: ['customer'], customerId, approver: true });
    expect(q.decision.position).toBe(body.events.find((e: Entry) => e.type === 'ServiceAuthorized').position);
    expect(body.quotes.find((x: { quoteId: string }) => x.quoteId === declinedQuoteId)).toMatchObject({ status: 'declined', decision: { decision: 'decline', comment: 'Muy caro' } });

    // a contact signed in as a user, an approver when they accept; the right is revoked afterwards
    const admin = await signIn(t, 'rocio@mesa.example.mx');
    const karina = await invited(t, admin, { email: 'karina@textiles.example.mx', name: 'Karina Ruiz', kind: 'contact', customerId, approver: true });
    const extra = randomUUID();
    await step('2026-11-18T17:00:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ quoteId: extra, kind: 'policy-estimate', minutes: 30, description: 'Ajuste adicional', supplementary: true }), 201);
    const answered = await step('2026-11-18T17:10:00.000Z', () => karina.post(`/api/tickets/${ticketId}/quotes/${extra}/authorization`, { decision: 'accept', purchaseOrder: 'OC-9' }), 200);
    t.clock.set('2026-11-18T17:20:00.000Z');
    const again = await signIn(t, 'rocio@mesa.example.mx'); // staff sessions end after 30 idle minutes
    await again.post(`/api/users/${karina.userId}/approver`, { approver: false, reason: 'dejó de autorizar compras' }).expect(200);

    const before = await history({ asOfVersion: answered.version! - 1 }).expect(200);
    expect(before.body.quotes.find((x: { quoteId: string }) => x.quoteId === extra)).toMatchObject({ status: 'pending', decision: null });
    const after = await history().expect(200);
    const accepted = after.body.quotes.find((x: { quoteId: string }) => x.quoteId === extra);
    expect(accepted).toMatchObject({ status: 'accepted', decision: { decision: 'accept', by: karina.userId, purchaseOrder: 'OC-9' } });
    expect(accepted.decision.approval).toMatchObject({ principal: 'user', userId: karina.userId, roles: ['customer'], customerId, approver: true, userVersion: expect.any(Number) });
    const audit = await t.http.get(`/api/audit/authorizations?customerId=${customerId}`).set(auditor()).set('X-Min-Position', String(last)).expect(200);
    expect(audit.body.find((a: { quoteId: string }) => a.quoteId === extra).approval).toEqual(accepted.decision.approval);
  });

  it('an export verifies offline with the standalone script; an edit of one event in the log turns the verdict red at that event', async () => {
    const intact = await history().expect(200);
    expect(intact.body.chain).toEqual({ intact: true, firstBreak: null, streams: expect.arrayContaining([`ticket-${ticketId}`]) });
    const exported = await history({ format: 'ndjson' }).expect(200);
    const good = path.join(tmp, 'good.ndjson');
    fs.writeFileSync(good, exported.text);
    const ok = spawnSync(process.execPath, [VERIFY, good], { encoding: 'utf8' });
    expect(ok.stdout).toMatch(new RegExp(`^OK: \\d+ events of ticket ${ticketId}; its stream is intact through version \\d+, last hash [0-9a-f]{64}`));
    expect(ok.status).toBe(0);

    // someone edits the minutes of the work log in the event file
    const events: Entry[] = intact.body.events;
    const work = events.find((e) => e.type === 'WorkLogged')!;
    const db = new Database(path.join(t.dataDir, 'events.db'));
    try {
      expect(db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...work.data, minutes: 15 }), work.position).changes).toBe(1);
    } finally {
      db.close();
    }
    const broken = await history().expect(200);
    expect(broken.body.chain).toMatchObject({
      intact: false,
      firstBreak: { streamId: `ticket-${ticketId}`, version: work.version, position: work.position, eventId: work.eventId, reason: expect.stringMatching(/edited/) },
    });
    const tampered = await history({ format: 'ndjson' }).expect(200);
    const bad = path.join(tmp, 'bad.ndjson');
    fs.writeFileSync(bad, tampered.text);
    const no = spawnSync(process.execPath, [VERIFY, bad], { encoding: 'utf8' });
    expect(no.status).toBe(1);
    expect(no.stdout).toMatch(/^BROKEN: /);
    expect(no.stdout.split('\n')[1]).toContain(`(ticket-${ticketId}@${work.version}, WorkLogged): the hash does not match the content (edited)`);
    // a line removed from an export is found too
    const lines = exported.text.trimEnd().split('\n');
    const cut = path.join(tmp, 'cut.ndjson');
    fs.writeFileSync(cut, [...lines.slice(0, 3), ...lines.slice(4)].join('\n') + '\n');
    const gap = spawnSync(process.execPath, [VERIFY, cut], { encoding: 'utf8' });
    expect(gap.status).toBe(1);
    expect(gap.stdout).toMatch(/a ticket event is missing before it|prevHash does not match/);
    expect(spawnSync(process.execPath, [VERIFY], { encoding: 'utf8' }).status).toBe(2);
  });

  it('declares the history operation with its parameters, answers and schema', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    const op = doc.paths['/api/tickets/{id}/history'].get;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429', '503']);
    expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/json', 'application/x-ndjson']);
    const schema = op.responses['200'].content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['chain', 'events', 'correlations', 'baseState', 'state']));
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['asOf', 'asOfVersion', 'correlationId', 'format', 'changes']));
  });
});
