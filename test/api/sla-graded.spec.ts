import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * Graded SLA state on queue items and the ticket detail (intecnia: Mon-Fri 09:00-14:00 and
 * 16:00-19:00 America/Mexico_City, severity 1 = 480 business minutes, warning at 360).
 * The clock starts Wednesday 2026-11-18 10:00 local (16:00Z).
 */
describe('graded SLA state (queue and ticket detail)', () => {
  let t: TestApp;
  const agent = () => t.auth('ana', ['agent']);
  let customerId: string;
  let head = 0;
  const ids: Record<string, string> = {};

  async function importTicket(name: string, fields: Record<string, unknown>) {
    const r = await t.http
      .post('/api/tickets')
      .set(agent())
      .send({ customerId, department: 'support', subject: `Caso ${name} ${randomUUID()}`, description: 'x', ...fields })
      .expect(201);
    ids[name] = r.body.ticketId;
    head = Math.max(head, r.body.position);
  }
  const cmd = async (id: string, what: string, body: Record<string, unknown>) => {
    const r = await t.http.post(`/api/tickets/${id}/${what}`).set(agent()).send(body).expect((res) => expect(res.status).toBeLessThan(300));
    head = Math.max(head, r.body.position);
  };
  const queueSla = async () => {
    const r = await t.http.get('/api/queue?limit=50').set(agent()).set('X-Min-Position', String(head)).expect(200);
    const byName: Record<string, { state: string; pausedReason: string | null; businessMinutesLeft: number; businessMinutesElapsed: number; responseDueAt: string | null; warningAt: string | null; respondedAt: string | null }> = {};
    for (const item of r.body.items) byName[Object.keys(ids).find((k) => ids[k] === item.ticketId)!] = item.sla;
    return byName;
  };

  beforeAll(async () => {
    t = await startTestApp({ preset: 'intecnia', now: '2026-11-18T16:00:00.000Z' });
    customerId = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Hoteles del Bajío' }).expect(201)).body.customerId;
    await importTicket('onTrack', { reportedPriority: 4 }); // received now, 1440 min
    await importTicket('breached', { reportedPriority: 1, receivedAt: '2026-11-17T15:00:00Z' }); // Tue 09:00: 480 used by Tue 19:00
    await importTicket('atRisk', { reportedPriority: 1, receivedAt: '2026-11-17T17:30:00Z' }); // Tue 11:30: 150+180+60 = 390 at Wed 10:00
    await importTicket('awaiting', { reportedPriority: 2 });
    await cmd(ids.awaiting, 'awaiting-customer', { question: '¿Qué versión usa?' });
    await importTicket('met', { reportedPriority: 3 });
    await cmd(ids.met, 'messages', { body: 'Revisando', visibility: 'public' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('grades each ticket at now: on-track, at-risk, breached, paused awaiting the customer, met; with business minutes left and elapsed', async () => {
    const sla = await queueSla();
    expect(sla.onTrack).toEqual({
      state: 'on-track',
      pausedReason: null,
      responseDueAt: '2026-11-23T16:00:00.000Z', // Wed 420 + Thu 480 + Fri 480 + Mon 60 -> Mon 10:00 local
      warningAt: expect.any(String),
      businessMinutesLeft: 1440,
      businessMinutesElapsed: 0,
      respondedAt: null,
    });
    expect(sla.breached).toMatchObject({ state: 'breached', pausedReason: null, businessMinutesLeft: 0, businessMinutesElapsed: 540, responseDueAt: '2026-11-18T01:00:00.000Z' });
    expect(sla.atRisk).toMatchObject({ state: 'at-risk', pausedReason: null, businessMinutesLeft: 90, businessMinutesElapsed: 390 });
    expect(sla.awaiting).toMatchObject({ state: 'paused', pausedReason: 'awaiting-customer', businessMinutesElapsed: 0, businessMinutesLeft: 600 });
    expect(sla.met).toMatchObject({ state: 'met', pausedReason: null, respondedAt: '2026-11-18T16:00:00.000Z' });
  });

  it('in the lunch gap the clock is not counting: paused outside business hours, or breached/at-risk with that reason', async () => {
    t.clock.set('2026-11-18T21:00:00.000Z'); // Wed 15:00 local
    const sla = await queueSla();
    expect(sla.onTrack).toMatchObject({ state: 'paused', pausedReason: 'outside-business-hours', businessMinutesElapsed: 240 });
    expect(sla.atRisk).toMatchObject({ state: 'breached', pausedReason: 'outside-business-hours', businessMinutesLeft: 0 });
    expect(sla.awaiting).toMatchObject({ state: 'paused', pausedReason: 'awaiting-customer' });
    expect(sla.met.state).toBe('met');
    t.clock.set('2026-11-18T16:00:00.000Z');
  });

  it('the ticket detail carries the same graded state beside the existing SLA fields', async () => {
    const d = (await t.http.get(`/api/tickets/${ids.atRisk}`).set(agent()).set('X-Min-Position', String(head)).expect(200)).body;
    expect(d.sla).toMatchObject({
      state: 'at-risk',
      pausedReason: null,
      businessMinutesLeft: 90,
      businessMinutesElapsed: 390,
      businessMinutesRemaining: 90,
      atRisk: true,
      breached: false,
      paused: false,
      targetMinutes: 480,
      warningMinutes: 360,
      countingMode: 'business-hours',
    });
    const late = (await t.http.get(`/api/tickets/${ids.breached}`).set(agent()).expect(200)).body;
    expect(late.sla.state).toBe('breached');
    const reply = await t.http.post(`/api/tickets/${ids.breached}/messages`).set(agent()).send({ body: 'Tarde, pero aquí estamos', visibility: 'public' }).expect(201);
    const answered = (await t.http.get(`/api/tickets/${ids.breached}`).set(agent()).set('X-Min-Position', String(reply.body.position)).expect(200)).body;
    expect(answered.sla).toMatchObject({ state: 'breached', pausedReason: null, respondedAt: '2026-11-18T16:00:00.000Z', met: false });
  });
});
