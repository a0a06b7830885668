import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * POST /api/tickets and the reads that scope tickets to their customer (impera preset:
 * priority scheme, 72/48/24 h of business days, America/Mexico_City, MX holidays).
 */
describe('Tickets end to end: opening a ticket', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const customer = (customerId: string, sub = `user-${customerId.slice(0, 8)}`) => t.auth(sub, ['customer'], customerId);

  async function registerCustomer(name: string): Promise<string> {
    const r = await t.http.post('/api/customers').set(admin()).send({ name }).expect(201);
    return r.body.customerId as string;
  }

  const ticketBody = (extra: Record<string, unknown> = {}) => ({
    department: 'support',
    subject: `El sitio no carga ${randomUUID().slice(0, 8)}`,
    description: 'No se puede entrar al sitio desde dos dispositivos distintos.',
    ...extra,
  });

  let acme: string;
  let other: string;

  beforeAll(async () => {
    // Friday 2026-11-13 15:00 America/Mexico_City
    t = await startTestApp({ preset: 'impera', now: '2026-11-13T21:00:00.000Z' });
    acme = await registerCustomer('Hoteles del Bajío SA de CV');
    other = await registerCustomer('Servicios Tlaloc');
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers customers (admin only) and refuses an agent with 403', async () => {
    const r = await t.http.post('/api/customers').set(admin()).send({ name: 'Nueva SA' }).expect(201);
    expect(r.body).toMatchObject({ version: 0 });
    expect(typeof r.body.customerId).toBe('string');
    await t.http.post('/api/customers').set(agent()).send({ name: 'Nada SA' }).expect(403);
  });

  it('lets a customer open a ticket for its own customer; the clock starts now and the high target lands on Tuesday (Monday 16 Nov is a holiday)', async () => {
    const ticketId = randomUUID();
    const r = await t.http
      .post('/api/tickets')
      .set(customer(acme, 'maria'))
      .send(ticketBody({ ticketId, reportedPriority: 'high' }))
      .expect(201);
    expect(r.body).toMatchObject({ ticketId, version: 0 });
    expect(r.headers.location).toBe(`/api/tickets/${ticketId}`);
    const g = await t.http.get(`/api/tickets/${ticketId}`).set(customer(acme, 'maria')).set('X-Min-Position', String(r.body.position)).expect(200);
    expect(g.body).toMatchObject({
      ticketId,
      customerId: acme,
      reporterId: 'maria',
      status: 'open',
      priority: 'high',
      channel: 'portal',
      receivedAt: '2026-11-13T21:00:00.000Z',
      version: 0,
    });
    expect(g.body.sla).toMatchObject({
      targetMinutes: 1440,
      startedAt: '2026-11-13T21:00:00.000Z',
      // Fri 15:00-24:00 (9 h) + Tue 00:00-15:00 (15 h), local; Sat, Sun and Mon 16 Nov skipped
      responseDueAt: '2026-11-17T21:00:00.000Z',
      respondedAt: null,
      paused: false,
      breached: false,
      businessMinutesElapsed: 0,
    });
    expect(g.headers.etag).toBe('"0"');
  });

  it('refuses a customer opening a ticket for another customer with 403', async () => {
    const before = await t.events.headPosition();
    const r = await t.http.post('/api/tickets').set(customer(acme)).send(ticketBody({ customerId: other })).expect(403);
    expect(r.body.code).toBe('forbidden');
    expect(await t.events.headPosition()).toBe(before);
  });

  it('lets an agent import a ticket from email: receivedAt starts the clock, channel email', async () => {
    const ticketId = randomUUID();
    // Friday 10:00 local, the email arrived five hours before the import
    const r = await t.http
      .post('/api/tickets')
      .set(agent())
      .send(ticketBody({ ticketId, customerId: acme, receivedAt: '2026-11-13T10:00:00-06:00', reportedPriority: 'high' }))
      .expect(201);
    const g = await t.http.get(`/api/tickets/${ticketId}`).set(agent()).set('X-Min-Position', String(r.body.position)).expect(200);
    expect(g.body).toMatchObject({ channel: 'email', receivedAt: '2026-11-13T16:00:00.000Z', openedAt: '2026-11-13T21:00:00.000Z' });
    expect(g.body.sla.startedAt).toBe('2026-11-13T16:00:00.000Z');
    // Fri 10:00-24:00 = 14 h, Tue 00:00 + 10 h = Tue 10:00 local
    expect(g.body.sla.responseDueAt).toBe('2026-11-17T16:00:00.000Z');
    // 5 h of Friday already counted at the import
    expect(g.body.sla.businessMinutesElapsed).toBe(300);
  });

  it('refuses receivedAt in the future with 422 in-the-future naming the field, and a customer sending receivedAt with 403', async () => {
    const before = await t.events.headPosition();
    const future = await t.http
      .post('/api/tickets')
      .set(agent())
      .send(ticketBody({ customerId: acme, receivedAt: '2026-11-13T21:01:00Z' }))
      .expect(422);
    expect(future.body.code).toBe('in-the-future');
    expect(future.body.errors.map((e: { path: string }) => e.path)).toContain('receivedAt');
    const byCustomer = await t.http.post('/api/tickets').set(customer(acme)).send(ticketBody({ receivedAt: '2026-11-13T10:00:00Z' })).expect(403);
    expect(byCustomer.body.code).toBe('forbidden');
    expect(await t.events.headPosition()).toBe(before);
  });

  it('refuses a second open ticket on the same topic with 409 duplicate-ticket pointing at the open one; after closing it the topic opens again', async () => {
    const subject = 'No llegan los correos del dominio';
    const first = await t.http
      .post('/api/tickets')
      .set(customer(acme))
      .send({ department: 'support', subject, description: 'Desde ayer.', product: 'email-service' })
      .expect(201);
    const before = await t.events.headPosition();
    // same topic, spelled with other case and spacing
    const dup = await t.http
      .post('/api/tickets')
      .set(customer(acme))
      .send({ department: 'support', subject: '  no llegan los CORREOS del dominio ', description: 'Sigue igual.', product: 'email-service' })
      .expect(409);
    expect(dup.body).toMatchObject({ code: 'duplicate-ticket', existingTicketId: first.body.ticketId, status: 409 });
    expect(await t.events.headPosition()).toBe(before);

    // another customer may open a ticket on the same topic
    await t.http.post('/api/tickets').set(customer(other)).send({ department: 'support', subject, description: 'x', product: 'email-service' }).expect(201);

    await t.http
      .post(`/api/tickets/${first.body.ticketId}/close`)
      .set(agent())
      .send({ reason: 'resolved', resolution: 'Se corrigió el registro MX.' })
      .expect(200);
    const again = await t.http
      .post('/api/tickets')
      .set(customer(acme))
      .send({ department: 'support', subject, description: 'Volvió a pasar.', product: 'email-service' })
      .expect(201);
    expect(again.body.ticketId).not.toBe(first.body.ticketId);
  });

  it('refuses a suspended customer with 422 support-suspended', async () => {
    const suspended = await registerCustomer('Cliente Grosero SA');
    await t.http
      .post(`/api/customers/${suspended}/suspension`)
      .set(t.auth('sofia', ['supervisor']))
      .send({ reason: 'abusive-language', detail: 'Insultos al ingeniero en el ticket.' })
      .expect(200);
    const before = await t.events.headPosition();
    const r = await t.http.post('/api/tickets').set(customer(suspended)).send(ticketBody()).expect(422);
    expect(r.body.code).toBe('support-suspended');
    const byAgent = await t.http.post('/api/tickets').set(agent()).send(ticketBody({ customerId: suspended })).expect(422);
    expect(byAgent.body.code).toBe('support-suspended');
    expect(await t.events.headPosition()).toBe(before);
  });

  it('refuses a product past its end of life with 422 end-of-life; a supported product opens', async () => {
    const ticketId = randomUUID();
    const head = await t.events.headPosition();
    const r = await t.http.post('/api/tickets').set(customer(acme)).send(ticketBody({ ticketId, product: 'softlik-pos-2014' })).expect(422);
    expect(r.body).toMatchObject({ code: 'end-of-life', product: 'softlik-pos-2014', endOfLife: '2020-12-31' });
    // a refused command appends nothing anywhere (no ticket event, no topic claim)
    expect(await t.events.readStream(`ticket-${ticketId}`)).toEqual([]);
    expect(await t.events.headPosition()).toBe(head);
    await t.http.post('/api/tickets').set(customer(acme)).send(ticketBody({ product: 'softlik-erp' })).expect(201);
  });

  it('answers a replay with the same ticketId and body as the first time, appending nothing; the same id with another body is 409 id-reused', async () => {
    const ticketId = randomUUID();
    const body = ticketBody({ ticketId });
    const first = await t.http.post('/api/tickets').set(customer(acme)).send(body).expect(201);
    const head = await t.events.headPosition();
    const again = await t.http.post('/api/tickets').set(customer(acme)).send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await t.events.headPosition()).toBe(head);
    const reused = await t.http.post('/api/tickets').set(customer(acme)).send({ ...body, description: 'otra cosa' }).expect(409);
    expect(reused.body.code).toBe('id-reused');
    expect(await t.events.headPosition()).toBe(head);
  });

  it('answers 404 for an unknown customer, and 422 customer-required naming customerId when staff do not name one', async () => {
    const before = await t.events.headPosition();
    const r = await t.http.post('/api/tickets').set(agent()).send(ticketBody({ customerId: randomUUID() })).expect(404);
    expect(r.body.code).toBe('not-found');
    // the document cannot make a field required for one role only: well-formed, refused by a rule
    const missing = await t.http.post('/api/tickets').set(agent()).send(ticketBody()).expect(422);
    expect(missing.body.code).toBe('customer-required');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('customerId');
    await t.http.post('/api/tickets').set(t.auth('fin', ['finance'])).send(ticketBody({ customerId: acme })).expect(403);
    expect(await t.events.headPosition()).toBe(before);
  });

  it('answers 400 naming the field for an unknown department or a severity under the priority scheme', async () => {
    const ticketId = randomUUID();
    const dept = await t.http.post('/api/tickets').set(customer(acme)).send(ticketBody({ ticketId, department: 'nowhere' })).expect(400);
    expect(dept.body.errors.map((e: { path: string }) => e.path)).toContain('department');
    const sev = await t.http.post('/api/tickets').set(customer(acme)).send(ticketBody({ ticketId, reportedPriority: 2 })).expect(400);
    expect(sev.body.errors.map((e: { path: string }) => e.path)).toContain('reportedPriority');
    expect(await t.events.readStream(`ticket-${ticketId}`)).toEqual([]);
  });

  it('scopes reads: another customer gets 404 for the ticket, and GET /api/tickets lists only its own', async () => {
    const mine = await t.http.post('/api/tickets').set(customer(other)).send(ticketBody()).expect(201);
    const pos = String(mine.body.position);
    const r = await t.http.get(`/api/tickets/${mine.body.ticketId}`).set(customer(acme)).set('X-Min-Position', pos).expect(404);
    expect(r.body.code).toBe('not-found');
    await t.http.get(`/api/tickets/${randomUUID()}`).set(agent()).set('X-Min-Position', pos).expect(404);
    await t.http.get(`/api/tickets/${mine.body.ticketId}`).set(t.auth('aud', ['auditor'])).set('X-Min-Position', pos).expect(200);

    const list = await t.http.get('/api/tickets').set(customer(acme)).set('X-Min-Position', pos).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((i: { customerId: string }) => i.customerId === acme)).toBe(true);
    const asked = await t.http.get(`/api/tickets?customerId=${other}`).set(customer(acme)).set('X-Min-Position', pos).expect(200);
    expect(asked.body.items).toEqual([]);

    const staff = await t.http.get(`/api/tickets?customerId=${other}`).set(agent()).set('X-Min-Position', pos).expect(200);
    expect(staff.body.items.map((i: { ticketId: string }) => i.ticketId)).toContain(mine.body.ticketId);
    expect(staff.body.items.every((i: { customerId: string }) => i.customerId === other)).toBe(true);
    const all = await t.http.get('/api/tickets').set(agent()).set('X-Min-Position', pos).expect(200);
    expect(new Set(all.body.items.map((i: { customerId: string }) => i.customerId))).toEqual(new Set([acme, other]));
  });
});
