/**
 * npm run bench:projections [-- --events N] [--long-policy D]   (defaults 1,000,000 and 5,000)
 *
 * Rebuilds every read model from N realistic events (tickets opened, classified, assigned,
 * messages and responses, waits on the customer, quotes, authorizations and declines, work
 * logs with policy deductions or per-event charges, SLA warnings and breaches, closings and
 * reopenings; policies registered and deducted), generated deterministically and first written
 * into an embedded event store file (with their hash chain, as the API stores them; not timed).
 * Then, timed, exactly what `npm run rebuild -- all` does (rebuildProjections): read $all page
 * by page, fold, write shadow copies, build their indexes, swap them in:
 *   - into the embedded SqliteReadStore (a file in the temp dir), with its writer thread and a
 *     projection worker thread, as the tool runs;
 *   - into MongoDB when MONGO_URL is set (a database of its own, dropped afterwards);
 *   - into plain in-memory Maps through the same projections (the limit), reading the same
 *     log, in a child process with a large heap (every document is held at once); then the
 *     same with the streams split over one such process per core, all started together (the
 *     limit of this machine: no store, every core).
 * Beside them, reading the log alone through the port (what no rebuild can be faster than on
 * one thread), and the policy share: the policies projection's fold alone over the log's
 * policy events and over one policy with D deductions, today's fold (deductions in a log grown
 * in constant time) against the former one (bench/former-policy-fold.ts: records copied on
 * every deduction), alternated in this process. The process runs with the heap capped as `npm run rebuild` runs
 * (--max-old-space-size=768). Peak RSS is sampled after every page. Last line: one JSON object.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { fork } from 'child_process';
import { SqliteEventStore, chainEvents, type LeanStoredEvent, type StoredEvent, type StreamShare } from '../libs/event-store/src';
import { allProjections, foldPolicyEvent, policyDocOf, rebuildProjections, type PolicyWorking, type Projection, type ProjectionContext } from '../libs/projections/src';
import { MongoReadStore, SqliteReadStore, type ReadStore, type ReadStoreLocation } from '../libs/read-store/src';
import { prng } from '../test/support/prng';
import { formerFoldPolicyEvent, formerPolicyDoc, type FormerPolicyWorking } from './former-policy-fold';
export { prng };

/** events generated at a time, and read at a time by the rebuild */
export const PAGE = Number(process.env.BENCH_PAGE ?? 20_000);

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
 * Writes the generated events into an embedded event store file, each with its hash chain as
 * the API appends them, in one transaction per page (a bulk load: not what is measured).
 */
export async function writeLog(file: string, total: number): Promise<{ events: number; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const store = SqliteEventStore.open(file);
  const db = store.database;
  const insert = db.prepare('INSERT INTO events (position, stream_id, version, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const lastHash = new Map<string, string>();
  let events = 0;
  for (const page of generateEvents(total)) {
    db.transaction(() => {
      for (const e of page) {
        const [chained] = chainEvents(e.streamId, e.version, lastHash.get(e.streamId) ?? null, [e]);
        lastHash.set(e.streamId, chained.metadata.hash as string);
        insert.run(Number(e.position), e.streamId, Number(e.version), e.id, e.type, JSON.stringify(e.data), JSON.stringify(chained.metadata));
      }
    })();
    events += page.length;
  }
  await store.close();
  return { events, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export interface RunResult {
  events: number;
  seconds: number;
  /** CPU time of this process, every thread (user + system) */
  cpuSeconds: number;
}

async function timed(run: () => Promise<number>): Promise<RunResult> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const events = await run();
  const c1 = process.cpuUsage(c0);
  return { events, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c1.user + c1.system) / 1e6 };
}

/** `npm run rebuild -- all` against the log: read, fold, write shadows, build indexes, swap */
export async function rebuildRun(logFile: string, store: ReadStore, location: ReadStoreLocation): Promise<RunResult> {
  const log = SqliteEventStore.open(logFile, { readOnly: true });
  try {
    return await timed(async () => {
      const result = await rebuildProjections(log, store, allProjections(), { workerLocation: location, onProgress: sampleRss, progressEveryMs: 0 });
      return result.events;
    });
  } finally {
    await log.close();
  }
}

/** reads the whole log through the port as a rebuild does, page by page, and nothing else (one thread) */
async function readOnlyRun(logFile: string): Promise<RunResult> {
  const log = SqliteEventStore.open(logFile, { readOnly: true });
  try {
    return await timed(async () => {
      let events = 0;
      for (const page of log.iterateAll(0n, PAGE, 'occurredAt')) events += page.length;
      return events;
    });
  } finally {
    await log.close();
  }
}

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
  async applyPage(events: LeanStoredEvent[]): Promise<void> {
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

interface InMemoryResult extends RunResult {
  peakRss: number;
  /** epoch milliseconds when the timed part started and ended (to combine parallel runs) */
  startedAt: number;
  endedAt: number;
  /** documents held at the end, by collection */
  documents: Record<string, number>;
}

/**
 * Reads the log (or one share of its streams) and folds it into plain Maps on one thread, in
 * this process. Every read model document is built from the events of one stream, so shares
 * fold independently. In a share's child, waits for the parent's 'go' after loading, so that
 * the shares run at the same time.
 */
async function inMemoryRun(logFile: string, part?: StreamShare): Promise<InMemoryResult> {
  peakRss = 0;
  const log = SqliteEventStore.open(logFile, { readOnly: true });
  const memory = allProjections().map((p) => new MemoryApplier(p));
  if (part && process.send) {
    process.send('ready');
    await new Promise<void>((resolve) => process.once('message', () => resolve()));
  }
  const startedAt = performance.timeOrigin + performance.now();
  const run = await timed(async () => {
    let events = 0;
    for (const page of log.iterateAll(0n, PAGE, 'occurredAt', part)) {
      for (const a of memory) await a.applyPage(page);
      events += page.length;
      sampleRss();
    }
    return events;
  });
  const endedAt = performance.timeOrigin + performance.now();
  await log.close();
  const documents: Record<string, number> = {};
  for (const a of memory) for (const [name, docs] of a.collections) documents[name] = (documents[name] ?? 0) + docs.size;
  return { ...run, peakRss, startedAt, endedAt, documents };
}

/**
 * Runs inMemoryRun in child processes with a large heap, one per partition of the streams
 * (one child: the whole log), all released at once; results come back as JSON. Combined:
 * events and CPU summed, wall time from the first start to the last end.
 */
function inMemoryRunInChildren(logFile: string, partitions = 1): Promise<InMemoryResult> {
  const children = Array.from({ length: partitions }, (_, index) =>
    fork(__filename, ['--in-memory-only', logFile, ...(partitions > 1 ? ['--partition', `${index}/${partitions}`] : [])], {
      execArgv: ['--max-old-space-size=4096', '-r', '@swc-node/register'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    }),
  );
  let ready = 0;
  const results = children.map(
    (child) =>
      new Promise<InMemoryResult>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('message', () => {
          if (++ready === partitions) for (const c of children) c.send('go');
        });
        child.on('error', reject);
        child.on('exit', (code) => {
          const last = out.trim().split('\n').pop() ?? '';
          if (code !== 0) return reject(new Error(`in-memory run exited with ${code}: ${out}`));
          resolve(JSON.parse(last) as InMemoryResult);
        });
      }),
  );
  return Promise.all(results).then((rs) => {
    const documents: Record<string, number> = {};
    for (const r of rs) for (const [name, n] of Object.entries(r.documents)) documents[name] = (documents[name] ?? 0) + n;
    const startedAt = Math.min(...rs.map((r) => r.startedAt));
    const endedAt = Math.max(...rs.map((r) => r.endedAt));
    return {
      events: rs.reduce((n, r) => n + r.events, 0),
      seconds: (endedAt - startedAt) / 1000,
      cpuSeconds: rs.reduce((n, r) => n + r.cpuSeconds, 0),
      peakRss: rs.reduce((n, r) => n + r.peakRss, 0),
      startedAt,
      endedAt,
      documents,
    };
  });
}

// ------------------------------------------------------------------ the policy share

/** the policies projection's events of the log, in order (what it folds in a rebuild) */
function policyEventsOf(logFile: string): LeanStoredEvent[] {
  const log = SqliteEventStore.open(logFile, { readOnly: true });
  try {
    const out: LeanStoredEvent[] = [];
    for (const page of log.iterateAll(0n, PAGE, 'occurredAt')) for (const e of page) if (e.streamId.startsWith('policy-')) out.push(e);
    return out;
  } finally {
    void log.close();
  }
}

/**
 * Folds policy events as the policies projection does (one working form per policy, its
 * document built at the end as a flush does), with today's fold or the former one; ms.
 */
function foldPolicies(events: LeanStoredEvent[], former: boolean): number {
  const t0 = process.hrtime.bigint();
  if (former) {
    const working = new Map<string, FormerPolicyWorking>();
    for (const e of events) {
      const id = e.data.policyId as string;
      working.set(id, formerFoldPolicyEvent(working.get(id) ?? null, e));
    }
    for (const w of working.values()) formerPolicyDoc(w);
  } else {
    const working = new Map<string, PolicyWorking>();
    for (const e of events) {
      const id = e.data.policyId as string;
      working.set(id, foldPolicyEvent(working.get(id) ?? null, e));
    }
    for (const [id, w] of working) policyDocOf(w, id);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** one policy with `n` deductions of 15 minutes, 8 per authorization (a large custom corporate policy) */
function longPolicyEvents(n: number): LeanStoredEvent[] {
  const policyId = 'p-long';
  const at = (i: number) => new Date(Date.parse('2026-01-05T15:00:00Z') + i * 60_000).toISOString();
  const event = (i: number, type: string, data: Record<string, unknown>): LeanStoredEvent => ({
    id: `long-${i}`,
    type,
    streamId: `policy-${policyId}`,
    version: BigInt(i),
    position: BigInt(i + 1),
    data,
    metadata: { occurredAt: at(i) },
  });
  const events = [
    event(0, 'PolicyRegistered', {
      policyId, customerId: 'c-long', policyNumber: 'POL-2026-LONG', plan: 'corporate', minutes: n * 15, facilityMinutes: 0, onSiteMinutes: 0,
      products: ['web-hosting'], validFrom: '2026-01-01', validUntil: '2026-12-31', timeZone: 'America/Mexico_City', registeredBy: 'finance', registeredAt: at(0),
    }),
  ];
  for (let i = 1; i <= n; i++) {
    const ticket = Math.floor((i - 1) / 8);
    events.push(
      event(i, 'MinutesDeducted', {
        policyId, customerId: 'c-long', entryId: `e-${i}`, ticketId: `t-${ticket}`, authorizationId: `q-${ticket}`, authorizedMinutes: 120, minutes: 15,
        workedOn: at(i).slice(0, 10), engineerId: 'ana', description: 'Revisión de la configuración del servidor de correo', kind: 'remote',
        minutesRemaining: (n - i) * 15, deductedBy: 'ana', deductedAt: at(i),
      }),
    );
  }
  return events;
}

/** today's fold and the former one over the same events, `runs` times each, in alternating order: medians (ms) */
function comparePolicyFolds(events: LeanStoredEvent[], runs: number): { now: number; former: number } {
  const now: number[] = [];
  const former: number[] = [];
  for (let r = 0; r < runs; r++) {
    // alternate which goes first (the one after pays for the other's garbage)
    if (r % 2 === 0) {
      now.push(foldPolicies(events, false));
      former.push(foldPolicies(events, true));
    } else {
      former.push(foldPolicies(events, true));
      now.push(foldPolicies(events, false));
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { now: median(now), former: median(former) };
}

export interface PolicyShare {
  events: number;
  policies: number;
  maxDeductions: number;
  foldMs: number;
  formerFoldMs: number;
  longPolicyDeductions: number;
  longFoldMs: number;
  longFormerFoldMs: number;
}

/** the policies projection alone: the log's policy events and one long policy, today's fold against the former one */
export function policyShare(logFile: string, longPolicyDeductions: number): PolicyShare {
  const events = policyEventsOf(logFile);
  const perPolicy = new Map<string, number>();
  for (const e of events) if (e.type === 'MinutesDeducted') perPolicy.set(e.streamId, (perPolicy.get(e.streamId) ?? 0) + 1);
  const log = comparePolicyFolds(events, 5);
  const long = comparePolicyFolds(longPolicyEvents(longPolicyDeductions), 3);
  return {
    events: events.length,
    policies: new Set(events.map((e) => e.streamId)).size,
    maxDeductions: Math.max(0, ...perPolicy.values()),
    foldMs: log.now,
    formerFoldMs: log.former,
    longPolicyDeductions,
    longFoldMs: long.now,
    longFormerFoldMs: long.former,
  };
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
  const onlyInMemory = process.argv.indexOf('--in-memory-only');
  if (onlyInMemory >= 0) {
    const partition = process.argv.indexOf('--partition');
    const [index, of] = partition >= 0 ? process.argv[partition + 1].split('/').map(Number) : [0, 1];
    console.log(JSON.stringify(await inMemoryRun(process.argv[onlyInMemory + 1], of > 1 ? { index, of } : undefined)));
    return;
  }
  const total = argValue('--events', 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-projections-'));
  const rate = (r: RunResult) => Math.round(r.events / r.seconds);
  const cpu = (r: RunResult) => `${r.cpuSeconds.toFixed(1)} CPU-s on ${os.cpus().length} cores`;
  try {
    const logFile = path.join(dir, 'events.db');
    const written = await writeLog(logFile, total);
    console.log(`event log: ${written.events} events generated and written in ${written.seconds.toFixed(1)} s (not counted); ${(fs.statSync(logFile).size / 1024 / 1024).toFixed(0)} MB`);

    const read = await readOnlyRun(logFile);
    console.log(`reading the log alone (what every rebuild does first, one thread): ${rate(read)} events/s`);

    // the policy share: the policies projection's fold alone, today's (a deduction log grown in
    // constant time) against the former one (records copied on every deduction), same process
    const ps = policyShare(logFile, argValue('--long-policy', 5_000));
    const ratio = (former: number, now: number) => (now > 0 ? (former / now).toFixed(1) : 'n/a');
    console.log(
      `policy share: ${ps.events} policy events (${((100 * ps.events) / written.events).toFixed(1)}% of the log, ${ps.policies} policies, at most ${ps.maxDeductions} deductions in one) ` +
        `folded by the policies projection in ${ps.foldMs.toFixed(1)} ms; the former copy-per-deduction fold: ${ps.formerFoldMs.toFixed(1)} ms (${ratio(ps.formerFoldMs, ps.foldMs)}x) (medians of 5)`,
    );
    console.log(
      `  one policy with ${ps.longPolicyDeductions} deductions: ${ps.longFoldMs.toFixed(1)} ms; the former fold: ${ps.longFormerFoldMs.toFixed(1)} ms (${ratio(ps.longFormerFoldMs, ps.longFoldMs)}x) (medians of 3)`,
    );

    sampleRss();
    const file = path.join(dir, 'read.db');
    const embedded = SqliteReadStore.open(file, { writerThread: true });
    const e = await rebuildRun(logFile, embedded, { kind: 'sqlite', file });
    const counts = await Promise.all(['tickets', 'policies', 'authorizations', 'billed', 'case_events'].map(async (c) => `${c} ${await embedded.count(c)}`));
    await embedded.close();
    console.log(`  load average while running: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
    const fileMb = fs.statSync(file).size / 1024 / 1024;
    console.log(`embedded (SQLite file): rebuilt from ${e.events} events in ${e.seconds.toFixed(2)} s = ${rate(e)} events/s (${cpu(e)}); documents: ${counts.join(', ')}; file ${fileMb.toFixed(0)} MB`);

    let mongoRate: number | null = null;
    const url = process.env.MONGO_URL;
    if (url) {
      const dbName = `bench_projections_${Date.now().toString(36)}`;
      const mongo = await MongoReadStore.connect(url, dbName);
      try {
        const m = await rebuildRun(logFile, mongo, { kind: 'mongodb', url, database: dbName });
        mongoRate = rate(m);
        console.log(`mongodb (${dbName}): rebuilt from ${m.events} events in ${m.seconds.toFixed(2)} s = ${mongoRate} events/s (${cpu(m)} in this process)`);
      } finally {
        await mongo.db.dropDatabase().catch(() => undefined);
        await mongo.close();
      }
    } else {
      console.log('mongodb: skipped (MONGO_URL not set)');
    }

    const storePeak = peakRss;
    // the in-memory limit holds every document at once, which needs a far larger heap than a
    // rebuild is given: it runs in a child process of its own (same log, same projections)
    const m = await inMemoryRunInChildren(logFile);
    console.log(`in-memory Maps (same log, same projections, one thread, the limit): ${m.events} events in ${m.seconds.toFixed(2)} s = ${rate(m)} events/s (${cpu(m)})`);
    // the same, split by stream over one process per core, all running at once: what no
    // rebuild on this machine can beat, whatever its threading (it writes no documents at all)
    const cores = os.cpus().length;
    const p = cores > 1 ? await inMemoryRunInChildren(logFile, cores) : null;
    if (p) {
      const same = JSON.stringify(Object.entries(p.documents).sort()) === JSON.stringify(Object.entries(m.documents).sort());
      if (!same || p.events !== m.events) throw new Error(`the partitions folded differently: ${JSON.stringify({ whole: m.documents, partitions: p.documents })}`);
      console.log(
        `in-memory Maps, streams split over ${cores} processes at once (the limit of this machine): ${p.events} events in ${p.seconds.toFixed(2)} s = ${rate(p)} events/s (${p.cpuSeconds.toFixed(1)} CPU-s); same document counts as one thread`,
      );
    }
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
        inMemoryAllCoresEventsPerSec: p ? rate(p) : null,
        logReadEventsPerSec: rate(read),
        policyEvents: ps.events,
        policyFoldMs: Number(ps.foldMs.toFixed(1)),
        policyFoldFormerMs: Number(ps.formerFoldMs.toFixed(1)),
        longPolicyDeductions: ps.longPolicyDeductions,
        longPolicyFoldMs: Number(ps.longFoldMs.toFixed(1)),
        longPolicyFoldFormerMs: Number(ps.longFormerFoldMs.toFixed(1)),
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
