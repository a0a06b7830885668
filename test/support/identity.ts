/**
 * Helpers for the identity API tests: browser-like sessions over supertest (the cookie and
 * the CSRF token as the web console keeps them), setup, invitations, sign-in.
 */
import { IdentityBootstrap } from '../../apps/api/src/identity/setup-link';
import { TestApp } from './test-app';

export const PASSWORD = 'nopal azul sobre la mesa 7';

export interface BrowserSession {
  cookie: string;
  csrf: string;
  me: Record<string, unknown> & { id: string };
  get(path: string): ReturnType<TestApp['http']['get']>;
  post(path: string, body?: object): ReturnType<TestApp['http']['post']>;
  patch(path: string, body?: object): ReturnType<TestApp['http']['patch']>;
}

/** the session cookie a response sets (name=value only), or null */
export function sessionCookieOf(res: { headers: Record<string, unknown> }): string | null {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const found = all.find((c) => c.startsWith('hd_session=') && !c.startsWith('hd_session=;'));
  return found ? found.split(';')[0] : null;
}

export function browser(t: TestApp, res: { headers: Record<string, unknown>; body: Record<string, unknown> }): BrowserSession {
  const cookie = sessionCookieOf(res);
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  const csrf = String(res.body.csrfToken);
  return {
    cookie,
    csrf,
    me: res.body as BrowserSession['me'],
    get: (path) => t.http.get(path).set('Cookie', cookie),
    post: (path, body) => t.http.post(path).set('Cookie', cookie).set('X-CSRF-Token', csrf).send(body ?? {}),
    patch: (path, body) => t.http.patch(path).set('Cookie', cookie).set('X-CSRF-Token', csrf).send(body ?? {}),
  };
}

export const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

/** a made-up client address, so that tests of refusals do not add up in the per-address throttle */
export const someIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

/** an anonymous client (sign-in, links) from an address of its own */
export const anonymous = (t: TestApp) => ({
  post: (path: string) => t.http.post(path).set('X-Forwarded-For', someIp()),
  get: (path: string) => t.http.get(path).set('X-Forwarded-For', someIp()),
});

/** the first administrator through the setup link printed at start */
export async function setUpAdmin(t: TestApp, email = 'root@mesa.example.mx', name = 'Rocío Admin'): Promise<BrowserSession> {
  const link = t.app.get(IdentityBootstrap).lastSetupLink;
  if (!link) throw new Error('no setup link was printed');
  const res = await anonymous(t).post('/api/auth/setup').send({ token: tokenOf(link), email, name, password: PASSWORD }).expect(200);
  return browser(t, res);
}

export async function signIn(t: TestApp, email: string, password = PASSWORD, extra: Record<string, string> = {}): Promise<BrowserSession> {
  const res = await anonymous(t).post('/api/auth/sign-in').send({ email, password, ...extra });
  if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return browser(t, res);
}

/** invites (as `by`) and accepts the invitation; answers the new person's session */
export async function invited(
  t: TestApp,
  by: BrowserSession,
  body: { email: string; name: string; kind: 'staff' | 'contact'; roles?: string[]; customerId?: string; approver?: boolean },
  password = PASSWORD,
): Promise<BrowserSession & { userId: string }> {
  const inv = await by.post('/api/users/invitations', body);
  if (inv.status !== 201) throw new Error(`invitation of ${body.email}: ${inv.status} ${JSON.stringify(inv.body)}`);
  const res = await anonymous(t).post('/api/auth/invitations/accept').send({ token: tokenOf(inv.body.invitationUrl), password });
  if (res.status !== 200) throw new Error(`acceptance of ${body.email}: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...browser(t, res), userId: inv.body.userId };
}
