/**
 * npm run bench:notify — notifications produced and e-mails delivered per second to a local
 * SMTP server (smtp-server in this process), with the time from the event to the delivery.
 *
 * The SMTP server runs in a child process (smtp-server), as a mail server would. The real API
 * (createApp: embedded stores, in-process projector with the notifier, the mail dispatcher
 * over SMTP_URL) receives ticket assignments at a steady rate (default 200/s for
 * 10 s), each one event that notifies one agent. For every event: when it was appended, when
 * its notification was recorded (the live feed), when the SMTP server had the message (by its
 * Message-ID). Baseline in the same process: nodemailer alone sending the same number of
 * messages as fast as it can over the same pool size to the same server.
 *
 *   npm run bench:notify -- --rate 200 --seconds 10 --agents 20
 * Last line: {"bench":"notify","deliveredPerSec":..,"eventToDeliveryP99Ms":..,...}
 */
import 'reflect-metadata';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as nodemailer from 'nodemailer';
import { fork } from 'child_process';
import { CommandEnvelope, CommandPipeline } from '../libs/application/src';
import { customerDecider } from '../libs/domain/src';
import { notificationIdOf } from '../libs/domain/src/notifications';
import { SqliteEventStore } from '../libs/event-store/src';
import { SqliteReadStore, type WriteOp } from '../libs/read-store/src';
import { createApp } from '../apps/api/src/app';
import { TicketDeciderProvider } from '../apps/api/src/application/handlers';
import { loadConfig } from '../apps/api/src/config';
import { NOTIFICATIONS, NotificationsRuntime } from '../apps/api/src/notifications/runtime';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rate = arg('rate', 200);
const seconds = arg('seconds', 10);
const agents = arg('agents', 20);
const concurrency = arg('concurrency', 8);
const total = Math.round(rate * seconds);
const MAIL_DOMAIN = 'bench.example.test';

/** the SMTP server, in a child process: notes when each Message-ID arrived */
async function startSink(): Promise<{ url: string; arrivals: Map<string, number>; count: () => number; close: () => Promise<void> }> {
  const arrivals = new Map<string, number>();
  let count = 0;
  const child = fork(path.join(__dirname, 'support/smtp-sink.ts'), [], { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: { port?: number; messageId?: string | null; at?: number }) => {
      if (m.port) return resolve(m.port);
      count++;
      if (m.messageId && !arrivals.has(m.messageId)) arrivals.set(m.messageId, m.at!);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    count: () => count,
    close: async () => {
      child.disconnect();
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** ms since the epoch, sub-millisecond: comparable with the sink's clock */
const nowMs = () => performance.timeOrigin + performance.now();

const percentile = (sorted: number[], q: number) => (sorted.length ? +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1) : NaN);

async function baseline(url: string, n: number): Promise<number> {
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: concurrency, maxMessages: 1000 } as never);
  const started = nowMs();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await transport.sendMail({ from: `soporte@${MAIL_DOMAIN}`, to: `agent-${i % agents}@staff.example.test`, subject: `baseline ${i}`, text: 'x'.repeat(600), html: `<p>${'x'.repeat(600)}</p>`, messageId: `<baseline-${i}@${MAIL_DOMAIN}>` });
    }
  };
  await Promise.all(Array.from({ length: concurrency * 2 }, worker));
  const perSec = n / ((nowMs() - started) / 1000);
  transport.close();
  return perSec;
}

async function main(): Promise<void> {
  const sink = await startSink();
  const baselinePerSec = await baseline(sink.url, Math.max(200, Math.min(total, 2000)));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-notify-'));
  const config = loadConfig({
    DATA_DIR: dir,
    JWT_SECRET: 'bench-secret-for-notifications',
    HELPDESK_PRESET: 'impera',
    SCHEDULER_INTERVAL_MS: '3600000',
    SMTP_URL: sink.url,
    MAIL_FROM: `Mesa de ayuda <soporte@${MAIL_DOMAIN}>`,
    MAIL_CONCURRENCY: String(concurrency),
    NOTIFY_POLL_MS: '200',
  });
  const events = SqliteEventStore.open(path.join(dir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dir, 'views.db'));
  const app = await createApp({ config, events, views }, { logger: false });
  const rt = app.get(NOTIFICATIONS) as NotificationsRuntime;
  const pipeline = app.get(CommandPipeline);
  const decider = app.get(TicketDeciderProvider).decider;

  // the agents, in the users read model
  const people: WriteOp[] = Array.from({ length: agents }, (_, i) => ({
    kind: 'put',
    collection: 'users',
    doc: { _id: `agent-${i}`, _pos: 1, userId: `agent-${i}`, kind: 'staff', email: `agent-${i}@staff.example.test`, name: `Agent ${i}`, roles: ['agent'], customerId: null, approver: false, status: 'active', language: 'es-MX' },
  }));
  await views.ensureCollections([{ name: 'users', indexes: [] }]);
  await views.applyBatch(people);

  const env = (actor = 'sara', roles = ['supervisor']): CommandEnvelope => ({ actor: { id: actor, roles }, correlationId: randomUUID(), causationId: null, now: new Date().toISOString() });
  const customerId = randomUUID();
  await pipeline.execute(`customer-${customerId}`, customerDecider, { type: 'RegisterCustomer', customerId, name: 'Cliente' }, env('root', ['admin']));
  // one ticket per assignment per second, so that assignments do not contend on a stream
  const ticketCount = Math.max(20, Math.ceil(rate));
  const tickets: Array<{ id: string; assignee: number }> = [];
  for (let i = 0; i < ticketCount; i++) {
    const ticketId = randomUUID();
    await pipeline.execute(
      `ticket-${ticketId}`,
      decider,
      { type: 'OpenTicket', ticketId, customerId, department: 'support', subject: `Caso ${i}`, description: 'x', facts: { customer: { exists: true } } } as never,
      env('ana', ['agent']),
    );
    tickets.push({ id: ticketId, assignee: -1 });
  }
  await rt.mail!.idle(30_000);

  const recorded = new Map<string, number>();
  rt.feed.subscribeAll((n) => recorded.set(n.notificationId, nowMs()));

  const appended: Array<{ position: bigint; at: number; assignee: string }> = [];
  let failures = 0;
  const one = async (i: number) => {
    const t = tickets[i % tickets.length];
    const next = (t.assignee + 1 + (i % 3)) % agents === t.assignee ? (t.assignee + 1) % agents : (t.assignee + 1 + (i % 3)) % agents;
    t.assignee = next;
    try {
      const r = await pipeline.execute(`ticket-${t.id}`, decider, { type: 'AssignTicket', ticketId: t.id, assigneeId: `agent-${next}` } as never, env());
      appended.push({ position: r.position, at: nowMs(), assignee: `agent-${next}` });
    } catch {
      failures++;
    }
  };
  const pending: Promise<void>[] = [];
  const started = nowMs();
  let sent = 0;
  while (sent < total) {
    const due = Math.floor(((nowMs() - started) / 1000) * rate);
    while (sent < Math.min(due, total)) pending.push(one(sent++));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const offeredSeconds = (nowMs() - started) / 1000;

  // every event's message id, then wait for the messages
  const expected: Array<{ messageId: string; notificationId: string; at: number }> = [];
  for (const a of appended) {
    const [e] = await events.readAll({ after: a.position - 1n, maxCount: 1 });
    const notificationId = notificationIdOf(e.id, a.assignee, 'ticket-assigned');
    expected.push({ messageId: `<${notificationId}@${MAIL_DOMAIN}>`, notificationId, at: a.at });
  }
  const deadline = nowMs() + 120_000;
  while (nowMs() < deadline && expected.some((x) => !sink.arrivals.has(x.messageId))) await new Promise((r) => setTimeout(r, 20));

  const deliveries = expected.filter((x) => sink.arrivals.has(x.messageId));
  const toDelivery = deliveries.map((x) => sink.arrivals.get(x.messageId)! - x.at).sort((a, b) => a - b);
  const toRecord = expected.filter((x) => recorded.has(x.notificationId)).map((x) => recorded.get(x.notificationId)! - x.at).sort((a, b) => a - b);
  const firstEvent = Math.min(...expected.map((x) => x.at));
  const lastDelivery = Math.max(...deliveries.map((x) => sink.arrivals.get(x.messageId)!));
  const lastRecord = Math.max(...expected.map((x) => recorded.get(x.notificationId) ?? 0));
  const deliveredPerSec = Math.round(deliveries.length / ((lastDelivery - firstEvent) / 1000));
  const producedPerSec = Math.round(recorded.size / ((lastRecord - firstEvent) / 1000));
  const duplicates = sink.count() - Math.max(200, Math.min(total, 2000)) - deliveries.length;

  await app.close();
  await sink.close();
  fs.rmSync(dir, { recursive: true, force: true });

  console.log(`offered ${total} assignments at ${Math.round(total / offeredSeconds)}/s (asked ${rate}/s for ${seconds} s) to ${agents} agents; ${failures} commands failed`);
  console.log(`notifications recorded: ${recorded.size} at ${producedPerSec}/s; event to recorded p50 ${percentile(toRecord, 0.5)} ms, p99 ${percentile(toRecord, 0.99)} ms`);
  console.log(`e-mails delivered: ${deliveries.length}/${expected.length} at ${deliveredPerSec}/s; event to delivery p50 ${percentile(toDelivery, 0.5)} ms, p99 ${percentile(toDelivery, 0.99)} ms, max ${percentile(toDelivery, 1)} ms; extra messages: ${duplicates}`);
  console.log(`baseline (nodemailer alone, ${concurrency} pooled connections, same server): ${Math.round(baselinePerSec)}/s; delivered/s is ${((deliveredPerSec / baselinePerSec) * 100).toFixed(0)}% of it (at the offered rate, not the limit)`);
  console.log(
    JSON.stringify({
      bench: 'notify',
      deliveredPerSec,
      producedPerSec,
      eventToDeliveryP50Ms: percentile(toDelivery, 0.5),
      eventToDeliveryP99Ms: percentile(toDelivery, 0.99),
      eventToRecordedP99Ms: percentile(toRecord, 0.99),
      delivered: deliveries.length,
      events: expected.length,
      offeredPerSec: rate,
      baselinePerSec: Math.round(baselinePerSec),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
