import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';
import { BrowserSession, PASSWORD, anonymous, browser, invited, sessionCookieOf, setUpAdmin, signIn, tokenOf } from '../support/identity';
import { passwordResetLink } from '@helpdesk/identity';
import { signToken } from '../../apps/api/src/http/auth';
import { IdentityService } from '../../apps/api/src/identity/identity.service';
import { IdentityBootstrap } from '../../apps/api/src/identity/setup-link';

/**
 * People, sign-in and sessions over HTTP: the first administrator from the setup link,
 * invitations, password sign-in without user enumeration, the session cookie, CSRF, idle
 * and absolute timeouts, revocation on deactivation and on role changes, password reset,
 * GET /api/me, the users list and its scopes.
 */
describe('identity: setup, invitations, sign-in, sessions, CSRF, users', () => {
  let t: TestApp;
  let admin: BrowserSession;
  let anon: ReturnType<typeof anonymous>;
  const START = '2026-11-16T16:00:00.000Z';

  beforeAll(async () => {
    t = await startTestApp({ now: START });
    anon = anonymous(t);
    admin = await setUpAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => t.clock.set(START));
  beforeEach(async () => {
    // a fresh admin session for each test (a test may let the clock run past its idle timeout)
    if (admin) admin = await signIn(t, 'root@mesa.example.mx');
  });

  async function newCustomer(name = 'Hoteles del Bajío'): Promise<string> {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ customerId, name }).expect(201);
    return customerId;
  }
  const email = (who: string) => `${who}.${randomUUID().slice(0, 6)}@example.mx`;

  describe('first start', () => {
    it('printed a setup link; it created the first admin, signed in with a session cookie, HttpOnly, SameSite=Lax, Path=/', async () => {
      expect(admin.me).toMatchObject({
        kind: 'staff',
        name: 'Rocío Admin',
        email: 'root@mesa.example.mx',
        roles: ['admin'],
        customerId: null,
        customerName: null,
        approver: false,
        language: 'es-MX',
        authenticatedBy: 'session',
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        mfaEnabled: false,
      });
      const me = await admin.get('/api/me').expect(200);
      expect(me.body).toEqual(admin.me);
    });

    it('the setup link works once (409 setup-link-used); a forged one is 410 setup-link-expired; a fresh start prints none once someone can sign in', async () => {
      const link = t.app.get(IdentityBootstrap).lastSetupLink!;
      const again = await anon.post('/api/auth/setup').send({ token: tokenOf(link), email: 'otro@example.mx', name: 'Otro', password: PASSWORD }).expect(409);
      expect(again.body.code).toBe('setup-link-used');
      const forged = tokenOf(link).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      const bad = await anon.post('/api/auth/setup').send({ token: forged, email: 'otro@example.mx', name: 'Otro', password: PASSWORD }).expect(410);
      expect(bad.body).toMatchObject({ status: 410, code: 'setup-link-expired' });
      await anon.post('/api/auth/setup').send({ token: 'nonsense', email: 'otro@example.mx', name: 'Otro', password: PASSWORD }).expect(400);
      await t.app.get(IdentityBootstrap).onApplicationBootstrap();
      expect(t.app.get(IdentityBootstrap).lastSetupLink).toBe(link); // unchanged: no new link printed
    });

    it('the cookie is Secure when the request came over https (through a proxy)', async () => {
      const res = await anon.post('/api/auth/sign-in').set('X-Forwarded-Proto', 'https').send({ email: 'root@mesa.example.mx', password: PASSWORD }).expect(200);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('hd_session='))!;
      expect(cookie).toMatch(/^hd_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
      const plain = await anon.post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD }).expect(200);
      expect(([] as string[]).concat(plain.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('hd_session='))).not.toMatch(/Secure/);
    });
  });

  describe('password sign-in', () => {
    it('signs in and answers the GET /api/me document', async () => {
      const s = await signIn(t, 'ROOT@mesa.example.mx ');
      expect(s.me).toMatchObject({ id: admin.me.id, kind: 'staff', authenticatedBy: 'session', roles: ['admin'] });
      expect(s.csrf).not.toBe(admin.csrf);
    });

    it('an unknown email and a wrong password get the same status and body (no enumeration)', async () => {
      const wrong = await anon.post('/api/auth/sign-in').set('X-Forwarded-For', '10.1.0.1').send({ email: 'root@mesa.example.mx', password: 'not the password at all' });
      const unknown = await anon.post('/api/auth/sign-in').set('X-Forwarded-For', '10.1.0.2').send({ email: 'nadie@mesa.example.mx', password: 'not the password at all' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toMatchObject({ code: 'invalid-credentials', status: 401 });
      expect(wrong.headers['content-type']).toBe(unknown.headers['content-type']);
      expect(sessionCookieOf(wrong)).toBeNull();
    });

    it('refuses bad input with 400 naming the field, never 500', async () => {
      const r = await anon.post('/api/auth/sign-in').send({ email: 'not-an-email', password: 'x' }).expect(400);
      expect(r.body.errors).toEqual([expect.objectContaining({ path: 'email' })]);
      const r2 = await anon.post('/api/auth/sign-in').send({ email: 'a@b.mx' }).expect(400);
      expect(r2.body.errors.map((e: { path: string }) => e.path)).toContain('password');
      await anon.post('/api/auth/sign-in').send({ email: 'a@b.mx', password: 'x', extra: 1 }).expect(400);
      await anon.post('/api/auth/sign-in').set('content-type', 'application/json').send('{bad json').expect(400);
    });

    it('sign-out ends the session (204, cookie cleared); the cookie is then refused with 401 session-expired', async () => {
      const s = await signIn(t, 'root@mesa.example.mx');
      const out = await t.http.post('/api/auth/sign-out').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).expect(204);
      expect(String(out.headers['set-cookie'])).toMatch(/hd_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
      const after = await s.get('/api/me').expect(401);
      expect(after.body.code).toBe('session-expired');
      // signing out again (or without a cookie) is still 204
      await t.http.post('/api/auth/sign-out').set('Cookie', s.cookie).expect(204);
      await t.http.post('/api/auth/sign-out').expect(204);
    });

    it('no session and no token: 401 unauthenticated; a made-up cookie: 401 session-expired', async () => {
      expect((await t.http.get('/api/me').expect(401)).body.code).toBe('unauthenticated');
      expect((await t.http.get('/api/me').set('Cookie', 'hd_session=xyz').expect(401)).body.code).toBe('session-expired');
    });
  });

  describe('CSRF', () => {
    it('a cookie-authenticated write without X-CSRF-Token, or with a wrong one, is 403 csrf-token-invalid and appends nothing', async () => {
      const before = await t.events.headPosition();
      const body = { email: email('csrf'), name: 'X', kind: 'staff', roles: ['agent'] };
      const none = await t.http.post('/api/users/invitations').set('Cookie', admin.cookie).send(body).expect(403);
      expect(none.body.code).toBe('csrf-token-invalid');
      const wrong = await t.http.post('/api/users/invitations').set('Cookie', admin.cookie).set('X-CSRF-Token', 'x'.repeat(43)).send(body).expect(403);
      expect(wrong.body.code).toBe('csrf-token-invalid');
      expect(await t.events.headPosition()).toBe(before);
      await admin.post('/api/users/invitations', body).expect(201);
    });

    it('GET needs no CSRF token; bearer-token writes need none', async () => {
      await t.http.get('/api/users').set('Cookie', admin.cookie).expect(200);
      await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Sin CSRF' }).expect(201);
    });

    it("another session's token does not do", async () => {
      const other = await signIn(t, 'root@mesa.example.mx');
      const r = await t.http.patch('/api/me/preferences').set('Cookie', admin.cookie).set('X-CSRF-Token', other.csrf).send({ language: 'en' }).expect(403);
      expect(r.body.code).toBe('csrf-token-invalid');
    });
  });

  describe('invitations', () => {
    it('an admin invites staff: 201 with the link shown once (no e-mail configured) and the expiry (7 days)', async () => {
      const r = await admin.post('/api/users/invitations', { email: email('ana'), name: 'Ana López', kind: 'staff', roles: ['agent', 'supervisor'] }).expect(201);
      expect(r.body).toEqual({
        userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        invitationUrl: expect.stringMatching(/^http:\/\/localhost:3000\/invitation\?token=[A-Za-z0-9.%_-]+$/),
        expiresAt: '2026-11-23T16:00:00.000Z',
        version: 0,
        position: expect.any(Number),
      });
      const u = await admin.get(`/api/users/${r.body.userId}`).set('X-Min-Position', String(r.body.position)).expect(200);
      expect(u.body).toMatchObject({ userId: r.body.userId, kind: 'staff', roles: ['agent', 'supervisor'], status: 'invited', invitedBy: admin.me.id, activatedAt: null });
    });

    it('accepting sets the password and signs in; the link then answers 409 invitation-used', async () => {
      const mail = email('beto');
      const inv = await admin.post('/api/users/invitations', { email: mail, name: 'Beto', kind: 'staff', roles: ['agent'] }).expect(201);
      const token = tokenOf(inv.body.invitationUrl);
      const res = await anon.post('/api/auth/invitations/accept').send({ token, password: PASSWORD, name: 'Alberto Ruiz' }).expect(200);
      const beto = browser(t, res);
      expect(beto.me).toMatchObject({ id: inv.body.userId, name: 'Alberto Ruiz', email: mail, roles: ['agent'], authenticatedBy: 'session' });
      const again = await anon.post('/api/auth/invitations/accept').send({ token, password: PASSWORD }).expect(409);
      expect(again.body.code).toBe('invitation-used');
      await signIn(t, mail);
      const u = await admin.get(`/api/users/${inv.body.userId}`).set('X-Min-Position', String(await t.events.headPosition())).expect(200);
      expect(u.body).toMatchObject({ status: 'active', activatedAt: START, name: 'Alberto Ruiz' });
    });

    it('an expired link and an unknown (forged) one get the same 410 invitation-expired', async () => {
      const inv = await admin.post('/api/users/invitations', { email: email('caro'), name: 'Caro', kind: 'staff', roles: ['agent'] }).expect(201);
      const token = tokenOf(inv.body.invitationUrl);
      const [userId, nonce] = token.split('.');
      const forged = `${userId}.${nonce.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}.${token.split('.')[2]}`;
      const unknown = await anon.post('/api/auth/invitations/accept').send({ token: forged, password: PASSWORD }).expect(410);
      t.clock.set('2026-11-23T16:00:00.000Z');
      const expired = await anon.post('/api/auth/invitations/accept').send({ token, password: PASSWORD }).expect(410);
      expect(expired.body).toEqual(unknown.body);
      expect(expired.body.code).toBe('invitation-expired');
    });

    it('a weak password is 400 password-too-weak naming the field, and the link still works after', async () => {
      const mail = email('dani');
      const inv = await admin.post('/api/users/invitations', { email: mail, name: 'Dani', kind: 'staff', roles: ['agent'] }).expect(201);
      const token = tokenOf(inv.body.invitationUrl);
      for (const weak of ['corta', 'password1234', 'Contraseña2024!', mail]) {
        const r = await anon.post('/api/auth/invitations/accept').send({ token, password: weak }).expect(400);
        expect(r.body).toMatchObject({ code: 'password-too-weak', errors: [{ path: 'password', message: expect.any(String) }] });
      }
      await anon.post('/api/auth/invitations/accept').send({ token, password: PASSWORD }).expect(200);
    });

    it('re-sending gives a new link; the earlier one stops working (410)', async () => {
      const inv = await admin.post('/api/users/invitations', { email: email('eli'), name: 'Eli', kind: 'staff', roles: ['auditor'] }).expect(201);
      const renewed = await admin.post(`/api/users/${inv.body.userId}/invitation`).expect(200);
      expect(renewed.body.invitationUrl).not.toBe(inv.body.invitationUrl);
      await anon.post('/api/auth/invitations/accept').send({ token: tokenOf(inv.body.invitationUrl), password: PASSWORD }).expect(410);
      await anon.post('/api/auth/invitations/accept').send({ token: tokenOf(renewed.body.invitationUrl), password: PASSWORD }).expect(200);
      const done = await admin.post(`/api/users/${inv.body.userId}/invitation`).expect(409);
      expect(done.body.code).toBe('invitation-not-pending');
    });

    it('who may invite: agents invite contacts but not staff (403); an unknown customer is 404; an email in use 409', async () => {
      const customerId = await newCustomer();
      const agent = await invited(t, admin, { email: email('agente'), name: 'Agente', kind: 'staff', roles: ['agent'] });
      const refused = await agent.post('/api/users/invitations', { email: email('x'), name: 'X', kind: 'staff', roles: ['agent'] }).expect(403);
      expect(refused.body.code).toBe('forbidden');
      await agent.post('/api/users/invitations', { email: email('contacto'), name: 'Contacto', kind: 'contact', customerId }).expect(201);
      await agent.post('/api/users/invitations', { email: email('contacto'), name: 'Contacto', kind: 'contact', customerId: randomUUID() }).expect(404);
      const mail = email('dup');
      await admin.post('/api/users/invitations', { email: mail, name: 'Uno', kind: 'staff', roles: ['agent'] }).expect(201);
      const before = await t.events.headPosition();
      const dup = await admin.post('/api/users/invitations', { email: mail.toUpperCase(), name: 'Dos', kind: 'staff', roles: ['agent'] }).expect(409);
      expect(dup.body).toMatchObject({ code: 'email-in-use', userId: expect.any(String) });
      expect(await t.events.headPosition()).toBe(before);
      const bad = await admin.post('/api/users/invitations', { email: email('y'), name: 'Y', kind: 'staff' }).expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'roles' })]);
      await admin.post('/api/users/invitations', { email: email('z'), name: 'Z', kind: 'staff', roles: ['wizard'] }).expect(400);
      await admin.post('/api/users/invitations', { email: email('z'), name: 'Z', kind: 'contact', customerId, approver: 'yes' }).expect(400);
    });
  });

  describe('sessions end', () => {
    it("a deactivated user's open session is refused on its next request; they cannot sign in (same answer as a wrong password)", async () => {
      const mail = email('fer');
      const fer = await invited(t, admin, { email: mail, name: 'Fer', kind: 'staff', roles: ['agent'] });
      await fer.get('/api/me').expect(200);
      const r = await admin.post(`/api/users/${fer.userId}/deactivation`, { reason: 'dejó la empresa' }).expect(200);
      expect(r.body).toMatchObject({ userId: fer.userId, version: expect.any(Number), position: expect.any(Number) });
      const refused = await fer.get('/api/queue').expect(401);
      expect(refused.body.code).toBe('session-expired');
      const deactivated = await anon.post('/api/auth/sign-in').send({ email: mail, password: PASSWORD }).expect(401);
      const wrong = await anon.post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: 'definitely not it' }).expect(401);
      expect(deactivated.body).toEqual(wrong.body);
      // reactivated: signs in again
      await admin.post(`/api/users/${fer.userId}/reactivation`, { reason: 'regresó' }).expect(200);
      await signIn(t, mail);
    });

    it("a role change ends the person's sessions; the new session carries the new roles", async () => {
      const mail = email('gabo');
      const gabo = await invited(t, admin, { email: mail, name: 'Gabo', kind: 'staff', roles: ['agent'] });
      await admin.post(`/api/users/${gabo.userId}/roles`, { roles: ['agent', 'finance'], reason: 'apoya a cobranza' }).expect(200);
      expect((await gabo.get('/api/me').expect(401)).body.code).toBe('session-expired');
      const again = await signIn(t, mail);
      expect(again.me.roles).toEqual(['agent', 'finance']);
      const self = await admin.post(`/api/users/${admin.me.id}/roles`, { roles: ['agent'], reason: 'x' }).expect(422);
      expect(self.body.code).toBe('self-lockout');
      await again.post(`/api/users/${admin.me.id}/roles`, { roles: ['agent'], reason: 'x' }).expect(403);
    });

    it('idle timeout: 30 min for staff (touched at most once a minute), 8 h for contacts; 12 h absolute', async () => {
      const customerId = await newCustomer();
      const contact = await invited(t, admin, { email: email('hugo'), name: 'Hugo', kind: 'contact', customerId });
      const s = await signIn(t, 'root@mesa.example.mx');
      t.clock.advanceMinutes(29);
      await s.get('/api/me').expect(200);
      t.clock.advanceMinutes(29);
      await s.get('/api/me').expect(200); // still alive: the last request renewed it
      t.clock.advanceMinutes(31);
      expect((await s.get('/api/me').expect(401)).body.code).toBe('session-expired');

      // the contact's session, begun at the start: 8 h idle is allowed, 12 h absolute is not
      t.clock.set(START);
      t.clock.advanceMinutes(7 * 60 + 59);
      await contact.get('/api/me').expect(200);
      for (let i = 0; i < 4; i++) {
        t.clock.advanceMinutes(60);
        await contact.get('/api/me').expect(200);
      }
      t.clock.set('2026-11-17T04:00:00.000Z'); // 12 h since it began
      expect((await contact.get('/api/me').expect(401)).body.code).toBe('session-expired');
      const other = await invited(t, await signIn(t, 'root@mesa.example.mx'), { email: email('ivo'), name: 'Ivo', kind: 'contact', customerId });
      t.clock.advanceMinutes(8 * 60);
      expect((await other.get('/api/me').expect(401)).body.code).toBe('session-expired');
    });
  });

  describe('password reset', () => {
    async function resetLink(userId: string, from: number): Promise<string> {
      await t.app.get(IdentityService).settle();
      const events = (await t.events.readStream(`user-${userId}`)).filter((e) => e.type === 'PasswordResetRequested' && e.position > BigInt(from));
      const last = events[events.length - 1];
      if (!last) throw new Error('no reset was requested');
      // what the notifications process does: rebuild the link from the event and the secret
      return passwordResetLink('http://localhost:3000', 'test-secret-for-the-api-suites', userId, String(last.data.requestId));
    }

    it('202 with the same body for a known and an unknown email; the link sets a new password once and ends every session', async () => {
      const mail = email('ines');
      const ines = await invited(t, admin, { email: mail, name: 'Inés', kind: 'staff', roles: ['agent'] });
      const from = Number(await t.events.headPosition());
      const known = await anon.post('/api/auth/password-reset').send({ email: mail }).expect(202);
      const unknown = await anon.post('/api/auth/password-reset').send({ email: 'nadie@example.mx' }).expect(202);
      expect(known.body).toEqual(unknown.body);
      const url = await resetLink(ines.userId, from);
      const token = tokenOf(url);
      const weak = await anon.post('/api/auth/password-reset/complete').send({ token, password: 'password1234' }).expect(400);
      expect(weak.body.code).toBe('password-too-weak');
      await anon.post('/api/auth/password-reset/complete').send({ token, password: 'otra frase nueva y larga' }).expect(204);
      expect((await ines.get('/api/me').expect(401)).body.code).toBe('session-expired');
      await anon.post('/api/auth/sign-in').send({ email: mail, password: PASSWORD }).expect(401);
      await signIn(t, mail, 'otra frase nueva y larga');
      const used = await anon.post('/api/auth/password-reset/complete').send({ token, password: 'y otra frase más larga' }).expect(409);
      expect(used.body.code).toBe('reset-link-used');
    });

    it('a reset link expires after an hour (410 reset-link-expired); a forged one gets the same answer', async () => {
      const mail = email('javi');
      const javi = await invited(t, admin, { email: mail, name: 'Javi', kind: 'staff', roles: ['agent'] });
      const from = Number(await t.events.headPosition());
      await anon.post('/api/auth/password-reset').send({ email: mail }).expect(202);
      const token = tokenOf(await resetLink(javi.userId, from));
      const forged = await anon.post('/api/auth/password-reset/complete').send({ token: token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), password: 'otra frase nueva y larga' }).expect(410);
      t.clock.advanceMinutes(60);
      const expired = await anon.post('/api/auth/password-reset/complete').send({ token, password: 'otra frase nueva y larga' }).expect(410);
      expect(expired.body).toEqual(forged.body);
      expect(expired.body.code).toBe('reset-link-expired');
    });
  });

  describe('GET /api/me and preferences', () => {
    it('a bearer token whose subject is no user: kind token, no CSRF token; customer tokens are approvers unless they say otherwise', async () => {
      const customerId = await newCustomer('Redes del Norte');
      await t.caughtUp(Number(await t.events.headPosition()));
      const r = await t.http.get('/api/me').set(t.auth('integracion', ['customer'], customerId)).expect(200);
      expect(r.body).toEqual({
        id: 'integracion',
        kind: 'token',
        name: 'integracion',
        email: null,
        roles: ['customer'],
        customerId,
        customerName: 'Redes del Norte',
        approver: true,
        language: 'es-MX',
        authenticatedBy: 'token',
        csrfToken: null,
        mfaEnabled: false,
        mfaRequired: false,
      });
      const noApprover = signToken('test-secret-for-the-api-suites', 'lector', ['customer'], customerId, '1h', { approver: false });
      expect((await t.http.get('/api/me').set('Authorization', `Bearer ${noApprover}`).expect(200)).body.approver).toBe(false);
    });

    it('a contact sees their customer and approver right; a person changes their language', async () => {
      const customerId = await newCustomer('Clínica San José');
      await t.caughtUp(Number(await t.events.headPosition()));
      const kari = await invited(t, admin, { email: email('kari'), name: 'Kari', kind: 'contact', customerId, approver: true });
      expect(kari.me).toMatchObject({ kind: 'contact', roles: ['customer'], customerId, customerName: 'Clínica San José', approver: true });
      const r = await kari.patch('/api/me/preferences', { language: 'en' }).expect(200);
      expect(r.body.language).toBe('en');
      await kari.patch('/api/me/preferences', { language: 'fr' }).expect(400);
      await t.http.patch('/api/me/preferences').set(t.auth('integracion', ['agent'])).send({ language: 'en' }).expect(403);
    });
  });

  describe('the users list', () => {
    it('staff read everyone, filter by kind, customer, role and status; contacts see only their customer\'s contacts with fewer fields; finance 403', async () => {
      const acme = await newCustomer('Acme');
      const globex = await newCustomer('Globex');
      const lu = await invited(t, admin, { email: email('lu'), name: 'Lu Acme', kind: 'contact', customerId: acme, approver: true });
      await invited(t, admin, { email: email('mo'), name: 'Mo Acme', kind: 'contact', customerId: acme });
      const ned = await invited(t, admin, { email: email('ned'), name: 'Ned Globex', kind: 'contact', customerId: globex });
      const at = String(await t.events.headPosition());
      const all = await admin.get('/api/users?limit=200').set('X-Min-Position', at).expect(200);
      expect(all.body.items.length).toBeGreaterThanOrEqual(10);
      const names = all.body.items.map((u: { name: string }) => u.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
      const acmeContacts = await admin.get(`/api/users?customerId=${acme}`).expect(200);
      expect(acmeContacts.body.items.map((u: { name: string }) => u.name)).toEqual(['Lu Acme', 'Mo Acme']);
      const admins = await admin.get('/api/users?role=admin').expect(200);
      expect(admins.body.items.map((u: { userId: string }) => u.userId)).toEqual([admin.me.id]);
      const invitedOnly = await admin.get('/api/users?status=invited&kind=staff').expect(200);
      expect(invitedOnly.body.items.every((u: { status: string; kind: string }) => u.status === 'invited' && u.kind === 'staff')).toBe(true);
      const page1 = await admin.get('/api/users?limit=2').expect(200);
      const page2 = await admin.get(`/api/users?limit=2&cursor=${page1.body.nextCursor}`).expect(200);
      expect(page2.body.items[0].name >= page1.body.items[1].name).toBe(true);

      const seen = await lu.get('/api/users').expect(200);
      expect(seen.body.items.map((u: { name: string }) => u.name)).toEqual(['Lu Acme', 'Mo Acme']);
      expect(Object.keys(seen.body.items[0]).sort()).toEqual(['approver', 'customerId', 'email', 'kind', 'name', 'roles', 'status', 'userId']);
      expect((await lu.get(`/api/users?customerId=${globex}`).expect(200)).body.items).toEqual([]);
      await lu.get(`/api/users/${ned.userId}`).expect(404);
      await lu.get(`/api/users/${admin.me.id}`).expect(404);
      await lu.get(`/api/users/${lu.userId}`).expect(200);
      await t.http.get('/api/users').set(t.auth('fina', ['finance'])).expect(403);
      await admin.get('/api/users?limit=0').expect(400);
      await admin.get('/api/users?kind=robot').expect(400);
      await admin.get(`/api/users/${randomUUID()}`).expect(404);
    });

    it('approver rights: admins and supervisors grant or revoke (ending the contact\'s sessions); agents 403; staff 422 not-a-contact', async () => {
      const acme = await newCustomer('Acme 2');
      const nora = await invited(t, admin, { email: email('nora'), name: 'Nora', kind: 'contact', customerId: acme });
      expect(nora.me.approver).toBe(false);
      const sup = await invited(t, admin, { email: email('sup'), name: 'Super', kind: 'staff', roles: ['supervisor'] });
      await sup.post(`/api/users/${nora.userId}/approver`, { approver: true, reason: 'autoriza compras' }).expect(200);
      expect((await nora.get('/api/me').expect(401)).body.code).toBe('session-expired');
      const agent = await invited(t, admin, { email: email('age'), name: 'Age', kind: 'staff', roles: ['agent'] });
      await agent.post(`/api/users/${nora.userId}/approver`, { approver: false, reason: 'x' }).expect(403);
      const r = await admin.post(`/api/users/${sup.userId}/approver`, { approver: true, reason: 'x' }).expect(422);
      expect(r.body.code).toBe('not-a-contact');
      await admin.post(`/api/users/${nora.userId}/approver`, { approver: 'yes', reason: 'x' }).expect(400);
    });
  });

  it('no password, hash, token or session id is ever written to the event log', async () => {
    const all = await t.events.readAll({ maxCount: 100_000 });
    const text = JSON.stringify(all.map((e) => ({ data: e.data, metadata: e.metadata })));
    expect(all.some((e) => e.type === 'UserInvited')).toBe(true);
    for (const secret of [PASSWORD, 'otra frase nueva y larga', '$scrypt$', admin.cookie.split('=')[1], admin.csrf]) expect(text).not.toContain(secret);
    const link = t.app.get(IdentityBootstrap).lastSetupLink!;
    expect(text).not.toContain(tokenOf(link).split('.')[2]);
  });
});
