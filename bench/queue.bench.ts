/**
 * npm run bench:queue
 *
 * 100,000 open tickets (departments, assignees and priorities skewed as in a real desk; due
 * instants from two days overdue to a week ahead; some answered, some awaiting the customer)
 * projected by the tickets projection into an embedded SqliteReadStore file (its collection
 * and indexes), then ~2,000 queue queries with random filters (none, department, assignee,
 * priority, breached) and cursors (first pages and next pages). Prints p50/p99 and, as a
 * baseline, the same queries over a plain in-memory array (filter + sort). Then the same
 * queries as the API runs them, each item with its graded SLA state (a snapshot per item on
 * the impera calendar), against the plain query in the same run. Last line: JSON.
 * BENCH_QUEUE_TICKETS / BENCH_QUEUE_QUERIES shrink it for a quick check.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StoredEvent } from '../libs/event-store/src';
import { BatchApplier, queryQueue, ticketsProjection, type QueueItem, type QueueQuery, type TicketDoc } from '../libs/projections/src';
import { SqliteReadStore } from '../libs/read-store/src';
import { createTicketRules, loadPreset } from '../libs/domain/src';
import { prng } from '../test/support/prng';

const OPEN_TICKETS = Number(process.env.BENCH_QUEUE_TICKETS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUEUE_QUERIES ?? 2_000);
const NOW = '2026-03-09T18:00:00.000Z';

const random = prng(7);
/** skewed pick: the first items come up far more often (Zipf-like) */
const skewed = <T>(xs: readonly T[]) => xs[Math.floor(Math.pow(random(), 1.8) * xs.length)];
const DEPARTMENTS = ['support', 'hosting', 'networks', 'billing', 'development', 'sales', 'security', 'erp'];
const ASSIGNEES = Array.from({ length: 120 }, (_, i) => `eng-${String(i).padStart(3, '0')}`);
const PRIORITIES = ['medium', 'low', 'high'] as const;
const TARGET: Record<string, number> = { low: 4320, medium: 2880, high: 1440 };
const iso = (ms: number) => new Date(ms).toISOString();

let position = 0;
function stored(streamId: string, version: number, type: string, data: Record<string, unknown>, at: string): StoredEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { actor: 'bench', occurredAt: at, correlationId: randomUUID(), causationId: null, schemaVersion: 1 },
    streamId,
    version: BigInt(version),
    position: BigInt(++position),
  };
}

/** the events of one open ticket */
function ticketEvents(n: number): StoredEvent[] {
  const ticketId = `t-${String(n).padStart(6, '0')}`;
  const stream = `ticket-${ticketId}`;
  const nowMs = Date.parse(NOW);
  const priority = skewed(PRIORITIES);
  // due instants: from 2 days overdue to 7 days ahead, minute precision (many ties)
  const dueMs = nowMs + Math.floor((random() * 9 - 2) * 24 * 60) * 60_000;
  const openedMs = dueMs - TARGET[priority] * 60_000;
  const opened = iso(openedMs);
  const sla = {
    cycle: 1,
    revision: 0,
    targetId: '1.0',
    reason: 'opened',
    classification: priority,
    supportLevel: null,
    targetMinutes: TARGET[priority],
    warningMinutes: TARGET[priority] * 0.75,
    calendarId: 'mx-attention',
    mode: 'business-days',
    zone: 'America/Mexico_City',
    startedAt: opened,
    setAt: opened,
    elapsedBusinessMinutes: 0,
    dueAt: iso(dueMs),
    warningAt: iso(dueMs - TARGET[priority] * 15_000),
    presetName: 'impera',
    presetVersion: '2026.1',
  };
  const customerId = `c-${Math.floor(Math.pow(random(), 2) * 3000)}`;
  const events = [
    stored(
      stream,
      0,
      'TicketOpened',
      {
        ticketId,
        customerId,
        reporterId: `u-${customerId}`,
        department: skewed(DEPARTMENTS),
        subject: `El servicio ${n} no responde`,
        topicKey: `|el servicio ${n} no responde`,
        description: 'El sitio responde 503 desde dos equipos distintos desde las 9:00.',
        stepsToReproduce: null,
        errorText: null,
        product: null,
        channel: 'portal',
        attachments: [],
        scheme: 'priority',
        priority,
        severity: null,
        classificationSource: 'reported',
        supportLevel: null,
        escalationLevel: 1,
        receivedAt: opened,
        openedAt: opened,
        openedBy: `u-${customerId}`,
        openedByRole: 'customer',
        sla,
      },
      opened,
    ),
  ];
  let version = 1;
  if (random() < 0.85) {
    events.push(stored(stream, version++, 'TicketAssigned', { ticketId, assigneeId: skewed(ASSIGNEES), previousAssigneeId: null, assignedBy: 'lead', assignedAt: iso(openedMs + 60_000) }, iso(openedMs + 60_000)));
  }
  const fate = random();
  const later = iso(Math.min(nowMs, openedMs + 3_600_000));
  if (fate < 0.15) {
    events.push(
      stored(
        stream,
        version++,
        'ResponseRecorded',
        { ticketId, cycle: 1, targetId: '1.0', messageId: randomUUID(), respondedBy: 'ana', respondedAt: later, dueAt: sla.dueAt, targetMinutes: sla.targetMinutes, elapsedBusinessMinutes: 60, met: true },
        later,
      ),
    );
  } else if (fate < 0.27) {
    events.push(stored(stream, version++, 'CustomerInfoRequested', { ticketId, question: '¿Versión?', requestedBy: 'ana', requestedAt: later, clockPaused: true, cycle: 1 }, later));
  }
  return events;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function randomQuery(): QueueQuery {
  const r = random();
  const limit = 50;
  if (r < 0.2) return { limit };
  if (r < 0.4) return { limit, department: skewed(DEPARTMENTS) };
  if (r < 0.6) return { limit, assigneeId: skewed(ASSIGNEES) };
  if (r < 0.8) return { limit, priority: skewed(PRIORITIES) };
  return { limit, breached: random() < 0.7 };
}

/** the same query over a plain array: filter, sort, slice after the cursor */
function arrayQueue(docs: TicketDoc[], q: QueueQuery, after: { key: string; id: string } | null): Array<{ key: string; id: string }> {
  const breachedBelow = `0|${NOW}`;
  const rows = docs.filter(
    (d) =>
      d.queueKey !== null &&
      (q.department === undefined || d.department === q.department) &&
      (q.assigneeId === undefined || d.assigneeId === q.assigneeId) &&
      (q.priority === undefined || d.priority === q.priority) &&
      (q.breached === undefined || (d.queueKey.startsWith('0|') && d.queueKey < breachedBelow) === q.breached) &&
      (after === null || d.queueKey > after.key || (d.queueKey === after.key && d._id > after.id)),
  );
  rows.sort((a, b) => (a.queueKey! < b.queueKey! ? -1 : a.queueKey! > b.queueKey! ? 1 : a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  return rows.slice(0, q.limit ?? 50).map((d) => ({ key: d.queueKey!, id: d._id }));
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-queue-'));
  const file = path.join(dir, 'read.db');
  try {
    const store = SqliteReadStore.open(file);
    await store.ensureCollections(ticketsProjection.collections);
    const applier = new BatchApplier(store, ticketsProjection);
    const t0 = process.hrtime.bigint();
    let checkpoint: bigint | null = null;
    for (let n = 0; n < OPEN_TICKETS; n += 2_000) {
      const page: StoredEvent[] = [];
      for (let k = n; k < Math.min(OPEN_TICKETS, n + 2_000); k++) page.push(...ticketEvents(k));
      await applier.applyPage(page);
      const last = page[page.length - 1].position;
      await applier.flush(checkpoint, last);
      checkpoint = last;
    }
    const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const open = await store.count('tickets', { queueKey: { $gte: '0' } });
    console.log(`loaded ${open} open tickets (${position} events) through the tickets projection in ${loadSeconds.toFixed(1)} s; file ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`);
    for (const q of [{}, { department: 'support' }, { assigneeId: 'eng-007' }, { classification: 'high' }]) {
      const plan = store.explainFind('tickets', { filter: { ...(q as Record<string, string>), queueKey: { $gte: '0' } }, sort: [['queueKey', 1]], limit: 51 });
      console.log(`  plan ${JSON.stringify(q)}: ${plan.join(' | ')}`);
    }

    // warm-up (statement cache, page cache)
    for (let i = 0; i < 50; i++) await queryQueue(store, randomQuery(), NOW);

    const latencies: number[] = [];
    const cursors: Array<{ query: QueueQuery; cursor: string }> = [];
    const plan: Array<{ query: QueueQuery; cursor?: string }> = [];
    for (let i = 0; i < QUERIES; i++) {
      const useCursor = cursors.length > 0 && random() < 0.5;
      if (useCursor) {
        const c = cursors[Math.floor(random() * cursors.length)];
        plan.push({ query: c.query, cursor: c.cursor });
      } else plan.push({ query: randomQuery() });
      const { query, cursor } = plan[plan.length - 1];
      const s = process.hrtime.bigint();
      const page = await queryQueue(store, { ...query, cursor }, NOW);
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (page.nextCursor) cursors.push({ query, cursor: page.nextCursor });
    }
    // the same plan as the API answers it: every item graded at NOW on its target's calendar
    const rules = createTicketRules(loadPreset('impera'));
    for (let i = 0; i < 50; i++) await queryQueue(store, randomQuery(), NOW, rules);
    const graded: number[] = [];
    const plain: number[] = [];
    for (const { query, cursor } of plan) {
      let s = process.hrtime.bigint();
      await queryQueue(store, { ...query, cursor }, NOW);
      plain.push(Number(process.hrtime.bigint() - s) / 1e6);
      s = process.hrtime.bigint();
      await queryQueue(store, { ...query, cursor }, NOW, rules);
      graded.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    graded.sort((a, b) => a - b);
    plain.sort((a, b) => a - b);
    const gradedP50 = percentile(graded, 50);
    const gradedP99 = percentile(graded, 99);

    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`embedded queue: ${QUERIES} queries (first and next pages, limit 50): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms`);
    console.log(
      `with the graded SLA of every item (as the API answers), interleaved with the plain query: p50 ${gradedP50.toFixed(2)} ms, p99 ${gradedP99.toFixed(2)} ms ` +
        `against plain p50 ${percentile(plain, 50).toFixed(2)} ms, p99 ${percentile(plain, 99).toFixed(2)} ms (p50 ratio ${(gradedP50 / percentile(plain, 50)).toFixed(2)})`,
    );

    // baseline: the same queries over a plain in-memory array of the documents
    const docs = await store.find<TicketDoc>('tickets', { filter: { queueKey: { $gte: '0' } } });
    const base: number[] = [];
    let mismatches = 0;
    for (const { query, cursor } of plan.slice(0, 400)) {
      let after: { key: string; id: string } | null = null;
      if (cursor) {
        const [values, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string[], string];
        after = { key: values[0], id };
      }
      const s = process.hrtime.bigint();
      const rows = arrayQueue(docs, query, after);
      base.push(Number(process.hrtime.bigint() - s) / 1e6);
      const page = await queryQueue(store, { ...query, cursor }, NOW);
      if (page.items.map((i: QueueItem) => i._id).join() !== rows.map((r) => r.id).join()) mismatches++;
    }
    base.sort((a, b) => a - b);
    console.log(
      `baseline in-memory array filter+sort (${base.length} of the same queries): p50 ${percentile(base, 50).toFixed(2)} ms, p99 ${percentile(base, 99).toFixed(2)} ms; answers differing from the store: ${mismatches}`,
    );
    await store.close();
    console.log(
      JSON.stringify({
        bench: 'queue',
        openTickets: open,
        p50Ms: Number(p50.toFixed(3)),
        p99Ms: Number(p99.toFixed(3)),
        gradedP50Ms: Number(gradedP50.toFixed(3)),
        gradedP99Ms: Number(gradedP99.toFixed(3)),
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
