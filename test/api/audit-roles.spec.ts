import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Who may read a case's history, and the auditor's "read everything, change nothing": every
 * command endpoint refuses the auditor with 403 and appends nothing, while every history
 * read works. Customers read the public history of their own tickets only.
 */
describe('Audit roles: auditor reads everything and changes nothing; history scope', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const auditor = () => t.auth('auditora', ['auditor']);
  let acme: string;
  let other: string;
  let policyId: string;
  const ticketId = randomUUID();
  const quoteId = randomUUID();
  const otherTicketId = randomUUID();
  let position = 0;
  const maria = () => t.auth('maria', ['customer'], acme);
  const pedro = () => t.auth('pedro', ['customer'], other);

  beforeAll(async () => {
    t = await startTestApp({ preset: 'impera', now: '2026-11-17T15:00:00.000Z' });
    acme = (await t.http.post('/api/customers').set(admin()).send({ name: 'Hoteles del Bajío' }).expect(201)).body.customerId;
    other = (await t.http.post('/api/customers').set(admin()).send({ name: 'Servicios Tlaloc' }).expect(201)).body.customerId;
    policyId = (await t.http.post('/api/policies').set(admin()).send({ customerId: acme, plan: 'basic', startsOn: '2026-11-01' }).expect(201)).body.policyId;
    await t.http.post('/api/tickets').set(maria()).send({ ticketId, department: 'support', subject: 'VPN no conecta', description: 'La VPN no conecta.' }).expect(201);
    await t.http.post('/api/tickets').set(pedro()).send({ ticketId: otherTicketId, department: 'support', subject: 'Servidor lento', description: 'Lento.' }).expect(201);
    t.clock.advanceMinutes(10);
    await t.http.post(`/api/tickets/${ticketId}/messages`).set(agent()).send({ body: 'INTERNO: el cliente debe dos facturas', visibility: 'internal' }).expect(201);
    t.clock.advanceMinutes(10);
    await t.http.post(`/api/tickets/${ticketId}/messages`).set(agent()).send({ body: 'Revisamos la VPN hoy.', visibility: 'public' }).expect(201);
    await t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ quoteId, kind: 'policy-estimate', minutes: 60, description: 'Revisión VPN' }).expect(201);
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(maria()).send({ decision: 'accept' }).expect(200);
    const w = await t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).send({ minutes: 30, workedOn: '2026-11-17', description: 'Reconfiguración VPN' }).expect(201);
    position = w.body.position;
    await t.caughtUp(position);
  });
  afterAll(async () => {
    await t.close();
  });

  const history = (id: string, who: Record<string, string>, query: Record<string, string> = {}) =>
    t.http.get(`/api/tickets/${id}/history`).query(query).set(who).set('X-Min-Position', String(position));

  it('refuses the auditor on every command endpoint with 403 forbidden and appends nothing', async () => {
    const before = await t.events.headPosition();
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['/api/customers', { name: 'Nueva SA' }],
      [`/api/customers/${acme}/suspension`, { reason: 'other', detail: 'prueba' }],
      ['/api/policies', { customerId: acme, plan: 'basic', startsOn: '2026-11-01' }],
      ['/api/tickets', { customerId: acme, department: 'support', subject: 'Otra cosa', description: 'x' }],
      [`/api/tickets/${ticketId}/classification`, { priority: 'high' }],
      [`/api/tickets/${ticketId}/assignment`, { assigneeId: 'ana' }],
      [`/api/tickets/${ticketId}/messages`, { body: 'hola', visibility: 'public' }],
      [`/api/tickets/${ticketId}/quotes`, { kind: 'policy-estimate', minutes: 30, description: 'x' }],
      [`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept' }],
      [`/api/tickets/${ticketId}/work-logs`, { minutes: 10, workedOn: '2026-11-17', description: 'x' }],
      [`/api/tickets/${ticketId}/escalations`, { reason: 'x' }],
      [`/api/tickets/${ticketId}/awaiting-customer`, { question: '¿x?' }],
      [`/api/tickets/${ticketId}/contact-attempts`, { channel: 'phone', note: 'x' }],
      [`/api/tickets/${ticketId}/close`, { reason: 'resolved', resolution: 'x' }],
      [`/api/tickets/${ticketId}/reopen`, { reason: 'x' }],
    ];
    for (const [path, body] of attempts) {
      const r = await t.http.post(path).set(auditor()).send(body);
      expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status: 403, code: 'forbidden' });
    }
    expect(await t.events.headPosition()).toBe(before);
  });

  it('lets the auditor read everything: the history (json and ndjson), the ticket, timers, policies, authorizations and billed minutes', async () => {
    const h = await history(ticketId, auditor()).expect(200);
    expect(h.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['TicketOpened', 'MessagePosted', 'ServiceAuthorized', 'MinutesDeducted', 'WorkLogged']));
    await history(ticketId, auditor(), { format: 'ndjson' }).expect(200).expect('content-type', /application\/x-ndjson/);
    await t.http.get(`/api/tickets/${ticketId}`).set(auditor()).expect(200);
    await t.http.get('/api/sla/timers').set(auditor()).expect(200);
    await t.http.get(`/api/policies/${policyId}`).set(auditor()).expect(200);
    await t.http.get(`/api/customers/${acme}/policies`).set(auditor()).expect(200);
    const auths = await t.http.get('/api/audit/authorizations').set(auditor()).expect(200);
    expect(JSON.stringify(auths.body)).toContain(quoteId);
    await t.http.get('/api/finance/billed-minutes').set(auditor()).expect(200);
  });

  it('lets agents and supervisors read the full history, internal messages included', async () => {
    for (const who of [agent(), t.auth('sofia', ['supervisor'])]) {
      const h = await history(ticketId, who).expect(200);
      const messages = h.body.events.filter((e: { type: string }) => e.type === 'MessagePosted');
      expect(messages.map((m: { data: { visibility: string } }) => m.data.visibility)).toEqual(['internal', 'public']);
    }
  });

  it("shows a customer its own ticket's public history only: no internal message, nor a trace of it in the state", async () => {
    const h = await history(ticketId, maria()).expect(200);
    const events = h.body.events as Array<{ type: string; data: Record<string, unknown> }>;
    expect(events.length).toBeGreaterThan(0);
    const text = JSON.stringify(h.body);
    expect(text).not.toContain('INTERNO');
    expect(events.filter((e) => e.type === 'MessagePosted').map((e) => e.data.visibility)).toEqual(['public']);
    expect(h.body.state.messageCount).toBe(1);
    expect(h.body.state.publicMessageCount).toBe(1);
    // the customer sees its own deduction
    expect(events.filter((e) => e.type === 'MinutesDeducted')).toHaveLength(1);
    // the staff view of the same case has the internal message
    const staff = await history(ticketId, auditor()).expect(200);
    expect(staff.body.state.messageCount).toBe(2);
    expect(staff.body.events.length).toBe(events.length + 1);
  });

  it("answers 404 to a customer asking for another customer's ticket history, at any asOf, and 403 for the export", async () => {
    const r = await history(otherTicketId, maria()).expect(404);
    expect(r.body.code).toBe('not-found');
    expect(JSON.stringify(r.body)).not.toContain('Servidor lento');
    await history(otherTicketId, maria(), { asOf: '2026-11-01T00:00:00Z' }).expect(404);
    await history(ticketId, pedro()).expect(404);
    await history(otherTicketId, pedro()).expect(200);
    const e = await history(ticketId, maria(), { format: 'ndjson' }).expect(403);
    expect(e.body.code).toBe('forbidden');
  });

  it('refuses finance and admin the case history with 403, and an anonymous caller with 401', async () => {
    const f = await history(ticketId, t.auth('fer', ['finance'])).expect(403);
    expect(f.body.code).toBe('forbidden');
    await history(ticketId, admin()).expect(403);
    await t.http.get(`/api/tickets/${ticketId}/history`).expect(401);
  });
});
