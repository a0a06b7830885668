import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * The money path over HTTP: customers, policies and their balances, quotes and estimates,
 * the customer's authorization, work logs deducted from policies or charged per event, the
 * authorization audit and the billed-minutes report (JSON and CSV).
 */
describe('money path: policies, quotes, authorizations, work logs, audit, billing', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);
  const agent = () => t.auth('ana', ['agent']);
  const finance = () => t.auth('fina', ['finance']);
  const auditor = () => t.auth('audi', ['auditor']);
  const customer = (customerId: string) => t.auth(`cli-${customerId.slice(0, 4)}`, ['customer'], customerId);

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-16T16:00:00.000Z' });
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    t.clock.set('2026-11-16T16:00:00.000Z');
  });

  /** GET with read-your-writes */
  const read = (path: string, auth: Record<string, string>, position: number) =>
    t.http.get(path).set(auth).set('X-Min-Position', String(position));

  async function newCustomer(name = 'Hoteles del Bajío'): Promise<string> {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(admin()).send({ customerId, name }).expect(201);
    return customerId;
  }

  async function newPolicy(customerId: string, body: Record<string, unknown> = {}): Promise<{ policyId: string; position: number }> {
    const r = await t.http
      .post('/api/policies')
      .set(admin())
      .send({ customerId, plan: 'basic', startsOn: '2026-01-15', ...body })
      .expect(201);
    return r.body;
  }

  async function openTicket(customerId: string, subject = `Caso ${randomUUID().slice(0, 8)}`): Promise<string> {
    const r = await t.http.post('/api/tickets').set(agent()).send({ customerId, department: 'support', subject, description: 'El sitio no carga' }).expect(201);
    return r.body.ticketId;
  }

  function quote(ticketId: string, body: Record<string, unknown>) {
    return t.http.post(`/api/tickets/${ticketId}/quotes`).set(agent()).send({ description: 'Revisión', ...body });
  }

  /** issues a quote and has the customer accept it; answers the quote (= authorization) id */
  async function authorized(ticketId: string, customerId: string, body: Record<string, unknown>): Promise<string> {
    const q = await quote(ticketId, body).expect(201);
    await t.http
      .post(`/api/tickets/${ticketId}/quotes/${q.body.quoteId}/authorization`)
      .set(customer(customerId))
      .send({ decision: 'accept', ...(body.purchaseOrderRequired ? { purchaseOrder: 'OC-1' } : {}) })
      .expect(200);
    return q.body.quoteId;
  }

  const logWork = (ticketId: string, body: Record<string, unknown>) =>
    t.http.post(`/api/tickets/${ticketId}/work-logs`).set(agent()).send({ workedOn: '2026-11-16', description: 'Revisión del DNS', ...body });

  async function minutesDeductedIn(policyId: string): Promise<number> {
    const events = await t.events.readStream(`policy-${policyId}`);
    return events.filter((e) => e.type === 'MinutesDeducted').reduce((s, e) => s + (e.data.minutes as number), 0);
  }

  // ------------------------------------------------------------------ customers and policies

  describe('POST /api/customers and POST /api/policies', () => {
    it('registers a customer (admin) and refuses other roles with 403', async () => {
      const r = await t.http.post('/api/customers').set(admin()).send({ name: 'Redes del Norte' }).expect(201);
      expect(r.body.customerId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.body.version).toBe(0);
      await t.http.post('/api/customers').set(finance()).send({ name: 'X' }).expect(403);
    });

    it('registers policies for admin and finance with the plan defaults 300/1200/3000/4200 and a policy number', async () => {
      const customerId = await newCustomer();
      const expected = { basic: 300, business: 1200, 'business-plus': 3000, corporate: 4200 } as const;
      let last = 0;
      const ids: Record<string, string> = {};
      for (const [i, plan] of Object.keys(expected).entries()) {
        const policyId = randomUUID();
        const r = await t.http
          .post('/api/policies')
          .set(i % 2 === 0 ? admin() : finance())
          .send({ policyId, customerId, plan, startsOn: '2026-03-01', products: ['Hosting'] })
          .expect(201);
        expect(r.body).toMatchObject({ policyId, version: 0 });
        last = r.body.position;
        ids[plan] = policyId;
      }
      for (const [plan, minutes] of Object.entries(expected)) {
        const p = await read(`/api/policies/${ids[plan]}`, finance(), last).expect(200);
        expect(p.body).toMatchObject({
          policyId: ids[plan],
          customerId,
          plan,
          minutesPurchased: minutes,
          minutesUsed: 0,
          minutesRemaining: minutes,
          validFrom: '2026-03-01',
          validUntil: '2027-02-28',
          status: 'active',
          products: ['Hosting'],
          deductions: [],
        });
        expect(p.body.number).toBe(`POL-2026-${ids[plan].replace(/-/g, '').slice(0, 6).toUpperCase()}`);
      }
      // minutes overrides the plan default
      const custom = await newPolicy(customerId, { plan: 'business', minutes: 100 });
      const c = await read(`/api/policies/${custom.policyId}`, admin(), custom.position).expect(200);
      expect(c.body).toMatchObject({ plan: 'business', minutesPurchased: 100, minutesRemaining: 100 });
    });

    it('refuses an agent with 403 and an unknown customer with 404, appending nothing; a retry is a no-op, another body 409', async () => {
      const customerId = await newCustomer();
      const head = await t.events.headPosition();
      const denied = await t.http.post('/api/policies').set(agent()).send({ customerId, plan: 'basic', startsOn: '2026-01-15' }).expect(403);
      expect(denied.body.code).toBe('forbidden');
      const unknown = await t.http.post('/api/policies').set(admin()).send({ customerId: randomUUID(), plan: 'basic', startsOn: '2026-01-15' }).expect(404);
      expect(unknown.body.code).toBe('not-found');
      const badPlan = await t.http.post('/api/policies').set(admin()).send({ customerId, plan: 'gold', startsOn: '2026-01-15' }).expect(400);
      expect(badPlan.body.errors.map((e: { path: string }) => e.path)).toContain('plan');
      expect(await t.events.headPosition()).toBe(head);

      const policyId = randomUUID();
      const body = { policyId, customerId, plan: 'basic', startsOn: '2026-01-15' };
      const first = await t.http.post('/api/policies').set(admin()).send(body).expect(201);
      const h = await t.events.headPosition();
      const again = await t.http.post('/api/policies').set(admin()).send(body).expect(201);
      expect(again.body).toEqual(first.body);
      expect(await t.events.headPosition()).toBe(h);
      const other = await t.http.post('/api/policies').set(admin()).send({ ...body, plan: 'corporate' }).expect(409);
      expect(other.body.code).toBe('id-reused');
    });
  });

  describe('GET /api/policies/{id} and GET /api/customers/{id}/policies', () => {
    it('shows the balance with each deduction (ticket, entry, engineer, authorization), scoped to the customer', async () => {
      const customerId = await newCustomer();
      const { policyId } = await newPolicy(customerId);
      const ticketId = await openTicket(customerId);
      const authorizationId = await authorized(ticketId, customerId, { kind: 'policy-estimate', minutes: 120 });
      const entryId = randomUUID();
      const w = await logWork(ticketId, { entryId, minutes: 45, kind: 'remote' }).expect(201);
      expect(w.body).toMatchObject({ ticketId, entryId });

      const p = await read(`/api/policies/${policyId}`, customer(customerId), w.body.position).expect(200);
      expect(p.body).toMatchObject({ minutesPurchased: 300, minutesUsed: 45, minutesRemaining: 255, status: 'active', validFrom: '2026-01-15', validUntil: '2027-01-14' });
      expect(p.body.deductions).toEqual([
        expect.objectContaining({ ticketId, entryId, engineerId: 'ana', authorizationId, minutes: 45, workedOn: '2026-11-16', minutesRemaining: 255 }),
      ]);
      // finance and auditor read it; a customer of another company gets 404, like an unknown policy
      await read(`/api/policies/${policyId}`, finance(), w.body.position).expect(200);
      await read(`/api/policies/${policyId}`, auditor(), w.body.position).expect(200);
      const other = await newCustomer('Otra empresa');
      const hidden = await read(`/api/policies/${policyId}`, customer(other), w.body.position).expect(404);
      expect(hidden.body.code).toBe('not-found');
      await read(`/api/policies/${randomUUID()}`, admin(), w.body.position).expect(404);

      // the customer's policies
      const second = await newPolicy(customerId, { plan: 'business', startsOn: '2026-06-01' });
      const list = await read(`/api/customers/${customerId}/policies`, customer(customerId), second.position).expect(200);
      expect(list.body.map((x: { policyId: string }) => x.policyId).sort()).toEqual([policyId, second.policyId].sort());
      expect(list.body.find((x: { policyId: string }) => x.policyId === policyId).minutesUsed).toBe(45);
      await read(`/api/customers/${customerId}/policies`, finance(), second.position).expect(200);
      await read(`/api/customers/${customerId}/policies`, auditor(), second.position).expect(200);
      await read(`/api/customers/${customerId}/policies`, customer(other), second.position).expect(404);
    });

    it('computes the status from the clock: active, expired after validUntil, exhausted when used up', async () => {
      const customerId = await newCustomer();
      const { policyId, position } = await newPolicy(customerId, { startsOn: '2026-01-15' });
      expect((await read(`/api/policies/${policyId}`, admin(), position).expect(200)).body.status).toBe('active');
      // validUntil 2027-01-14 is a date in the company's zone (America/Mexico_City, UTC-6)
      t.clock.set('2027-01-15T05:59:00.000Z'); // still Jan 14 in Mexico City
      expect((await read(`/api/policies/${policyId}`, admin(), position).expect(200)).body.status).toBe('active');
      t.clock.set('2027-01-15T06:00:00.000Z');
      expect((await read(`/api/policies/${policyId}`, admin(), position).expect(200)).body.status).toBe('expired');
      t.clock.set('2026-11-16T16:00:00.000Z');

      const small = await newPolicy(customerId, { minutes: 30, startsOn: '2026-02-01' });
      const ticketId = await openTicket(customerId);
      // the estimate draws on the active policy that expires first: the 30-minute one registered above is later; make this explicit
      const q = await quote(ticketId, { kind: 'policy-estimate', minutes: 60 }).expect(201);
      const ticket = await read(`/api/tickets/${ticketId}`, agent(), q.body.position).expect(200);
      expect(ticket.body.quotes[0].terms.policyId).toBe(policyId); // expires 2027-01-14, before 2027-01-31
      // exhaust the small one through its own ticket: decline this estimate first
      await t.http.post(`/api/tickets/${ticketId}/quotes/${q.body.quoteId}/authorization`).set(customer(customerId)).send({ decision: 'decline' }).expect(200);
      const other = await newCustomer();
      const smallOnly = await newPolicy(other, { minutes: 30 });
      const t2 = await openTicket(other);
      await authorized(t2, other, { kind: 'policy-estimate', minutes: 30 });
      const w = await logWork(t2, { minutes: 30 }).expect(201);
      const p = await read(`/api/policies/${smallOnly.policyId}`, admin(), w.body.position).expect(200);
      expect(p.body).toMatchObject({ status: 'exhausted', minutesUsed: 30, minutesRemaining: 0 });
      expect(p.body.exhaustedAt).toBe('2026-11-16T16:00:00.000Z');
      void small;
    });
  });

  // ------------------------------------------------------------------ quotes and authorizations

  describe('quotes and the customer authorization', () => {
    it('issues a per-event quote with its terms in integer minor units', async () => {
      const customerId = await newCustomer();
      const ticketId = await openTicket(customerId);
      const r = await quote(ticketId, {
        kind: 'per-event',
        minutes: 90,
        hourlyRateMinor: 85_000,
        currency: 'MXN',
        paymentTerms: '50% anticipo, 50% contra entrega',
        purchaseOrderRequired: true,
      }).expect(201);
      const v = await read(`/api/tickets/${ticketId}`, agent(), r.body.position).expect(200);
      expect(v.body.quotes).toEqual([
        expect.objectContaining({
          quoteId: r.body.quoteId,
          status: 'pending',
          terms: expect.objectContaining({
            kind: 'per-event',
            minutes: 90,
            hourlyRateMinor: 85_000,
            amountMinor: 127_500, // 85 000 * 90 / 60
            currency: 'MXN',
            paymentTerms: '50% anticipo, 50% contra entrega',
            purchaseOrderRequired: true,
            policyId: null,
          }),
        }),
      ]);
      // a per-event quote needs a rate and a currency
      const missing = await quote(ticketId, { kind: 'per-event', minutes: 60, supersedes: r.body.quoteId }).expect(400);
      expect(missing.body.code).toBe('invalid-request');
    });

    it('refuses a policy estimate without an active policy with 422 no-coverage (also when the only policy expired)', async () => {
      const customerId = await newCustomer();
      const ticketId = await openTicket(customerId);
      const head = await t.events.headPosition();
      const r = await quote(ticketId, { kind: 'policy-estimate', minutes: 60 }).expect(422);
      expect(r.body.code).toBe('no-coverage');
      expect(await t.events.headPosition()).toBe(head);
      await newPolicy(customerId, { startsOn: '2025-01-01' }); // valid until 2025-12-31
      const expired = await quote(ticketId, { kind: 'policy-estimate', minutes: 60 }).expect(422);
      expect(expired.body.code).toBe('no-coverage');
      const { policyId } = await newPolicy(customerId, { startsOn: '2026-01-15' });
      const ok = await quote(ticketId, { kind: 'policy-estimate', minutes: 60 }).expect(201);
      const v = await read(`/api/tickets/${ticketId}`, agent(), ok.body.position).expect(200);
      expect(v.body.quotes[0].terms).toMatchObject({ kind: 'policy-estimate', minutes: 60, policyId, amountMinor: null });
    });

    it('keeps one pending quote per ticket; a supplementary quote needs an accepted authorization', async () => {
      const customerId = await newCustomer();
      await newPolicy(customerId);
      const ticketId = await openTicket(customerId);
      const supplementaryFirst = await quote(ticketId, { kind: 'policy-estimate', minutes: 30, supplementary: true }).expect(422);
      expect(supplementaryFirst.body.code).toBe('authorization-required');
      const first = await quote(ticketId, { kind: 'policy-estimate', minutes: 60 }).expect(201);
      const second = await quote(ticketId, { kind: 'policy-estimate', minutes: 90 }).expect(409);
      expect(second.body.code).toBe('quote-pending');
      // a replacement names the pending one
      const replacement = await quote(ticketId, { kind: 'policy-estimate', minutes: 90, supersedes: first.body.quoteId }).expect(201);
      await t.http.post(`/api/tickets/${ticketId}/quotes/${replacement.body.quoteId}/authorization`).set(customer(customerId)).send({ decision: 'accept' }).expect(200);

      // use the 90 minutes up; more needs a supplementary quote the customer accepts
      await logWork(ticketId, { minutes: 90 }).expect(201);
      const beyond = await logWork(ticketId, { minutes: 15 }).expect(422);
      expect(beyond.body.code).toBe('exceeds-authorization');
      const sup = await quote(ticketId, { kind: 'policy-estimate', minutes: 30, supplementary: true, description: 'Trabajo adicional' }).expect(201);
      await t.http.post(`/api/tickets/${ticketId}/quotes/${sup.body.quoteId}/authorization`).set(customer(customerId)).send({ decision: 'accept' }).expect(200);
      const w = await logWork(ticketId, { minutes: 15 }).expect(201);
      const v = await read(`/api/tickets/${ticketId}`, agent(), w.body.position).expect(200);
      const supQuote = v.body.quotes.find((q: { quoteId: string }) => q.quoteId === sup.body.quoteId);
      expect(supQuote).toMatchObject({ supplementary: true, supplementsAuthorizationId: replacement.body.quoteId, status: 'accepted' });
      const logs = v.body.workLogs as Array<{ minutes: number; authorizationId: string }>;
      expect(logs.map((l) => [l.minutes, l.authorizationId])).toEqual([
        [90, replacement.body.quoteId],
        [15, sup.body.quoteId],
      ]);
    });

    it('lets only the customer of the ticket authorize; accept, decline, purchase order', async () => {
      const customerId = await newCustomer();
      const ticketId = await openTicket(customerId);
      const q = await quote(ticketId, { kind: 'per-event', minutes: 60, hourlyRateMinor: 50_000, currency: 'MXN', purchaseOrderRequired: true }).expect(201);
      const path = `/api/tickets/${ticketId}/quotes/${q.body.quoteId}/authorization`;
      const other = await newCustomer('Otra');
      const head = await t.events.headPosition();
      expect((await t.http.post(path).set(agent()).send({ decision: 'accept' }).expect(403)).body.code).toBe('forbidden');
      await t.http.post(path).set(t.auth('sup', ['supervisor'])).send({ decision: 'accept' }).expect(403);
      expect((await t.http.post(path).set(customer(other)).send({ decision: 'accept', purchaseOrder: 'OC-9' }).expect(404)).body.code).toBe('not-found');
      const noPo = await t.http.post(path).set(customer(customerId)).send({ decision: 'accept' }).expect(422);
      expect(noPo.body.code).toBe('purchase-order-required');
      expect(noPo.body.errors.map((e: { path: string }) => e.path)).toContain('purchaseOrder');
      await t.http.post(`/api/tickets/${ticketId}/quotes/${randomUUID()}/authorization`).set(customer(customerId)).send({ decision: 'accept' }).expect(404);
      expect(await t.events.headPosition()).toBe(head);

      const ok = await t.http.post(path).set(customer(customerId)).send({ decision: 'accept', purchaseOrder: 'OC-2026-114', comment: 'Adelante' }).expect(200);
      const v = await read(`/api/tickets/${ticketId}`, customer(customerId), ok.body.position).expect(200);
      expect(v.body.authorizations).toEqual([
        expect.objectContaining({ authorizationId: q.body.quoteId, minutesAuthorized: 60, purchaseOrder: 'OC-2026-114', authorizedBy: `cli-${customerId.slice(0, 4)}` }),
      ]);
      // the same answer again is a no-op
      const head2 = await t.events.headPosition();
      await t.http.post(path).set(customer(customerId)).send({ decision: 'accept', purchaseOrder: 'OC-2026-114', comment: 'Adelante' }).expect(200);
      expect(await t.events.headPosition()).toBe(head2);

      // a decline
      const q2 = await quote(ticketId, { kind: 'per-event', minutes: 30, hourlyRateMinor: 50_000, currency: 'MXN' }).expect(201);
      const d = await t.http
        .post(`/api/tickets/${ticketId}/quotes/${q2.body.quoteId}/authorization`)
        .set(customer(customerId))
        .send({ decision: 'decline', comment: 'Muy caro' })
        .expect(200);
      const v2 = await read(`/api/tickets/${ticketId}`, agent(), d.body.position).expect(200);
      expect(v2.body.quotes.find((x: { quoteId: string }) => x.quoteId === q2.body.quoteId).status).toBe('declined');
      expect(v2.body.authorizations).toHaveLength(1);
    });
  });

  // ------------------------------------------------------------------ work logs

  describe('POST /api/tickets/{id}/work-logs', () => {
    it('refuses work without an accepted authorization (422 authorization-required) and beyond it (422 exceeds-authorization)', async () => {
      const customerId = await newCustomer();
      const { policyId } = await newPolicy(customerId);
      const ticketId = await openTicket(customerId);
      const head = await t.events.headPosition();
      expect((await logWork(ticketId, { minutes: 30 }).expect(422)).body.code).toBe('authorization-required');
      expect(await t.events.headPosition()).toBe(head);
      const q = await quote(ticketId, { kind: 'policy-estimate', minutes: 60 }).expect(201);
      // issued but not accepted yet
      expect((await logWork(ticketId, { minutes: 30 }).expect(422)).body.code).toBe('authorization-required');
      expect(Number(await t.events.headPosition())).toBe(q.body.position);
      await t.http.post(`/api/tickets/${ticketId}/quotes/${q.body.quoteId}/authorization`).set(customer(customerId)).send({ decision: 'accept' }).expect(200);
      await logWork(ticketId, { minutes: 45 }).expect(201);
      const before = await t.events.headPosition();
      const over = await logWork(ticketId, { minutes: 16 }).expect(422);
      expect(over.body).toMatchObject({ code: 'exceeds-authorization', status: 422 });
      expect(await t.events.headPosition()).toBe(before);
      expect(await minutesDeductedIn(policyId)).toBe(45);
      await logWork(ticketId, { minutes: 15 }).expect(201);
      expect(await minutesDeductedIn(policyId)).toBe(60);
    });

    it('never takes a policy below zero: 422 insufficient-balance', async () => {
      const customerId = await newCustomer();
      const { policyId } = await newPolicy(customerId, { minutes: 50 });
      const ticketId = await openTicket(customerId);
      await authorized(ticketId, customerId, { kind: 'policy-estimate', minutes: 120 });
      await logWork(ticketId, { minutes: 40 }).expect(201);
      const head = await t.events.headPosition();
      const r = await logWork(ticketId, { minutes: 15 }).expect(422);
      expect(r.body.code).toBe('insufficient-balance');
      expect(await t.events.headPosition()).toBe(head);
      const w = await logWork(ticketId, { minutes: 10 }).expect(201);
      const p = await read(`/api/policies/${policyId}`, finance(), w.body.position).expect(200);
      expect(p.body).toMatchObject({ minutesUsed: 50, minutesRemaining: 0, status: 'exhausted' });
      expect((await logWork(ticketId, { minutes: 1 }).expect(422)).body.code).toBe('insufficient-balance');
    });

    it('refuses work on a closed ticket with 409 ticket-closed', async () => {
      const customerId = await newCustomer();
      const { policyId } = await newPolicy(customerId);
      const ticketId = await openTicket(customerId);
      await authorized(ticketId, customerId, { kind: 'policy-estimate', minutes: 120 });
      await t.http.post(`/api/tickets/${ticketId}/close`).set(agent()).send({ reason: 'resolved', resolution: 'DNS corregido' }).expect(200);
      const head = await t.events.headPosition();
      const r = await logWork(ticketId, { minutes: 30 }).expect(409);
      expect(r.body.code).toBe('ticket-closed');
      expect(await t.events.headPosition()).toBe(head);
      expect(await minutesDeductedIn(policyId)).toBe(0);
    });

    it('is idempotent by entryId: the same body answers the same and writes nothing; another body is 409 id-reused', async () => {
      const customerId = await newCustomer();
      const { policyId } = await newPolicy(customerId);
      const ticketId = await openTicket(customerId);
      await authorized(ticketId, customerId, { kind: 'policy-estimate', minutes: 120 });
      const entryId = randomUUID();
      const body = { entryId, minutes: 30, description: 'Migración de buzones' };
      const first = await logWork(ticketId, body).expect(201);
      const head = await t.events.headPosition();
      const again = await logWork(ticketId, body).expect(201);
      expect(again.body).toEqual(first.body);
      expect(await t.events.headPosition()).toBe(head);
      const other = await logWork(ticketId, { ...body, minutes: 45 }).expect(409);
      expect(other.body.code).toBe('id-reused');
      expect(await t.events.headPosition()).toBe(head);
      expect(await minutesDeductedIn(policyId)).toBe(30);
      const v = await read(`/api/tickets/${ticketId}`, agent(), first.body.position).expect(200);
      expect(v.body.workLogs).toHaveLength(1);
      expect(v.body.minutesLogged).toBe(30);
    });

    it('charges per-event work from the rate, never beyond the accepted amount, with no policy involved', async () => {
      const customerId = await newCustomer();
      const ticketId = await openTicket(customerId);
      // 1.00 MXN an hour in centavos would round; use 100 minor/h: 10 min = 16.67 -> 17, cumulative
      const authorizationId = await authorized(ticketId, customerId, { kind: 'per-event', minutes: 30, hourlyRateMinor: 100, currency: 'MXN' });
      const a = await logWork(ticketId, { minutes: 10 }).expect(201);
      const b = await logWork(ticketId, { minutes: 10 }).expect(201);
      const c = await logWork(ticketId, { minutes: 10 }).expect(201);
      void a;
      void b;
      const v = await read(`/api/tickets/${ticketId}`, agent(), c.body.position).expect(200);
      const charges = (v.body.workLogs as Array<{ chargeMinor: number; currency: string; policyId: string | null; authorizationId: string }>).map((w) => w.chargeMinor);
      expect(charges).toEqual([17, 16, 17]); // adds up to price(100, 30) = 50 exactly
      expect(v.body.workLogs.every((w: { policyId: string | null; currency: string }) => w.policyId === null && w.currency === 'MXN')).toBe(true);
      expect(v.body.workLogs[0].authorizationId).toBe(authorizationId);
    });
  });

  // ------------------------------------------------------------------ audit and finance

  describe('refusals that carry the state of the quote or policy', () => {
    it('answers 422 quote-not-pending for a decided or superseded quote, with its state, appending nothing', async () => {
      const customerId = await newCustomer();
      const ticketId = await openTicket(customerId);
      const quoteId = await authorized(ticketId, customerId, { kind: 'per-event', minutes: 60, hourlyRateMinor: 80000, currency: 'MXN' });
      const head = await t.events.headPosition();
      const again = await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(customer(customerId)).send({ decision: 'decline' }).expect(422);
      expect(again.body).toMatchObject({ status: 422, code: 'quote-not-pending', state: 'accepted' });
      expect(await t.events.headPosition()).toBe(head);

      const ticket2 = await openTicket(customerId);
      const first = await quote(ticket2, { kind: 'per-event', minutes: 30, hourlyRateMinor: 80000, currency: 'MXN' }).expect(201);
      await quote(ticket2, { kind: 'per-event', minutes: 45, hourlyRateMinor: 80000, currency: 'MXN', supersedes: first.body.quoteId }).expect(201);
      const stale = await t.http.post(`/api/tickets/${ticket2}/quotes/${first.body.quoteId}/authorization`).set(customer(customerId)).send({ decision: 'accept' }).expect(422);
      expect(stale.body).toMatchObject({ status: 422, code: 'quote-not-pending', state: 'superseded' });
    });

    it('answers 422 policy-expired for work on a policy past its validity, appending nothing', async () => {
      const customerId = await newCustomer();
      const { policyId } = await newPolicy(customerId, { startsOn: '2026-01-15' });
      const ticketId = await openTicket(customerId);
      await authorized(ticketId, customerId, { kind: 'policy-estimate', minutes: 60 });
      t.clock.set('2027-01-15T18:00:00.000Z');
      const head = await t.events.headPosition();
      const r = await logWork(ticketId, { minutes: 30, workedOn: '2027-01-14' }).expect(422);
      expect(r.body).toMatchObject({ status: 422, code: 'policy-expired', state: 'expired' });
      expect(await t.events.headPosition()).toBe(head);
      const p = await read(`/api/policies/${policyId}`, finance(), Number(head)).expect(200);
      expect(p.body).toMatchObject({ status: 'expired', minutesUsed: 0 });
    });
  });

  describe('GET /api/audit/authorizations and GET /api/finance/billed-minutes', () => {
    let customerA: string;
    let customerB: string;
    let policyA: string;
    let ticketA: string;
    let ticketB: string;
    let authA: string;
    let authB: string;
    let declinedB: string;
    let last = 0;
    const tricky = 'Cambio de DNS, "urgente"\nsegunda línea — ñandú';

    beforeAll(async () => {
      t.clock.set('2026-11-16T16:00:00.000Z');
      customerA = await newCustomer('Hoteles, "del Bajío"');
      customerB = await newCustomer('Redes del Norte');
      policyA = (await newPolicy(customerA, { plan: 'business' })).policyId;
      ticketA = await openTicket(customerA);
      ticketB = await openTicket(customerB);
      authA = await authorized(ticketA, customerA, { kind: 'policy-estimate', minutes: 240, description: 'Estimación según tabulador' });
      await logWork(ticketA, { minutes: 60, workedOn: '2026-11-16', description: tricky }).expect(201);
      t.clock.set('2026-11-18T17:30:00.000Z');
      authB = await authorized(ticketB, customerB, {
        kind: 'per-event',
        minutes: 120,
        hourlyRateMinor: 90_000,
        currency: 'MXN',
        paymentTerms: 'contado',
        purchaseOrderRequired: true,
      });
      await logWork(ticketB, { minutes: 45, workedOn: '2026-11-18' }).expect(201);
      await logWork(ticketA, { minutes: 30, workedOn: '2026-11-18', kind: 'remote' }).expect(201);
      t.clock.set('2026-11-20T15:00:00.000Z');
      const q = await quote(ticketB, { kind: 'per-event', minutes: 60, hourlyRateMinor: 90_000, currency: 'MXN', supplementary: true }).expect(201);
      declinedB = q.body.quoteId;
      const d = await t.http.post(`/api/tickets/${ticketB}/quotes/${declinedB}/authorization`).set(customer(customerB)).send({ decision: 'decline', comment: 'No por ahora' }).expect(200);
      last = d.body.position;
      t.clock.set('2026-11-16T16:00:00.000Z');
    });

    it('lists every authorization and decline with its terms, who, when and the ticket, for auditors and finance', async () => {
      const all = await read(`/api/audit/authorizations?customerId=${customerB}`, auditor(), last).expect(200);
      expect(all.body).toEqual([
        expect.objectContaining({
          ticketId: ticketB,
          quoteId: authB,
          decision: 'accept',
          authorizationId: authB,
          customerId: customerB,
          purchaseOrder: 'OC-1',
          by: `cli-${customerB.slice(0, 4)}`,
          at: '2026-11-18T17:30:00.000Z',
          terms: expect.objectContaining({ kind: 'per-event', minutes: 120, hourlyRateMinor: 90_000, amountMinor: 180_000, currency: 'MXN', paymentTerms: 'contado' }),
        }),
        expect.objectContaining({ ticketId: ticketB, quoteId: declinedB, decision: 'decline', authorizationId: null, comment: 'No por ahora', at: '2026-11-20T15:00:00.000Z' }),
      ]);
      const a = await read(`/api/audit/authorizations?customerId=${customerA}`, finance(), last).expect(200);
      expect(a.body).toEqual([
        expect.objectContaining({ ticketId: ticketA, authorizationId: authA, decision: 'accept', terms: expect.objectContaining({ kind: 'policy-estimate', minutes: 240, policyId: policyA }) }),
      ]);
      // period filters: dates are inclusive days (UTC)
      const day = await read(`/api/audit/authorizations?from=2026-11-18&to=2026-11-18`, auditor(), last).expect(200);
      const ours = day.body.filter((x: { customerId: string }) => x.customerId === customerA || x.customerId === customerB);
      expect(ours.map((x: { quoteId: string }) => x.quoteId)).toEqual([authB]);
      const after = await read(`/api/audit/authorizations?from=2026-11-19T00:00:00Z&customerId=${customerB}`, auditor(), last).expect(200);
      expect(after.body.map((x: { quoteId: string }) => x.quoteId)).toEqual([declinedB]);
      await read('/api/audit/authorizations', agent(), last).expect(403);
      await read('/api/audit/authorizations', customer(customerA), last).expect(403);
    });

    it('reports billed minutes per deduction and per-event charge with totals per customer and policy', async () => {
      const r = await read(`/api/finance/billed-minutes?from=2026-11-01&to=2026-11-30&customerId=${customerA}`, finance(), last).expect(200);
      expect(r.body.rows).toEqual([
        expect.objectContaining({ customerId: customerA, ticketId: ticketA, policyId: policyA, authorizationId: authA, minutes: 60, workedOn: '2026-11-16', chargeMinor: null, description: tricky, engineerId: 'ana' }),
        expect.objectContaining({ customerId: customerA, ticketId: ticketA, policyId: policyA, minutes: 30, workedOn: '2026-11-18' }),
      ]);
      expect(r.body.totals).toMatchObject({
        minutes: 90,
        byCustomer: [{ customerId: customerA, minutes: 90, policyMinutes: 90, perEventMinutes: 0, chargeMinor: {} }],
        byPolicy: [{ policyId: policyA, customerId: customerA, minutes: 90 }],
      });

      const b = await read(`/api/finance/billed-minutes?customerId=${customerB}`, auditor(), last).expect(200);
      expect(b.body.rows).toEqual([
        expect.objectContaining({ ticketId: ticketB, policyId: null, authorizationId: authB, minutes: 45, chargeMinor: 67_500, currency: 'MXN' }),
      ]);
      expect(b.body.totals.byCustomer).toEqual([{ customerId: customerB, minutes: 45, policyMinutes: 0, perEventMinutes: 45, chargeMinor: { MXN: 67_500 } }]);
      expect(b.body.totals.byPolicy).toEqual([]);

      // the period is on workedOn, both ends inclusive
      const only18 = await read(`/api/finance/billed-minutes?from=2026-11-18&to=2026-11-18`, finance(), last).expect(200);
      const mine = only18.body.rows.filter((x: { customerId: string }) => x.customerId === customerA || x.customerId === customerB);
      expect(mine.map((x: { minutes: number }) => x.minutes).sort()).toEqual([30, 45]);
      const none = await read(`/api/finance/billed-minutes?from=2026-11-19&customerId=${customerA}`, finance(), last).expect(200);
      expect(none.body.rows).toEqual([]);
      expect(none.body.totals.minutes).toBe(0);

      await read('/api/finance/billed-minutes', agent(), last).expect(403);
      await read('/api/finance/billed-minutes', admin(), last).expect(403);
      const bad = await read('/api/finance/billed-minutes?from=16-11-2026', finance(), last).expect(400);
      expect(bad.body.code).toBe('invalid-request');
    });

    it('exports CSV: UTF-8, a header row, RFC 4180 quoting of commas, quotes and newlines', async () => {
      const r = await read(`/api/finance/billed-minutes?format=csv&customerId=${customerA}`, finance(), last).expect(200);
      expect(r.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const text = r.text;
      const lines = text.split('\r\n');
      expect(lines[0]).toBe('workedOn,loggedAt,customerId,ticketId,entryId,policyId,authorizationId,quoteId,engineerId,kind,minutes,chargeMinor,currency,description');
      expect(text.endsWith('\r\n')).toBe(true);
      // the description holds a comma, a quote and a newline: quoted, the quote doubled, the newline kept inside
      expect(text).toContain(`,"Cambio de DNS, ""urgente""\nsegunda línea — ñandú"\r\n`);
      // parse it back (RFC 4180) and compare with the JSON rows
      const parsed = parseCsv(text);
      expect(parsed).toHaveLength(3);
      const json = await read(`/api/finance/billed-minutes?customerId=${customerA}`, finance(), last).expect(200);
      expect(parsed.slice(1).map((row) => ({ minutes: Number(row[10]), description: row[13], policyId: row[5], ticketId: row[3] }))).toEqual(
        json.body.rows.map((x: { minutes: number; description: string; policyId: string; ticketId: string }) => ({
          minutes: x.minutes,
          description: x.description,
          policyId: x.policyId,
          ticketId: x.ticketId,
        })),
      );
      expect(Buffer.from(r.text, 'utf8').includes(Buffer.from('ñandú', 'utf8'))).toBe(true);
      const perEvent = parseCsv((await read(`/api/finance/billed-minutes?format=csv&customerId=${customerB}`, finance(), last).expect(200)).text);
      expect(perEvent[1][11]).toBe('67500');
      expect(perEvent[1][12]).toBe('MXN');
      expect(perEvent[1][5]).toBe(''); // no policy
    });
  });
});

/** a strict RFC 4180 reader (CRLF records, quoted fields may hold CR/LF, commas and doubled quotes) */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
