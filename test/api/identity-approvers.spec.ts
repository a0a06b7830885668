import { randomUUID } from 'crypto';
import { signToken } from '../../apps/api/src/http/auth';
import { TEST_SECRET, TestApp, startTestApp } from '../support/test-app';
import { BrowserSession, invited, setUpAdmin, signIn } from '../support/identity';

/**
 * Approver rights at decision time: only a customer's contact with approver rights accepts or
 * declines a quote (403 for the others, nothing appended); the answer records the rights the
 * person held at that instant, and the authorizations audit shows them even after the right
 * was revoked (time travel). A token whose subject is no user keeps today's rights.
 */
describe('identity: approvers accept quotes, with their rights at that instant on record', () => {
  let t: TestApp;
  let admin: BrowserSession;
  let customerId: string;
  let approver: BrowserSession & { userId: string };
  let requester: BrowserSession & { userId: string };
  const agent = () => t.auth('ana', ['agent']);
  const auditor = () => t.auth('audi', ['auditor']);
  const at = async () => String(await t.events.headPosition());

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-16T16:00:00.000Z' });
    admin = await setUpAdmin(t);
    customerId = randomUUID();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ customerId, name: 'Hoteles del Bajío' }).expect(201);
    approver = await invited(t, admin, { email: 'carla@hoteles.mx', name: 'Carla Ruiz', kind: 'contact', customerId, approver: true });
    requester = await invited(t, admin, { email: 'beto@hoteles.mx', name: 'Beto Sosa', kind: 'contact', customerId });
  });
  afterAll(async () => {
    await t.close();
  });

  async function quotedTicket(): Promise<{ ticketId: string; quoteId: string }> {
    const ticket = await t.http
      .post('/api/tickets')
      .set(agent())
      .send({ customerId, department: 'support', subject: `VPN ${randomUUID().slice(0, 6)}`, description: 'configurar VPN' })
      .expect(201);
    const quote = await t.http
      .post(`/api/tickets/${ticket.body.ticketId}/quotes`)
      .set(agent())
      .send({ kind: 'per-event', minutes: 90, hourlyRateMinor: 50_000, currency: 'MXN', description: 'configuración de VPN' })
      .expect(201);
    return { ticketId: ticket.body.ticketId, quoteId: quote.body.quoteId };
  }

  it('a contact without approver rights gets 403 and nothing is recorded; an approver accepts', async () => {
    const { ticketId, quoteId } = await quotedTicket();
    const before = await t.events.headPosition();
    const refused = await requester.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept' }).expect(403);
    expect(refused.body).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/approver/) });
    await requester.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'decline' }).expect(403);
    expect(await t.events.headPosition()).toBe(before);
    await approver.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept', comment: 'adelante' }).expect(200);
    // the requester still reads the ticket (a requester, not a stranger)
    await requester.get(`/api/tickets/${ticketId}`).expect(200);
  });

  it("the audit shows the approver's rights at that instant; revoking them afterwards does not rewrite it (time travel)", async () => {
    const { ticketId, quoteId } = await quotedTicket();
    await approver.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept' }).expect(200);
    const userVersionThen = (await t.events.readStream(`user-${approver.userId}`)).length - 1;
    const accepted = async () => {
      const audit = await t.http.get(`/api/audit/authorizations?customerId=${customerId}`).set(auditor()).set('X-Min-Position', await at()).expect(200);
      return audit.body.find((a: { quoteId: string }) => a.quoteId === quoteId);
    };
    const expected = {
      decision: 'accept',
      by: approver.userId,
      approval: { principal: 'user', userId: approver.userId, roles: ['customer'], customerId, approver: true, userVersion: userVersionThen },
    };
    expect(await accepted()).toMatchObject(expected);

    // the right is revoked afterwards: the earlier acceptance still shows it held
    await admin.post(`/api/users/${approver.userId}/approver`, { approver: false, reason: 'ya no autoriza compras' }).expect(200);
    expect(await accepted()).toMatchObject(expected);
    const history = await t.http.get(`/api/tickets/${ticketId}/history`).set(auditor()).expect(200);
    expect(history.body.events.find((e: { type: string }) => e.type === 'ServiceAuthorized').data.approval).toEqual(expected.approval);

    // ... and from now on the same person is refused (their session ended with the change)
    expect((await approver.get('/api/me').expect(401)).body.code).toBe('session-expired');
    const again = await signIn(t, 'carla@hoteles.mx');
    expect(again.me.approver).toBe(false);
    const next = await quotedTicket();
    await again.post(`/api/tickets/${next.ticketId}/quotes/${next.quoteId}/authorization`, { decision: 'accept' }).expect(403);

    // granted again, the person accepts again
    await admin.post(`/api/users/${approver.userId}/approver`, { approver: true, reason: 'vuelve a autorizar' }).expect(200);
    approver = { ...(await signIn(t, 'carla@hoteles.mx')), userId: approver.userId };
    await approver.post(`/api/tickets/${next.ticketId}/quotes/${next.quoteId}/authorization`, { decision: 'accept' }).expect(200);

    // the access log shows who changed the right, when and why
    const log = await t.http.get(`/api/audit/access?userId=${approver.userId}`).set(auditor()).set('X-Min-Position', await at()).expect(200);
    const changes = log.body.items.filter((e: { action: string }) => e.action.startsWith('approver-'));
    expect(changes).toEqual([
      expect.objectContaining({ action: 'approver-revoked', by: admin.me.id, detail: expect.objectContaining({ reason: 'ya no autoriza compras', customerId }) }),
      expect.objectContaining({ action: 'approver-granted', by: admin.me.id, detail: expect.objectContaining({ reason: 'vuelve a autorizar' }) }),
    ]);
  });

  it('a deactivated approver holding a bearer token is refused; a token whose subject is no user keeps today\'s rights', async () => {
    // a token minted for a known user: their current rights decide
    const { ticketId, quoteId } = await quotedTicket();
    await admin.post(`/api/users/${requester.userId}/approver`, { approver: true, reason: 'temporal' }).expect(200);
    await admin.post(`/api/users/${requester.userId}/deactivation`, { reason: 'baja' }).expect(200);
    const token = signToken(TEST_SECRET, requester.userId, ['customer'], customerId);
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set('Authorization', `Bearer ${token}`).send({ decision: 'accept' }).expect(403);

    // an integration's token (no such user): an approver unless it says approver: false
    const reader = signToken(TEST_SECRET, 'erp-lectura', ['customer'], customerId, '1h', { approver: false });
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set('Authorization', `Bearer ${reader}`).send({ decision: 'accept' }).expect(403);
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(t.auth('erp', ['customer'], customerId)).send({ decision: 'decline', comment: 'no' }).expect(200);
    const audit = await t.http.get(`/api/audit/authorizations?customerId=${customerId}`).set(auditor()).set('X-Min-Position', await at()).expect(200);
    expect(audit.body.find((a: { quoteId: string }) => a.quoteId === quoteId)).toMatchObject({
      decision: 'decline',
      by: 'erp',
      approval: { principal: 'token', userId: 'erp', roles: ['customer'], customerId, approver: true, userVersion: null },
    });
  });

  it('staff still never authorize (403), with a session or a token', async () => {
    const { ticketId, quoteId } = await quotedTicket();
    await admin.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, { decision: 'accept' }).expect(403);
    await t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(agent()).send({ decision: 'accept' }).expect(403);
  });
});
