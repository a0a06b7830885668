import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * GET /api/tickets/{id}/sla-timeline on intecnia (Mon-Fri 09:00-14:00 and 16:00-19:00
 * Mexico City; severity 2 = 600 business minutes, warning 450; severity 1 = 480, warning 360;
 * a breach escalates automatically).
 */
describe('SLA timeline from the recorded facts', () => {
  let t: TestApp;
  let customerId: string;
  let ticketId: string;
  let head = 0;
  const agent = () => t.auth('ana', ['agent']);
  const contact = () => t.auth('carla', ['customer'], customerId);
  const post = async (what: string, body: Record<string, unknown>, auth = agent()) => {
    const r = await t.http.post(`/api/tickets/${ticketId}/${what}`).set(auth).send(body).expect((res) => expect(res.status).toBeLessThan(300));
    head = Math.max(head, r.body.position);
    return r;
  };
  /** local Mexico City wall time (UTC-6, no DST) */
  const local = (wall: string) => new Date(`${wall}:00.000-06:00`).toISOString();

  beforeAll(async () => {
    t = await startTestApp({ preset: 'intecnia', now: local('2026-11-18T10:00') }); // Wednesday
    customerId = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Cliente' }).expect(201)).body.customerId;
    const r = await t.http
      .post('/api/tickets')
      .set(contact())
      .send({ department: 'support', subject: `Conmutador ${randomUUID()}`, description: 'Sin tono', reportedPriority: 2 })
      .expect(201);
    ticketId = r.body.ticketId;
    t.clock.set(local('2026-11-18T12:00'));
    await post('awaiting-customer', { question: '¿Qué extensión falla?' });
    t.clock.set(local('2026-11-18T15:00')); // the lunch gap
    await post('messages', { body: 'La 204', visibility: 'public' }, contact());
    t.clock.set(local('2026-11-19T09:30'));
    await post('escalations', { reason: 'Afecta a recepción', raisePriorityTo: 1 }, contact());
    t.clock.set(local('2026-11-19T11:00'));
    await t.caughtUp(head);
    expect(await t.runScheduler()).toMatchObject({ warnings: 1, errors: [] });
    t.clock.set(local('2026-11-19T12:15'));
    await t.caughtUp(Number(await t.events.headPosition())); // the warning recorded
    expect(await t.runScheduler()).toMatchObject({ breaches: 1, errors: [] });
    t.clock.set(local('2026-11-19T12:30'));
    await post('messages', { body: 'Reiniciamos el troncal', visibility: 'public' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists start, pause and resume with their reasons, the business-hours gaps, the retarget, the warning, the breach and the response, in time order', async () => {
    const tl = (await t.http.get(`/api/tickets/${ticketId}/sla-timeline`).set(agent()).expect(200)).body;
    expect(tl.entries.map((e: { at: string; kind: string; reason: string | null }) => [e.at, e.kind, e.reason])).toEqual([
      [local('2026-11-18T10:00'), 'started', 'opened'],
      [local('2026-11-18T12:00'), 'paused', 'awaiting-customer'],
      [local('2026-11-18T15:00'), 'resumed', 'customer-message'],
      [local('2026-11-18T15:00'), 'outside-business-hours', null],
      [local('2026-11-18T16:00'), 'business-hours', null],
      [local('2026-11-18T19:00'), 'outside-business-hours', null],
      [local('2026-11-19T09:00'), 'business-hours', null],
      [local('2026-11-19T09:30'), 'retargeted', 'escalated'],
      [local('2026-11-19T10:00'), 'warning', null],
      [local('2026-11-19T12:00'), 'breached', null],
      [local('2026-11-19T12:30'), 'responded', null],
    ]);
    const byKind = (k: string) => tl.entries.find((e: { kind: string }) => e.kind === k);
    expect(byKind('started').detail).toMatchObject({ targetMinutes: 600, warningMinutes: 450, calendarId: 'mx-split-day', mode: 'business-hours', zone: 'America/Mexico_City', presetVersion: '2026.1' });
    expect(byKind('resumed').detail).toMatchObject({ pausedBusinessMinutes: 120, elapsedBusinessMinutes: 120, dueAt: local('2026-11-19T14:00') });
    expect(byKind('retargeted').detail).toMatchObject({ targetMinutes: 480, elapsedBusinessMinutes: 330, dueAt: local('2026-11-19T12:00'), warningAt: local('2026-11-19T10:00'), previousTargetId: '1.0', targetId: '1.1' });
    expect(byKind('warning').detail).toMatchObject({ recorded: true, recordedAt: local('2026-11-19T11:00'), targetId: '1.1' });
    expect(byKind('breached').detail).toMatchObject({ recorded: true, recordedAt: local('2026-11-19T12:15') });
    expect(byKind('responded').detail).toMatchObject({ met: false, elapsedBusinessMinutes: 510 });
    expect(tl).toMatchObject({
      ticketId,
      now: local('2026-11-19T12:30'),
      state: 'breached',
      pausedReason: null,
      responseDueAt: local('2026-11-19T12:00'),
      businessMinutesElapsed: 510,
      businessMinutesLeft: 0,
      calendar: { id: 'mx-split-day', zone: 'America/Mexico_City', mode: 'business-hours', known: true, presetVersion: '2026.1' },
    });
  });

  it('an open clock shows the gaps up to now and the warning not yet recorded; the contact reads its own, others get 404', async () => {
    t.clock.set(local('2026-11-20T10:00')); // Friday
    const r = await t.http
      .post('/api/tickets')
      .set(contact())
      .send({ department: 'support', subject: `Impresora ${randomUUID()}`, description: 'Atasco', reportedPriority: 1 })
      .expect(201);
    const id = r.body.ticketId;
    t.clock.set(local('2026-11-23T09:30')); // Monday: Fri 240 + 180 + Mon 30 = 450; the warning point (360) was Fri 18:00
    const tl = (await t.http.get(`/api/tickets/${id}/sla-timeline`).set(contact()).expect(200)).body;
    expect(tl.entries.map((e: { at: string; kind: string }) => [e.at, e.kind])).toEqual([
      [local('2026-11-20T10:00'), 'started'],
      [local('2026-11-20T14:00'), 'outside-business-hours'],
      [local('2026-11-20T16:00'), 'business-hours'],
      [local('2026-11-20T18:00'), 'warning'],
      [local('2026-11-20T19:00'), 'outside-business-hours'],
      [local('2026-11-23T09:00'), 'business-hours'],
    ]);
    expect(tl.entries[3].detail).toMatchObject({ recorded: false, recordedAt: null });
    expect(tl).toMatchObject({ state: 'at-risk', businessMinutesElapsed: 450, businessMinutesLeft: 30, responseDueAt: local('2026-11-23T10:00') });
    const other = t.auth('olga', ['customer'], randomUUID());
    await t.http.get(`/api/tickets/${id}/sla-timeline`).set(other).expect(404);
    await t.http.get(`/api/tickets/${randomUUID()}/sla-timeline`).set(agent()).expect(404);
  });

  it('the OpenAPI document declares the operation, its kinds and statuses', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    const op = doc.paths['/api/tickets/{id}/sla-timeline'].get;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '404', '429', '503']);
    expect(doc.components.schemas.SlaTimelineEntryDto.properties.kind.enum).toContain('outside-business-hours');
  });
});
