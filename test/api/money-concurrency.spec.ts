import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * The policy stream is the consistency boundary of its balance: deductions from any number
 * of parallel requests (one ticket or several) serialize there, each re-checked after a
 * version conflict, so the balance never goes below zero and equals purchased minus the
 * MinutesDeducted events in the log.
 */
describe('money path under concurrency: parallel work logs against one policy', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = (n = 0) => t.auth(`eng-${n}`, ['agent']);

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-16T16:00:00.000Z' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function customerWithPolicy(policy: Record<string, unknown> = {}): Promise<{ customerId: string; policyId: string }> {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Servicios Tlaloc' }).expect(201);
    const p = await t.http.post('/api/policies').set(admin()).send({ customerId, plan: 'basic', startsOn: '2026-01-15', ...policy }).expect(201);
    return { customerId, policyId: p.body.policyId };
  }

  /** an open ticket with an accepted policy estimate of `minutes` */
  async function authorizedTicket(customerId: string, minutes: number): Promise<{ ticketId: string; authorizationId: string }> {
    const opened = await t.http
      .post('/api/tickets')
      .set(agent())
      .send({ customerId, department: 'support', subject: `Caso ${randomUUID().slice(0, 8)}`, description: 'Correo caído' })
      .expect(201);
    const ticketId = opened.body.ticketId;
    const q = await t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ kind: 'policy-estimate', minutes, description: 'Estimación' }).expect(201);
    await t.http
      .post(`/api/tickets/${ticketId}/quotes/${q.body.quoteId}/authorization`)
      .set(t.auth('cliente', ['customer'], customerId))
      .send({ decision: 'accept' })
      .expect(200);
    return { ticketId, authorizationId: q.body.quoteId };
  }

  const logWork = (ticketId: string, body: Record<string, unknown>, n = 0) =>
    t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent(n)).send({ workedOn: '2026-11-16', description: 'Trabajo remoto', ...body });

  async function deductionsInLog(policyId: string) {
    const events = await t.events.readStream(`policy-${policyId}`);
    return events.filter((e) => e.type === 'MinutesDeducted').map((e) => e.data as { entryId: string; minutes: number; ticketId: string; minutesRemaining: number });
  }

  async function policyView(policyId: string) {
    const head = Number(await t.events.headPosition());
    return (await t.http.get(`/api/policies/${policyId}`).set(t.auth('fina', ['finance'])).set('X-Min-Position', String(head)).expect(200)).body;
  }

  it('50 parallel 15-minute logs on a 120-minute authorization with 100 minutes left: exactly 6 succeed, the rest 422 insufficient-balance', async () => {
    const { customerId, policyId } = await customerWithPolicy(); // basic: 300 minutes
    // use 200 of them first, on another ticket
    const earlier = await authorizedTicket(customerId, 200);
    for (const minutes of [120, 80]) await logWork(earlier.ticketId, { minutes }).expect(201);
    expect((await policyView(policyId)).minutesRemaining).toBe(100);

    const { ticketId, authorizationId } = await authorizedTicket(customerId, 120);
    const entryIds = Array.from({ length: 50 }, () => randomUUID());
    const answers = await Promise.all(entryIds.map((entryId, i) => logWork(ticketId, { entryId, minutes: 15 }, i % 5)));

    const ok = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(6); // 6 x 15 = 90 <= 100 < 7 x 15
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(refused.map(() => [422, 'insufficient-balance']));

    // the event log: purchased - sum(MinutesDeducted) = the balance, never below zero
    const deductions = await deductionsInLog(policyId);
    const total = deductions.reduce((s, d) => s + d.minutes, 0);
    expect(total).toBe(200 + 90);
    expect(deductions.map((d) => d.minutesRemaining)).toEqual([180, 100, 85, 70, 55, 40, 25, 10]);
    const succeeded = new Set(ok.map((r) => r.body.entryId as string));
    expect(new Set(deductions.filter((d) => d.ticketId === ticketId).map((d) => d.entryId))).toEqual(succeeded);

    // the read models agree with the log
    const view = await policyView(policyId);
    expect(view).toMatchObject({ minutesPurchased: 300, minutesUsed: 290, minutesRemaining: 10, status: 'active' });
    expect(view.minutesRemaining).toBe(view.minutesPurchased - total);
    expect(view.deductions).toHaveLength(8);
    const head = Number(await t.events.headPosition());
    const ticket = await t.http.get(`/api/tickets/${ticketId}`).set(agent()).set('X-Min-Position', String(head)).expect(200);
    expect(ticket.body.workLogs).toHaveLength(6);
    expect(new Set(ticket.body.workLogs.map((w: { entryId: string }) => w.entryId))).toEqual(succeeded);
    expect(ticket.body.authorizations.find((a: { authorizationId: string }) => a.authorizationId === authorizationId).minutesLogged).toBe(90);
    // one WorkLogged per entry on the ticket stream, no duplicates
    const ticketEvents = await t.events.readStream(`ticket-${ticketId}`);
    expect(ticketEvents.filter((e) => e.type === 'WorkLogged')).toHaveLength(6);
  });

  it('two identical retries of one entryId sent at once deduct once and answer alike', async () => {
    const { customerId, policyId } = await customerWithPolicy();
    const { ticketId } = await authorizedTicket(customerId, 120);
    const body = { entryId: randomUUID(), minutes: 30, description: 'Respaldo de la base de datos' };
    const [a, b] = await Promise.all([logWork(ticketId, body), logWork(ticketId, body)]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    const deductions = await deductionsInLog(policyId);
    expect(deductions.map((d) => [d.entryId, d.minutes])).toEqual([[body.entryId, 30]]);
    const events = await t.events.readStream(`ticket-${ticketId}`);
    expect(events.filter((e) => e.type === 'WorkLogged')).toHaveLength(1);
    expect((await policyView(policyId)).minutesUsed).toBe(30);
    // and a third, later, changes nothing either
    const head = await t.events.headPosition();
    const c = await logWork(ticketId, body).expect(201);
    expect(c.body).toEqual(a.body);
    expect(await t.events.headPosition()).toBe(head);
  });

  it('deductions from several tickets on one policy in parallel serialize and never go below zero', async () => {
    const { customerId, policyId } = await customerWithPolicy({ minutes: 100 });
    const tickets = await Promise.all([0, 1, 2, 3].map(() => authorizedTicket(customerId, 60)));
    // 4 tickets x 4 entries of 10 minutes = 160 requested, 100 available
    const requests = tickets.flatMap(({ ticketId }, ti) => [0, 1, 2, 3].map((k) => logWork(ticketId, { entryId: randomUUID(), minutes: 10 }, ti * 4 + k)));
    const answers = await Promise.all(requests);
    const ok = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(10);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(refused.map(() => [422, 'insufficient-balance']));
    const deductions = await deductionsInLog(policyId);
    expect(deductions.reduce((s, d) => s + d.minutes, 0)).toBe(100);
    // every balance after a deduction is the one before minus its minutes: a strict serial order
    expect(deductions.map((d) => d.minutesRemaining)).toEqual([90, 80, 70, 60, 50, 40, 30, 20, 10, 0]);
    const view = await policyView(policyId);
    expect(view).toMatchObject({ minutesUsed: 100, minutesRemaining: 0, status: 'exhausted' });
    // each ticket holds exactly its own successful entries
    const head = Number(await t.events.headPosition());
    let logged = 0;
    for (const { ticketId } of tickets) {
      const tv = await t.http.get(`/api/tickets/${ticketId}`).set(agent()).set('X-Min-Position', String(head)).expect(200);
      const mine = deductions.filter((d) => d.ticketId === ticketId).map((d) => d.entryId).sort();
      expect(tv.body.workLogs.map((w: { entryId: string }) => w.entryId).sort()).toEqual(mine);
      logged += tv.body.minutesLogged;
    }
    expect(logged).toBe(100);
  });
});
