/**
 * npm run bench:projections [-- --events N]   (default 1,000,000)
 *
 * Rebuilds every read model from N realistic events (tickets opened, classified, assigned,
 * messages and responses, waits on the customer, quotes, authorizations and declines, work
 * logs with policy deductions or per-event charges, SLA warnings and breaches, closings and
 * reopenings; policies registered and deducted), generated deterministically in memory page
 * by page (never all at once), the way `npm run rebuild -- all` applies them (storeRun):
 *   - into the embedded SqliteReadStore (a file in the temp dir): tickets folded on the main
 *     thread and committed by the store's writer thread, the other projections on a projection
 *     worker thread with a connection of its own, 20,000-event pages;
 *   - into MongoDB when MONGO_URL is set (a database of its own, dropped afterwards);
 *   - into plain in-memory Maps through the same projections (the limit), in a child process
 *     with a large heap (every document is held at once).
 * Time counts projection work and store writes (and the index builds), not event generation
 * (reported apart). The process runs with the heap capped as `npm run rebuild` runs
 * (--max-old-space-size=768). Peak RSS is sampled after every page. Last line: one JSON object.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { fork } from 'child_process';
import type { StoredEvent } from '../libs/event-store/src';
import {
  BatchApplier,
  ParallelPages,
  PipelinedPages,
  ProjectionWorker,
  allProjections,
  splitForWorker,
  type PageTarget,
  type Projection,
  type ProjectionContext,
} from '../libs/projections/src';
import { MongoReadStore, SqliteReadStore, type ReadStore, type ReadStoreLocation } from '../libs/read-store/src';
import { prng } from '../test/support/prng';
export { prng };

/** events generated at a time (as `npm run rebuild` reads them) and applied between flushes */
export const PAGE = Number(process.env.BENCH_PAGE ?? 20_000);
export const FLUSH_EVERY = Number(process.env.BENCH_FLUSH_EVERY ?? 20_000);

// ------------------------------------------------------------------ deterministic generator


type Draft = { streamId: string; type: string; data: Record<string, unknown> };
type Step = (now: number) => Draft[];

const DEPARTMENTS = ['support', 'support', 'support', 'hosting', 'networks', 'billing', 'development'];
const PRIORITIES = ['low', 'low', 'medium', 'medium', 'medium', 'high'] as const;
const URGENT_MINUTES: Record<string, number> = { low: 4320, medium: 2880, high: 1440 };
const LOREM =
  'El servicio de correo no envía mensajes desde esta mañana; el cliente reporta error 550 al enviar a dominios externos y pide revisión urgente.';

const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number, w = 6) => String(n).padStart(w, '0');

/**
 * Generates `total` stored events in global order, page by page. About 250 tickets are in
 * flight at any time; each ticket is a script of steps run at random moments.
 */
export function* generateEvents(total: number, seed = 42, pageSize = PAGE): Generator<StoredEvent[]> {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const customers = 2_000;
  const policyRemaining = new Map<string, number>();
  const versions = new Map<string, number>();
  let position = 0;
  let clock = Date.parse('2026-01-05T15:00:00Z');
  const backlog: Draft[] = [];
  // policies first: every other customer has one (a quarter of them two)
  for (let c = 0; c < customers; c += 2) {
    for (let k = 0; k < (c % 8 === 0 ? 2 : 1); k++) {
      const policyId = `p-${pad(c)}-${k}`;
      const minutes = pick([300, 1200, 3000, 4200]);
      policyRemaining.set(policyId, minutes);
      backlog.push({
        streamId: `policy-${policyId}`,
        type: 'PolicyRegistered',
        data: {
          policyId,
          customerId: `c-${pad(c)}`,
          policyNumber: `POL-2026-${pad(c)}${k}`,
          plan: minutes === 300 ? 'basic' : minutes === 1200 ? 'business' : minutes === 3000 ? 'business-plus' : 'corporate',
          minutes,
          facilityMinutes: 0,
          onSiteMinutes: 0,
          products: ['web-hosting'],
          validFrom: '2026-01-01',
          validUntil: '2026-12-31',
          timeZone: 'America/Mexico_City',
          registeredBy: 'finance',
          registeredAt: iso(clock),
        },
      });
    }
  }
  const policyOf = (customer: number): string | null => (customer % 2 === 0 ? `p-${pad(customer)}-0` : null);

  let ticketSeq = 0;
  const inFlight: Array<{ steps: Step[]; next: number }> = [];

  const newTicket = (): { steps: Step[]; next: number } => {
    const n = ticketSeq++;
    const ticketId = `t-${pad(n, 7)}`;
    const stream = `ticket-${ticketId}`;
    const customer = Math.floor(Math.pow(random(), 2) * customers); // a few customers open most tickets
    const customerId = `c-${pad(customer)}`;
    const priority = pick(PRIORITIES);
    const steps: Step[] = [];
    let sla: Record<string, unknown> = {};
    let cycle = 1;
    const target = (now: number, reason: string, revision: number, prio: string) => {
      const minutes = URGENT_MINUTES[prio];
      return {
        cycle,
        revision,
        targetId: `${cycle}.${revision}`,
        reason,
        classification: prio,
        supportLevel: null,
        targetMinutes: minutes,
        warningMinutes: Math.round(minutes * 0.75),
        calendarId: 'mx-attention',
        mode: 'business-days',
        zone: 'America/Mexico_City',
        startedAt: iso(now),
        setAt: iso(now),
        elapsedBusinessMinutes: 0,
        dueAt: iso(now + minutes * 60_000 * 1.4),
        warningAt: iso(now + minutes * 45_000 * 1.4),
        presetName: 'impera',
        presetVersion: '2026.1',
      };
    };
    steps.push((now) => {
      sla = target(now, 'opened', 0, priority);
      return [
        {
          streamId: stream,
          type: 'TicketOpened',
          data: {
            ticketId,
            customerId,
            reporterId: `u-${customerId}`,
            department: pick(DEPARTMENTS),
            subject: `No funciona el correo ${n}`,
            topicKey: `email-service|no funciona el correo ${n}`,
            description: LOREM,
            stepsToReproduce: null,
            errorText: '550 5.7.1 relaying denied',
            product: 'email-service',
            channel: pick(['portal', 'portal', 'email']),
            attachments: [],
            scheme: 'priority',
            priority,
            severity: null,
            classificationSource: 'reported',
            supportLevel: null,
            escalationLevel: 1,
            receivedAt: iso(now),
            openedAt: iso(now),
            openedBy: `u-${customerId}`,
            openedByRole: 'customer',
            sla,
          },
        },
      ];
    });
    if (random() < 0.9)
      steps.push((now) => [
        { streamId: stream, type: 'TicketAssigned', data: { ticketId, assigneeId: `eng-${Math.floor(random() * 60)}`, previousAssigneeId: null, assignedBy: 'lead', assignedAt: iso(now) } },
      ]);
    if (random() < 0.25)
      steps.push((now) => {
        const to = pick(PRIORITIES);
        sla = { ...target(now, 'classified', 1, to), startedAt: sla.startedAt };
        return [
          {
            streamId: stream,
            type: 'TicketClassified',
            data: { ticketId, priority: to, severity: null, previousPriority: priority, previousSeverity: null, reason: 'impacto', classifiedBy: 'ana', classifiedAt: iso(now), sla },
          },
        ];
      });
    if (random() < 0.1)
      steps.push((now) => [
        {
          streamId: stream,
          type: 'SlaWarningRecorded',
          data: { ticketId, cycle, targetId: sla.targetId, warningAt: sla.warningAt, dueAt: sla.dueAt, elapsedBusinessMinutes: 100, recordedAt: iso(now) },
        },
      ]);
    if (random() < 0.05)
      steps.push((now) => [
        {
          streamId: stream,
          type: 'SlaBreachRecorded',
          data: { ticketId, cycle, targetId: sla.targetId, dueAt: sla.dueAt, targetMinutes: sla.targetMinutes, elapsedBusinessMinutes: 2000, recordedAt: iso(now) },
        },
      ]);
    const message = (role: 'staff' | 'customer', visibility: 'public' | 'internal') => (now: number): Draft[] => {
      const messageId = randomId();
      const posted: Draft = {
        streamId: stream,
        type: 'MessagePosted',
        data: { ticketId, messageId, body: LOREM, visibility, authorId: role === 'staff' ? 'ana' : `u-${customerId}`, authorRole: role, attachments: [], postedAt: iso(now) },
      };
      return [posted];
    };
    if (random() < 0.85)
      steps.push((now) => {
        const [posted] = message('staff', 'public')(now);
        return [
          posted,
          {
            streamId: stream,
            type: 'ResponseRecorded',
            data: {
              ticketId,
              cycle,
              targetId: sla.targetId,
              messageId: posted.data.messageId,
              respondedBy: 'ana',
              respondedAt: iso(now),
              dueAt: sla.dueAt,
              targetMinutes: sla.targetMinutes,
              elapsedBusinessMinutes: 90,
              met: true,
            },
          },
        ];
      });
    if (random() < 0.7) steps.push(message('customer', 'public'));
    if (random() < 0.4) steps.push(message('staff', 'internal'));
    if (random() < 0.15) {
      let pausedAt = '';
      steps.push((now) => {
        pausedAt = iso(now);
        return [{ streamId: stream, type: 'CustomerInfoRequested', data: { ticketId, question: '¿Qué versión usa?', requestedBy: 'ana', requestedAt: pausedAt, clockPaused: true, cycle } }];
      });
      steps.push((now) => [
        ...message('customer', 'public')(now),
        {
          streamId: stream,
          type: 'ClockResumed',
          data: {
            ticketId,
            cycle,
            targetId: sla.targetId,
            cause: 'customer-message',
            messageId: randomId(),
            pausedAt,
            resumedAt: iso(now),
            pausedBusinessMinutes: 60,
            elapsedBusinessMinutes: 120,
            previousDueAt: sla.dueAt,
            dueAt: sla.dueAt,
            warningAt: sla.warningAt,
          },
        },
      ]);
    }
    if (random() < 0.35) {
      const quoteId = randomId();
      const policyId = policyOf(customer);
      const perEvent = policyId === null || random() < 0.3;
      const minutes = pick([60, 120, 180, 240]);
      const terms = perEvent
        ? { kind: 'per-event', minutes, hourlyRateMinor: 85_000, amountMinor: 85_000 * (minutes / 60), currency: 'MXN', paymentTerms: '30 días', purchaseOrderRequired: false, policyId: null, description: LOREM }
        : { kind: 'policy-estimate', minutes, hourlyRateMinor: null, amountMinor: null, currency: null, paymentTerms: null, purchaseOrderRequired: false, policyId, description: LOREM };
      steps.push((now) => [
        {
          streamId: stream,
          type: 'QuoteIssued',
          data: { ticketId, quoteId, terms, supplementary: false, supplementsAuthorizationId: null, supersedesQuoteId: null, issuedBy: 'ana', issuedAt: iso(now) },
        },
      ]);
      if (random() < 0.8) {
        steps.push((now) => [
          {
            streamId: stream,
            type: 'ServiceAuthorized',
            data: { ticketId, customerId, authorizationId: quoteId, quoteId, terms, purchaseOrder: null, comment: 'De acuerdo', authorizedBy: `u-${customerId}`, authorizedAt: iso(now) },
          },
        ]);
        const logs = 1 + Math.floor(random() * 3);
        for (let k = 0; k < logs; k++) {
          const entryMinutes = Math.max(15, Math.floor(minutes / logs / 15) * 15);
          steps.push((now) => {
            const entryId = randomId();
            const workedOn = iso(now).slice(0, 10);
            const out: Draft[] = [];
            let deductedFrom: string | null = null;
            if (!perEvent && policyId !== null) {
              const left = policyRemaining.get(policyId) ?? 0;
              if (left >= entryMinutes) {
                policyRemaining.set(policyId, left - entryMinutes);
                deductedFrom = policyId;
                out.push({
                  streamId: `policy-${policyId}`,
                  type: 'MinutesDeducted',
                  data: {
                    policyId,
                    customerId,
                    entryId,
                    ticketId,
                    authorizationId: quoteId,
                    authorizedMinutes: minutes,
                    minutes: entryMinutes,
                    workedOn,
                    engineerId: 'ana',
                    description: 'Revisión de la configuración del servidor de correo',
                    kind: 'remote',
                    minutesRemaining: left - entryMinutes,
                    deductedBy: 'ana',
                    deductedAt: iso(now),
                  },
                });
                if (left - entryMinutes === 0)
                  out.push({ streamId: `policy-${policyId}`, type: 'PolicyExhausted', data: { policyId, minutesUsed: 0, exhaustedAt: iso(now) } });
              }
            }
            if (!perEvent && deductedFrom === null) return out; // the policy ran out: nothing logged
            out.push({
              streamId: stream,
              type: 'WorkLogged',
              data: {
                ticketId,
                entryId,
                authorizationId: quoteId,
                minutes: entryMinutes,
                workedOn,
                engineerId: 'ana',
                description: 'Revisión de la configuración del servidor de correo',
                kind: 'remote',
                policyId: deductedFrom,
                chargeMinor: perEvent ? Math.round((85_000 * entryMinutes) / 60) : null,
                currency: perEvent ? 'MXN' : null,
                loggedBy: 'ana',
                loggedAt: iso(now),
              },
            });
            return out;
          });
        }
      } else {
        steps.push((now) => [
          { streamId: stream, type: 'QuoteDeclined', data: { ticketId, customerId, quoteId, terms, comment: 'Muy caro', declinedBy: `u-${customerId}`, declinedAt: iso(now) } },
        ]);
      }
    }
    const close = (now: number): Draft[] => [
      { streamId: stream, type: 'TicketClosed', data: { ticketId, reason: 'resolved', resolution: 'Se corrigió el registro SPF', duplicateOf: null, closedBy: 'ana', closedAt: iso(now), automatic: false, cycle } },
    ];
    if (random() < 0.9) {
      steps.push(close);
      if (random() < 0.05) {
        steps.push((now) => {
          cycle++;
          sla = target(now, 'reopened', 0, priority);
          return [{ streamId: stream, type: 'TicketReopened', data: { ticketId, reason: 'Sigue fallando', reopenedBy: `u-${customerId}`, reopenedByRole: 'customer', reopenedAt: iso(now), sla } }];
        });
        steps.push(close);
      }
    }
    return { steps, next: 0 };
  };

  function randomId(): string {
    return randomUUID();
  }

  let page: StoredEvent[] = [];
  const emit = (d: Draft) => {
    const version = versions.get(d.streamId) ?? 0;
    versions.set(d.streamId, version + 1);
    position++;
    page.push({
      id: randomUUID(),
      type: d.type,
      data: d.data,
      metadata: { actor: 'bench', occurredAt: iso(clock), correlationId: randomUUID(), causationId: null, schemaVersion: 1 },
      streamId: d.streamId,
      version: BigInt(version),
      position: BigInt(position),
    });
  };
  while (position < total) {
    if (backlog.length > 0) emit(backlog.shift() as Draft);
    else {
      while (inFlight.length < 250) inFlight.push(newTicket());
      const i = Math.floor(random() * inFlight.length);
      const script = inFlight[i];
      clock += 20_000 + Math.floor(random() * 40_000);
      for (const d of script.steps[script.next++](clock)) backlog.push(d);
      if (script.next >= script.steps.length) inFlight.splice(i, 1);
      continue;
    }
    if (page.length >= pageSize || position >= total) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
  // streams left half-done at the cut are fine: projections see a prefix of each stream
}

// ------------------------------------------------------------------ runners

let peakRss = 0;
const sampleRss = () => {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) peakRss = rss;
};

/**
 * ProjectionContext over plain Maps, with the same position guard as BatchApplier; values are
 * kept in the projection's working form (what the projection folds), never serialized.
 */
class MemoryApplier {
  readonly collections = new Map<string, Map<string, { value: unknown; pos: number }>>();
  constructor(private readonly projection: Projection) {}
  private coll(name: string): Map<string, { value: unknown; pos: number }> {
    let c = this.collections.get(name);
    if (!c) this.collections.set(name, (c = new Map()));
    return c;
  }
  async applyPage(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      if (!this.projection.handles.has(event.type)) continue;
      const position = Number(event.position);
      const ctx: ProjectionContext = {
        event,
        get: async <T>(collection: string, id: string) => (this.coll(collection).get(id)?.value ?? null) as T | null,
        update: async <T>(collection: string, id: string, updater: (doc: T | null) => T | null) => {
          const c = this.coll(collection);
          const entry = c.get(id);
          if (entry && entry.pos >= position) return;
          const next = updater((entry?.value ?? null) as T | null);
          if (next === null) c.delete(id);
          else if (entry) {
            entry.value = next;
            entry.pos = position;
          } else c.set(id, { value: next, pos: position });
        },
      };
      await this.projection.apply(event, ctx);
    }
  }
}

export interface RunResult {
  events: number;
  seconds: number;
  /** CPU time of this process while applying (user + system): steadier than wall time on a busy machine */
  cpuSeconds: number;
  generationSeconds: number;
}

export async function timedRun(total: number, apply: (page: StoredEvent[]) => Promise<void>): Promise<RunResult> {
  let applySeconds = 0;
  let cpuSeconds = 0;
  let generationSeconds = 0;
  let events = 0;
  const gen = generateEvents(total);
  for (;;) {
    const g0 = process.hrtime.bigint();
    const next = gen.next();
    generationSeconds += Number(process.hrtime.bigint() - g0) / 1e9;
    if (next.done) break;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    await apply(next.value);
    const c1 = process.cpuUsage(c0);
    cpuSeconds += (c1.user + c1.system) / 1e6;
    applySeconds += Number(process.hrtime.bigint() - t0) / 1e9;
    events += next.value.length;
    sampleRss();
  }
  return { events, seconds: applySeconds, cpuSeconds, generationSeconds };
}

/**
 * As `npm run rebuild -- all` does: indexes deferred while filling (the embedded store's writer
 * thread keeps them instead), each page's commit overlapped with folding the next
 * (PipelinedPages), and, given `location`, every projection but tickets applied on a worker
 * thread with its own connection (ProjectionWorker). Worker start-up is not timed.
 */
export async function storeRun(store: ReadStore, total: number, location?: ReadStoreLocation): Promise<RunResult> {
  const projections = allProjections();
  await store.ensureCollections(projections.flatMap((p) => p.collections), { deferIndexes: true });
  const { local, remote } = splitForWorker(projections, location !== undefined);
  const targets: PageTarget[] = [];
  if (remote.length > 0) {
    targets.push(await ProjectionWorker.start(location!, remote, { shadow: false, startsEmpty: true, checkpoint: null, flushEvery: FLUSH_EVERY }));
  }
  targets.push(new PipelinedPages(local.map((p) => new BatchApplier(store, p, undefined, { startsEmpty: true })), null, FLUSH_EVERY));
  const pages = new ParallelPages(targets);
  const run = await timedRun(total, (page) => pages.apply(page));
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await pages.finish();
  await pages.close();
  if (store instanceof SqliteReadStore) store.buildDeferredIndexes();
  else await store.ensureCollections(projections.flatMap((p) => p.collections));
  const c1 = process.cpuUsage(c0);
  return { ...run, seconds: run.seconds + Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: run.cpuSeconds + (c1.user + c1.system) / 1e6 };
}

/** folds the events into plain Maps (the limit), in this process */
async function inMemoryRun(total: number): Promise<RunResult & { peakRss: number }> {
  peakRss = 0;
  const memory = allProjections().map((p) => new MemoryApplier(p));
  const m = await timedRun(total, async (page) => {
    for (const a of memory) await a.applyPage(page);
  });
  return { ...m, peakRss };
}

/** runs inMemoryRun in a child process with a large heap; its result comes back as JSON */
function inMemoryRunInChild(total: number): Promise<RunResult & { peakRss: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--in-memory-only', '--events', String(total)], {
      execArgv: ['--max-old-space-size=4096', '-r', '@swc-node/register'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`in-memory run exited with ${code}: ${out}`));
      resolve(JSON.parse(last));
    });
  });
}

const heapLimitMb = () => Math.round(v8.getHeapStatistics().heap_size_limit / 1024 / 1024);

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]?.replace(/_/g, ''));
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer`);
  return v;
}

async function main() {
  const total = argValue('--events', 1_000_000);
  if (process.argv.includes('--in-memory-only')) {
    console.log(JSON.stringify(await inMemoryRun(total)));
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-projections-'));
  const rate = (r: RunResult) => Math.round(r.events / r.seconds);
  const cpuRate = (r: RunResult) => `${Math.round(r.events / r.cpuSeconds)} events per CPU-second`;
  try {
    sampleRss();
    const file = path.join(dir, 'read.db');
    const embedded = SqliteReadStore.open(file, { writerThread: true });
    const e = await storeRun(embedded, total, { kind: 'sqlite', file });
    const counts = await Promise.all(['tickets', 'policies', 'authorizations', 'billed', 'case_events'].map(async (c) => `${c} ${await embedded.count(c)}`));
    await embedded.close();
    console.log(`  load average while running: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
    const fileMb = fs.statSync(path.join(dir, 'read.db')).size / 1024 / 1024;
    console.log(`embedded (SQLite file): ${e.events} events in ${e.seconds.toFixed(2)} s = ${rate(e)} events/s (${cpuRate(e)}); documents: ${counts.join(', ')}; file ${fileMb.toFixed(0)} MB`);
    console.log(`  event generation (not counted): ${e.generationSeconds.toFixed(2)} s = ${Math.round(e.events / e.generationSeconds)} events/s`);

    let mongoRate: number | null = null;
    const url = process.env.MONGO_URL;
    if (url) {
      const dbName = `bench_projections_${Date.now().toString(36)}`;
      const mongo = await MongoReadStore.connect(url, dbName);
      try {
        const m = await storeRun(mongo, total, { kind: 'mongodb', url, database: dbName });
        mongoRate = rate(m);
        console.log(`mongodb (${dbName}): ${m.events} events in ${m.seconds.toFixed(2)} s = ${mongoRate} events/s (${cpuRate(m)} in this process)`);
      } finally {
        await mongo.db.dropDatabase().catch(() => undefined);
        await mongo.close();
      }
    } else {
      console.log('mongodb: skipped (MONGO_URL not set)');
    }

    const storePeak = peakRss;
    // the in-memory limit holds every document at once, which needs a far larger heap than a
    // rebuild is given: it runs in a child process of its own (same generator, same events)
    const m = await inMemoryRunInChild(total);
    console.log(`in-memory Maps (same projections, the limit): ${m.events} events in ${m.seconds.toFixed(2)} s = ${rate(m)} events/s (${cpuRate(m)})`);
    console.log(
      `peak RSS: ${(storePeak / 1024 / 1024).toFixed(0)} MB during the store rebuilds (heap capped at ${heapLimitMb()} MB, as npm run rebuild runs); ` +
        `${(m.peakRss / 1024 / 1024).toFixed(0)} MB for the in-memory Maps (every document held in memory, its own process)`,
    );
    console.log(
      JSON.stringify({
        bench: 'projections',
        events: e.events,
        embeddedEventsPerSec: rate(e),
        mongoEventsPerSec: mongoRate,
        inMemoryEventsPerSec: rate(m),
        peakRssMb: Math.round(storePeak / 1024 / 1024),
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
