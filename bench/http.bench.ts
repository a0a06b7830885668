/**
 * npm run bench:http [-- --seconds 5] [--connections 1,32,256] [--profile <dir>]
 *
 * The API over HTTP, as `npm start` runs it (embedded stores, projector and scheduler in the
 * process), in a process of its own, driven by autocannon from this one:
 *   openTicket   POST /api/tickets, a new stream (and topic claim) each
 *   postMessage  POST /api/tickets/{id}/messages, all on ONE ticket (contended stream)
 *   logWork      POST /api/tickets/{id}/work-logs against a policy estimate (two streams:
 *                the policy's, contended, and the ticket's; 32 tickets round robin)
 *   queuePage    GET /api/queue?limit=50
 *   ticketDetail GET /api/tickets/{id}
 * and, in the same run and at the same connection counts, a bare Fastify app in another
 * process (GET /bare, POST /bare): what one Node process answering HTTP does on this machine.
 * Afterwards every acknowledged command is looked up in the event log (nothing acknowledged
 * may be missing). --profile <dir> records a CPU profile of the API process for each workload
 * and connection count (<dir>/<workload>-<connections>.cpuprofile; read them with
 * bench/support/profile-summary.ts); --only <workload,...> runs a subset.
 * Last line: {"bench":"http","openTicketPerSec":..,"queuePagePerSec":..,"bareGetPerSec":..,"barePostPerSec":..,"p99Ms":{..},..}
 * Figures at 32 connections are the ones the targets name; the machine is shared, so read the
 * ratios to the bare routes measured in the same run.
 */
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { signToken } from '../apps/api/src/http/auth';
import { SqliteEventStore } from '../libs/event-store/src';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(arg('seconds') ?? 5);
const CONNECTIONS = (arg('connections') ?? '1,32,256').split(',').map(Number);
const PROFILE = arg('profile');
/** run only these workloads (e.g. --only queuePage,bareGet), for profiling one at a time */
const ONLY = arg('only')?.split(',');
const SECRET = 'bench-secret-for-the-http-benchmark';

interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** asks the server process for something and waits for its answer */
  ask(message: unknown, answer: string): Promise<void>;
}

function startServer(kind: 'api' | 'bare', dataDir?: string): Promise<Server> {
  const execArgv = ['-r', '@swc-node/register'];
  if (kind === 'api' && PROFILE) fs.mkdirSync(PROFILE, { recursive: true });
  const child = fork(path.join(__dirname, 'support', 'http-server.ts'), [kind, ...(dataDir ? [dataDir] : [])], {
    execArgv,
    env: { ...process.env, JWT_SECRET: SECRET, NODE_ENV: 'production' },
    // the API's stdout is its JSON log (a line per request): written, then discarded
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (m: { port: number }) => {
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${m.port}`,
        child,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.send('stop');
          }),
        ask: (message, answer) =>
          new Promise<void>((done) => {
            const on = (m: Record<string, unknown>) => {
              if (answer in m) {
                child.off('message', on);
                done();
              }
            };
            child.on('message', on);
            child.send(message as never);
          }),
      });
    });
  });
}

const token = (sub: string, roles: string[], customerId?: string) => `Bearer ${signToken(SECRET, sub, roles, customerId, '2h')}`;
const AGENT = token('bench-agent', ['agent']);
const ADMIN = token('bench-admin', ['admin']);

async function call(base: string, method: string, url: string, auth: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

interface Seeded {
  customerId: string;
  detailTicketId: string;
  messageTicketId: string;
  workTickets: string[];
  policyId: string;
}

async function seed(base: string): Promise<Seeded> {
  const customerId = randomUUID();
  await call(base, 'POST', '/api/customers', ADMIN, { customerId, name: 'Hoteles del Bajío SA de CV' });
  const customer = token('bench-customer', ['customer'], customerId);
  const policyId = randomUUID();
  const startsOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  await call(base, 'POST', '/api/policies', ADMIN, { policyId, customerId, plan: 'corporate', startsOn, minutes: 1_000_000 });
  const open = async (subject: string) => {
    const ticketId = randomUUID();
    await call(base, 'POST', '/api/tickets', AGENT, { ticketId, customerId, department: 'support', subject, description: 'El sitio no carga desde dos dispositivos.' });
    return ticketId;
  };
  // an open queue of a few hundred tickets (the open-ticket runs add thousands more)
  for (let i = 0; i < 300; i++) await open(`Caso de la cola ${i}`);
  const detailTicketId = await open('El sitio web no carga desde dos dispositivos');
  await call(base, 'POST', `/api/tickets/${detailTicketId}/messages`, AGENT, { body: '¿Desde qué red se conectan?', visibility: 'public' });
  await call(base, 'POST', `/api/tickets/${detailTicketId}/messages`, customer, { body: 'Desde la oficina y desde el celular.', visibility: 'public' });
  const estimate = async (ticketId: string, minutes: number) => {
    const quoteId = randomUUID();
    await call(base, 'POST', `/api/tickets/${ticketId}/quotes`, AGENT, { quoteId, kind: 'policy-estimate', minutes, description: 'Revisión del DNS y del hosting' });
    await call(base, 'POST', `/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, customer, { decision: 'accept' });
  };
  await estimate(detailTicketId, 240);
  const today = new Date().toISOString().slice(0, 10);
  await call(base, 'POST', `/api/tickets/${detailTicketId}/work-logs`, AGENT, { minutes: 45, workedOn: today, description: 'Revisión de los registros DNS' });
  const messageTicketId = await open('Conversación larga');
  const workTickets: string[] = [];
  for (let i = 0; i < 32; i++) {
    const t = await open(`Trabajo sobre la póliza ${i}`);
    await estimate(t, 525_600);
    workTickets.push(t);
  }
  return { customerId, detailTicketId, messageTicketId, workTickets, policyId };
}

interface Point {
  workload: string;
  connections: number;
  perSec: number;
  p50: number;
  p99: number;
  ok: number;
  refused: Record<string, number>;
  errors: number;
}

/** the API server, when its CPU profile is recorded per workload (--profile) */
let profiledServer: Server | null = null;

/** acknowledged command ids per workload, checked against the log afterwards */
const acked = { openTicket: [] as string[], postMessage: [] as string[], logWork: [] as Array<{ ticketId: string; entryId: string }> };

async function drive(
  workload: string,
  connections: number,
  url: string,
  request: { method: 'GET' | 'POST'; path: string; auth?: string; body?: (context: Record<string, unknown>) => unknown; onAck?: (context: Record<string, unknown>) => void; path$?: (context: Record<string, unknown>) => string },
): Promise<Point | null> {
  if (ONLY && !ONLY.includes(workload)) return null;
  const profiled = PROFILE && profiledServer && !workload.startsWith('bare');
  if (profiled) await profiledServer!.ask({ profile: 'start' }, 'profiling');
  const headers: Record<string, string> = { ...(request.auth ? { authorization: request.auth } : {}), ...(request.method === 'POST' ? { 'content-type': 'application/json' } : {}) };
  const result = await autocannon({
    url,
    connections,
    duration: SECONDS,
    timeout: 30,
    requests: [
      {
        method: request.method,
        path: request.path,
        headers,
        setupRequest: (req, context) => {
          const c = context as Record<string, unknown>;
          const out = { ...req };
          if (request.path$) out.path = request.path$(c);
          if (request.body) out.body = JSON.stringify(request.body(c));
          return out;
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) request.onAck?.(context as Record<string, unknown>);
        },
      },
    ],
  });
  if (profiled) await profiledServer!.ask({ profile: 'stop', file: path.resolve(PROFILE!, `${workload}-${connections}.cpuprofile`) }, 'profiled');
  const refused: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) refused[code] = stat.count ?? 0;
  }
  return {
    workload,
    connections,
    perSec: Math.round(result.requests.total / SECONDS),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    refused,
    errors: result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-http-'));
  const api = await startServer('api', dataDir);
  if (PROFILE) profiledServer = api;
  const bare = await startServer('bare');
  const points: Point[] = [];
  let seeded: Seeded;
  try {
    seeded = await seed(api.url);
    const today = new Date().toISOString().slice(0, 10);
    let n = 0;
    const report = (p: Point | null) => {
      if (!p) return;
      points.push(p);
      const refused = Object.entries(p.refused).map(([c, k]) => `${k}×${c}`).join(' ');
      console.log(
        `${p.workload.padEnd(13)} ${String(p.connections).padStart(4)} conn  ${String(p.perSec).padStart(7)}/s  p50 ${String(p.p50).padStart(4)} ms  p99 ${String(p.p99).padStart(5)} ms` +
          `${refused ? `  refused ${refused}` : ''}${p.errors ? `  errors ${p.errors}` : ''}`,
      );
    };
    for (const connections of CONNECTIONS) {
      report(await drive('bareGet', connections, bare.url, { method: 'GET', path: '/bare' }));
      report(await drive('queuePage', connections, api.url, { method: 'GET', path: '/api/queue?limit=50', auth: AGENT }));
      report(await drive('ticketDetail', connections, api.url, { method: 'GET', path: `/api/tickets/${seeded.detailTicketId}`, auth: AGENT }));
      report(
        await drive('barePost', connections, bare.url, {
          method: 'POST',
          path: '/bare',
          body: () => ({ customerId: seeded.customerId, department: 'support', subject: `Caso ${++n}`, description: 'El sitio no carga desde dos dispositivos.' }),
        }),
      );
      report(
        await drive('openTicket', connections, api.url, {
          method: 'POST',
          path: '/api/tickets',
          auth: AGENT,
          body: (c) => {
            c.id = randomUUID();
            return { ticketId: c.id, customerId: seeded.customerId, department: 'support', subject: `Caso ${++n}`, description: 'El sitio no carga desde dos dispositivos.' };
          },
          onAck: (c) => acked.openTicket.push(c.id as string),
        }),
      );
      report(
        await drive('postMessage', connections, api.url, {
          method: 'POST',
          path: `/api/tickets/${seeded.messageTicketId}/messages`,
          auth: AGENT,
          body: (c) => {
            c.id = randomUUID();
            return { messageId: c.id, body: `Mensaje ${++n}`, visibility: 'internal' };
          },
          onAck: (c) => acked.postMessage.push(c.id as string),
        }),
      );
      report(
        await drive('logWork', connections, api.url, {
          method: 'POST',
          path: '/api/tickets/x/work-logs',
          auth: AGENT,
          path$: (c) => {
            c.ticketId = seeded.workTickets[++n % seeded.workTickets.length];
            return `/api/tickets/${c.ticketId}/work-logs`;
          },
          body: (c) => {
            c.id = randomUUID();
            return { entryId: c.id, minutes: 1, workedOn: today, description: 'Revisión' };
          },
          onAck: (c) => acked.logWork.push({ ticketId: c.ticketId as string, entryId: c.id as string }),
        }),
      );
    }
  } finally {
    await bare.stop();
    await api.stop();
  }

  // nothing acknowledged lost: every acknowledged command's events are in the log
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'), { readOnly: true });
  let lost = 0;
  for (const ticketId of acked.openTicket) {
    const s = await events.readStream(`ticket-${ticketId}`);
    if (!s.some((e) => e.type === 'TicketOpened')) lost++;
  }
  const messages = new Set((await events.readStream(`ticket-${seeded!.messageTicketId}`)).filter((e) => e.type === 'MessagePosted').map((e) => e.data.messageId as string));
  for (const id of acked.postMessage) if (!messages.has(id)) lost++;
  const deducted = new Set((await events.readStream(`policy-${seeded!.policyId}`)).filter((e) => e.type === 'MinutesDeducted').map((e) => e.data.entryId as string));
  const logged = new Set<string>();
  for (const t of seeded!.workTickets) for (const e of await events.readStream(`ticket-${t}`)) if (e.type === 'WorkLogged') logged.add(e.data.entryId as string);
  for (const { entryId } of acked.logWork) if (!deducted.has(entryId) || !logged.has(entryId)) lost++;
  await events.close();
  const checked = acked.openTicket.length + acked.postMessage.length + acked.logWork.length;
  console.log(`acknowledged commands checked in the log: ${checked}; missing: ${lost}`);
  if (!PROFILE) fs.rmSync(dataDir, { recursive: true, force: true });
  else console.log(`CPU profiles of the API process in ${path.resolve(PROFILE)} (node -r @swc-node/register bench/support/profile-summary.ts <file>); data in ${dataDir}`);

  const none: Point = { workload: '', connections: 0, perSec: 0, p50: 0, p99: 0, ok: 0, refused: {}, errors: 0 };
  const at = (workload: string, c = 32) => points.find((p) => p.workload === workload && p.connections === c) ?? points.find((p) => p.workload === workload) ?? none;
  const ref = CONNECTIONS.includes(32) ? 32 : CONNECTIONS[CONNECTIONS.length - 1];
  const ratio = (a: string, b: string) => (at(b, ref).perSec ? +(at(a, ref).perSec / at(b, ref).perSec).toFixed(3) : 0);
  console.log(
    `at ${ref} connections: queue page ${(ratio('queuePage', 'bareGet') * 100).toFixed(1)}% of the bare GET (target >= 25%, p99 < 50 ms), ` +
      `ticket detail ${(ratio('ticketDetail', 'bareGet') * 100).toFixed(1)}%, open ticket ${at('openTicket', ref).perSec}/s p99 ${at('openTicket', ref).p99} ms (target >= 1500/s, p99 < 100 ms); ` +
      `open ticket ${(ratio('openTicket', 'barePost') * 100).toFixed(1)}% of the bare POST`,
  );
  const p99Ms = Object.fromEntries(['openTicket', 'postMessage', 'logWork', 'queuePage', 'ticketDetail', 'bareGet', 'barePost'].map((w) => [w, at(w, ref).p99]));
  console.log(
    JSON.stringify({
      bench: 'http',
      connections: ref,
      openTicketPerSec: at('openTicket', ref).perSec,
      postMessagePerSec: at('postMessage', ref).perSec,
      logWorkPerSec: at('logWork', ref).perSec,
      queuePagePerSec: at('queuePage', ref).perSec,
      ticketDetailPerSec: at('ticketDetail', ref).perSec,
      bareGetPerSec: at('bareGet', ref).perSec,
      barePostPerSec: at('barePost', ref).perSec,
      queuePageOfBareGet: ratio('queuePage', 'bareGet'),
      ticketDetailOfBareGet: ratio('ticketDetail', 'bareGet'),
      openTicketOfBarePost: ratio('openTicket', 'barePost'),
      p99Ms,
      acknowledgedChecked: checked,
      lost,
      points: points.map((p) => ({ w: p.workload, c: p.connections, perSec: p.perSec, p50: p.p50, p99: p.p99, refused: p.refused, errors: p.errors })),
    }),
  );
  if (lost > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
