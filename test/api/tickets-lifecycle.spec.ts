import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

type Headers = { Authorization: string };

/** Shared helpers for one test app. */
function helpers(t: () => TestApp) {
  const admin = () => t().auth('root', ['admin']);
  const agent = () => t().auth('ana', ['agent']);
  const supervisor = () => t().auth('sofia', ['supervisor']);
  const customer = (customerId: string, sub = 'maria') => t().auth(sub, ['customer'], customerId);
  async function registerCustomer(name: string): Promise<string> {
    const r = await t().http.post('/api/customers').set(admin()).send({ name }).expect(201);
    return r.body.customerId as string;
  }
  async function open(customerId: string, extra: Record<string, unknown> = {}, as: Headers = customer(customerId)) {
    const r = await t()
      .http.post('/api/tickets')
      .set(as)
      .send({ department: 'support', subject: `Asunto ${randomUUID()}`, description: 'Descripción del problema.', ...extra })
      .expect(201);
    return { id: r.body.ticketId as string, position: r.body.position as number, version: r.body.version as number };
  }
  async function get(id: string, position: number, as: Headers = agent()) {
    const r = await t().http.get(`/api/tickets/${id}`).set(as).set('X-Min-Position', String(position)).expect(200);
    return r.body;
  }
  const post = (id: string, what: string, body: Record<string, unknown>, as: Headers = agent()) => t().http.post(`/api/tickets/${id}/${what}`).set(as).send(body);
  return { admin, agent, supervisor, customer, registerCustomer, open, get, post };
}

describe('Tickets end to end: lifecycle on impera (priority scheme, hours of business days)', () => {
  let t: TestApp;
  const h = helpers(() => t);
  const { agent, supervisor, customer, open, get, post } = h;
  let acme: string;
  let other: string;

  beforeAll(async () => {
    // Tuesday 2026-11-17 10:00 America/Mexico_City
    t = await startTestApp({ preset: 'impera', now: '2026-11-17T16:00:00.000Z' });
    acme = await h.registerCustomer('Hoteles del Bajío');
    other = await h.registerCustomer('Servicios Tlaloc');
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.clock.set('2026-11-17T16:00:00.000Z'));

  it('classifies by priority: a new priority resets the target keeping the business time elapsed', async () => {
    const tk = await open(acme);
    let v = await get(tk.id, tk.position);
    // unclassified: the preset's default, medium (48 h): Tue 10:00 + 14 h + Wed 24 h + Thu 10 h
    expect(v.priority).toBe('medium');
    expect(v.sla.responseDueAt).toBe('2026-11-19T16:00:00.000Z');

    t.clock.set('2026-11-17T18:00:00.000Z'); // two hours later
    const r = await post(tk.id, 'classification', { priority: 'high', reason: 'sitio caído' }).expect(200);
    expect(r.body).toMatchObject({ ticketId: tk.id, version: 1 });
    expect(r.headers.etag).toBe('"1"');
    v = await get(tk.id, r.body.position);
    expect(v.priority).toBe('high');
    expect(v.sla.targetMinutes).toBe(1440);
    expect(v.sla.businessMinutesElapsed).toBe(120);
    // 1440 - 120 minutes from Tue 12:00 = Wed 10:00 local
    expect(v.sla.responseDueAt).toBe('2026-11-18T16:00:00.000Z');
  });

  it('refuses the severity field under the priority scheme (400), a customer classifying (403) and an unknown ticket (404)', async () => {
    const tk = await open(acme);
    const before = await t.events.headPosition();
    const wrong = await post(tk.id, 'classification', { severity: 2 }).expect(400);
    expect(wrong.body.code).toBe('invalid-request');
    expect(wrong.body.errors.map((e: { path: string }) => e.path)).toContain('severity');
    const bad = await post(tk.id, 'classification', { priority: 'urgent' }).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('priority');
    await post(tk.id, 'classification', { priority: 'high' }, customer(acme)).expect(403);
    const missing = await post(randomUUID(), 'classification', { priority: 'high' }).expect(404);
    expect(missing.body.code).toBe('not-found');
    expect(await t.events.headPosition()).toBe(before);
  });

  it('assigns a ticket (agent or supervisor); a customer may not (403)', async () => {
    const tk = await open(acme);
    const r = await post(tk.id, 'assignment', { assigneeId: 'ana' }).expect(200);
    expect((await get(tk.id, r.body.position)).assigneeId).toBe('ana');
    const s = await post(tk.id, 'assignment', { assigneeId: 'luis' }, supervisor()).expect(200);
    expect((await get(tk.id, s.body.position)).assigneeId).toBe('luis');
    await post(tk.id, 'assignment', { assigneeId: 'ana' }, customer(acme)).expect(403);
    await post(tk.id, 'assignment', {}).expect(400);
  });

  it('records the first public staff message as the response (respondedAt, met); internal notes and customer messages are not responses', async () => {
    const tk = await open(acme, { reportedPriority: 'high' });
    t.clock.set('2026-11-17T17:00:00.000Z');
    const c = await post(tk.id, 'messages', { body: 'Sigue caído', visibility: 'public' }, customer(acme)).expect(201);
    expect(typeof c.body.messageId).toBe('string');
    const note = await post(tk.id, 'messages', { body: 'Revisar DNS', visibility: 'internal' }).expect(201);
    let v = await get(tk.id, note.body.position);
    expect(v.sla.respondedAt).toBeNull();
    expect(v.sla.met).toBeNull();

    t.clock.set('2026-11-17T17:30:00.000Z');
    const reply = await post(tk.id, 'messages', { body: 'Estamos revisando su servidor.', visibility: 'public' }).expect(201);
    v = await get(tk.id, reply.body.position);
    expect(v.sla).toMatchObject({ respondedAt: '2026-11-17T17:30:00.000Z', met: true, breached: false, businessMinutesElapsed: 90 });
    expect(v.respondedAt).toBe('2026-11-17T17:30:00.000Z');
    // the customer sees only public messages
    expect((await get(tk.id, reply.body.position, customer(acme))).messageCount).toBe(2);
    expect(v.messageCount).toBe(3);

    // a later public message does not move the response
    t.clock.set('2026-11-17T19:00:00.000Z');
    const later = await post(tk.id, 'messages', { body: 'Listo.', visibility: 'public' }).expect(201);
    expect((await get(tk.id, later.body.position)).sla.respondedAt).toBe('2026-11-17T17:30:00.000Z');
  });

  it('records a late response as not met', async () => {
    const tk = await open(acme, { reportedPriority: 'high' }); // due Wed 10:00 local
    t.clock.set('2026-11-18T17:00:00.000Z'); // Wed 11:00 local
    const reply = await post(tk.id, 'messages', { body: 'Una disculpa por la demora.', visibility: 'public' }).expect(201);
    const v = await get(tk.id, reply.body.position);
    expect(v.sla).toMatchObject({ respondedAt: '2026-11-18T17:00:00.000Z', met: false, breached: true });
  });

  it('refuses a customer internal message with 403, and messages on another customer\'s ticket with 404', async () => {
    const tk = await open(acme);
    const before = await t.events.headPosition();
    const r = await post(tk.id, 'messages', { body: 'nota', visibility: 'internal' }, customer(acme)).expect(403);
    expect(r.body.code).toBe('forbidden');
    const scope = await post(tk.id, 'messages', { body: 'hola', visibility: 'public' }, customer(other, 'pedro')).expect(404);
    expect(scope.body.code).toBe('not-found');
    await post(tk.id, 'messages', { body: 'hola', visibility: 'shouting' }).expect(400);
    expect(await t.events.headPosition()).toBe(before);
  });

  it('escalates through the preset\'s two levels; raising the priority keeps the elapsed business time; beyond the last level is 422 escalation-limit', async () => {
    const tk = await open(acme, { reportedPriority: 'low' });
    let v = await get(tk.id, tk.position);
    expect(v.escalationLevel).toBe(1);
    // low: 72 h from Tue 10:00 = 14 + 24 + 24 + 10 -> Fri 10:00 local
    expect(v.sla.responseDueAt).toBe('2026-11-20T16:00:00.000Z');

    t.clock.set('2026-11-17T21:00:00.000Z'); // Tue 15:00 local: 300 business minutes elapsed
    const wrongScheme = await post(tk.id, 'escalations', { reason: 'urge', raisePriorityTo: 1 }, customer(acme)).expect(400);
    expect(wrongScheme.body.errors.map((e: { path: string }) => e.path)).toContain('raisePriorityTo');
    const r = await post(tk.id, 'escalations', { reason: 'Perdemos ventas', raisePriorityTo: 'high' }, customer(acme)).expect(200);
    v = await get(tk.id, r.body.position);
    expect(v.escalationLevel).toBe(2);
    expect(v.priority).toBe('high');
    expect(v.sla.targetMinutes).toBe(1440);
    expect(v.sla.businessMinutesElapsed).toBe(300);
    // 1440 - 300 = 1140 min from Tue 15:00: 9 h Tue + 10 h Wed -> Wed 10:00 local (received + 24 h of business days)
    expect(v.sla.responseDueAt).toBe('2026-11-18T16:00:00.000Z');
    expect(v.escalations).toEqual([
      expect.objectContaining({ fromLevel: 1, level: 2, levelName: 'support supervisor', requestedBy: 'maria', requestedByRole: 'customer', reason: 'Perdemos ventas', automatic: false }),
    ]);

    const before = await t.events.headPosition();
    const limit = await post(tk.id, 'escalations', { reason: 'otra vez' }, supervisor()).expect(422);
    expect(limit.body.code).toBe('escalation-limit');
    await post(tk.id, 'escalations', { reason: 'x' }, t.auth('aud', ['auditor'])).expect(403);
    expect(await t.events.headPosition()).toBe(before);
  });

  it('pauses the clock while awaiting the customer; the customer\'s answer resumes it and the due instant moves by the paused business time', async () => {
    const tk = await open(acme); // medium, due Thu 19 Nov 10:00 local
    t.clock.set('2026-11-17T18:00:00.000Z'); // Tue 12:00 local
    const a = await post(tk.id, 'awaiting-customer', { question: '¿Desde qué IP se conecta?' }).expect(200);
    let v = await get(tk.id, a.body.position);
    expect(v.status).toBe('awaiting-customer');
    expect(v.pendingQuestion).toBe('¿Desde qué IP se conecta?');
    expect(v.sla.paused).toBe(true);
    const timers = await t.http.get('/api/sla/timers?state=paused').set(agent()).set('X-Min-Position', String(a.body.position)).expect(200);
    expect(timers.body.items.map((i: { ticketId: string }) => i.ticketId)).toContain(tk.id);
    const running = await t.http.get('/api/sla/timers?state=running').set(agent()).set('X-Min-Position', String(a.body.position)).expect(200);
    expect(running.body.items.map((i: { ticketId: string }) => i.ticketId)).not.toContain(tk.id);
    await post(tk.id, 'awaiting-customer', { question: 'x' }, customer(acme)).expect(403);

    // a day later the elapsed time has not moved
    t.clock.set('2026-11-18T18:00:00.000Z'); // Wed 12:00 local
    v = await get(tk.id, a.body.position);
    expect(v.sla.businessMinutesElapsed).toBe(120);

    const m = await post(tk.id, 'messages', { body: 'Desde 201.1.2.3', visibility: 'public' }, customer(acme)).expect(201);
    v = await get(tk.id, m.body.position);
    expect(v.status).toBe('open');
    expect(v.pendingQuestion).toBeNull();
    expect(v.sla.paused).toBe(false);
    expect(v.sla.businessMinutesElapsed).toBe(120);
    // paused 24 business hours: Thu 19 Nov 10:00 -> Fri 20 Nov 10:00 local
    expect(v.sla.responseDueAt).toBe('2026-11-20T16:00:00.000Z');
  });

  it('closes as no-customer-response only after three attempts on three distinct business days and the announced wait', async () => {
    const tk = await open(acme);
    t.clock.set('2026-11-17T18:00:00.000Z');
    await post(tk.id, 'awaiting-customer', { question: '¿Puede enviar el log?' }).expect(200);
    await post(tk.id, 'contact-attempts', { channel: 'phone', note: 'Sin respuesta; esperamos 2 días hábiles.' }).expect(201);
    t.clock.set('2026-11-17T22:00:00.000Z'); // same day, second attempt: still one business day
    await post(tk.id, 'contact-attempts', { channel: 'email', note: 'Correo enviado.' }).expect(201);
    t.clock.set('2026-11-18T17:00:00.000Z'); // Wed
    const second = await post(tk.id, 'contact-attempts', { channel: 'email', note: 'Segundo día.' }).expect(201);

    const tooFew = await post(tk.id, 'close', { reason: 'no-customer-response', resolution: 'Sin respuesta' }).expect(422);
    expect(tooFew.body).toMatchObject({ code: 'contact-attempts-required', attempts: 3, businessDays: 2, required: 3 });
    void second;

    t.clock.set('2026-11-19T17:00:00.000Z'); // Thu: third business day
    const third = await post(tk.id, 'contact-attempts', { channel: 'phone', note: 'Tercer intento; cerramos tras 2 días hábiles.' }).expect(201);
    const v = await get(tk.id, third.body.position);
    expect(v.contactAttempts).toHaveLength(4);
    // 2 business days after Thu 19: Fri 20, Mon 23 -> may close from Tue 24 Nov 00:00 local
    expect(v.contactAttempts[3]).toMatchObject({ localDate: '2026-11-19', businessDay: true, closeAfter: '2026-11-24T06:00:00.000Z' });

    t.clock.set('2026-11-24T05:59:00.000Z'); // Mon 23 Nov 23:59 local: the announced wait still runs
    const early = await post(tk.id, 'close', { reason: 'no-customer-response', resolution: 'Sin respuesta' }).expect(422);
    expect(early.body).toMatchObject({ code: 'contact-attempts-required', closeAfter: '2026-11-24T06:00:00.000Z' });

    t.clock.set('2026-11-24T16:00:00.000Z');
    const closed = await post(tk.id, 'close', { reason: 'no-customer-response', resolution: 'Cerrado sin respuesta del cliente' }).expect(200);
    const after = await get(tk.id, closed.body.position);
    expect(after).toMatchObject({ status: 'closed', closeReason: 'no-customer-response', closedAt: '2026-11-24T16:00:00.000Z' });
  });

  it('counts contact attempts only on business days, and a customer message starts them over', async () => {
    const tk = await open(acme);
    await post(tk.id, 'awaiting-customer', { question: '¿Sigue el problema?' }).expect(200);
    t.clock.set('2026-11-21T17:00:00.000Z'); // Saturday
    const sat = await post(tk.id, 'contact-attempts', { channel: 'phone', note: 'sábado' }).expect(201);
    let v = await get(tk.id, sat.body.position);
    expect(v.contactAttempts[0]).toMatchObject({ localDate: '2026-11-21', businessDay: false });
    t.clock.set('2026-11-23T17:00:00.000Z');
    const reply = await post(tk.id, 'messages', { body: 'Sí sigue', visibility: 'public' }, customer(acme)).expect(201);
    v = await get(tk.id, reply.body.position);
    expect(v.contactAttempts).toEqual([]);
    expect(v.status).toBe('open');
  });

  it('closes with each reason; closing twice or any command on a closed ticket is 409 ticket-closed', async () => {
    for (const reason of ['resolved', 'out-of-scope', 'declined'] as const) {
      const tk = await open(acme);
      const r = await post(tk.id, 'close', { reason, resolution: `Cerrado: ${reason}` }).expect(200);
      expect((await get(tk.id, r.body.position)).closeReason).toBe(reason);
    }
    const original = await open(acme);
    const dup = await open(acme);
    const missingOf = await post(dup.id, 'close', { reason: 'duplicate', resolution: 'Duplicado' }).expect(400);
    expect(missingOf.body.errors.map((e: { path: string }) => e.path)).toContain('duplicateOf');
    const d = await post(dup.id, 'close', { reason: 'duplicate', resolution: 'Duplicado', duplicateOf: original.id }, supervisor()).expect(200);
    expect(await get(dup.id, d.body.position)).toMatchObject({ status: 'closed', closeReason: 'duplicate', duplicateOf: original.id });
    await post(original.id, 'close', { reason: 'resolved', resolution: 'x' }, customer(acme)).expect(403);

    const before = await t.events.headPosition();
    const twice = await post(dup.id, 'close', { reason: 'resolved', resolution: 'otra vez' }).expect(409);
    expect(twice.body.code).toBe('ticket-closed');
    const attempts: Array<[string, Record<string, unknown>, Headers]> = [
      ['classification', { priority: 'high' }, agent()],
      ['assignment', { assigneeId: 'ana' }, agent()],
      ['messages', { body: 'hola', visibility: 'public' }, agent()],
      ['messages', { body: 'hola', visibility: 'public' }, customer(acme)],
      ['escalations', { reason: 'urge' }, customer(acme)],
      ['awaiting-customer', { question: '¿?' }, agent()],
      ['contact-attempts', { channel: 'phone', note: 'x' }, agent()],
    ];
    for (const [what, body, as] of attempts) {
      const r = await post(dup.id, what, body, as);
      expect({ what, status: r.status, code: r.body.code }).toEqual({ what, status: 409, code: 'ticket-closed' });
    }
    expect(await t.events.headPosition()).toBe(before);
  });

  it('reopens a closed ticket for the reporter\'s customer or staff with a new response cycle; another customer gets 404', async () => {
    const tk = await open(acme, { reportedPriority: 'high' });
    const notClosed = await post(tk.id, 'reopen', { reason: 'x' }, customer(acme)).expect(409);
    expect(notClosed.body).toMatchObject({ status: 409, code: 'ticket-not-closed', ticketStatus: 'open' });
    await post(tk.id, 'messages', { body: 'Resuelto', visibility: 'public' }).expect(201);
    await post(tk.id, 'close', { reason: 'resolved', resolution: 'Se reinició el servicio' }).expect(200);

    const before = await t.events.headPosition();
    const foreign = await post(tk.id, 'reopen', { reason: 'no' }, customer(other, 'pedro')).expect(404);
    expect(foreign.body.code).toBe('not-found');
    await post(tk.id, 'reopen', { reason: 'no' }, t.auth('fin', ['finance'])).expect(403);
    expect(await t.events.headPosition()).toBe(before);

    t.clock.set('2026-11-18T16:00:00.000Z'); // Wed 10:00 local
    const r = await post(tk.id, 'reopen', { reason: 'Volvió a fallar' }, customer(acme, 'jorge')).expect(200);
    const v = await get(tk.id, r.body.position);
    expect(v).toMatchObject({ status: 'open', reopenCount: 1, closeReason: null });
    expect(v.sla).toMatchObject({ cycle: 2, startedAt: '2026-11-18T16:00:00.000Z', responseDueAt: '2026-11-19T16:00:00.000Z', respondedAt: null });
    expect(v.previousCycles).toEqual([expect.objectContaining({ cycle: 1, met: true })]);

    await post(tk.id, 'close', { reason: 'resolved', resolution: 'otra vez' }).expect(200);
    await post(tk.id, 'reopen', { reason: 'Sigue fallando' }, agent()).expect(200);
  });

  it('refuses a stale If-Match with 409 version-conflict and accepts the current version', async () => {
    const tk = await open(acme);
    const a = await post(tk.id, 'assignment', { assigneeId: 'ana' }).expect(200);
    expect(a.body.version).toBe(1);
    const before = await t.events.headPosition();
    const stale = await t.http.post(`/api/tickets/${tk.id}/classification`).set(agent()).set('If-Match', '"0"').send({ priority: 'high' }).expect(409);
    expect(stale.body.code).toBe('version-conflict');
    expect(await t.events.headPosition()).toBe(before);
    const ok = await t.http.post(`/api/tickets/${tk.id}/classification`).set(agent()).set('If-Match', '"1"').send({ priority: 'high' }).expect(200);
    expect(ok.body.version).toBe(2);
    const v = await get(tk.id, ok.body.position);
    expect(v.version).toBe(2);
  });
});

describe('Tickets end to end: lifecycle on intecnia (severity scheme, split business day)', () => {
  let t: TestApp;
  const h = helpers(() => t);
  const { agent, supervisor, customer, open, get, post } = h;
  let acme: string;

  beforeAll(async () => {
    // Wednesday 2026-11-18 10:00 America/Mexico_City
    t = await startTestApp({ preset: 'intecnia', now: '2026-11-18T16:00:00.000Z' });
    acme = await h.registerCustomer('Redes del Norte');
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.clock.set('2026-11-18T16:00:00.000Z'));

  it('opens unclassified tickets as severity 1 (8 business hours across the split day)', async () => {
    const tk = await open(acme);
    const v = await get(tk.id, tk.position);
    expect(v).toMatchObject({ scheme: 'severity', severity: 1, priority: null });
    // Wed 10-14 (240) + 16-19 (180) = 420; Thu 09:00 + 60 -> Thu 10:00 local
    expect(v.sla).toMatchObject({ targetMinutes: 480, responseDueAt: '2026-11-19T16:00:00.000Z' });
  });

  it('classifies by severity; the priority field is 400', async () => {
    const tk = await open(acme);
    const wrong = await post(tk.id, 'classification', { priority: 'high' }).expect(400);
    expect(wrong.body.errors.map((e: { path: string }) => e.path)).toContain('priority');
    await post(tk.id, 'classification', { severity: 7 }).expect(400);
    t.clock.set('2026-11-18T19:00:00.000Z'); // 13:00 local, 180 business minutes elapsed
    const r = await post(tk.id, 'classification', { severity: 3 }).expect(200);
    const v = await get(tk.id, r.body.position);
    expect(v.severity).toBe(3);
    expect(v.sla.businessMinutesElapsed).toBe(180);
    // 720 - 180 = 540 from Wed 13:00: 60 + 180 (16-19) = 240; Thu 09-14 = 300 -> Thu 14:00 local
    expect(v.sla.responseDueAt).toBe('2026-11-19T20:00:00.000Z');
  });

  it('escalates through three levels (engineer, quality lead, operations manager); raising severity keeps elapsed time; a fourth is 422', async () => {
    const tk = await open(acme, { reportedPriority: 4 });
    let v = await get(tk.id, tk.position);
    expect(v.sla.targetMinutes).toBe(1440);
    t.clock.set('2026-11-18T22:30:00.000Z'); // Wed 16:30 local: 240 + 30 = 270 business minutes
    const notRaise = await post(tk.id, 'escalations', { reason: 'x', raisePriorityTo: 'high' }, customer(acme)).expect(400);
    expect(notRaise.body.errors.map((e: { path: string }) => e.path)).toContain('raisePriorityTo');
    const r = await post(tk.id, 'escalations', { reason: 'Red caída en sucursal', raisePriorityTo: 2 }, customer(acme)).expect(200);
    v = await get(tk.id, r.body.position);
    expect(v).toMatchObject({ escalationLevel: 2, severity: 2 });
    expect(v.sla).toMatchObject({ targetMinutes: 600, businessMinutesElapsed: 270 });
    // 600 - 270 = 330 from Wed 16:30: 150 to 19:00; Thu 09:00 + 180 -> Thu 12:00 local
    expect(v.sla.responseDueAt).toBe('2026-11-19T18:00:00.000Z');
    expect(v.escalations[0]).toMatchObject({ level: 2, levelName: 'quality lead' });

    const r3 = await post(tk.id, 'escalations', { reason: 'Sin respuesta' }, agent()).expect(200);
    v = await get(tk.id, r3.body.position);
    expect(v.escalationLevel).toBe(3);
    expect(v.escalations[1]).toMatchObject({ level: 3, levelName: 'operations manager', requestedByRole: 'staff' });
    const limit = await post(tk.id, 'escalations', { reason: 'más' }, supervisor()).expect(422);
    expect(limit.body).toMatchObject({ code: 'escalation-limit', maxLevel: 3 });
  });
});
