import { randomUUID } from 'crypto';
import { CommandPipeline } from '@helpdesk/application';
import { policyDecider } from '@helpdesk/domain';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * GET /api/tickets/{id}/history end to end (impera preset: priority scheme, business-days
 * targets medium 48 h / high 24 h, America/Mexico_City). One case is worked through the API
 * with the TestClock moved between commands, so every event has its own occurredAt; the
 * expected state at each instant is written out by hand below and compared with ?asOf and
 * ?asOfVersion. The policy deductions of the case (MinutesDeducted on the policy stream)
 * appear in its history in global order.
 */
describe('Case history: every event, time travel, correlation', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const supervisor = () => t.auth('sofia', ['supervisor']);
  const auditor = () => t.auth('auditora', ['auditor']);
  let customerId: string;
  let policyId: string;
  const customer = () => t.auth('maria', ['customer'], customerId);

  const ticketId = randomUUID();
  const quoteId = randomUUID();
  const entry1 = randomUUID();
  const entry2 = randomUUID();
  let lastPosition = 0;

  /** hand-built expectations at each checkpoint: the instant of the command and the version it produced */
  type Expected = {
    at: string;
    version: number;
    status: string;
    priority: string;
    assigneeId: string | null;
    escalationLevel: number;
    dueAt: string;
    respondedAt: string | null;
    workLogs: Record<string, number>;
    deductions: number;
  };
  const checkpoints: Expected[] = [];

  async function command(at: string, req: () => Promise<{ status: number; body: { version: number; position: number } }>, status: number) {
    t.clock.set(at);
    const r = await req();
    expect(r.status).toBe(status);
    lastPosition = r.body.position;
    return r.body;
  }

  const history = (query: Record<string, string | number> = {}, who = auditor()) =>
    t.http.get(`/api/tickets/${ticketId}/history`).query(query).set(who).set('X-Min-Position', String(lastPosition));

  const DUE_MEDIUM = '2026-11-19T15:00:00.000Z'; // Tue 09:00 local + 48 business hours (Wed, Thu: no holidays)
  const DUE_HIGH = '2026-11-18T15:00:00.000Z'; // same start, 24 business hours

  beforeAll(async () => {
    // Tuesday 2026-11-17 09:00 America/Mexico_City (UTC-6)
    t = await startTestApp({ preset: 'impera', now: '2026-11-17T14:00:00.000Z' });
    customerId = (await t.http.post('/api/customers').set(admin()).send({ name: 'Hoteles del Bajío SA de CV' }).expect(201)).body.customerId;
    const p = await t.http.post('/api/policies').set(admin()).send({ customerId, plan: 'basic', startsOn: '2026-11-01' }).expect(201);
    policyId = p.body.policyId;
    lastPosition = p.body.position;

    const base = { priority: 'medium', assigneeId: null, escalationLevel: 1, status: 'open', dueAt: DUE_MEDIUM, respondedAt: null, workLogs: {}, deductions: 0 };
    let v = await command('2026-11-17T15:00:00.000Z', () =>
      t.http.post('/api/tickets').set(customer()).set('X-Correlation-Id', 'req-open-1').send({
        ticketId,
        department: 'support',
        subject: 'El sitio web no carga desde dos dispositivos',
        description: 'Desde ayer el sitio no abre ni en la oficina ni en casa.',
        reportedPriority: 'medium',
      }), 201);
    checkpoints.push({ ...base, at: '2026-11-17T15:00:00.000Z', version: v.version });

    v = await command('2026-11-17T15:30:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/classification`).set(agent()).send({ priority: 'high', reason: 'sitio caído' }), 200);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T15:30:00.000Z', version: v.version, priority: 'high', dueAt: DUE_HIGH });

    v = await command('2026-11-17T16:00:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/assignment`).set(supervisor()).send({ assigneeId: 'ana' }), 200);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T16:00:00.000Z', version: v.version, assigneeId: 'ana' });

    v = await command('2026-11-17T16:30:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/messages`).set(agent()).send({ body: 'Nota interna: revisar DNS del cliente', visibility: 'internal' }), 201);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T16:30:00.000Z', version: v.version });

    v = await command('2026-11-17T17:00:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/messages`).set(agent()).send({ body: 'Estamos revisando su caso.', visibility: 'public' }), 201);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T17:00:00.000Z', version: v.version, respondedAt: '2026-11-17T17:00:00.000Z' });

    v = await command('2026-11-17T17:30:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ quoteId, kind: 'policy-estimate', minutes: 120, description: 'Revisión de DNS y servidor web' }), 201);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T17:30:00.000Z', version: v.version });

    v = await command('2026-11-17T18:00:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(customer()).send({ decision: 'accept', comment: 'Adelante, descuéntenlo de la póliza' }), 200);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T18:00:00.000Z', version: v.version });

    v = await command('2026-11-17T18:30:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).set('X-Correlation-Id', 'req-work-45').send({ entryId: entry1, minutes: 45, workedOn: '2026-11-17', description: 'Corrección de registros DNS' }), 201);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T18:30:00.000Z', version: v.version, workLogs: { [entry1]: 45 }, deductions: 1 });

    v = await command('2026-11-17T19:00:00.000Z', () => t.http.post(`/api/tickets/${ticketId}/escalations`).set(customer()).send({ reason: 'Sigue sin funcionar en un dispositivo' }), 200);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T19:00:00.000Z', version: v.version, escalationLevel: 2 });

    v = await command('2026-11-17T19:30:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).send({ entryId: entry2, minutes: 30, workedOn: '2026-11-17', description: 'Limpieza de caché del CDN' }), 201);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T19:30:00.000Z', version: v.version, workLogs: { [entry1]: 45, [entry2]: 30 }, deductions: 2 });

    v = await command('2026-11-17T20:00:00.000Z', () =>
      t.http.post(`/api/tickets/${ticketId}/close`).set(agent()).send({ reason: 'resolved', resolution: 'DNS corregido y caché purgada' }), 200);
    checkpoints.push({ ...checkpoints[checkpoints.length - 1], at: '2026-11-17T20:00:00.000Z', version: v.version, status: 'closed' });
  });
  afterAll(async () => {
    await t.close();
  });

  function expectState(state: Record<string, any>, e: Expected) {
    expect(state).not.toBeNull();
    expect(state.status).toBe(e.status);
    expect(state.priority).toBe(e.priority);
    expect(state.assigneeId).toBe(e.assigneeId);
    expect(state.escalationLevel).toBe(e.escalationLevel);
    expect(state.sla.dueAt).toBe(e.dueAt);
    expect(state.sla.respondedAt).toBe(e.respondedAt);
    const logs = Object.fromEntries(Object.values(state.billing.workLogs as Record<string, { entryId: string; minutes: number }>).map((w) => [w.entryId, w.minutes]));
    expect(logs).toEqual(e.workLogs);
  }

  it('lists every event of the case in global order with position, version, type, data, occurredAt, actor, correlationId, causationId', async () => {
    const r = await history().expect(200);
    expect(r.body.ticketId).toBe(ticketId);
    const events = r.body.events as Array<Record<string, any>>;
    for (const e of events) {
      expect(Number.isInteger(e.position)).toBe(true);
      expect(Number.isInteger(e.version)).toBe(true);
      expect(typeof e.type).toBe('string');
      expect(typeof e.data).toBe('object');
      expect(Date.parse(e.occurredAt)).not.toBeNaN();
      expect(typeof e.actor).toBe('string');
      expect(typeof e.correlationId).toBe('string');
      expect(e).toHaveProperty('causationId');
    }
    // strictly increasing global positions
    for (let i = 1; i < events.length; i++) expect(events[i].position).toBeGreaterThan(events[i - 1].position);
    // the ticket's own stream: every version from 0 to the last, none missing
    const ticketEvents = events.filter((e) => e.streamId === `ticket-${ticketId}`);
    expect(ticketEvents.map((e) => e.version)).toEqual(Array.from({ length: checkpoints[checkpoints.length - 1].version + 1 }, (_, i) => i));
    expect(ticketEvents[0]).toMatchObject({ type: 'TicketOpened', actor: 'maria', occurredAt: '2026-11-17T15:00:00.000Z', correlationId: 'req-open-1', causationId: null });
    const types = ticketEvents.map((e) => e.type);
    for (const type of ['TicketClassified', 'TicketAssigned', 'MessagePosted', 'QuoteIssued', 'ServiceAuthorized', 'WorkLogged', 'TicketEscalated', 'TicketClosed']) {
      expect(types).toContain(type);
    }
    expect(ticketEvents.find((e) => e.type === 'TicketClassified')).toMatchObject({ actor: 'ana', occurredAt: '2026-11-17T15:30:00.000Z', data: { priority: 'high', previousPriority: 'medium' } });
    expect(ticketEvents.find((e) => e.type === 'TicketAssigned')).toMatchObject({ actor: 'sofia', data: { assigneeId: 'ana' } });
    // staff see the internal message
    expect(ticketEvents.filter((e) => e.type === 'MessagePosted').map((e) => e.data.visibility)).toEqual(['internal', 'public']);

    // the policy's deductions for this ticket, from the policy stream, in their global place
    const deductions = events.filter((e) => e.type === 'MinutesDeducted');
    expect(deductions).toHaveLength(2);
    for (const d of deductions) expect(d.streamId).toBe(`policy-${policyId}`);
    expect(deductions.map((d) => d.data)).toEqual([
      expect.objectContaining({ ticketId, entryId: entry1, minutes: 45, authorizationId: quoteId, engineerId: 'ana', minutesRemaining: 255 }),
      expect.objectContaining({ ticketId, entryId: entry2, minutes: 30, authorizationId: quoteId, engineerId: 'ana', minutesRemaining: 225 }),
    ]);
    // each deduction comes right before its ticket's WorkLogged, with the same correlation
    for (const d of deductions) {
      const i = events.indexOf(d);
      expect(events[i + 1]).toMatchObject({ type: 'WorkLogged', streamId: `ticket-${ticketId}`, correlationId: d.correlationId, data: { entryId: d.data.entryId, policyId } });
    }
    expect(deductions[0].correlationId).toBe('req-work-45');
    expect(r.body.chain).toMatchObject({ intact: true, firstBreak: null, streams: [`ticket-${ticketId}`, `policy-${policyId}`] });
    // without asOf the state is the case now
    expectState(r.body.state, checkpoints[checkpoints.length - 1]);
  });

  it('answers ?asOf at each instant with only the events recorded up to then and the state of the case then', async () => {
    const full = (await history().expect(200)).body.events as Array<{ occurredAt: string; position: number }>;
    for (const cp of checkpoints) {
      for (const at of [cp.at, new Date(Date.parse(cp.at) + 10 * 60_000).toISOString()]) {
        const r = await history({ asOf: at }).expect(200);
        expect(r.body.asOf).toBe(at);
        const expectedEvents = full.filter((e) => Date.parse(e.occurredAt) <= Date.parse(at));
        expect(r.body.events.map((e: { position: number }) => e.position)).toEqual(expectedEvents.map((e) => e.position));
        expect(r.body.events.filter((e: { type: string }) => e.type === 'MinutesDeducted')).toHaveLength(cp.deductions);
        expect(r.body.events[r.body.events.length - 1].occurredAt).toBe(cp.at);
        expectState(r.body.state, cp);
      }
    }
  });

  it('reads asOf with any offset as the same instant, and before the ticket existed answers no events and no state', async () => {
    // 12:10 in Mexico City = 18:10Z: after the acceptance, before the first work log
    const r = await history({ asOf: '2026-11-17T12:10:00-06:00' }).expect(200);
    const accepted = checkpoints.find((c) => c.at === '2026-11-17T18:00:00.000Z')!;
    expectState(r.body.state, accepted);
    expect(r.body.state.billing.authorizations[quoteId]).toMatchObject({ authorizedBy: 'maria', minutesAuthorized: 120, minutesLogged: 0, policyId });
    const before = await history({ asOf: '2026-11-17T14:59:59.999Z' }).expect(200);
    expect(before.body.events).toEqual([]);
    expect(before.body.state).toBeNull();
    await history({ asOf: 'yesterday' }).expect(400);
  });

  it('answers ?asOfVersion=N with the ticket events up to version N (and the deductions recorded before), and the state then', async () => {
    for (const cp of checkpoints) {
      const r = await history({ asOfVersion: cp.version }).expect(200);
      expect(r.body.asOfVersion).toBe(cp.version);
      const ticketVersions = r.body.events.filter((e: { streamId: string }) => e.streamId === `ticket-${ticketId}`).map((e: { version: number }) => e.version);
      expect(ticketVersions).toEqual(Array.from({ length: cp.version + 1 }, (_, i) => i));
      expect(r.body.events.filter((e: { type: string }) => e.type === 'MinutesDeducted')).toHaveLength(cp.deductions);
      expectState(r.body.state, cp);
    }
    await history({ asOfVersion: -1 }).expect(400);
  });

  it('answers ?correlationId with all the events one request caused, on every stream', async () => {
    const r = await history({ correlationId: 'req-work-45' }).expect(200);
    const events = r.body.events as Array<Record<string, any>>;
    expect(events.map((e) => [e.type, e.streamId])).toEqual([
      ['MinutesDeducted', `policy-${policyId}`],
      ['WorkLogged', `ticket-${ticketId}`],
    ]);
    for (const e of events) expect(e).toMatchObject({ correlationId: 'req-work-45', actor: 'ana', occurredAt: '2026-11-17T18:30:00.000Z' });
    const open = await history({ correlationId: 'req-open-1' }).expect(200);
    expect(open.body.events.map((e: { type: string }) => e.type)).toEqual(['TicketOpened']);
    const none = await history({ correlationId: 'no-such-request' }).expect(200);
    expect(none.body.events).toEqual([]);
    await history({ correlationId: 'x'.repeat(200) }).expect(400);
  });

  it('gives the events of a request without X-Correlation-Id one fresh correlation, different from every other request', async () => {
    const events = (await history().expect(200)).body.events as Array<{ correlationId: string; position: number; type: string }>;
    const classified = events.find((e) => e.type === 'TicketClassified')!;
    const assigned = events.find((e) => e.type === 'TicketAssigned')!;
    expect(classified.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(classified.correlationId).not.toBe(assigned.correlationId);
    const same = await history({ correlationId: classified.correlationId }).expect(200);
    expect(same.body.events.map((e: { position: number }) => e.position)).toEqual([classified.position]);
  });

  it('shows a system-made event with the correlation of the request that caused it and causationId naming the causing event', async () => {
    // a policy-backed work log whose ticket half was lost (the process died between the two
    // appends): the policy stream holds the deduction, the deduction repairer adds the WorkLogged
    const lostTicket = randomUUID();
    const lostQuote = randomUUID();
    t.clock.set('2026-11-18T15:00:00.000Z');
    await t.http.post('/api/tickets').set(customer()).send({ ticketId: lostTicket, department: 'support', subject: 'Correo rebota', description: 'Los correos rebotan.' }).expect(201);
    await t.http.post(`/api/tickets/${lostTicket}/quotes`).set(agent()).send({ quoteId: lostQuote, kind: 'policy-estimate', minutes: 60, description: 'Revisión de MX' }).expect(201);
    await t.http.post(`/api/tickets/${lostTicket}/quotes/${lostQuote}/authorization`).set(customer()).send({ decision: 'accept' }).expect(200);
    const lostEntry = randomUUID();
    const pipeline = t.app.get(CommandPipeline);
    const deducted = await pipeline.execute(
      `policy-${policyId}`,
      policyDecider,
      {
        type: 'DeductMinutes',
        policyId,
        entryId: lostEntry,
        ticketId: lostTicket,
        authorizationId: lostQuote,
        authorizedMinutes: 60,
        minutes: 20,
        workedOn: '2026-11-18',
        engineerId: 'ana',
        description: 'Registros MX corregidos',
        kind: 'remote',
        customerId,
      },
      { actor: { id: 'ana', roles: ['agent'] }, correlationId: 'req-lost-work', causationId: null, now: '2026-11-18T15:00:00.000Z' },
    );
    // the repairer runs in the projector: wait until the ticket holds the WorkLogged
    let repaired: Array<Record<string, any>> = [];
    for (let i = 0; i < 100 && repaired.length < 2; i++) {
      const r = await t.http
        .get(`/api/tickets/${lostTicket}/history`)
        .query({ correlationId: 'req-lost-work' })
        .set(auditor())
        .set('X-Min-Position', String(deducted.position))
        .expect(200);
      repaired = r.body.events;
      if (repaired.length < 2) await new Promise((res) => setTimeout(res, 20));
    }
    expect(repaired.map((e) => e.type)).toEqual(['MinutesDeducted', 'WorkLogged']);
    const [deduction, work] = repaired;
    expect(deduction).toMatchObject({ streamId: `policy-${policyId}`, actor: 'ana', causationId: null });
    expect(work).toMatchObject({ streamId: `ticket-${lostTicket}`, actor: 'system:scheduler', correlationId: 'req-lost-work', causationId: deduction.eventId, data: { entryId: lostEntry, minutes: 20 } });
  });

  it('records scheduler-made SLA events as the scheduler, each pass with a correlation of its own', async () => {
    const late = randomUUID();
    t.clock.set('2026-11-19T15:00:00.000Z'); // Thursday 09:00 local
    const o = await t.http
      .post('/api/tickets')
      .set(customer())
      .set('X-Correlation-Id', 'req-open-late')
      .send({ ticketId: late, department: 'support', subject: 'Impresora no imprime', description: 'No imprime.', reportedPriority: 'high' })
      .expect(201);
    await t.caughtUp(o.body.position);
    t.clock.set('2026-11-23T15:00:00.000Z'); // the following Monday: warning and breach both due
    const report = await t.runScheduler();
    expect(report.errors).toEqual([]);
    const head = Number(await t.events.headPosition());
    const r = await t.http.get(`/api/tickets/${late}/history`).set(auditor()).set('X-Min-Position', String(head)).expect(200);
    const made = (r.body.events as Array<Record<string, any>>).filter((e) => e.actor === 'system:scheduler');
    expect(made.map((e) => e.type)).toEqual(['SlaWarningRecorded', 'SlaBreachRecorded']);
    for (const e of made) {
      expect(e.occurredAt).toBe('2026-11-23T15:00:00.000Z');
      expect(e.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.correlationId).not.toBe('req-open-late');
    }
    expect(made[0].correlationId).not.toBe(made[1].correlationId);
  });

  it('lets agents and supervisors read the history too', async () => {
    const a = await history({}, agent()).expect(200);
    const s = await history({}, supervisor()).expect(200);
    expect(a.body.events.length).toBeGreaterThan(0);
    expect(s.body.events).toEqual(a.body.events);
  });

  it('answers 404 for a ticket that does not exist', async () => {
    const r = await t.http.get(`/api/tickets/${randomUUID()}/history`).set(auditor()).expect(404);
    expect(r.body.code).toBe('not-found');
  });
});
