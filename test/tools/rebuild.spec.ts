import { randomUUID } from 'crypto';
import { allProjections, rebuildProjections } from '@helpdesk/projections';
import { TestApp, startTestApp } from '../support/test-app';

/** Rebuild without downtime: fresh copies beside the live ones, swapped in, the live projector carries on. */
describe('npm run rebuild: rebuild beside the live read models, then switch over', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function openTicket(customerId: string, subject: string) {
    const r = await t.http.post('/api/tickets').set(agent()).send({ customerId, department: 'support', subject, description: 'no carga' }).expect(201);
    return r.body as { ticketId: string; position: number };
  }

  it('yields the same documents as the live projector and keeps projecting after the swap', async () => {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Hoteles del Bajío' }).expect(201);
    let last = 0;
    for (let i = 0; i < 20; i++) {
      const opened = await openTicket(customerId, `Caso ${i}`);
      const c = await t.http.post(`/api/tickets/${opened.ticketId}/assignment`).set(agent()).send({ assigneeId: `agent-${i % 3}` }).expect(200);
      last = c.body.position;
    }
    await t.caughtUp(last);
    const before = (await t.views.find('tickets', { sort: [['_id', 1]], limit: 1000 })).map(({ _pos, ...d }) => d);
    expect(before).toHaveLength(20);

    const progress: number[] = [];
    const result = await rebuildProjections(t.events, t.views, allProjections(), {
      pageSize: 7,
      progressEveryMs: 0,
      onProgress: (p) => progress.push(p.eventsDone),
    });
    expect(result.position).toBe(await t.events.headPosition());
    expect(progress.length).toBeGreaterThan(1);
    const after = (await t.views.find('tickets', { sort: [['_id', 1]], limit: 1000 })).map(({ _pos, ...d }) => d);
    expect(after).toEqual(before);
    expect(await t.views.listCollections()).not.toContain('tickets__rebuild');

    // the live projector resumes from the swapped checkpoint: a new command shows up
    const opened = await openTicket(customerId, 'Después del rebuild');
    const r = await t.http.get(`/api/tickets/${opened.ticketId}`).set(agent()).set('X-Min-Position', String(opened.position)).expect(200);
    expect(r.body.subject).toBe('Después del rebuild');
    expect(await t.views.count('tickets')).toBe(21);
  });
});
