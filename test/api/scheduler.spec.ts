import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

async function setup(preset: string, now: string) {
  const t = await startTestApp({ preset, now });
  const c = await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Cliente' }).expect(201);
  return { t, customerId: c.body.customerId as string };
}

async function eventTypes(t: TestApp, ticketId: string): Promise<string[]> {
  return (await t.events.readStream(`ticket-${ticketId}`)).map((e) => e.type);
}

const count = (types: string[], type: string) => types.filter((x) => x === type).length;

describe('Scheduler through the API: SLA warnings and breaches on impera (no auto-escalation)', () => {
  let t: TestApp;
  let customerId: string;
  const agent = () => ({ Authorization: t.auth('ana', ['agent']).Authorization });

  beforeAll(async () => {
    // Friday 2026-11-13 15:00 America/Mexico_City
    ({ t, customerId } = await setup('impera', '2026-11-13T21:00:00.000Z'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('records the warning and the breach of a high ticket once each, even when run twice, at the right instants', async () => {
    const r = await t.http
      .post('/api/tickets')
      .set(t.auth('maria', ['customer'], customerId))
      .send({ department: 'support', subject: 'Sitio caído', description: 'No carga', reportedPriority: 'high' })
      .expect(201);
    const id = r.body.ticketId as string;
    // an answered ticket never warns nor breaches
    const answered = await t.http
      .post('/api/tickets')
      .set(t.auth('maria', ['customer'], customerId))
      .send({ department: 'support', subject: 'Correo lento', description: 'x', reportedPriority: 'high' })
      .expect(201);
    const reply = await t.http.post(`/api/tickets/${answered.body.ticketId}/messages`).set(agent()).send({ body: 'Revisando', visibility: 'public' }).expect(201);
    await t.caughtUp(reply.body.position);

    const v = await t.http.get(`/api/tickets/${id}`).set(agent()).set('X-Min-Position', String(r.body.position)).expect(200);
    // warning at 75% of 24 h: Fri 9 h + Tue 9 h -> Tue 09:00 local; due Tue 15:00 local
    expect(v.body.sla).toMatchObject({ warningAt: '2026-11-17T15:00:00.000Z', responseDueAt: '2026-11-17T21:00:00.000Z' });

    t.clock.set('2026-11-17T14:59:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ warnings: 0, breaches: 0, errors: [] });

    t.clock.set('2026-11-17T15:00:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ warnings: 1, breaches: 0, errors: [] });
    expect(await t.runScheduler()).toMatchObject({ warnings: 0, breaches: 0, errors: [] });
    let types = await eventTypes(t, id);
    expect(count(types, 'SlaWarningRecorded')).toBe(1);
    const warned = await t.events.readStream(`ticket-${id}`);
    expect(warned[warned.length - 1]).toMatchObject({ type: 'SlaWarningRecorded', data: expect.objectContaining({ targetId: '1.0', recordedAt: '2026-11-17T15:00:00.000Z' }) });
    expect(warned[warned.length - 1].metadata).toMatchObject({ actor: 'system:scheduler' });

    t.clock.set('2026-11-17T21:00:00.000Z');
    const [first, second] = [await t.runScheduler(), await t.runScheduler()];
    expect(first).toMatchObject({ breaches: 1, errors: [] });
    expect(second).toMatchObject({ warnings: 0, breaches: 0, errors: [] });
    types = await eventTypes(t, id);
    expect(count(types, 'SlaBreachRecorded')).toBe(1);
    expect(count(types, 'TicketEscalated')).toBe(0);
    expect(await eventTypes(t, answered.body.ticketId)).toEqual(['TicketOpened', 'MessagePosted', 'ResponseRecorded']);

    // two passes at once share one pass
    t.clock.set('2026-11-17T22:00:00.000Z');
    const both = await Promise.all([t.runScheduler(), t.runScheduler()]);
    expect(both[0]).toEqual(both[1]);
    expect(count(await eventTypes(t, id), 'SlaBreachRecorded')).toBe(1);

    const head = await t.events.headPosition();
    const after = await t.http.get(`/api/tickets/${id}`).set(agent()).set('X-Min-Position', String(head)).expect(200);
    expect(after.body).toMatchObject({ escalationLevel: 1, slaBreached: true, slaWarned: true });
    expect(after.body.sla.breached).toBe(true);
    const q = await t.http.get('/api/queue?breached=true').set(agent()).set('X-Min-Position', String(head)).expect(200);
    expect(q.body.items.map((i: { ticketId: string }) => i.ticketId)).toEqual([id]);
  });

  it('does not warn or breach while the clock is paused; after a priority change the new target warns again', async () => {
    t.clock.set('2026-11-18T15:00:00.000Z'); // Wed 09:00 local
    const r = await t.http
      .post('/api/tickets')
      .set(agent())
      .send({ customerId, department: 'support', subject: `Pausa ${randomUUID()}`, description: 'x', reportedPriority: 'low' })
      .expect(201);
    const id = r.body.ticketId as string;
    const a = await t.http.post(`/api/tickets/${id}/awaiting-customer`).set(agent()).send({ question: '¿?' }).expect(200);
    await t.caughtUp(a.body.position);
    t.clock.set('2026-11-30T15:00:00.000Z'); // well past the low target had the clock run
    expect(await t.runScheduler()).toMatchObject({ errors: [] });
    expect(await eventTypes(t, id)).toEqual(['TicketOpened', 'CustomerInfoRequested']);

    const m = await t.http.post(`/api/tickets/${id}/messages`).set(t.auth('maria', ['customer'], customerId)).send({ body: 'aquí', visibility: 'public' }).expect(201);
    const c = await t.http.post(`/api/tickets/${id}/classification`).set(agent()).send({ priority: 'high' }).expect(200);
    void m;
    await t.caughtUp(c.body.position);
    // from Mon 30 Nov 09:00 local, nothing elapsed: warning at 1080 business-day minutes = Mon 15 h + Tue 3 h -> Tue 03:00 local
    t.clock.set('2026-12-01T08:59:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ warnings: 0, errors: [] });
    t.clock.set('2026-12-01T09:00:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ warnings: 1, errors: [] });
    const stream = await t.events.readStream(`ticket-${id}`);
    expect(stream[stream.length - 1]).toMatchObject({ type: 'SlaWarningRecorded', data: expect.objectContaining({ targetId: '1.1' }) });
  });
});

describe('Scheduler through the API: auto-escalation on breach on intecnia', () => {
  let t: TestApp;
  let customerId: string;

  beforeAll(async () => {
    // Wednesday 2026-11-18 10:00 local, severity 1 due Thu 10:00 local
    ({ t, customerId } = await setup('intecnia', '2026-11-18T16:00:00.000Z'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('breaches a severity 1 ticket at Thu 10:00 local and escalates it to the quality lead once', async () => {
    const r = await t.http
      .post('/api/tickets')
      .set(t.auth('maria', ['customer'], customerId))
      .send({ department: 'support', subject: 'Firewall caído', description: 'Sin internet en la oficina' })
      .expect(201);
    const id = r.body.ticketId as string;
    await t.caughtUp(r.body.position);

    t.clock.set('2026-11-19T15:59:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ warnings: 1, breaches: 0, errors: [] });
    t.clock.set('2026-11-19T16:00:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ breaches: 1, errors: [] });
    expect(await t.runScheduler()).toMatchObject({ warnings: 0, breaches: 0, errors: [] });
    t.clock.set('2026-11-20T16:00:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ warnings: 0, breaches: 0, errors: [] });

    const events = await t.events.readStream(`ticket-${id}`);
    expect(events.map((e) => e.type)).toEqual(['TicketOpened', 'SlaWarningRecorded', 'SlaBreachRecorded', 'TicketEscalated']);
    expect(events[3].data).toMatchObject({ fromLevel: 1, level: 2, levelName: 'quality lead', automatic: true, requestedBy: 'system:scheduler', requestedByRole: 'system' });
    // what the scheduler records names its cause: the event that set the target it acted on
    expect(events[1].metadata.causationId).toBe(events[0].id);
    expect(events[2].metadata.causationId).toBe(events[0].id);
    expect(events[3].metadata.correlationId).toBe(events[2].metadata.correlationId);

    const head = await t.events.headPosition();
    const v = await t.http.get(`/api/tickets/${id}`).set(t.auth('sofia', ['supervisor'])).set('X-Min-Position', String(head)).expect(200);
    expect(v.body).toMatchObject({ escalationLevel: 2 });
    expect(v.body.escalations).toEqual([expect.objectContaining({ level: 2, automatic: true })]);
    const breached = await t.http.get('/api/sla/timers?state=breached').set(t.auth('aud', ['auditor'])).set('X-Min-Position', String(head)).expect(200);
    expect(breached.body.items.map((i: { ticketId: string }) => i.ticketId)).toEqual([id]);
  });
});

describe('Scheduler through the API: auto-close as no-customer-response on impera', () => {
  let t: TestApp;
  let customerId: string;
  const agent = () => t.auth('ana', ['agent']);

  beforeAll(async () => {
    // Tuesday 2026-11-17 10:00 local
    ({ t, customerId } = await setup('impera', '2026-11-17T16:00:00.000Z'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('closes a ticket awaiting the customer once three attempts on three business days are made and the announced wait has passed, once', async () => {
    const r = await t.http
      .post('/api/tickets')
      .set(t.auth('maria', ['customer'], customerId))
      .send({ department: 'support', subject: 'Respaldo', description: 'Restaurar respaldo' })
      .expect(201);
    const id = r.body.ticketId as string;
    const post = (what: string, body: Record<string, unknown>) => t.http.post(`/api/tickets/${id}/${what}`).set(agent()).send(body).expect((res) => expect(res.status).toBeLessThan(300));
    await post('messages', { body: 'Necesitamos la fecha del respaldo', visibility: 'public' });
    await post('awaiting-customer', { question: '¿De qué fecha?' });
    await post('contact-attempts', { channel: 'phone', note: 'Sin respuesta' });
    t.clock.set('2026-11-18T16:00:00.000Z');
    await post('contact-attempts', { channel: 'email', note: 'Sin respuesta' });
    t.clock.set('2026-11-19T16:00:00.000Z');
    // the last attempt announces closing after Friday 20 Nov
    const last = await t.http.post(`/api/tickets/${id}/contact-attempts`).set(agent()).send({ channel: 'phone', note: 'Cerramos después del viernes', closeAfter: '2026-11-20' }).expect(201);
    await t.caughtUp(last.body.position);

    t.clock.set('2026-11-21T05:59:00.000Z'); // Fri 20 Nov 23:59 local
    expect(await t.runScheduler()).toMatchObject({ autoClosed: 0, errors: [] });
    t.clock.set('2026-11-21T06:00:00.000Z'); // Sat 21 Nov 00:00 local
    expect(await t.runScheduler()).toMatchObject({ autoClosed: 1, errors: [] });
    expect(await t.runScheduler()).toMatchObject({ autoClosed: 0, errors: [] });

    const events = await t.events.readStream(`ticket-${id}`);
    expect(events.filter((e) => e.type === 'TicketClosed')).toHaveLength(1);
    expect(events[events.length - 1].data).toMatchObject({ reason: 'no-customer-response', automatic: true, closedBy: 'system:scheduler', closedAt: '2026-11-21T06:00:00.000Z' });

    const head = await t.events.headPosition();
    const v = await t.http.get(`/api/tickets/${id}`).set(agent()).set('X-Min-Position', String(head)).expect(200);
    expect(v.body).toMatchObject({ status: 'closed', closeReason: 'no-customer-response' });
    const q = await t.http.get('/api/queue').set(agent()).set('X-Min-Position', String(head)).expect(200);
    expect(q.body.items.map((i: { ticketId: string }) => i.ticketId)).not.toContain(id);
  });

  it('records PolicyExpired once for a policy past its last day, not for one still valid', async () => {
    const admin = t.auth('root', ['admin']);
    t.clock.set('2025-11-03T16:00:00.000Z');
    const old = await t.http.post('/api/policies').set(admin).send({ customerId, plan: 'basic', startsOn: '2025-11-03' }).expect(201);
    const current = await t.http.post('/api/policies').set(admin).send({ customerId, plan: 'basic', startsOn: '2025-11-25' }).expect(201);
    await t.caughtUp(current.body.position);
    // valid through 2026-11-02 and 2026-11-24 (local dates): on Tue 2026-11-24 only the first has expired
    t.clock.set('2026-11-24T16:00:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ policiesExpired: 1, errors: [] });
    const events = await t.events.readStream(`policy-${old.body.policyId}`);
    expect(events.map((e) => e.type)).toEqual(['PolicyRegistered', 'PolicyExpired']);
    expect(events[1]).toMatchObject({ data: { validUntil: '2026-11-02', expiredAt: '2026-11-24T16:00:00.000Z' }, metadata: { actor: 'system:scheduler' } });
    await t.caughtUp(Number(events[1].position));
    expect(await t.runScheduler()).toMatchObject({ policiesExpired: 0, errors: [] });
    // still valid today (its last day): not expired, but its 30-day expiry notice is recorded, once
    expect((await t.events.readStream(`policy-${current.body.policyId}`)).map((e) => e.type)).toEqual(['PolicyRegistered', 'PolicyExpiryApproaching']);
  });

  it('does not close a ticket whose attempts fall on fewer than three business days', async () => {
    t.clock.set('2026-11-23T16:00:00.000Z'); // Mon 23 Nov
    const r = await t.http
      .post('/api/tickets')
      .set(t.auth('maria', ['customer'], customerId))
      .send({ department: 'support', subject: 'DNS', description: 'x' })
      .expect(201);
    const id = r.body.ticketId as string;
    const post = (what: string, body: Record<string, unknown>) => t.http.post(`/api/tickets/${id}/${what}`).set(agent()).send(body);
    await post('awaiting-customer', { question: '¿Dominio?' }).expect(200);
    await post('contact-attempts', { channel: 'phone', note: '1' }).expect(201);
    t.clock.set('2026-11-23T20:00:00.000Z');
    await post('contact-attempts', { channel: 'email', note: '2' }).expect(201);
    t.clock.set('2026-11-28T16:00:00.000Z'); // Saturday: not a business day
    const last = await post('contact-attempts', { channel: 'phone', note: '3' }).expect(201);
    await t.caughtUp(last.body.position);
    t.clock.set('2026-12-15T16:00:00.000Z');
    expect(await t.runScheduler()).toMatchObject({ autoClosed: 0, errors: [] });
    expect(await eventTypes(t, id)).not.toContain('TicketClosed');
  });
});
