import { randomUUID } from 'crypto';
import { AddressInfo } from 'net';
import { allProjections, Projector } from '@helpdesk/projections';
import { LiveUpdates } from '../../apps/api/src/live/live-updates';
import { Shutdown } from '../../apps/api/src/infrastructure/shutdown';
import { SseClient } from '../support/sse';
import { TEST_SECRET, TestApp, startTestApp } from '../support/test-app';
import { signToken } from '../../apps/api/src/http/auth';
import { anonymous, invited, setUpAdmin, signIn, tokenOf } from '../support/identity';
import { passwordResetLink, type CredentialStore } from '@helpdesk/identity';
import { CREDENTIAL_STORE } from '../../apps/api/src/infrastructure/tokens';
import { IdentityService } from '../../apps/api/src/identity/identity.service';

type Change = ReturnType<SseClient['changes']>[number];
const parse = (data: string) => JSON.parse(data) as Change;

async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

describe('live updates: GET /api/events/stream (embedded stores, in-process projector)', () => {
  let t: TestApp;
  let base: string;
  let acme: string;
  let globex: string;
  const open: SseClient[] = [];
  const connect = async (headers: Record<string, string>, query = '') => {
    const s = await SseClient.open(`${base}/api/events/stream${query}`, headers);
    open.push(s);
    return s;
  };
  const newTicket = async (customerId: string) =>
    (
      await t.http
        .post('/api/tickets')
        .set(t.auth('ana', ['agent']))
        .send({ customerId, department: 'support', subject: `Caso ${randomUUID()}`, description: 'x' })
        .expect(201)
    ).body as { ticketId: string; position: number };

  beforeAll(async () => {
    t = await startTestApp({ env: { LIVE_HEARTBEAT_MS: '200' } });
    base = await listen(t);
    acme = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Acme' }).expect(201)).body.customerId;
    globex = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Globex' }).expect(201)).body.customerId;
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(async () => {
    await t.close();
  });

  it('starts with ready at the position the views include, then pushes each change with its position once the views include it', async () => {
    const agent = await connect(t.auth('ana', ['agent']));
    expect(agent.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const ready = await agent.next((e) => e.event === 'ready');
    expect(JSON.parse(ready.data).position).toBe(Number(await t.events.headPosition()));
    const opened = await newTicket(acme);
    const change = await agent.next((e) => e.event === 'change' && parse(e.data).ticketId === opened.ticketId);
    expect(parse(change.data)).toEqual({
      position: opened.position,
      type: 'TicketOpened',
      streamId: `ticket-${opened.ticketId}`,
      ticketId: opened.ticketId,
      customerId: acme,
      policyId: null,
      userId: null,
    });
    expect(change.id).toBe(String(opened.position));
    // the read model already has it: no X-Min-Position needed
    await t.http.get(`/api/tickets/${opened.ticketId}`).set(t.auth('ana', ['agent'])).expect(200);
    const queue = (await t.http.get('/api/queue').set(t.auth('ana', ['agent'])).expect(200)).body;
    expect(queue.items.map((i: { ticketId: string }) => i.ticketId)).toContain(opened.ticketId);
  });

  it("a customer sees only its own customer's changes; an internal note only as a bare TicketChanged", async () => {
    const carla = await connect(t.auth('carla', ['customer'], acme));
    const gina = await connect(t.auth('gina', ['customer'], globex));
    const staff = await connect(t.auth('ana', ['agent']));
    await Promise.all([carla, gina, staff].map((s) => s.next((e) => e.event === 'ready')));
    const mine = await newTicket(acme);
    const theirs = await newTicket(globex);
    const note = await t.http.post(`/api/tickets/${mine.ticketId}/messages`).set(t.auth('ana', ['agent'])).send({ body: 'Secreto interno', visibility: 'internal' }).expect(201);
    const renamed = await t.http.post(`/api/customers/${globex}/suspension`).set(t.auth('sofia', ['supervisor'])).send({ reason: 'other', detail: 'x' }).expect(200);
    await staff.next((e) => e.event === 'change' && parse(e.data).position === renamed.body.position);
    const bare = await carla.next((e) => e.event === 'change' && parse(e.data).position === note.body.position);
    expect(parse(bare.data)).toEqual({ position: note.body.position, type: 'TicketChanged', streamId: `ticket-${mine.ticketId}`, ticketId: mine.ticketId, customerId: acme, policyId: null, userId: null });
    expect(bare.data).not.toContain('Secreto');
    expect(carla.changes().map((c) => c.position)).toEqual([mine.position, note.body.position]);
    await gina.next((e) => e.event === 'change' && parse(e.data).position === renamed.body.position);
    expect(gina.changes().map((c) => c.ticketId ?? c.streamId)).toEqual([theirs.ticketId, `customer-${globex}`]);
    expect(staff.changes().find((c) => c.position === note.body.position)?.type).toBe('MessagePosted');
  });

  it('resumes after Last-Event-ID (or ?lastEventId=) with what was missed, replayed from the log, in scope', async () => {
    const first = await newTicket(acme);
    const missed1 = await t.http.post(`/api/tickets/${first.ticketId}/messages`).set(t.auth('ana', ['agent'])).send({ body: 'Hola', visibility: 'public' }).expect(201);
    const initech = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Initech' }).expect(201)).body.customerId;
    const other = await newTicket(initech);
    const missed2 = await newTicket(acme);
    const resumed = await connect({ ...t.auth('carla', ['customer'], acme), 'Last-Event-ID': String(first.position) });
    const ready = await resumed.next((e) => e.event === 'ready');
    expect(JSON.parse(ready.data).position).toBeGreaterThanOrEqual(missed2.position);
    await resumed.next((e) => e.event === 'change' && parse(e.data).position === missed2.position);
    // the message and the response it recorded, then the other ticket of acme (the new customer's registration, its ticket and the topic claims are not acme's)
    expect(resumed.changes().map((c) => [c.position, c.type])).toEqual([
      [missed1.body.position - 1, 'MessagePosted'],
      [missed1.body.position, 'ResponseRecorded'],
      [missed2.position, 'TicketOpened'],
    ]);
    expect(resumed.changes().some((c) => c.ticketId === other.ticketId)).toBe(false);
    // then live
    const live = await newTicket(acme);
    await resumed.next((e) => e.event === 'change' && parse(e.data).position === live.position);
    const byQuery = await connect(t.auth('ana', ['agent']), `?lastEventId=${missed2.position - 1}`);
    await byQuery.next((e) => e.event === 'change' && parse(e.data).position === missed2.position);
    expect(byQuery.changes()[0].position).toBe(missed2.position);
  });

  it('a stream ends with its credential: a bearer token at its expiry, a session when signed out', async () => {
    const shortLived = await connect({ Authorization: `Bearer ${signToken(TEST_SECRET, 'ana', ['agent'], undefined, '2s')}` });
    await shortLived.next((e) => e.event === 'ready');
    const admin = await setUpAdmin(t);
    const bySession = await connect({ Cookie: admin.cookie });
    await bySession.next((e) => e.event === 'ready');
    const opened = await newTicket(acme);
    await bySession.next((e) => e.event === 'change' && parse(e.data).position === opened.position);
    await admin.post('/api/auth/sign-out').expect(204);
    const until = Date.now() + 4000;
    while ((!shortLived.ended || !bySession.ended) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect([shortLived.ended, bySession.ended]).toEqual([true, true]);
    await expect(SseClient.open(`${base}/api/events/stream`, { Cookie: admin.cookie })).rejects.toMatchObject({ status: 401 });
  });

  it('other kinds of events (notifications, later) reach only the streams of the principals they are for', async () => {
    const carla = await connect(t.auth('carla', ['customer'], acme));
    const ana = await connect(t.auth('ana', ['agent']));
    await Promise.all([carla, ana].map((s) => s.next((e) => e.event === 'ready')));
    expect(t.app.get(LiveUpdates).sendTo((a) => a.id === 'carla', 'notification', { notificationId: 'n-1' })).toBe(1);
    const n = await carla.next((e) => e.event === 'notification');
    expect([n.id, JSON.parse(n.data)]).toEqual([null, { notificationId: 'n-1' }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(ana.events.some((e) => e.event === 'notification')).toBe(false);
    expect(() => t.app.get(LiveUpdates).sendTo(() => true, 'change', {})).toThrow(TypeError);
  });

  it('sends a heartbeat comment', async () => {
    const s = await connect(t.auth('ana', ['agent']));
    const deadline = Date.now() + 3000;
    while (!s.comments.includes('hb') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(s.comments).toContain('hb');
  });

  it('refuses without a session or token (401) and a malformed Last-Event-ID (400 naming it)', async () => {
    await expect(SseClient.open(`${base}/api/events/stream`)).rejects.toMatchObject({ status: 401 });
    const bad = await SseClient.open(`${base}/api/events/stream`, { ...t.auth('ana', ['agent']), 'Last-Event-ID': 'abc' }).catch((e) => e);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).errors[0].path).toBe('header Last-Event-ID');
    const q = await SseClient.open(`${base}/api/events/stream?lastEventId=-1`, t.auth('ana', ['agent'])).catch((e) => e);
    expect(JSON.parse(q.body).errors[0].path).toBe('lastEventId');
  });

  it('the OpenAPI document declares the stream, its header and statuses', async () => {
    const doc = (await t.http.get('/api/openapi.json').expect(200)).body;
    const op = doc.paths['/api/events/stream'].get;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '429', '503']);
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/event-stream']);
    expect(op.parameters.find((p: { name: string }) => p.name === 'Last-Event-ID').schema.pattern).toBe('^\\d{1,19}$');
  });

  it('ends every stream as soon as shutdown begins (SIGTERM) and refuses new ones with 503 shutting-down', async () => {
    const other = await startTestApp({});
    try {
      const url = await listen(other);
      const s = await SseClient.open(`${url}/api/events/stream`, other.auth('ana', ['agent']));
      await s.next((e) => e.event === 'ready');
      other.app.get(Shutdown).begin();
      const deadline = Date.now() + 3000;
      while (!s.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(s.ended).toBe(true);
      const refused = await SseClient.open(`${url}/api/events/stream`, other.auth('ana', ['agent'])).catch((e) => e);
      expect([refused.status, JSON.parse(refused.body).code, refused.headers['retry-after']]).toEqual([503, 'shutting-down', '1']);
    } finally {
      await other.close();
    }
  });

  it('ends every stream cleanly when the server shuts down', async () => {
    const other = await startTestApp({});
    const url = await listen(other);
    const s = await SseClient.open(`${url}/api/events/stream`, other.auth('ana', ['agent']));
    await s.next((e) => e.event === 'ready');
    await other.close();
    const deadline = Date.now() + 3000;
    while (!s.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(s.ended).toBe(true);
  });
});

/**
 * A session's stream ends when the session does, not only at its next request: with a heartbeat
 * so long it never beats during the test, what ends the streams is the API seeing the
 * sign-out or revocation in the log; at every heartbeat, the session is checked in the store.
 */
describe('live updates: a revoked session ends its open streams', () => {
  let t: TestApp;
  let base: string;
  const open: SseClient[] = [];
  const stream = async (cookie: string) => {
    const s = await SseClient.open(`${base}/api/events/stream`, { Cookie: cookie });
    open.push(s);
    await s.next((e) => e.event === 'ready');
    return s;
  };
  const endedSoon = async (...streams: SseClient[]) => {
    const until = Date.now() + 5000;
    while (streams.some((s) => !s.ended) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    return streams.map((s) => s.ended);
  };
  beforeAll(async () => {
    t = await startTestApp({ env: { LIVE_HEARTBEAT_MS: '300000' } });
    base = await listen(t);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(async () => {
    await t.close();
  });

  it('deactivation, a role change, a password reset and a sign-out end the streams of exactly the sessions they end', async () => {
    const admin = await setUpAdmin(t);
    const fer = await invited(t, admin, { email: 'fer@mesa.example.mx', name: 'Fer', kind: 'staff', roles: ['agent'] });
    const gabo = await invited(t, admin, { email: 'gabo@mesa.example.mx', name: 'Gabo', kind: 'staff', roles: ['agent'] });
    const ida = await invited(t, admin, { email: 'ida@mesa.example.mx', name: 'Ida', kind: 'staff', roles: ['agent'] });
    const carla = await invited(t, admin, { email: 'carla@acme.example.mx', name: 'Carla', kind: 'contact', customerId: (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Acme' }).expect(201)).body.customerId, approver: true });
    const adminStream = await stream(admin.cookie);
    const idaOther = await signIn(t, 'ida@mesa.example.mx');
    const [fer1, fer2, gaboS, idaS, idaOtherS, carlaS] = [await stream(fer.cookie), await stream(fer.cookie), await stream(gabo.cookie), await stream(ida.cookie), await stream(idaOther.cookie), await stream(carla.cookie)];

    // deactivation: both streams of fer's session, nobody else's
    await admin.post(`/api/users/${fer.userId}/deactivation`, { reason: 'dejó la empresa' }).expect(200);
    expect(await endedSoon(fer1, fer2)).toEqual([true, true]);
    // a change of roles
    await admin.post(`/api/users/${gabo.userId}/roles`, { roles: ['agent', 'finance'], reason: 'apoya a cobranza' }).expect(200);
    expect(await endedSoon(gaboS)).toEqual([true]);
    // a change of a contact's approver right
    await admin.post(`/api/users/${carla.userId}/approver`, { approver: false, reason: 'ya no autoriza' }).expect(200);
    expect(await endedSoon(carlaS)).toEqual([true]);
    // a password reset ends every session of the person
    const from = await t.events.headPosition();
    await anonymous(t).post('/api/auth/password-reset').send({ email: 'ida@mesa.example.mx' }).expect(202);
    await t.app.get(IdentityService).settle();
    const requested = (await t.events.readStream(`user-${ida.userId}`)).filter((e) => e.type === 'PasswordResetRequested' && e.position > from);
    const link = passwordResetLink('http://localhost:3000', TEST_SECRET, ida.userId, String(requested[requested.length - 1].data.requestId));
    await anonymous(t).post('/api/auth/password-reset/complete').send({ token: tokenOf(link), password: 'otra frase nueva y larga' }).expect(204);
    expect(await endedSoon(idaS, idaOtherS)).toEqual([true, true]);
    // the administrator's stream went on through all of it, and ends with the sign-out
    expect(adminStream.ended).toBe(false);
    await admin.post('/api/auth/sign-out').expect(204);
    expect(await endedSoon(adminStream)).toEqual([true]);
  });

  it('a session ended without a record in the log (idle, or removed from the store) ends its stream at the next heartbeat', async () => {
    const other = await startTestApp({ env: { LIVE_HEARTBEAT_MS: '200' } });
    try {
      const url = await listen(other);
      const admin = await setUpAdmin(other);
      const s = await SseClient.open(`${url}/api/events/stream`, { Cookie: admin.cookie });
      open.push(s);
      await s.next((e) => e.event === 'ready');
      const keep = await SseClient.open(`${url}/api/events/stream`, other.auth('ana', ['agent']));
      open.push(keep);
      await keep.next((e) => e.event === 'ready');
      await new Promise((r) => setTimeout(r, 500));
      expect(s.ended).toBe(false);
      const credentials = other.app.get<symbol, CredentialStore>(CREDENTIAL_STORE);
      expect(await credentials.deleteSessionsOf(admin.me.id)).toBe(1);
      expect(await endedSoon(s)).toEqual([true]);
      expect(keep.ended).toBe(false);
    } finally {
      await other.close();
    }
  });
});

describe('live updates with PROJECTOR=external: the API follows the log itself and waits for the projector app', () => {
  let t: TestApp;
  let base: string;
  let projector: Projector;

  beforeAll(async () => {
    t = await startTestApp({ env: { PROJECTOR: 'external', MIN_POSITION_WAIT_MS: '300' } });
    base = await listen(t);
    // the projector app's work, in this process but apart from the API: the same projections on the same stores
    projector = new Projector(t.events, t.views, allProjections());
  });
  afterAll(async () => {
    await projector.stop();
    await t.close();
  });

  it('answers 503 read-model-behind while the views lack what the log has, then streams changes once projected', async () => {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ customerId, name: 'Acme' }).expect(201);
    // the API started with an empty log: it streams; but the customer registration is not in the views yet
    const s = await SseClient.open(`${base}/api/events/stream`, t.auth('ana', ['agent']));
    await s.next((e) => e.event === 'ready');
    const opened = (
      await t.http.post('/api/tickets').set(t.auth('ana', ['agent'])).send({ customerId, department: 'support', subject: `x ${randomUUID()}`, description: 'x' }).expect(201)
    ).body;
    await new Promise((r) => setTimeout(r, 300));
    expect(s.changes()).toEqual([]); // not projected: not pushed
    await projector.start();
    const change = await s.next((e) => e.event === 'change' && parse(e.data).position === opened.position);
    expect(parse(change.data)).toMatchObject({ type: 'TicketOpened', customerId });
    expect(s.changes().map((c) => c.type)).toEqual(['CustomerRegistered', 'TopicClaimed', 'TicketOpened']);
    await t.http.get(`/api/tickets/${opened.ticketId}`).set(t.auth('ana', ['agent'])).expect(200);
    s.close();
  });

  it('a fresh API instance over a log the views lag behind waits (503) instead of streaming unprojected changes', async () => {
    await projector.stop();
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ customerId, name: 'Later' }).expect(201);
    const second = new LiveUpdates(t.events, t.views, new (await import('../../apps/api/src/infrastructure/read-position')).PolledReadPosition(t.views, allProjections().map((p) => p.name)), { heartbeatMs: 1000 });
    await second.start();
    await expect(second.ready(200)).rejects.toThrow(/have not reached position/);
    await projector.start();
    await expect(second.ready(3000)).resolves.toBeUndefined();
    await second.stop();
  });
});
