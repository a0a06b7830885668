/**
 * The real API on a temporary DATA_DIR, listening on an ephemeral port, serving the built
 * console at / (like test/support/test-app.ts, with the system clock: the browser and the
 * server agree on "now"). Seeding goes through the HTTP API like any client.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { createApp } from '../../../apps/api/src/app';
import { loadConfig } from '../../../apps/api/src/config';
import { signToken } from '../../../apps/api/src/http/auth';
import { WEB_DIR, ensureConsoleBuilt } from './console-build';

export const WEB_TEST_SECRET = 'test-secret-for-the-browser-suites';

export interface WebApp {
  app: NestFastifyApplication;
  baseUrl: string;
  dataDir: string;
  token(sub: string, roles: string[], customerId?: string, claims?: Record<string, unknown>): string;
  /** a JSON call as a client would make it (throws with the problem on a non-2xx answer unless `expect` allows it) */
  call<T = any>(token: string, method: string, url: string, body?: unknown, expectStatus?: number): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startWebApp(options: { preset?: string; env?: Record<string, string> } = {}): Promise<WebApp> {
  await ensureConsoleBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-web-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: WEB_TEST_SECRET,
    HELPDESK_PRESET: options.preset ?? 'impera',
    SCHEDULER_INTERVAL_MS: '3600000',
    PASSWORD_SCRYPT_LN: '10',
    WEB_DIR,
    ...options.env,
  });
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const app = await createApp({ config, events, views }, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = (sub: string, roles: string[], customerId?: string, claims: Record<string, unknown> = {}) => {
    if (Object.keys(claims).length === 0) return signToken(WEB_TEST_SECRET, sub, roles, customerId);
    // extra claims (approver: false) go into the same HS256 token
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jwt = require('jsonwebtoken') as typeof import('jsonwebtoken');
    return jwt.sign({ sub, roles, ...(customerId ? { customerId } : {}), ...claims }, WEB_TEST_SECRET, { algorithm: 'HS256', expiresIn: '2h' });
  };
  return {
    app,
    baseUrl,
    dataDir,
    token,
    async call(tok, method, url, body, expectStatus) {
      const res = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${tok}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (expectStatus !== undefined ? res.status !== expectStatus : !res.ok) {
        throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
      }
      return { status: res.status, body: parsed };
    },
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** today's date in the company's zone (policies start on it) */
export const todayInMexico = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date());

export async function seedCustomer(web: WebApp, name: string, options: { plan?: 'basic' | 'business' | 'business-plus' | 'corporate'; minutes?: number } = {}) {
  const admin = web.token('root', ['admin']);
  const customerId = randomUUID();
  const registered = await web.call(admin, 'POST', '/api/customers', { customerId, name });
  let policyId: string | null = null;
  let position = registered.body.position as number;
  if (options.plan) {
    policyId = randomUUID();
    const p = await web.call(admin, 'POST', '/api/policies', { policyId, customerId, plan: options.plan, startsOn: todayInMexico(), ...(options.minutes ? { minutes: options.minutes } : {}) });
    position = p.body.position;
  }
  return { customerId, policyId, position };
}

// one real contact per customer opens the seeded tickets, so screens show a person's name (never an id)
const CONTACT_NAMES = ['Marta Gómez', 'Julián Herrera', 'Paola Ríos', 'Tomás Aguilar'];
const seededContacts = new WeakMap<WebApp, Map<string, Promise<string>>>();

async function seedContact(web: WebApp, customerId: string): Promise<string> {
  let byCustomer = seededContacts.get(web);
  if (!byCustomer) seededContacts.set(web, (byCustomer = new Map()));
  let contact = byCustomer.get(customerId);
  if (!contact) {
    const name = CONTACT_NAMES[byCustomer.size % CONTACT_NAMES.length];
    const email = `contacto-${customerId.slice(0, 8)}@clientes.test`;
    contact = web
      .call(web.token('root', ['admin']), 'POST', '/api/users/invitations', { email, name, kind: 'contact', customerId, approver: false }, 201)
      .then((r) => r.body.userId as string);
    byCustomer.set(customerId, contact);
  }
  return contact;
}

export async function seedTicket(web: WebApp, customerId: string, subject: string, extra: Record<string, unknown> = {}) {
  const contact = web.token(await seedContact(web, customerId), ['customer'], customerId, { approver: false });
  const ticketId = randomUUID();
  const r = await web.call(contact, 'POST', '/api/tickets', { ticketId, department: 'support', subject, description: `${subject}: descripción del problema`, ...extra });
  return { ticketId, position: r.body.position as number };
}
