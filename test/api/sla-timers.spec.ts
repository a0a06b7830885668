import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * GET /api/sla/timers on intecnia: severity 1 = 8 business hours on Mon-Fri 09:00-14:00 and
 * 16:00-19:00 America/Mexico_City, warning at 75% (360 minutes).
 * Ticket S1 is received Wednesday 2026-11-18 10:00 local (16:00Z): warning Wed 18:00 local
 * (Thu 00:00Z), due Thu 19 Nov 10:00 local (16:00Z).
 */
describe('SLA timers through the API', () => {
  let t: TestApp;
  const agent = () => t.auth('ana', ['agent']);
  let customerId: string;
  let head = 0;
  const ids: Record<string, string> = {};

  async function open(name: string, fields: Record<string, unknown> = {}) {
    const r = await t.http
      .post('/api/tickets')
      .set(agent())
      .send({ customerId, department: 'support', subject: `Caso ${name} ${randomUUID()}`, description: 'x', ...fields })
      .expect(201);
    ids[name] = r.body.ticketId;
    head = Math.max(head, r.body.position);
  }
  const cmd = async (id: string, what: string, body: Record<string, unknown>) => {
    const r = await t.http.post(`/api/tickets/${id}/${what}`).set(agent()).send(body);
    expect(r.status).toBeLessThan(300);
    head = Math.max(head, r.body.position);
  };
  type Timer = { ticketId: string; clock: string; atRisk: boolean; breached: boolean; paused: boolean; elapsedBusinessMinutes: number; withinCalendarHours: boolean; dueAt: string | null; goal: number };
  const timers = async (state?: string, as = agent()) => {
    const r = await t.http.get(`/api/sla/timers${state ? `?state=${state}` : ''}`).set(as).set('X-Min-Position', String(head)).expect(200);
    return r.body.items as Timer[];
  };
  const names = (items: Timer[]) => items.map((i) => Object.keys(ids).find((k) => ids[k] === i.ticketId) ?? i.ticketId).sort();
  const timerOf = async (name: string) => (await timers()).find((i) => i.ticketId === ids[name]);

  beforeAll(async () => {
    t = await startTestApp({ preset: 'intecnia', now: '2026-11-18T16:00:00.000Z' });
    const c = await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Redes del Norte' }).expect(201);
    customerId = c.body.customerId;
    await open('S1', { reportedPriority: 1 });
    // S2: severity 4, waiting for the customer
    await open('S2', { reportedPriority: 4 });
    await cmd(ids.S2, 'awaiting-customer', { question: '¿Modelo del switch?' });
    // S3: answered at once (its clock is stopped)
    await open('S3', { reportedPriority: 2 });
    await cmd(ids.S3, 'messages', { body: 'Lo revisamos', visibility: 'public' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('at 12:00 local: S1 runs (120 minutes), S2 is paused, S3 is stopped and met', async () => {
    t.clock.set('2026-11-18T18:00:00.000Z');
    const s1 = await timerOf('S1');
    expect(s1).toMatchObject({ clock: 'running', goal: 480, elapsedBusinessMinutes: 120, atRisk: false, breached: false, withinCalendarHours: true, dueAt: '2026-11-19T16:00:00.000Z' });
    expect(await timerOf('S2')).toMatchObject({ clock: 'paused', paused: true, elapsedBusinessMinutes: 0 });
    expect(await timerOf('S3')).toMatchObject({ clock: 'stopped', breached: false });
    expect(names(await timers('running'))).toEqual(['S1']);
    expect(names(await timers('paused'))).toEqual(['S2']);
    expect(await timers('at-risk')).toEqual([]);
    expect(await timers('breached')).toEqual([]);
  });

  it('at 15:00 local (lunch break): the split day stops the count at 240 minutes, outside calendar hours', async () => {
    t.clock.set('2026-11-18T21:00:00.000Z');
    expect(await timerOf('S1')).toMatchObject({ clock: 'running', elapsedBusinessMinutes: 240, withinCalendarHours: false, atRisk: false });
  });

  it('at 18:30 local: S1 is past its warning point (390 of 480 minutes) and at risk', async () => {
    t.clock.set('2026-11-19T00:30:00.000Z');
    expect(await timerOf('S1')).toMatchObject({ elapsedBusinessMinutes: 390, atRisk: true, breached: false });
    expect(names(await timers('at-risk'))).toEqual(['S1']);
    expect(names(await timers('running'))).toEqual(['S1']);
    expect(await timers('breached')).toEqual([]);
  });

  it('overnight the count holds at 420 minutes; at Thu 10:30 local S1 is breached and no longer at risk', async () => {
    t.clock.set('2026-11-19T13:00:00.000Z'); // Thu 07:00 local
    expect(await timerOf('S1')).toMatchObject({ elapsedBusinessMinutes: 420, atRisk: true, breached: false });
    t.clock.set('2026-11-19T16:30:00.000Z');
    expect(await timerOf('S1')).toMatchObject({ elapsedBusinessMinutes: 510, breached: true, atRisk: false });
    expect(names(await timers('breached'))).toEqual(['S1']);
    expect(await timers('at-risk')).toEqual([]);
    // S2 stays paused however long the customer takes
    expect(await timerOf('S2')).toMatchObject({ clock: 'paused', elapsedBusinessMinutes: 0, breached: false });
  });

  it('a public staff reply while paused is the response; a customer\'s answer resumes the clock and the due instant moves by the paused business time', async () => {
    await cmd(ids.S2, 'messages', { body: '¿Nos confirma el modelo?', visibility: 'public' });
    expect(await timerOf('S2')).toMatchObject({ clock: 'stopped', breached: false });

    // S4: severity 4 received Thu 10:30 local and paused at once; unpaused it would be due
    // Thu 10:30 + 1440: Thu 210 + Fri 480 + Mon 23 480 + Tue 24 270 -> Tue 10:30 local
    await open('S4', { reportedPriority: 4 });
    expect((await timerOf('S4'))?.dueAt).toBe('2026-11-24T16:30:00.000Z');
    await cmd(ids.S4, 'awaiting-customer', { question: '¿Dirección IP?' });
    expect(await timerOf('S4')).toMatchObject({ clock: 'paused', paused: true });
    t.clock.set('2026-11-19T20:00:00.000Z'); // Thu 14:00 local: paused 210 business minutes
    const r = await t.http
      .post(`/api/tickets/${ids.S4}/messages`)
      .set(t.auth('maria', ['customer'], customerId))
      .send({ body: '10.0.0.1', visibility: 'public' })
      .expect(201);
    head = r.body.position;
    expect(await timerOf('S4')).toMatchObject({ clock: 'running', elapsedBusinessMinutes: 0, dueAt: '2026-11-24T20:00:00.000Z' });
    expect(names(await timers('paused'))).toEqual([]);
  });

  it('is for agents, supervisors and auditors: customer and finance get 403; an unknown state is 400', async () => {
    expect((await timers(undefined, t.auth('aud', ['auditor']))).length).toBeGreaterThan(0);
    await timers('running', t.auth('sofia', ['supervisor']));
    const c = await t.http.get('/api/sla/timers').set(t.auth('maria', ['customer'], customerId)).expect(403);
    expect(c.body.code).toBe('forbidden');
    await t.http.get('/api/sla/timers').set(t.auth('fin', ['finance'])).expect(403);
    const bad = await t.http.get('/api/sla/timers?state=late').set(agent()).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('state');
  });
});
