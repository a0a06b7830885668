import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
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

  it('npm run rebuild -- all, in its own process (writer thread, projection worker) while the API serves, gives the same read models', async () => {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Textiles de Puebla' }).expect(201);
    const customer = t.auth('lucia', ['customer'], customerId);
    const policyId = (await t.http.post('/api/policies').set(admin()).send({ customerId, plan: 'business', startsOn: '2026-11-01' }).expect(201)).body.policyId;
    let last = 0;
    for (let i = 0; i < 6; i++) {
      const { ticketId } = await openTicket(customerId, `Impresora ${i}`);
      const quoteId = randomUUID();
      await t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ quoteId, kind: 'policy-estimate', minutes: 60, description: 'estimado' }).expect(201);
      const decision = i % 3 === 0 ? 'decline' : 'accept';
      const answered = await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(customer).send({ decision }).expect(200);
      last = answered.body.position;
      if (decision === 'accept') {
        const logged = await t.http
          .post(`/api/tickets/${ticketId}/work-logs`)
          .set(agent())
          .send({ authorizationId: quoteId, minutes: 30, workedOn: '2026-11-16', description: 'revisión' });
        expect(logged.status).toBe(201);
        last = logged.body.position;
      }
    }
    await t.caughtUp(last);
    const collections = allProjections().flatMap((p) => p.collections.map((c) => c.name));
    const snapshot = async () =>
      Object.fromEntries(
        await Promise.all(collections.map(async (c) => [c, (await t.views.find(c, { sort: [['_id', 1]], limit: 10_000 })).map(({ _pos, ...d }) => d)])),
      );
    const before = await snapshot();
    expect(before.billed.length).toBeGreaterThan(0);
    expect(before.policies.map((p: { _id: string }) => p._id)).toContain(policyId);

    const root = path.resolve(__dirname, '../..');
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('npm', ['run', '--silent', 'rebuild', '--', 'all'], {
        cwd: root,
        env: { ...process.env, DATA_DIR: t.dataDir, EVENT_STORE: 'sqlite', READ_STORE: 'embedded' },
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`rebuild exited ${code}: ${out}`))));
    });
    expect(output).toMatch(/switched over at position \d+/);
    // the API's own connection notices the swapped tables and reads the rebuilt ones
    expect(await snapshot()).toEqual(before);
    expect((await t.views.listCollections()).filter((c) => c.endsWith('__rebuild'))).toEqual([]);
    const opened = await openTicket(customerId, 'Después del rebuild en otro proceso');
    await t.http.get(`/api/tickets/${opened.ticketId}`).set(agent()).set('X-Min-Position', String(opened.position)).expect(200);
  }, 120_000);
});
