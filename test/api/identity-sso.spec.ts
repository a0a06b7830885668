import { ChildProcess, spawn } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as path from 'path';
import { createInterface } from 'readline';
import { AddressInfo } from 'net';
import { TestApp, startTestApp } from '../support/test-app';
import { BrowserSession, invited, setUpAdmin } from '../support/identity';

/**
 * Single sign-on end to end against a real OpenID provider (oidc-provider, in a child
 * process, test/support/oidc/provider.mjs), driven over HTTP like a browser: the API's login
 * redirect, the provider's login form, its redirect back, the API's callback and session.
 * Then the provider's JWT access tokens as bearer tokens of the API.
 */
const CLIENT_ID = 'helpdesk-api';
const CLIENT_SECRET = 'a-client-secret-for-the-tests-0123456789';
const AUDIENCE = 'https://api.helpdesk.test';
const TEST_REDIRECT = 'http://127.0.0.1:9/test-client-callback';

interface Provider {
  child: ChildProcess;
  issuer: string;
  configure(setup: object): Promise<void>;
}

function startProvider(): Promise<Provider> {
  const child = spawn(process.execPath, [path.join(__dirname, '../support/oidc/provider.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const lines = createInterface({ input: child.stdout! });
  const next = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the OpenID provider did not say ${prefix}: ${stderr}`)), 20_000);
      const onLine = (line: string) => {
        if (!line.startsWith(prefix)) return;
        clearTimeout(timer);
        lines.off('line', onLine);
        resolve(line);
      };
      lines.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${stderr}`)));
    });
  return next('PORT').then((line) => ({
    child,
    issuer: `http://127.0.0.1:${line.split(' ')[1]}`,
    configure: async (setup) => {
      const ready = next('READY');
      child.stdin!.write(`${JSON.stringify(setup)}\n`);
      await ready;
    },
  }));
}

/** a browser's cookie jar, good enough for two hosts on 127.0.0.1 */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=0$/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

describe('identity: single sign-on with a real OpenID provider (oidc-provider)', () => {
  let provider: Provider;
  let t: TestApp;
  let api: string;
  let admin: BrowserSession;

  beforeAll(async () => {
    provider = await startProvider();
    t = await startTestApp({
      env: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET, OIDC_AUDIENCE: AUDIENCE },
      now: new Date().toISOString(),
    });
    await t.app.listen(0, '127.0.0.1');
    api = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await provider.configure({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`${api}/api/auth/oidc/callback`, TEST_REDIRECT],
      audience: AUDIENCE,
      accounts: [
        { sub: 'emp-001', email: 'Ana.Lopez@Mesa.example.mx', emailVerified: true, name: 'Ana', password: 'idp-password-ana' },
        { sub: 'emp-002', email: 'intruso@example.mx', emailVerified: true, name: 'Intruso', password: 'idp-password-x' },
        { sub: 'emp-003', email: 'beto@mesa.example.mx', emailVerified: false, name: 'Beto', password: 'idp-password-beto' },
        { sub: 'emp-004', email: 'carla@mesa.example.mx', emailVerified: true, name: 'Carla', password: 'idp-password-carla' },
      ],
    });
    admin = await setUpAdmin(t);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    provider?.child.stdin?.end();
    provider?.child.kill();
  });

  /** follows redirects by hand (cookies per hop) until `stop` says so; answers that response */
  async function follow(url: string, jar: Jar, stop: (url: string) => boolean, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let current = url;
    let options: RequestInit = init;
    for (let hops = 0; hops < 15; hops++) {
      const res = await fetch(current, { ...options, redirect: 'manual', headers: { ...(options.headers as Record<string, string>), cookie: jar.header() } });
      jar.take(res);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      current = new URL(location, current).href;
      if (stop(current)) return { res, url: current };
      options = {};
    }
    throw new Error('too many redirects');
  }

  /** the browser journey: API login -> provider login form -> back to the API's callback */
  async function ssoSignIn(login: string, password: string): Promise<{ jar: Jar; landing: string }> {
    const jar = new Jar();
    const toForm = await follow(`${api}/api/auth/oidc/login`, jar, (u) => u.includes('/interaction/'));
    expect(jar.get('hd_oidc')).toBeTruthy();
    const form = await fetch(toForm.url, { headers: { cookie: jar.header() } });
    expect(form.status).toBe(200);
    const action = /action="([^"]+)"/.exec(await form.text())![1];
    const back = await follow(
      new URL(action, toForm.url).href,
      jar,
      (u) => !u.startsWith(provider.issuer) && !u.startsWith(`${api}/api/auth/oidc/callback`),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login, password }).toString() },
    );
    return { jar, landing: back.url };
  }

  it('GET /api/auth/providers says SSO is on; the login redirect uses PKCE (S256), state and nonce', async () => {
    expect((await t.http.get('/api/auth/providers').expect(200)).body).toEqual({ password: true, oidc: true });
    const res = await fetch(`${api}/api/auth/oidc/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}`).toBe(provider.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${api}/api/auth/oidc/callback`,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
    });
    expect(res.headers.getSetCookie().join()).toMatch(/hd_oidc=.+; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600/);
  });

  it('an invited staff member signs in with the provider (matched by verified email): the invitation is accepted, roles stay ours', async () => {
    const inv = await admin.post('/api/users/invitations', { email: 'ana.lopez@mesa.example.mx', name: 'Ana López', kind: 'staff', roles: ['supervisor'] }).expect(201);
    const { jar, landing } = await ssoSignIn('emp-001', 'idp-password-ana');
    expect(landing).toBe(`${api}/`);
    expect(jar.get('hd_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jar.get('hd_oidc')).toBeUndefined();
    const me = await fetch(`${api}/api/me`, { headers: { cookie: `hd_session=${jar.get('hd_session')}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: inv.body.userId, kind: 'staff', roles: ['supervisor'], authenticatedBy: 'session', email: 'ana.lopez@mesa.example.mx' });
    const user = await admin.get(`/api/users/${inv.body.userId}`).set('X-Min-Position', String(await t.events.headPosition())).expect(200);
    expect(user.body).toMatchObject({ status: 'active' });
    const accepted = (await t.events.readStream(`user-${inv.body.userId}`)).find((e) => e.type === 'InvitationAccepted');
    expect(accepted!.data).toMatchObject({ method: 'oidc' });
  });

  it('someone who was not invited, or whose email the provider did not verify, is sent back with an error and no session', async () => {
    const stranger = await ssoSignIn('emp-002', 'idp-password-x');
    expect(stranger.landing).toBe(`${api}/sign-in?error=sso-unknown-user`);
    expect(stranger.jar.get('hd_session')).toBeUndefined();
    await admin.post('/api/users/invitations', { email: 'beto@mesa.example.mx', name: 'Beto', kind: 'staff', roles: ['agent'] }).expect(201);
    const unverified = await ssoSignIn('emp-003', 'idp-password-beto');
    expect(unverified.landing).toBe(`${api}/sign-in?error=sso-refused`);
    expect(unverified.jar.get('hd_session')).toBeUndefined();
    // a callback without the flow's cookie (or with a forged state) is refused too
    const forged = await fetch(`${api}/api/auth/oidc/callback?code=abc&state=xyz`, { redirect: 'manual' });
    expect(forged.status).toBe(302);
    expect(forged.headers.get('location')).toBe('/sign-in?error=sso-refused');
    const log = await t.http
      .get('/api/audit/access?limit=200')
      .set(t.auth('audi', ['auditor']))
      .set('X-Min-Position', String(await t.events.headPosition()))
      .expect(200);
    const failures = log.body.items.filter((e: { action: string }) => e.action === 'sign-in-failed').map((e: { email: string; detail: { reason: string } }) => [e.email, e.detail.reason]);
    expect(failures).toEqual(expect.arrayContaining([['intruso@example.mx', 'sso-unknown-user'], ['beto@mesa.example.mx', 'sso-refused']]));
  });

  it("a deactivated person's SSO is refused; a wrong password at the provider never reaches the API", async () => {
    const carla = await invited(t, admin, { email: 'carla@mesa.example.mx', name: 'Carla', kind: 'staff', roles: ['agent'] });
    await admin.post(`/api/users/${carla.userId}/deactivation`, { reason: 'baja' }).expect(200);
    expect((await ssoSignIn('emp-004', 'idp-password-carla')).landing).toBe(`${api}/sign-in?error=sso-unknown-user`);
    const jar = new Jar();
    const toForm = await follow(`${api}/api/auth/oidc/login`, jar, (u) => u.includes('/interaction/'));
    const form = await fetch(toForm.url, { headers: { cookie: jar.header() } });
    const action = /action="([^"]+)"/.exec(await form.text())![1];
    const wrong = await fetch(new URL(action, toForm.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'emp-001', password: 'not-it' }).toString(),
    });
    expect(wrong.status).toBe(401);
  });

  it("the provider's JWT access tokens are bearer tokens of the API for linked staff (signature through the JWKS, issuer, audience)", async () => {
    // (Ana's provider identity was linked to her user by her sign-in above)
    // a client of the provider gets a token for the API's audience for Ana (code flow with PKCE)
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const jar = new Jar();
    const authorize = new URL(`${provider.issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: TEST_REDIRECT,
      scope: 'openid api',
      resource: AUDIENCE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'test-state',
    }).toString();
    const toForm = await follow(authorize.href, jar, (u) => u.includes('/interaction/'));
    const form = await fetch(toForm.url, { headers: { cookie: jar.header() } });
    const action = /action="([^"]+)"/.exec(await form.text())![1];
    const back = await follow(new URL(action, toForm.url).href, jar, (u) => u.startsWith(TEST_REDIRECT), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'emp-001', password: 'idp-password-ana' }).toString(),
    });
    const code = new URL(back.url).searchParams.get('code')!;
    const tokenRes = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT, code_verifier: verifier, resource: AUDIENCE }).toString(),
    });
    if (tokenRes.status !== 200) throw new Error(`token: ${tokenRes.status} ${await tokenRes.text()} after ${back.url}: ${await back.res.text()}`);
    const { access_token: accessToken } = (await tokenRes.json()) as { access_token: string };
    expect(accessToken.split('.')).toHaveLength(3);

    const me = await t.http.get('/api/me').set('Authorization', `Bearer ${accessToken}`).expect(200);
    expect(me.body).toMatchObject({ kind: 'staff', email: 'ana.lopez@mesa.example.mx', roles: ['supervisor'], authenticatedBy: 'token', csrfToken: null });
    await t.http.get('/api/queue').set('Authorization', `Bearer ${accessToken}`).expect(200);
    // no CSRF token needed with a bearer token; the API's own roles apply (a supervisor is no admin)
    await t.http.post('/api/customers').set('Authorization', `Bearer ${accessToken}`).send({ name: 'X' }).expect(403);
    // edited: refused
    const [h, p, s] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const edited = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'emp-004' })).toString('base64url')}.${s}`;
    expect((await t.http.get('/api/me').set('Authorization', `Bearer ${edited}`).expect(401)).body.code).toBe('unauthenticated');

    // a client-credentials token (no person) is not a staff member's
    const machine = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api', resource: AUDIENCE }).toString(),
    });
    const machineToken = ((await machine.json()) as { access_token: string }).access_token;
    expect((await t.http.get('/api/me').set('Authorization', `Bearer ${machineToken}`).expect(401)).body.code).toBe('unauthenticated');

    // once Ana is deactivated her provider token no longer works
    const ana = (await admin.get('/api/users?kind=staff&limit=200').expect(200)).body.items.find((u: { email: string }) => u.email === 'ana.lopez@mesa.example.mx');
    await admin.post(`/api/users/${ana.userId}/deactivation`, { reason: 'baja' }).expect(200);
    await t.http.get('/api/me').set('Authorization', `Bearer ${accessToken}`).expect(401);
  });
});
