/**
 * People for the part-2 browser suites, made the way an administrator makes them (an
 * invitation through the identity API, accepted with a password), and their real sessions:
 * over HTTP for seeding (the session cookie and the CSRF header, as the console sends them),
 * and in the browser (the same sign-in, made by the browser context, so the console starts
 * signed in with the cookie it set).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESKTOP, newContext } from './browser';
import type { WebApp } from './web-app';

export const PASSWORD = 'nopal azul sobre la mesa 7';

export interface Person {
  userId: string;
  email: string;
  name: string;
}

/** the invitation of a person (as an administrator's bearer token), accepted with PASSWORD */
export async function invitePerson(
  web: WebApp,
  body: { email: string; name: string; kind: 'staff' | 'contact'; roles?: string[]; customerId?: string; approver?: boolean },
): Promise<Person> {
  const admin = web.token('root', ['admin']);
  const inv = await web.call(admin, 'POST', '/api/users/invitations', { approver: false, ...body }, 201);
  const token = new URL(inv.body.invitationUrl as string).searchParams.get('token');
  const res = await fetch(`${web.baseUrl}/api/auth/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`accepting the invitation of ${body.email}: ${res.status} ${await res.text()}`);
  return { userId: inv.body.userId as string, email: body.email, name: body.name };
}

export interface ApiSession {
  person: Person;
  /** a JSON call with the session cookie (and the CSRF header on changes); throws unless the status is the expected one (any 2xx by default) */
  call<T = any>(method: string, url: string, body?: unknown, expectStatus?: number): Promise<{ status: number; body: T; position: number }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** signs in over HTTP (POST /api/auth/sign-in) and keeps the cookie and the CSRF token */
export async function signInApi(web: WebApp, person: Person): Promise<ApiSession> {
  const res = await fetch(`${web.baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${person.email}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const me = (await res.json()) as { csrfToken: string };
  let minPosition = 0;
  return {
    person,
    async call(method, url, body, expectStatus) {
      const headers: Record<string, string> = { cookie };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (method !== 'GET') headers['x-csrf-token'] = me.csrfToken;
      else if (minPosition > 0) headers['x-min-position'] = String(minPosition);
      const r = await fetch(`${web.baseUrl}${url}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined });
      const text = await r.text();
      const parsed = text && (r.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
      if (expectStatus !== undefined ? r.status !== expectStatus : !r.ok) throw new Error(`${person.email}: ${method} ${url} answered ${r.status}: ${text}`);
      const position = parsed && typeof parsed === 'object' && typeof parsed.position === 'number' ? parsed.position : 0;
      if (position > minPosition) minPosition = position;
      return { status: r.status, body: parsed, position };
    },
  };
}

/** a browser context signed in as `person` (the sign-in made by the context itself: its cookie jar holds the session) */
export async function browserSession(browser: Browser, web: WebApp, person: Person, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await newContext(browser, { viewport });
  const res = await context.request.post(`${web.baseUrl}/api/auth/sign-in`, { data: { email: person.email, password: PASSWORD } });
  if (res.status() !== 200) throw new Error(`browser sign-in of ${person.email}: ${res.status()} ${await res.text()}`);
  return context;
}

/** a page of the console at `path`, signed in, once the console says so */
export async function openAs(context: BrowserContext, web: WebApp, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${web.baseUrl}${path}`);
  await page.locator('#app[data-session="signed-in"]').waitFor();
  return page;
}
