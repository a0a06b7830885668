/**
 * npm run bench:dashboards
 *
 * The supervisor dashboard's queries on a large desk: 100,000 open tickets (120 agents,
 * skewed; due instants from two days overdue to a week ahead; some answered, some awaiting the
 * customer) plus 200,000 closed ones whose response targets were decided over twelve months
 * (met, answered late, breached by the scheduler; some escalated), projected by the tickets and
 * dashboards projections into an embedded read store file. Times each chart's query as the API
 * runs it (workload per agent, breached / at risk now, response targets per month, escalations
 * per month, a drill-down page) and, in the same run, the baseline a dashboard without its read
 * models would need: read every open ticket and grade it at `now` (workload, at risk), or every
 * decided outcome and group it (response targets). Checks both give the same numbers. Last line:
 * JSON. BENCH_DASH_OPEN / BENCH_DASH_CLOSED / BENCH_DASH_RUNS shrink it for a quick check.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StoredEvent } from '../libs/event-store/src';
import {
  BatchApplier,
  DASHBOARD_COLLECTIONS,
  dashboardsProjection,
  responseTargetTickets,
  responseTargets,
  escalationsByLevel,
  slaNow,
  ticketsProjection,
  workload,
  type ResponseOutcomeDoc,
  type TicketDoc,
} from '../libs/projections/src';
import { SqliteReadStore } from '../libs/read-store/src';
import { createTicketRules, loadPreset } from '../libs/domain/src';
import { prng } from '../test/support/prng';

const OPEN = Number(process.env.BENCH_DASH_OPEN ?? 100_000);
const CLOSED = Number(process.env.BENCH_DASH_CLOSED ?? 200_000);
const RUNS = Number(process.env.BENCH_DASH_RUNS ?? 40);
const NOW = '2026-03-09T18:00:00.000Z';
const WITHIN = 240;

const rules = createTicketRules(loadPreset('impera'));
const random = prng(11);
const skewed = <T>(xs: readonly T[]) => xs[Math.floor(Math.pow(random(), 1.8) * xs.length)];
const AGENTS = Array.from({ length: 120 }, (_, i) => `eng-${String(i).padStart(3, '0')}`);
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

/** one ticket; `closed`: its target decided (met, late or breached) some day of the last year, then closed */
function ticketEvents(n: number, closed: boolean): StoredEvent[] {
  const ticketId = `t-${String(n).padStart(7, '0')}`;
  const stream = `ticket-${ticketId}`;
  const nowMs = Date.parse(NOW);
  const priority = skewed(PRIORITIES);
  const dueMs = closed ? nowMs - Math.floor(random() * 360 * 24 * 60) * 60_000 : nowMs + Math.floor((random() * 9 - 2) * 24 * 60) * 60_000;
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
        department: 'support',
        subject: `El servicio ${n} no responde`,
        topicKey: `|el servicio ${n} no responde`,
        description: 'El sitio responde 503 desde dos equipos distintos.',
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
    events.push(stored(stream, version++, 'TicketAssigned', { ticketId, assigneeId: skewed(AGENTS), previousAssigneeId: null, assignedBy: 'lead', assignedAt: iso(openedMs + 60_000) }, iso(openedMs + 60_000)));
  }
  const respond = (atMs: number, met: boolean) =>
    events.push(
      stored(
        stream,
        version++,
        'ResponseRecorded',
        { ticketId, cycle: 1, targetId: '1.0', messageId: randomUUID(), respondedBy: 'ana', respondedAt: iso(atMs), dueAt: sla.dueAt, targetMinutes: sla.targetMinutes, elapsedBusinessMinutes: 60, met },
        iso(atMs),
      ),
    );
  const fate = random();
  if (closed) {
    if (fate < 0.7) respond(openedMs + 3_600_000, true);
    else if (fate < 0.8) respond(dueMs + 600_000, false);
    else {
      events.push(stored(stream, version++, 'SlaBreachRecorded', { ticketId, cycle: 1, targetId: '1.0', dueAt: sla.dueAt, targetMinutes: sla.targetMinutes, elapsedBusinessMinutes: sla.targetMinutes, recordedAt: iso(dueMs + 60_000) }, iso(dueMs + 60_000)));
      if (random() < 0.5) {
        const at = iso(dueMs + 120_000);
        events.push(
          stored(stream, version++, 'TicketEscalated', { ticketId, fromLevel: 1, level: 2, levelName: 'support supervisor', requestedBy: 'system:scheduler', requestedByRole: 'system', reason: 'breach', automatic: true, priorityChange: null, escalatedAt: at, sla: null }, at),
        );
      }
    }
    const closedAt = iso(dueMs + 86_400_000);
    events.push(stored(stream, version++, 'TicketClosed', { ticketId, reason: 'resolved', resolution: 'Listo', duplicateOf: null, closedBy: 'ana', closedAt, automatic: false, cycle: 1 }, closedAt));
  } else if (fate < 0.15) respond(Math.min(nowMs, openedMs + 3_600_000), true);
  else if (fate < 0.27) {
    const later = iso(Math.min(nowMs, openedMs + 3_600_000));
    events.push(stored(stream, version++, 'CustomerInfoRequested', { ticketId, question: '¿Versión?', requestedBy: 'ana', requestedAt: later, clockPaused: true, cycle: 1 }, later));
  }
  return events;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function time<T>(runs: number, run: () => Promise<T>): Promise<{ p50: number; p99: number; result: T }> {
  let result = await run(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    result = await run();
    ms.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), result };
}

const fmt = (t: { p50: number; p99: number }) => `p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dashboards-'));
  const file = path.join(dir, 'read.db');
  try {
    const store = SqliteReadStore.open(file);
    const projections = [ticketsProjection, dashboardsProjection];
    await store.ensureCollections(projections.flatMap((p) => p.collections));
    const appliers = projections.map((p) => new BatchApplier(store, p));
    const t0 = process.hrtime.bigint();
    let checkpoint: bigint | null = null;
    const total = OPEN + CLOSED;
    for (let n = 0; n < total; n += 2_000) {
      const page: StoredEvent[] = [];
      for (let k = n; k < Math.min(total, n + 2_000); k++) page.push(...ticketEvents(k, k >= OPEN));
      const last = page[page.length - 1].position;
      for (const a of appliers) {
        await a.applyPage(page);
        await a.flush(checkpoint, last);
      }
      checkpoint = last;
    }
    const open = await store.count('tickets', { queueKey: { $gte: '0' } });
    const outcomes = await store.count(DASHBOARD_COLLECTIONS.outcomes);
    console.log(
      `loaded ${open} open and ${total - open} closed tickets (${position} events; ${outcomes} decided targets) through the tickets and dashboards projections in ` +
        `${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s; file ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`,
    );

    // the dashboard's queries, as the API runs them
    const w = await time(RUNS, () => workload(store, { withinBusinessMinutes: WITHIN }, NOW, rules));
    const s = await time(RUNS, () => slaNow(store, { withinBusinessMinutes: WITHIN }, NOW, rules));
    const r = await time(RUNS, () => responseTargets(store, {}));
    const e = await time(RUNS, () => escalationsByLevel(store, {}));
    const month = r.result.months[Math.floor(r.result.months.length / 2)].month;
    const d = await time(RUNS, () => responseTargetTickets(store, { month, outcome: 'missed', limit: 50 }));
    console.log(`workload per agent (${w.result.agents.length} agents): ${fmt(w)}`);
    console.log(`breached now / at risk (${s.result.counts.breached} / ${s.result.counts.atRisk}): ${fmt(s)}`);
    console.log(`response targets per month (${r.result.months.length} months, ${r.result.totals.total} targets): ${fmt(r)}`);
    console.log(`escalations per month: ${fmt(e)}`);
    console.log(`a drill-down page (month ${month}, missed, ${d.result.total} behind the cell): ${fmt(d)}`);

    // baselines in the same run: without the read models, a request reads every open ticket
    // (graded at now on its calendar) or every decided target
    const baseRuns = Math.max(3, Math.floor(RUNS / 8));
    const bw = await time(baseRuns, async () => {
      const docs = await store.find<TicketDoc>('tickets', { filter: { queueKey: { $gte: '0' } } });
      const limit = rules.calendar('mx-attention').addBusinessMinutes(Date.parse(NOW), WITHIN);
      const byAgent = new Map<string, { open: number; breached: number; atRisk: number }>();
      for (const doc of docs) {
        const row = byAgent.get(doc.assigneeId ?? '') ?? { open: 0, breached: 0, atRisk: 0 };
        row.open++;
        const running = doc.queueKey!.startsWith('0|');
        if (running && doc.responseDueAt! < NOW) row.breached++;
        else if (running && Date.parse(doc.responseDueAt!) <= limit) row.atRisk++;
        byAgent.set(doc.assigneeId ?? '', row);
      }
      return byAgent;
    });
    const br = await time(baseRuns, async () => {
      const docs = await store.find<ResponseOutcomeDoc>(DASHBOARD_COLLECTIONS.outcomes, {});
      const months = new Map<string, { met: number; missed: number }>();
      for (const o of docs) {
        const m = months.get(o.month) ?? { met: 0, missed: 0 };
        m[o.outcome]++;
        months.set(o.month, m);
      }
      return months;
    });
    // the same numbers both ways
    for (const row of w.result.agents) {
      const b = bw.result.get(row.agentId as string)!;
      if (b.open !== row.open || b.breached !== row.breached || b.atRisk !== row.atRisk) throw new Error(`workload of ${row.agentId} differs: ${JSON.stringify({ row, b })}`);
    }
    for (const m of r.result.months) {
      const b = br.result.get(m.month)!;
      if (b.met !== m.met || b.missed !== m.missed) throw new Error(`month ${m.month} differs`);
    }
    console.log(`baseline, every open ticket read and graded per request (workload): ${fmt(bw)} (ratio p50 ${(w.p50 / bw.p50).toFixed(3)})`);
    console.log(`baseline, every decided target read and grouped per request (response targets): ${fmt(br)} (ratio p50 ${(r.p50 / br.p50).toFixed(4)})`);
    console.log('the read models and the baselines give the same numbers');
    await store.close();
    console.log(
      JSON.stringify({
        bench: 'dashboards',
        openTickets: open,
        decidedTargets: outcomes,
        workloadP50Ms: Number(w.p50.toFixed(3)),
        workloadP99Ms: Number(w.p99.toFixed(3)),
        slaNowP50Ms: Number(s.p50.toFixed(3)),
        responseTargetsP50Ms: Number(r.p50.toFixed(3)),
        escalationsP50Ms: Number(e.p50.toFixed(3)),
        drillDownP50Ms: Number(d.p50.toFixed(3)),
        baselineWorkloadP50Ms: Number(bw.p50.toFixed(3)),
        baselineResponseTargetsP50Ms: Number(br.p50.toFixed(3)),
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
