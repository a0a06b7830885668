import { randomUUID } from 'crypto';
import * as OTPAuth from 'otpauth';
import { TestApp, startTestApp } from '../support/test-app';
import { BrowserSession, PASSWORD, anonymous, browser, invited, setUpAdmin, signIn } from '../support/identity';

/**
 * Throttling (growing delays, capped, never permanent; 429 too-many-attempts with
 * Retry-After), the TOTP second factor with recovery codes (and its enforcement per role),
 * and the access log auditors read (GET /api/audit/access).
 */
const START = '2026-11-16T16:00:00.000Z';

const codeAt = (secret: string, ms: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: ms });

describe('identity: throttling', () => {
  let t: TestApp;
  let admin: BrowserSession;
  beforeAll(async () => {
    t = await startTestApp({ now: START });
    admin = await setUpAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const attempt = (email: string, password: string, ip = `10.9.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`) =>
    t.http.post('/api/auth/sign-in').set('X-Forwarded-For', ip).send({ email, password });

  it('per account: 5 free failures, then growing delays (429 with Retry-After, even for the right password), capped, never permanent', async () => {
    const person = await invited(t, admin, { email: 'olga@example.mx', name: 'Olga', kind: 'staff', roles: ['agent'] });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt('olga@example.mx', 'wrong wrong wrong')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    // the 6th failure asks for 1 s: the right password is refused without being checked
    const blocked = await attempt('olga@example.mx', PASSWORD).expect(429);
    expect(blocked.headers['retry-after']).toBe('1');
    expect(blocked.body).toMatchObject({ code: 'too-many-attempts', status: 429, retryAfter: 1 });
    t.clock.advanceMinutes(1 / 60);
    await attempt('olga@example.mx', 'wrong wrong wrong').expect(401);
    expect((await attempt('olga@example.mx', PASSWORD).expect(429)).headers['retry-after']).toBe('2');
    // ... doubling, up to 15 minutes at most
    for (let i = 0; i < 12; i++) {
      t.clock.advanceMinutes(15);
      await attempt('olga@example.mx', 'wrong wrong wrong').expect(401);
    }
    expect((await attempt('olga@example.mx', PASSWORD).expect(429)).headers['retry-after']).toBe('900');
    t.clock.advanceMinutes(15);
    const ok = await attempt('olga@example.mx', PASSWORD).expect(200);
    expect(browser(t, ok).me.id).toBe(person.userId);
    // a success clears the account's run
    await attempt('olga@example.mx', 'wrong wrong wrong').expect(401);
    await attempt('olga@example.mx', PASSWORD).expect(200);
    t.clock.set(START);
  });

  it('an unknown email is throttled exactly like a known one (no enumeration through 429)', async () => {
    const known = await invited(t, admin, { email: 'pia@example.mx', name: 'Pía', kind: 'staff', roles: ['agent'] });
    expect(known.userId).toBeTruthy();
    const run = async (email: string) => {
      const out: Array<[number, string | undefined]> = [];
      for (let i = 0; i < 8; i++) {
        const r = await attempt(email, 'wrong wrong wrong');
        out.push([r.status, r.headers['retry-after']]);
      }
      return out;
    };
    const a = await run('pia@example.mx');
    const b = await run('nadie.jamas@example.mx');
    expect(a).toEqual(b);
    expect(a.map(([s]) => s)).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
  });

  it('per address: 20 free failures across accounts, then 429 for that address only', async () => {
    const ip = '10.77.0.1';
    for (let i = 0; i < 20; i++) await attempt(`spray${i}@example.mx`, 'wrong wrong wrong', ip).expect(401);
    await attempt('spray-last@example.mx', 'wrong wrong wrong', ip).expect(401);
    const r = await attempt('root@mesa.example.mx', PASSWORD, ip).expect(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await attempt('root@mesa.example.mx', PASSWORD, '10.77.0.2').expect(200);
    // forged links count for the address too
    const linkIp = '10.78.0.1';
    for (let i = 0; i < 21; i++) {
      await t.http.post('/api/auth/invitations/accept').set('X-Forwarded-For', linkIp).send({ token: `${randomUUID()}.${randomUUID()}.${'A'.repeat(43)}`, password: PASSWORD }).expect(410);
    }
    await t.http.post('/api/auth/invitations/accept').set('X-Forwarded-For', linkIp).send({ token: `${randomUUID()}.${randomUUID()}.${'A'.repeat(43)}`, password: PASSWORD }).expect(429);
  });
});

describe('identity: X-Forwarded-For is believed only from trusted proxies', () => {
  it('with TRUST_PROXY=false a client cannot escape the per-address throttle by making up addresses', async () => {
    const t = await startTestApp({ now: START, env: { TRUST_PROXY: 'false' } });
    try {
      for (let i = 0; i < 21; i++) {
        await t.http.post('/api/auth/sign-in').set('X-Forwarded-For', `10.66.0.${i + 1}`).send({ email: `spray${i}@example.mx`, password: 'wrong wrong wrong' }).expect(401);
      }
      const r = await t.http.post('/api/auth/sign-in').set('X-Forwarded-For', '10.66.1.1').send({ email: 'other@example.mx', password: 'wrong wrong wrong' }).expect(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });
});

describe('identity: TOTP second factor and recovery codes', () => {
  let t: TestApp;
  let admin: BrowserSession;
  beforeAll(async () => {
    t = await startTestApp({ now: START, env: { MFA_REQUIRED_ROLES: 'finance' } });
    admin = await setUpAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });
  const now = () => t.clock.now().getTime();

  it('enrol (secret, otpauth URI, QR), confirm with a code, then sign-in asks for it: 401 mfa-required, codes used once, recovery codes', async () => {
    const s = await signIn(t, 'root@mesa.example.mx');
    const started = await s.post('/api/me/mfa/totp').expect(201);
    expect(started.body).toEqual({
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\/Helpdesk:root%40mesa\.example\.mx\?issuer=Helpdesk&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/),
      qrCodeDataUrl: expect.stringMatching(/^data:image\/png;base64,/),
    });
    const secret = started.body.secret as string;
    const wrong = await s.post('/api/me/mfa/totp/verify', { code: codeAt(secret, now() - 10 * 60_000) }).expect(422);
    expect(wrong.body.code).toBe('mfa-code-invalid');
    await s.post('/api/me/mfa/totp/verify', { code: 'abc' }).expect(400);
    const confirmed = await s.post('/api/me/mfa/totp/verify', { code: codeAt(secret, now()) }).expect(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await s.get('/api/me').expect(200)).body.mfaEnabled).toBe(true);
    await s.post('/api/me/mfa/totp').expect(409);

    const needs = await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD }).expect(401);
    expect(needs.body).toMatchObject({ code: 'mfa-required', mfa: 'totp' });
    // the code just used for enrolment is not accepted again; the next one is
    const replay = await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD, totpCode: codeAt(secret, now()) }).expect(401);
    expect(replay.body).toMatchObject({ code: 'mfa-required', mfa: 'totp' });
    t.clock.advanceMinutes(0.5);
    const code = codeAt(secret, now());
    const ok = await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD, totpCode: code }).expect(200);
    expect(browser(t, ok).me.mfaEnabled).toBe(true);
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD, totpCode: code }).expect(401);
    // a wrong password with a right code is still invalid-credentials (the password is checked first)
    t.clock.advanceMinutes(0.5);
    const badPassword = await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: 'wrong wrong wrong', totpCode: codeAt(secret, now()) }).expect(401);
    expect(badPassword.body.code).toBe('invalid-credentials');
    // a recovery code works once (dashes and case do not matter)
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD, recoveryCode: codes[0].toUpperCase() }).expect(200);
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD, recoveryCode: codes[0] }).expect(401);
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD, recoveryCode: codes[1].replace('-', '') }).expect(200);

    // new recovery codes replace the old; disabling needs a code
    t.clock.advanceMinutes(0.5);
    const fresh = await browser(t, ok).post('/api/me/mfa/recovery-codes', { code: codeAt(secret, now()) }).expect(200);
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'root@mesa.example.mx', password: PASSWORD, recoveryCode: codes[2] }).expect(401);
    await browser(t, ok).post('/api/me/mfa/totp/disable', {}).expect(400);
    await browser(t, ok).post('/api/me/mfa/totp/disable', { recoveryCode: fresh.body.recoveryCodes[0] }).expect(204);
    await signIn(t, 'root@mesa.example.mx');
  });

  it('contacts and tokens cannot enrol (403)', async () => {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ customerId, name: 'Acme' }).expect(201);
    const contact = await invited(t, await signIn(t, 'root@mesa.example.mx'), { email: 'quique@acme.mx', name: 'Quique', kind: 'contact', customerId });
    await contact.post('/api/me/mfa/totp').expect(403);
    await t.http.post('/api/me/mfa/totp').set(t.auth('bot', ['agent'])).expect(403);
  });

  it('MFA_REQUIRED_ROLES: a finance session may only enrol (403 mfa-enrollment-required) until it does; it cannot be disabled', async () => {
    const root = await signIn(t, 'root@mesa.example.mx');
    const fin = await invited(t, root, { email: 'rita@example.mx', name: 'Rita', kind: 'staff', roles: ['finance'] });
    expect(fin.me).toMatchObject({ mfaRequired: true, mfaEnabled: false });
    const blocked = await fin.get('/api/finance/billed-minutes').expect(403);
    expect(blocked.body.code).toBe('mfa-enrollment-required');
    await fin.get('/api/me').expect(200);
    const { body } = await fin.post('/api/me/mfa/totp').expect(201);
    await fin.post('/api/me/mfa/totp/verify', { code: codeAt(body.secret, now()) }).expect(200);
    await fin.get('/api/finance/billed-minutes').expect(200);
    t.clock.advanceMinutes(0.5);
    const refused = await fin.post('/api/me/mfa/totp/disable', { totpCode: codeAt(body.secret, now()) }).expect(422);
    expect(refused.body.code).toBe('mfa-required-by-role');
    expect((await anonymous(t).post('/api/auth/sign-in').send({ email: 'rita@example.mx', password: PASSWORD }).expect(401)).body.code).toBe('mfa-required');
  });
});

describe('identity: the access log', () => {
  let t: TestApp;
  let admin: BrowserSession;
  const auditor = () => t.auth('audi', ['auditor']);
  beforeAll(async () => {
    t = await startTestApp({ now: START });
    admin = await setUpAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records sign-ins, failed sign-ins (no password material), sign-outs, revocations, role changes and deactivations, for auditors', async () => {
    const sara = await invited(t, admin, { email: 'sara@example.mx', name: 'Sara', kind: 'staff', roles: ['agent'] });
    t.clock.set('2026-11-17T09:00:00.000Z');
    await t.http.post('/api/auth/sign-in').set('X-Forwarded-For', '10.5.5.5').set('User-Agent', 'Firefox/140').send({ email: 'sara@example.mx', password: 'la-clave-equivocada-123' }).expect(401);
    await t.http.post('/api/auth/sign-in').set('X-Forwarded-For', '10.5.5.6').send({ email: 'Nadie@Example.mx', password: 'otra-clave-equivocada' }).expect(401);
    const s = await signIn(t, 'sara@example.mx');
    await t.http.post('/api/auth/sign-out').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).expect(204);
    await signIn(t, 'sara@example.mx');
    const root = await signIn(t, 'root@mesa.example.mx');
    await root.post(`/api/users/${sara.userId}/roles`, { roles: ['supervisor'], reason: 'ascenso' }).expect(200);
    await signIn(t, 'sara@example.mx');
    await root.post(`/api/users/${sara.userId}/deactivation`, { reason: 'renuncia' }).expect(200);
    const head = String(await t.events.headPosition());

    const log = await t.http.get(`/api/audit/access?userId=${sara.userId}&limit=200`).set(auditor()).set('X-Min-Position', head).expect(200);
    const actions = log.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'user-invited',
      'invitation-accepted',
      'signed-in',
      'sign-in-failed',
      'signed-in',
      'signed-out',
      'signed-in',
      'roles-changed',
      'sessions-revoked',
      'signed-in',
      'user-deactivated',
      'sessions-revoked',
    ]);
    const byAction = (a: string) => log.body.items.filter((e: { action: string }) => e.action === a);
    expect(byAction('sign-in-failed')[0]).toMatchObject({
      userId: sara.userId,
      email: 'sara@example.mx',
      ip: '10.5.5.5',
      userAgent: 'Firefox/140',
      at: '2026-11-17T09:00:00.000Z',
      detail: { reason: 'invalid-credentials' },
    });
    expect(byAction('roles-changed')[0]).toMatchObject({ by: admin.me.id, detail: { from: ['agent'], to: ['supervisor'], reason: 'ascenso' } });
    expect(byAction('sessions-revoked')).toEqual([
      expect.objectContaining({ by: admin.me.id, detail: expect.objectContaining({ reason: 'roles-changed', count: 2 }) }),
      expect.objectContaining({ by: admin.me.id, detail: expect.objectContaining({ reason: 'deactivated', count: 1 }) }),
    ]);
    expect(byAction('signed-in')[0]).toMatchObject({ detail: { method: 'invitation', mfa: null, sessionRef: expect.stringMatching(/^[0-9a-f]{12}$/) } });
    expect(byAction('user-deactivated')[0]).toMatchObject({ by: admin.me.id, detail: { reason: 'renuncia' } });

    // an unknown email is logged without a user (and only when it looks like an email)
    const all = await t.http.get('/api/audit/access?limit=200').set(auditor()).expect(200);
    expect(all.body.items.find((e: { email: string }) => e.email === 'nadie@example.mx')).toMatchObject({ action: 'sign-in-failed', userId: null, ip: '10.5.5.6' });
    expect(JSON.stringify(all.body)).not.toMatch(/clave-equivocada|nopal azul/);

    // period filters (dates are whole UTC days) and paging
    const day = await t.http.get('/api/audit/access?from=2026-11-16&to=2026-11-16&limit=200').set(auditor()).expect(200);
    expect(day.body.items.every((e: { at: string }) => e.at.startsWith('2026-11-16'))).toBe(true);
    expect(day.body.items.length).toBeGreaterThan(0);
    const p1 = await t.http.get('/api/audit/access?limit=3').set(auditor()).expect(200);
    const p2 = await t.http.get(`/api/audit/access?limit=3&cursor=${p1.body.nextCursor}`).set(auditor()).expect(200);
    expect(p2.body.items[0].position).toBeGreaterThan(p1.body.items[2].position);
    expect(all.body.items.slice(3, 6)).toEqual(p2.body.items);

    await t.http.get('/api/audit/access').set(t.auth('ana', ['agent'])).expect(403);
    await t.http.get('/api/audit/access').set(t.auth('fina', ['finance'])).expect(403);
    await t.http.get('/api/audit/access?from=yesterday').set(auditor()).expect(400);
    await t.http.get('/api/audit/access?cursor=garbage').set(auditor()).expect(400);
    await root.get('/api/audit/access').expect(200);
  });

  it('rebuilt from the log, the access log and the users are the same', async () => {
    const { rebuildProjections, allProjections } = await import('@helpdesk/projections');
    const before = (await t.http.get('/api/audit/access?limit=200').set(auditor()).expect(200)).body.items;
    const users = (await t.http.get('/api/users?limit=200').set(auditor()).expect(200)).body.items;
    await rebuildProjections(t.events, t.views, allProjections().filter((p) => p.name === 'access-log' || p.name === 'users'));
    expect((await t.http.get('/api/audit/access?limit=200').set(auditor()).expect(200)).body.items).toEqual(before);
    expect((await t.http.get('/api/users?limit=200').set(auditor()).expect(200)).body.items).toEqual(users);
  });
});
