import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * GET /api/queue on impera: open work by response deadline, then priority; filters; cursor pages.
 * The clock is Wednesday 2026-11-18 10:00 America/Mexico_City (16:00Z) throughout.
 */
describe('Tickets end to end: the agents\' queue', () => {
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
    return r.body.ticketId as string;
  }
  const cmd = async (id: string, what: string, body: Record<string, unknown>) => {
    const r = await t.http.post(`/api/tickets/${id}/${what}`).set(agent()).send(body).expect((res) => expect(res.status).toBeLessThan(300));
    head = Math.max(head, r.body.position);
  };
  const queue = async (query = '', as = agent()) => {
    const r = await t.http.get(`/api/queue${query}`).set(as).set('X-Min-Position', String(head)).expect(200);
    return r.body as { items: Array<{ ticketId: string; breached: boolean; responseDueAt: string | null }>; nextCursor: string | null };
  };
  const names = (items: Array<{ ticketId: string }>) => items.map((i) => Object.keys(ids).find((k) => ids[k] === i.ticketId) ?? i.ticketId);

  beforeAll(async () => {
    t = await startTestApp({ preset: 'impera', now: '2026-11-18T16:00:00.000Z' });
    const c = await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Hoteles del Bajío' }).expect(201);
    customerId = c.body.customerId;
    // D: high received Tue 08:00 local -> due Wed 08:00 local, already past due
    await importTicket('D', { reportedPriority: 'high', receivedAt: '2026-11-17T14:00:00Z' });
    // A, B, C: all due Thu 19 Nov 10:00 local (16:00Z), high / medium / low
    await importTicket('A', { reportedPriority: 'high' });
    await importTicket('B', { reportedPriority: 'medium', receivedAt: '2026-11-17T16:00:00Z' });
    await importTicket('C', { reportedPriority: 'low', receivedAt: '2026-11-13T16:00:00Z' });
    // E: billing department, medium, due Fri 20 Nov 10:00 local, assigned to luis
    await importTicket('E', { reportedPriority: 'medium', department: 'billing' });
    await cmd(ids.E, 'assignment', { assigneeId: 'luis' });
    // G: high, already answered (rank after the running clocks)
    await importTicket('G', { reportedPriority: 'high' });
    await cmd(ids.G, 'messages', { body: 'Revisando', visibility: 'public' });
    // F: low, awaiting the customer (last)
    await importTicket('F', { reportedPriority: 'low' });
    await cmd(ids.F, 'awaiting-customer', { question: '¿Qué navegador usa?' });
    // H: closed, not in the queue
    await importTicket('H', { reportedPriority: 'high' });
    await cmd(ids.H, 'close', { reason: 'resolved', resolution: 'ok' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('orders open work by response deadline, then priority; answered then awaiting-customer work follows; closed tickets leave', async () => {
    const q = await queue();
    expect(names(q.items)).toEqual(['D', 'A', 'B', 'C', 'E', 'G', 'F']);
    expect(q.items.slice(1, 4).map((i) => i.responseDueAt)).toEqual(Array(3).fill('2026-11-19T16:00:00.000Z'));
    expect(q.items.map((i) => i.breached)).toEqual([true, false, false, false, false, false, false]);
    expect(q.nextCursor).toBeNull();
  });

  it('filters by breached, department, assignee, priority and status', async () => {
    expect(names((await queue('?breached=true')).items)).toEqual(['D']);
    expect(names((await queue('?breached=false')).items)).toEqual(['A', 'B', 'C', 'E', 'G', 'F']);
    expect(names((await queue('?department=billing')).items)).toEqual(['E']);
    expect(names((await queue('?assigneeId=luis')).items)).toEqual(['E']);
    expect(names((await queue('?priority=high')).items)).toEqual(['D', 'A', 'G']);
    expect(names((await queue('?status=awaiting-customer')).items)).toEqual(['F']);
    expect(names((await queue('?status=open')).items)).toEqual(['D', 'A', 'B', 'C', 'E', 'G']);
    expect(names((await queue('?status=open&priority=low')).items)).toEqual(['C']);
    const bad = await t.http.get('/api/queue?priority=urgent').set(agent()).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('priority');
    await t.http.get('/api/queue?status=closed').set(agent()).expect(400);
  });

  it('pages by cursor with no gap and no duplicate', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Array<{ ticketId: string }>; nextCursor: string | null } = await queue(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...names(page.items));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(['D', 'A', 'B', 'C', 'E', 'G', 'F']);

    // a filtered page keeps the filter's order too
    const p1 = await queue('?breached=false&limit=3');
    const p2 = await queue(`?breached=false&limit=3&cursor=${encodeURIComponent(p1.nextCursor!)}`);
    expect([...names(p1.items), ...names(p2.items)]).toEqual(['A', 'B', 'C', 'E', 'G', 'F']);
    // a cursor this query did not return: well-formed (base64url), unusable
    expect((await t.http.get('/api/queue?cursor=garbage').set(agent()).expect(422)).body.code).toBe('invalid-cursor');
    expect((await t.http.get('/api/queue?cursor=not%20a%20cursor').set(agent()).expect(400)).body.errors[0].path).toBe('cursor');
  });

  it('ticketIds: only those tickets, as the filtered queue shows them, in its order; malformed is 400 naming the field', async () => {
    const pick = (...n: string[]) => n.map((k) => ids[k]).join(',');
    expect(names((await queue(`?ticketIds=${pick('F', 'A', 'D')}`)).items)).toEqual(['D', 'A', 'F']);
    // under the other filters: F waits on the customer, so the open queue leaves it out; an unknown id is simply absent
    expect(names((await queue(`?status=open&ticketIds=${pick('F', 'A', 'D')},${randomUUID()}`)).items)).toEqual(['D', 'A']);
    const both = (await queue(`?ticketIds=${pick('A', 'B')}`)).items as unknown as Array<{ ticketId: string; queueKey: string }>;
    expect(both.map((i) => `${i.queueKey} ${i.ticketId}`)).toEqual(both.map((i) => `${i.queueKey} ${i.ticketId}`).sort());
    for (const bad of ['not-a-uuid', `${ids.A},`, `${ids.A};${ids.B}`, Array.from({ length: 201 }, () => randomUUID()).join(',')]) {
      const r = await t.http.get(`/api/queue?ticketIds=${encodeURIComponent(bad)}`).set(agent()).expect(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['ticketIds']);
    }
  });

  it('moves a ticket when a classification changes its deadline', async () => {
    // C (low, due Thu 10:00 local) raised to high: due received + 24 business-day hours = Mon 16 is a holiday -> Tue 17 10:00, past due
    await cmd(ids.C, 'classification', { priority: 'high' });
    const q = await queue();
    expect(names(q.items)).toEqual(['C', 'D', 'A', 'B', 'E', 'G', 'F']);
    expect(q.items[0]).toMatchObject({ responseDueAt: '2026-11-17T16:00:00.000Z', breached: true });
  });

  it('is for agents and supervisors only: customer, auditor and finance get 403', async () => {
    await queue('', t.auth('sofia', ['supervisor']));
    const r = await t.http.get('/api/queue').set(t.auth('maria', ['customer'], customerId)).expect(403);
    expect(r.body.code).toBe('forbidden');
    await t.http.get('/api/queue').set(t.auth('aud', ['auditor'])).expect(403);
    await t.http.get('/api/queue').set(t.auth('fin', ['finance'])).expect(403);
    await t.http.get('/api/queue').expect(401);
  });
});
