/**
 * Child process of test/api/work-log-repair.spec.ts: starts the real API on DATA_DIR and
 * POSTs one work log over HTTP. Run with HELPDESK_FAULT=exit-after-deduction, the LogWork
 * handler exits the process right after the MinutesDeducted append on the policy stream and
 * before the WorkLogged append on the ticket: a crash between the two writes.
 *
 *   node -r @swc-node/register test/support/work-log-child.ts
 *   env: DATA_DIR, JWT_SECRET, HELPDESK_PRESET, NOW (ISO), TICKET_ID, WORK_LOG (JSON body), ENGINEER
 * Exit codes: 86 = the injected fault fired; 0 = the request completed (prints its answer); 1 = error.
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
    HELPDESK_PRESET: env.HELPDESK_PRESET ?? 'impera',
    SCHEDULER_INTERVAL_MS: '3600000',
  });
  const now = env.NOW ?? new Date().toISOString();
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const app = await createApp({ config, events, views, clock: { now: () => new Date(now) } }, { logger: false });
  const token = signToken(secret, env.ENGINEER ?? 'ana', ['agent']);
  const r = await request(app.getHttpServer())
    .post(`/api/tickets/${env.TICKET_ID}/work-logs`)
    .set('Authorization', `Bearer ${token}`)
    .send(JSON.parse(env.WORK_LOG!));
  process.stdout.write(JSON.stringify({ status: r.status, body: r.body }) + '\n');
  await app.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
