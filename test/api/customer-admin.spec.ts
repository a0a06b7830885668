import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/** Customer administration: support level with its reason, lifting a suspension with its reason, the customer's history. */
describe('Customer administration (soporte-niveles: support levels 1-3)', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const supervisor = () => t.auth('sofia', ['supervisor']);
  const customerId = randomUUID();

  beforeAll(async () => {
    // Monday 2026-11-23 10:00 in Bogotá
    t = await startTestApp({ preset: 'soporte-niveles', now: '2026-11-23T15:00:00.000Z' });
    await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Clínica del Norte', supportLevel: 2 }).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('changes the support level with a reason; new tickets take the new level; the level in force again appends nothing', async () => {
    const r = await t.http.post(`/api/customers/${customerId}/support-level`).set(admin()).send({ supportLevel: 3, reason: 'contrato 24/7 firmado' }).expect(200);
    expect(r.body).toEqual({ customerId, version: 1, position: expect.any(Number) });
    const c = await t.http.get(`/api/customers/${customerId}`).set(admin()).set('X-Min-Position', String(r.body.position)).expect(200);
    expect(c.body.supportLevel).toBe(3);
    const opened = await t.http
      .post('/api/tickets')
      .set(t.auth('ana', ['agent']))
      .send({ customerId, department: 'support', subject: 'Monitor de signos', description: 'No registra', reportedPriority: 'high' })
      .expect(201);
    const ticket = await t.http.get(`/api/tickets/${opened.body.ticketId}`).set(admin()).set('X-Min-Position', String(opened.body.position)).expect(200);
    expect(ticket.body.sla).toMatchObject({ calendarId: 'always-open' });
    const head = await t.events.headPosition();
    const again = await t.http.post(`/api/customers/${customerId}/support-level`).set(admin()).send({ supportLevel: 3, reason: 'otra vez' }).expect(200);
    expect(again.body.version).toBe(1);
    expect(await t.events.headPosition()).toBe(head);
  });

  it('refuses the wrong people and bad input, appending nothing', async () => {
    const head = await t.events.headPosition();
    expect((await t.http.post(`/api/customers/${customerId}/support-level`).set(supervisor()).send({ supportLevel: 1, reason: 'x' }).expect(403)).body.code).toBe('forbidden');
    for (const [body, field] of [
      [{ supportLevel: 1 }, 'reason'],
      [{ supportLevel: 1, reason: '' }, 'reason'],
      [{ supportLevel: 4, reason: 'x' }, 'supportLevel'],
      [{ supportLevel: '1', reason: 'x' }, 'supportLevel'],
      [{ supportLevel: 1, reason: 'x', extra: true }, 'extra'],
    ] as const) {
      const r = await t.http.post(`/api/customers/${customerId}/support-level`).set(admin()).send(body).expect(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect((await t.http.post(`/api/customers/${randomUUID()}/support-level`).set(admin()).send({ supportLevel: 1, reason: 'x' }).expect(404)).body.code).toBe('not-found');
    await t.http.post(`/api/customers/${customerId}/reinstatement`).set(t.auth('ana', ['agent'])).send({ reason: 'x' }).expect(403);
    await t.http.post(`/api/customers/${customerId}/reinstatement`).set(supervisor()).send({}).expect(400);
    expect(await t.events.headPosition()).toBe(head);
  });

  it('lifts a suspension with its reason (support is available again); nothing in force appends nothing; a retried request answers as the first time', async () => {
    const agent = t.auth('ana', ['agent']);
    await t.http.post(`/api/customers/${customerId}/suspension`).set(supervisor()).send({ reason: 'abusive-language', detail: 'insultos al agente' }).expect(200);
    const refused = await t.http.post('/api/tickets').set(agent).send({ customerId, department: 'support', subject: 'Otro caso', description: 'x' }).expect(422);
    expect(refused.body.code).toBe('support-suspended');
    const key = randomUUID();
    const lifted = await t.http
      .post(`/api/customers/${customerId}/reinstatement`)
      .set(supervisor())
      .set('Idempotency-Key', key)
      .send({ reason: 'el cliente se disculpó por escrito' })
      .expect(200);
    const head = await t.events.headPosition();
    const retried = await t.http.post(`/api/customers/${customerId}/reinstatement`).set(supervisor()).set('Idempotency-Key', key).send({ reason: 'el cliente se disculpó por escrito' }).expect(200);
    expect(retried.body).toEqual(lifted.body);
    const nothing = await t.http.post(`/api/customers/${customerId}/reinstatement`).set(admin()).send({ reason: 'de nuevo' }).expect(200);
    expect(nothing.body.version).toBe(lifted.body.version);
    expect(await t.events.headPosition()).toBe(head);
    await t.http.post('/api/tickets').set(agent).send({ customerId, department: 'support', subject: 'Otro caso', description: 'x' }).expect(201);
    const c = await t.http.get(`/api/customers/${customerId}`).set(admin()).set('X-Min-Position', String(lifted.body.position)).expect(200);
    expect(c.body).toMatchObject({ suspended: false, suspension: null });
  });

  it("tells the customer's history: who registered, changed the level, suspended and reinstated, when and why", async () => {
    const r = await t.http.get(`/api/customers/${customerId}/history`).set(t.auth('auditora', ['auditor'])).expect(200);
    expect(r.body.events.map((e: { type: string }) => e.type)).toEqual(['CustomerRegistered', 'SupportLevelChanged', 'SupportSuspended', 'SupportReinstated']);
    expect(r.body.events[1]).toMatchObject({ version: 1, actor: 'root', actorRoles: ['admin'], data: { from: 2, to: 3, reason: 'contrato 24/7 firmado', changedBy: 'root' } });
    expect(r.body.events[3]).toMatchObject({ actor: 'sofia', actorRoles: ['supervisor'], data: { reason: 'el cliente se disculpó por escrito', reinstatedBy: 'sofia' } });
    await t.http.get(`/api/customers/${customerId}/history`).set(t.auth('ana', ['agent'])).expect(403);
    await t.http.get(`/api/customers/${customerId}/history`).set(t.auth('x', ['customer'], customerId)).expect(403);
    expect((await t.http.get(`/api/customers/${randomUUID()}/history`).set(admin()).expect(404)).body.code).toBe('not-found');
  });

  it('declares the operations in OpenAPI with every status', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths['/api/customers/{customerId}/support-level'].post.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503']);
    expect(Object.keys(doc.paths['/api/customers/{customerId}/reinstatement'].post.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    expect(Object.keys(doc.paths['/api/customers/{customerId}/history'].get.responses).sort()).toEqual(['200', '401', '403', '404', '429', '503']);
    const body = doc.components.schemas.ChangeSupportLevelDto;
    expect(body).toMatchObject({ required: ['supportLevel', 'reason'], properties: { supportLevel: { type: 'integer', minimum: 1, maximum: 3 } } });
  });
});

describe('Customer administration under a preset without support levels (impera)', () => {
  it('refuses a support level change with 422 support-levels-not-used and appends nothing', async () => {
    const t = await startTestApp({ preset: 'impera' });
    try {
      const c = await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Hoteles' }).expect(201);
      const head = await t.events.headPosition();
      const r = await t.http.post(`/api/customers/${c.body.customerId}/support-level`).set(t.auth('root', ['admin'])).send({ supportLevel: 2, reason: 'x' }).expect(422);
      expect(r.body.code).toBe('support-levels-not-used');
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      expect(await t.events.headPosition()).toBe(head);
    } finally {
      await t.close();
    }
  });
});
