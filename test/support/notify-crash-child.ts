/**
 * Child process of test/api/notifications-crash.spec.ts: starts the real API on DATA_DIR with
 * SMTP_URL, seeds the assignee, opens a ticket and assigns it over HTTP. Run with
 * HELPDESK_FAULT=exit-after-mail-send, the mail dispatcher exits the process right after the
 * SMTP server accepted the message and before the delivery is marked sent.
 *
 *   node -r @swc-node/register test/support/notify-crash-child.ts
 *   env: DATA_DIR, JWT_SECRET, SMTP_URL, MAIL_FROM, NOW (ISO)
 * Exit codes: 86 = the injected fault fired; 0 = it did not (prints why); 1 = error.
 */
import 'reflect-metadata';
import * as path from 'path';
import request from 'supertest';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { signToken } from '../../apps/api/src/http/auth';
import { seedPeople } from './people';

async function main(): Promise<void> {
  const env = process.env;
  const dataDir = env.DATA_DIR!;
  const secret = env.JWT_SECRET!;
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: secret,
    HELPDESK_PRESET: 'impera',
    SCHEDULER_INTERVAL_MS: '3600000',
    SMTP_URL: env.SMTP_URL!,
    MAIL_FROM: env.MAIL_FROM!,
    NOTIFY_POLL_MS: '50',
  });
  const now = env.NOW ?? new Date().toISOString();
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const app = await createApp({ config, events, views, clock: { now: () => new Date(now) } }, { logger: false });
  await seedPeople(views, [{ userId: 'ana', kind: 'staff', email: 'ana@staff.example.test', name: 'Ana', roles: ['agent'] }]);
  const http = request(app.getHttpServer());
  const auth = (sub: string, roles: string[], customerId?: string) => ({ Authorization: `Bearer ${signToken(secret, sub, roles, customerId)}` });
  const c = await http.post('/api/customers').set(auth('root', ['admin'])).send({ name: 'Acme' });
  const t = await http.post('/api/tickets').set(auth('cli', ['customer'], c.body.customerId)).send({ department: 'support', subject: 'Correo caído', description: 'x' });
  const a = await http.post(`/api/tickets/${t.body.ticketId}/assignment`).set(auth('sara', ['supervisor'])).send({ assigneeId: 'ana' });
  process.stdout.write(JSON.stringify({ ticketId: t.body.ticketId, assignment: a.status }) + '\n');
  // the dispatcher sends in the background; the fault ends the process
  await new Promise((r) => setTimeout(r, 15_000));
  process.stdout.write('the fault did not fire\n');
  await app.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
