import { randomUUID } from 'crypto';
import * as path from 'path';
import Database from 'better-sqlite3';
import { ExportedEvent, verifyExport } from '@helpdesk/application';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * The auditor's three questions, answered with the API alone (an auditor token, no access to
 * the stores): what did this case look like on date X, who authorized each minute deducted
 * for it, and has anything been altered.
 */
describe("The auditor's three questions, through the API alone", () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const auditor = () => t.auth('auditora', ['auditor']);
  let customerId: string;
  let policyId: string;
  const ticketId = randomUUID();
  const quoteA = randomUUID();
  const quoteB = randomUUID();
  let head = 0;

  beforeAll(async () => {
    // Tuesday 2026-11-17, Mexico City
    t = await startTestApp({ preset: 'impera', now: '2026-11-17T15:00:00.000Z' });
    customerId = (await t.http.post('/api/customers').set(admin()).send({ name: 'Hoteles del Bajío' }).expect(201)).body.customerId;
    policyId = (await t.http.post('/api/policies').set(admin()).send({ customerId, plan: 'basic', startsOn: '2026-11-01' }).expect(201)).body.policyId;
    const maria = t.auth('maria', ['customer'], customerId);
    const jorge = t.auth('jorge', ['customer'], customerId);
    await t.http.post('/api/tickets').set(maria).send({ ticketId, department: 'support', subject: 'Servidor de correo caído', description: 'No llega correo.', reportedPriority: 'high' }).expect(201);
    t.clock.set('2026-11-17T16:00:00.000Z');
    await t.http.post(`/api/tickets/${ticketId}/assignment`).set(agent()).send({ assigneeId: 'ana' }).expect(200);
    await t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ quoteId: quoteA, kind: 'policy-estimate', minutes: 60, description: 'Diagnóstico del servidor de correo' }).expect(201);
    t.clock.set('2026-11-17T17:00:00.000Z');
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteA}/authorization`).set(maria).send({ decision: 'accept', comment: 'De acuerdo' }).expect(200);
    t.clock.set('2026-11-17T18:00:00.000Z');
    await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).send({ minutes: 40, workedOn: '2026-11-17', description: 'Diagnóstico' }).expect(201);
    t.clock.set('2026-11-18T15:00:00.000Z');
    await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(t.auth('luis', ['agent'])).send({ minutes: 20, workedOn: '2026-11-18', description: 'Cambio de disco' }).expect(201);
    await t.http
      .post(`/api/tickets/${ticketId}/quotes`)
      .set(agent())
      .send({ quoteId: quoteB, kind: 'policy-estimate', minutes: 60, description: 'Migración del buzón', supplementary: true })
      .expect(201);
    t.clock.set('2026-11-18T17:00:00.000Z');
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteB}/authorization`).set(jorge).send({ decision: 'accept', purchaseOrder: 'OC-2026-118' }).expect(200);
    t.clock.set('2026-11-19T15:00:00.000Z');
    await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).send({ minutes: 30, workedOn: '2026-11-19', description: 'Migración', authorizationId: quoteB }).expect(201);
    const closed = await t.http.post(`/api/tickets/${ticketId}/close`).set(agent()).send({ reason: 'resolved', resolution: 'Correo restablecido' }).expect(200);
    head = closed.body.position;
  });
  afterAll(async () => {
    await t.close();
  });

  const history = (query: Record<string, string> = {}) =>
    t.http.get(`/api/tickets/${ticketId}/history`).query(query).set(auditor()).set('X-Min-Position', String(head)).expect(200);

  it('1. what did the case look like at the end of 17 November (Mexico City)?', async () => {
    const r = await history({ asOf: '2026-11-17T23:59:59-06:00' });
    const s = r.body.state;
    expect(s).toMatchObject({ status: 'open', priority: 'high', assigneeId: 'ana', escalationLevel: 1, closedAt: null });
    expect(Object.keys(s.billing.authorizations)).toEqual([quoteA]);
    expect(s.billing.authorizations[quoteA]).toMatchObject({ authorizedBy: 'maria', minutesAuthorized: 60, minutesLogged: 40 });
    expect(Object.values(s.billing.workLogs).map((w: any) => [w.engineerId, w.minutes])).toEqual([['ana', 40]]);
    // and now: closed, two authorizations, 90 minutes
    const now = (await history()).body.state;
    expect(now).toMatchObject({ status: 'closed', closeReason: 'resolved' });
    expect(Object.values(now.billing.workLogs).reduce((sum: number, w: any) => sum + w.minutes, 0)).toBe(90);
  });

  it('2. who authorized each minute deducted for it?', async () => {
    const events = (await history()).body.events as Array<Record<string, any>>;
    const authorizations = new Map(events.filter((e) => e.type === 'ServiceAuthorized').map((e) => [e.data.authorizationId, e]));
    const deductions = events.filter((e) => e.type === 'MinutesDeducted');
    const answer = deductions.map((d) => {
      const a = authorizations.get(d.data.authorizationId)!;
      expect(a).toBeDefined();
      // the authorization was given, in this ticket, before the minutes were deducted
      expect(a.position).toBeLessThan(d.position);
      expect(a.data.ticketId).toBe(ticketId);
      // the person in the event is the person who acted (the request's principal)
      expect(a.actor).toBe(a.data.authorizedBy);
      return {
        minutes: d.data.minutes,
        engineer: d.data.engineerId,
        policy: d.data.policyId,
        authorizedBy: a.data.authorizedBy,
        authorizedAt: a.data.authorizedAt,
        quote: a.data.quoteId,
        terms: { kind: a.data.terms.kind, minutes: a.data.terms.minutes, description: a.data.terms.description },
        purchaseOrder: a.data.purchaseOrder,
      };
    });
    expect(answer).toEqual([
      { minutes: 40, engineer: 'ana', policy: policyId, authorizedBy: 'maria', authorizedAt: '2026-11-17T17:00:00.000Z', quote: quoteA, terms: { kind: 'policy-estimate', minutes: 60, description: 'Diagnóstico del servidor de correo' }, purchaseOrder: null },
      { minutes: 20, engineer: 'luis', policy: policyId, authorizedBy: 'maria', authorizedAt: '2026-11-17T17:00:00.000Z', quote: quoteA, terms: { kind: 'policy-estimate', minutes: 60, description: 'Diagnóstico del servidor de correo' }, purchaseOrder: null },
      { minutes: 30, engineer: 'ana', policy: policyId, authorizedBy: 'jorge', authorizedAt: '2026-11-18T17:00:00.000Z', quote: quoteB, terms: { kind: 'policy-estimate', minutes: 60, description: 'Migración del buzón' }, purchaseOrder: 'OC-2026-118' },
    ]);
    // no authorization covers more than it authorized
    for (const [id, a] of authorizations) {
      const used = deductions.filter((d) => d.data.authorizationId === id).reduce((sum, d) => sum + d.data.minutes, 0);
      expect(used).toBeLessThanOrEqual(a.data.terms.minutes);
    }
    // every minute the policy lost is one of these
    const policy = await t.http.get(`/api/policies/${policyId}`).set(auditor()).set('X-Min-Position', String(head)).expect(200);
    expect(policy.body.minutesUsed).toBe(90);
    expect(deductions.reduce((sum, d) => sum + d.data.minutes, 0)).toBe(policy.body.minutesUsed);
  });

  it('3. has anything been altered? intact now, verifiable offline; an edit made behind the store shows in the history', async () => {
    const before = await history();
    expect(before.body.chain).toMatchObject({ intact: true, firstBreak: null });
    const exported = await t.http
      .get(`/api/tickets/${ticketId}/history`)
      .query({ format: 'ndjson' })
      .set(auditor())
      .expect(200);
    const lines = exported.text.trimEnd().split('\n').slice(1).map((l) => JSON.parse(l) as ExportedEvent);
    expect(verifyExport(lines)).toEqual([]);

    // someone with access to the file lowers the first deduction from 40 to 4 minutes
    const deduction = before.body.events.find((e: any) => e.type === 'MinutesDeducted');
    const db = new Database(path.join(t.dataDir, 'events.db'));
    try {
      const row = db.prepare('SELECT data FROM events WHERE position = ?').get(deduction.position) as { data: string };
      const changed = db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(row.data), minutes: 4 }), deduction.position);
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }

    const after = await history();
    expect(after.body.events.find((e: any) => e.position === deduction.position).data.minutes).toBe(4);
    expect(after.body.chain.intact).toBe(false);
    expect(after.body.chain.firstBreak).toMatchObject({
      streamId: `policy-${policyId}`,
      version: deduction.version,
      position: deduction.position,
      eventId: deduction.eventId,
      reason: expect.stringMatching(/edited/),
    });
    const again = await t.http.get(`/api/tickets/${ticketId}/history`).query({ format: 'ndjson' }).set(auditor()).expect(200);
    const [header, ...rest] = again.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(header.chain.intact).toBe(false);
    expect(verifyExport(rest)).toEqual([`policy-${policyId}@${deduction.version}: hash does not match the content`]);
  });
});
