/**
 * Child process of test/api/notifications-crash.spec.ts: starts the real API on DATA_DIR with
 * SMTP_URL and assigns TICKET_ID to ASSIGNEE over HTTP (the test invited the assignee and
 * opened the ticket before). Run with HELPDESK_FAULT=exit-after-mail-send, the mail dispatcher
 * exits the process right after the SMTP server accepted the message and before the delivery
 * is marked sent.
 *
 *   node -r @swc-node/register test/support/notify-crash-child.ts
 *   env: DATA_DIR, JWT_SECRET, SMTP_URL, MAIL_FROM, NOW (ISO), TICKET_ID, ASSIGNEE
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
    PASSWORD_SCRYPT_LN: '12',
  });
  const now = env.NOW ?? new Date().toISOString();
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const app = await createApp({ config, events, views, clock: { now: () => new Date(now) } }, { logger: false });
  const http = request(app.getHttpServer());
  const auth = (sub: string, roles: string[]) => ({ Authorization: `Bearer ${signToken(secret, sub, roles)}` });
  const a = await http.post(`/api/tickets/${env.TICKET_ID}/assignment`).set(auth('sara', ['supervisor'])).send({ assigneeId: env.ASSIGNEE });
  process.stdout.write(JSON.stringify({ assignment: a.status }) + '\n');
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
