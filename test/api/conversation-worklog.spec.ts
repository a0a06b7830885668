import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * GET /api/tickets/{id}/conversation, and the work-log figures of the ticket detail that let a
 * form refuse with the API's own reason (impera; clock Monday 2026-11-16 10:00 Mexico City).
 */
describe('ticket conversation and work-log support data', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const customer = (customerId: string, id = 'carla') => t.auth(id, ['customer'], customerId);
  let head = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const track = <R extends { body: any }>(r: R): R => {
    head = Math.max(head, r.body.position ?? 0);
    return r;
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-16T16:00:00.000Z' });
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => t.clock.set('2026-11-16T16:00:00.000Z'));

  async function newCustomer(name: string): Promise<string> {
    return track(await t.http.post('/api/customers').set(admin()).send({ name }).expect(201)).body.customerId;
  }
  async function openAsCustomer(customerId: string): Promise<string> {
    const r = track(
      await t.http
        .post('/api/tickets')
        .set(customer(customerId))
        .send({ department: 'support', subject: `Caso ${randomUUID()}`, description: 'El sitio responde 503 desde dos equipos.' })
        .expect(201),
    );
    return r.body.ticketId;
  }
  const post = async (ticketId: string, what: string, body: Record<string, unknown>, auth = agent(), status = 201) =>
    track(await t.http.post(`/api/tickets/${ticketId}/${what}`).set(auth).send(body).expect(status));
  const detail = async (ticketId: string, auth = agent()) =>
    (await t.http.get(`/api/tickets/${ticketId}`).set(auth).set('X-Min-Position', String(head)).expect(200)).body;

  describe('conversation', () => {
    let customerId: string;
    let ticketId: string;
    beforeAll(async () => {
      customerId = await newCustomer('Hoteles del Bajío');
      ticketId = await openAsCustomer(customerId);
      await post(ticketId, 'messages', { body: 'Estamos revisando el balanceador.', visibility: 'public' });
      await post(ticketId, 'messages', { body: 'Nota: el cliente tiene el DNS en otro proveedor.', visibility: 'internal' });
      await post(ticketId, 'awaiting-customer', { question: '¿Desde qué red se conecta?' }, agent(), 200);
      t.clock.advanceMinutes(30);
      await post(ticketId, 'messages', { body: 'Desde la red de la oficina.', visibility: 'public' }, customer(customerId));
      await t.views.ensureCollections([{ name: 'users', indexes: [] }]);
      await t.views.applyBatch([{ kind: 'put', collection: 'users', doc: { _id: 'ana', userId: 'ana', name: 'Ana Pérez', _pos: 1 } }]);
    });

    it('staff read every item in order: the opening, replies, internal notes, the question, with authors', async () => {
      const c = (await t.http.get(`/api/tickets/${ticketId}/conversation`).set(agent()).expect(200)).body;
      expect(c.ticketId).toBe(ticketId);
      expect(c.items.map((i: { kind: string; visibility: string; authorKind: string }) => [i.kind, i.visibility, i.authorKind])).toEqual([
        ['opened', 'public', 'customer'],
        ['message', 'public', 'staff'],
        ['message', 'internal', 'staff'],
        ['question', 'public', 'staff'],
        ['message', 'public', 'customer'],
      ]);
      expect(c.items[0]).toMatchObject({ authorId: 'carla', authorName: null, body: 'El sitio responde 503 desde dos equipos.', attachments: [], postedAt: '2026-11-16T16:00:00.000Z' });
      expect(c.items[1]).toMatchObject({ authorId: 'ana', authorName: 'Ana Pérez', body: 'Estamos revisando el balanceador.' });
      expect(c.items[3].body).toBe('¿Desde qué red se conecta?');
      expect(c.items[4].postedAt).toBe('2026-11-16T16:30:00.000Z');
      const positions = c.items.map((i: { position: number }) => i.position);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    });

    it('the customer never sees internal notes; another customer and unknown tickets are 404', async () => {
      const c = (await t.http.get(`/api/tickets/${ticketId}/conversation`).set(customer(customerId)).expect(200)).body;
      expect(c.items.map((i: { kind: string }) => i.kind)).toEqual(['opened', 'message', 'question', 'message']);
      expect(JSON.stringify(c)).not.toContain('DNS en otro proveedor');
      const other = await newCustomer('Otra empresa');
      expect((await t.http.get(`/api/tickets/${ticketId}/conversation`).set(customer(other, 'olga')).expect(404)).body.code).toBe('not-found');
      await t.http.get(`/api/tickets/${randomUUID()}/conversation`).set(agent()).expect(404);
      await t.http.get(`/api/tickets/${ticketId}/conversation`).expect(401);
    });
  });

  describe('work-log limits in the ticket detail', () => {
    const logWork = (ticketId: string, minutes: number, extra: Record<string, unknown> = {}) =>
      t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).send({ minutes, workedOn: '2026-11-16', description: 'Revisión del DNS', ...extra });
    async function authorize(ticketId: string, customerId: string, body: Record<string, unknown>): Promise<string> {
      const q = await post(ticketId, 'quotes', { description: 'Revisión', ...body });
      await post(ticketId, `quotes/${q.body.quoteId}/authorization`, { decision: 'accept', ...(body.purchaseOrderRequired ? { purchaseOrder: 'OC-1' } : {}) }, customer(customerId), 200);
      return q.body.quoteId;
    }
    async function newPolicy(customerId: string) {
      return track(await t.http.post('/api/policies').set(admin()).send({ customerId, plan: 'basic', startsOn: '2026-01-15' }).expect(201)).body.policyId as string;
    }

    it('shows minutes left per authorization and on its policy, and the refusal the API gives, before and after logging', async () => {
      const customerId = await newCustomer('Minutos S.A.');
      const policyId = await newPolicy(customerId);
      const ticketId = await openAsCustomer(customerId);
      let d = await detail(ticketId);
      expect(d.workLog).toEqual({ refusal: 'authorization-required', authorizations: [] });
      const estimate = await authorize(ticketId, customerId, { kind: 'policy-estimate', minutes: 120 });
      d = await detail(ticketId);
      expect(d.workLog.refusal).toBeNull();
      expect(d.workLog.authorizations).toEqual([
        {
          authorizationId: estimate,
          quoteId: estimate,
          kind: 'policy-estimate',
          minutesAuthorized: 120,
          minutesLogged: 0,
          minutesLeft: 120,
          policy: { policyId, status: 'active', minutesRemaining: 300, facilityMinutesLeft: 0, onSiteMinutesLeft: 0, validFrom: '2026-01-15', validUntil: '2027-01-14' },
          maxMinutes: 120,
          refusal: null,
        },
      ]);
      expect(d.authorizations[0].minutesLeft).toBe(120);
      track(await logWork(ticketId, 100).expect(201));
      d = await detail(ticketId);
      expect(d.workLog.authorizations[0]).toMatchObject({ minutesLogged: 100, minutesLeft: 20, maxMinutes: 20, refusal: null, policy: { minutesRemaining: 200 } });
      // the form refuses 21 minutes with exceeds-authorization: so does the API
      expect((await logWork(ticketId, d.workLog.authorizations[0].maxMinutes + 1).expect(422)).body.code).toBe('exceeds-authorization');
      // a per-event authorization beside it: no policy, its own minutes
      const perEvent = await authorize(ticketId, customerId, { kind: 'per-event', minutes: 60, hourlyRateMinor: 90000, currency: 'MXN' });
      d = await detail(ticketId);
      expect(d.workLog.authorizations[1]).toMatchObject({ authorizationId: perEvent, kind: 'per-event', policy: null, minutesLeft: 60, maxMinutes: 60, refusal: null });
      // customers see the authorizations' minutes left, not the staff work-log figures
      const mine = await detail(ticketId, customer(customerId));
      expect(mine.workLog).toBeNull();
      expect(mine.authorizations.map((a: { minutesLeft: number }) => a.minutesLeft)).toEqual([20, 60]);
    });

    it('an exhausted policy: insufficient-balance; an expired one: policy-expired, as the API answers', async () => {
      const customerId = await newCustomer('Saldo Cero');
      await newPolicy(customerId);
      const first = await openAsCustomer(customerId);
      const a1 = await authorize(first, customerId, { kind: 'policy-estimate', minutes: 200 });
      const second = await openAsCustomer(customerId);
      await authorize(second, customerId, { kind: 'policy-estimate', minutes: 150 });
      track(await logWork(second, 150).expect(201));
      track(await logWork(first, 140).expect(201)); // 290 of 300 used
      let d = await detail(first);
      expect(d.workLog.authorizations[0]).toMatchObject({ authorizationId: a1, minutesLeft: 60, maxMinutes: 10, refusal: null, policy: { minutesRemaining: 10, status: 'active' } });
      expect((await logWork(first, 11).expect(422)).body.code).toBe('insufficient-balance');
      track(await logWork(first, 10).expect(201));
      d = await detail(first);
      expect(d.workLog).toMatchObject({ refusal: 'insufficient-balance', authorizations: [{ maxMinutes: 0, refusal: 'insufficient-balance', policy: { status: 'exhausted', minutesRemaining: 0 } }] });
      expect((await logWork(first, 1).expect(422)).body.code).toBe('insufficient-balance');

      const later = await newCustomer('Vencida S.A.');
      await newPolicy(later);
      const ticket = await openAsCustomer(later);
      await authorize(ticket, later, { kind: 'policy-estimate', minutes: 60 });
      t.clock.set('2027-01-20T16:00:00.000Z');
      d = await detail(ticket);
      expect(d.workLog).toMatchObject({ refusal: 'policy-expired', authorizations: [{ minutesLeft: 60, maxMinutes: 0, refusal: 'policy-expired', policy: { status: 'expired' } }] });
      expect((await logWork(ticket, 1, { workedOn: '2027-01-20' }).expect(422)).body.code).toBe('policy-expired');
    });
  });
});
