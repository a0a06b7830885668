/**
 * The supervisor dashboard's read models: their figures against an oracle computed from the
 * events alone; every count equal to its drill-down; unchanged by a replay (idempotent),
 * by a rebuild from the event log, and by crashes that land only part of a batch.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createTicketRules, loadPreset } from '@helpdesk/domain';
import { SqliteEventStore } from '@helpdesk/event-store';
import {
  BatchApplier,
  DASHBOARD_COLLECTIONS,
  Projector,
  allProjections,
  dashboardsProjection,
  escalationTickets,
  escalationsByLevel,
  monthOf,
  rebuildProjections,
  responseTargetTickets,
  responseTargets,
  slaNow,
  slaNowTickets,
  workload,
  type SlaNowState,
} from '@helpdesk/projections';
import { SqliteReadStore, type CheckpointUpdate, type ReadStore, type WriteOp } from '@helpdesk/read-store';
import { buildDashboardHistory, oracle, oracleStates } from './dashboard-history';
import { appendInOrder, dump, project } from './support';
import { prng } from './histories';

const intecnia = createTicketRules(loadPreset('intecnia'));
const niveles = createTicketRules(loadPreset('soporte-niveles'));

async function allPages<T>(fetch: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await fetch(cursor);
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('too many pages');
}

describe('months in a zone', () => {
  it('takes the month of the instant in the given zone, across offsets and DST', () => {
    expect(monthOf('2026-04-01T05:30:00.000Z', 'America/Mexico_City')).toBe('2026-03');
    expect(monthOf('2026-04-01T06:00:00.000Z', 'America/Mexico_City')).toBe('2026-04');
    expect(monthOf('2026-03-31T23:59:59.999Z', 'UTC')).toBe('2026-03');
    expect(monthOf('2026-11-01T04:59:00.000Z', 'America/Bogota')).toBe('2026-10');
    expect(monthOf('2026-11-01T05:00:00.000Z', 'America/Bogota')).toBe('2026-11');
    // New York changes offset on 2026-11-01 at 02:00 local, inside the first day of the month
    expect(monthOf('2026-11-01T03:59:00.000Z', 'America/New_York')).toBe('2026-10');
    expect(monthOf('2026-11-01T04:00:00.000Z', 'America/New_York')).toBe('2026-11');
    // the per-zone cache of the last month found does not leak into other instants
    expect(monthOf('2026-03-15T12:00:00.000Z', 'America/Mexico_City')).toBe('2026-03');
    expect(monthOf('2025-12-31T23:00:00.000Z', 'America/Mexico_City')).toBe('2025-12');
    expect(monthOf('2026-01-01T06:00:00.000Z', 'America/Mexico_City')).toBe('2026-01');
  });
});

describe('dashboard read models', () => {
  const log = buildDashboardHistory(7, 140, intecnia);
  const events = log.events;
  const expected = oracle(events);
  let store: SqliteReadStore;

  beforeAll(async () => {
    store = SqliteReadStore.open(':memory:');
    await project(store, allProjections(), events, 5);
  });
  afterAll(() => store.close());

  it('the history exercises every kind of outcome and escalation', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['ResponseRecorded', 'SlaBreachRecorded', 'TicketEscalated', 'TicketReopened', 'TicketClosed', 'TicketAssigned']) expect(types).toContain(t);
    expect(expected.outcomes.some((o) => o.outcome === 'met')).toBe(true);
    expect(expected.outcomes.some((o) => o.outcome === 'missed')).toBe(true);
    expect(expected.outcomes.some((o) => o.cycle === 2)).toBe(true);
    expect(expected.escalations.some((e) => e.automatic)).toBe(true);
    expect(expected.escalations.some((e) => !e.automatic)).toBe(true);
    expect(new Set(expected.outcomes.map((o) => o.month)).size).toBeGreaterThanOrEqual(3);
  });

  it('response targets met and missed per month and classification equal the oracle, and each cell equals its drill-down', async () => {
    const report = await responseTargets(store);
    const cells = new Map<string, { met: number; missed: number }>();
    for (const o of expected.outcomes) {
      const key = `${o.month}|${o.classification}`;
      const c = cells.get(key) ?? { met: 0, missed: 0 };
      c[o.outcome]++;
      cells.set(key, c);
    }
    const reported = new Map<string, { met: number; missed: number }>();
    for (const m of report.months) {
      expect(m.met + m.missed).toBe(m.total);
      expect(m.byClassification.reduce((s, c) => s + c.total, 0)).toBe(m.total);
      for (const c of m.byClassification) reported.set(`${m.month}|${c.classification}`, { met: c.met, missed: c.missed });
    }
    expect(Object.fromEntries(reported)).toEqual(Object.fromEntries(cells));
    expect(report.totals.total).toBe(expected.outcomes.length);
    // severities ordered most urgent first
    expect(report.totals.byClassification.map((c) => c.classification)).toEqual([...report.totals.byClassification.map((c) => c.classification)].sort());
    const first = report.months[0];
    expect(first.metPercent).toBe(first.total === 0 ? null : Math.round((first.met * 1000) / first.total) / 10);

    for (const m of report.months) {
      for (const c of m.byClassification) {
        for (const outcome of ['met', 'missed'] as const) {
          const listed = await allPages((cursor) => responseTargetTickets(store, { month: m.month, classification: c.classification, outcome, limit: 7, cursor }));
          const oracleIds = expected.outcomes
            .filter((o) => o.month === m.month && o.classification === c.classification && o.outcome === outcome)
            .map((o) => `${o.ticketId}#${o.cycle}`)
            .sort();
          expect(listed.map((t) => `${t.ticketId}#${t.cycle}`).sort()).toEqual(oracleIds);
          expect(listed).toHaveLength(c[outcome]);
          const page = await responseTargetTickets(store, { month: m.month, classification: c.classification, outcome, limit: 1 });
          expect(page.total).toBe(c[outcome]);
        }
      }
      const whole = await responseTargetTickets(store, { month: m.month, limit: 200 });
      expect(whole.total).toBe(m.total);
    }
    // a range of months and a filter by classification
    const range = await responseTargets(store, { from: report.months[1].month, to: report.months[2].month, classification: '2' });
    expect(range.months.every((m) => m.byClassification.every((c) => c.classification === '2'))).toBe(true);
    const inRange = expected.outcomes.filter((o) => o.classification === '2' && o.month >= report.months[1].month && o.month <= report.months[2].month);
    expect(range.totals.total).toBe(inRange.length);
    const listed = await allPages((cursor) => responseTargetTickets(store, { from: report.months[1].month, to: report.months[2].month, classification: '2', limit: 3, cursor }));
    expect(listed).toHaveLength(inRange.length);
  });

  it('escalations by level per month equal the oracle and their drill-downs', async () => {
    const report = await escalationsByLevel(store);
    expect(report.totals.total).toBe(expected.escalations.length);
    for (const m of report.months) {
      for (const l of m.levels) {
        const oracleRows = expected.escalations.filter((e) => e.month === m.month && e.level === l.level);
        expect(l.count).toBe(oracleRows.length);
        expect(l.automatic).toBe(oracleRows.filter((e) => e.automatic).length);
        expect(l.levelName).toBe(intecnia.preset.escalation.levels[l.level - 1].name);
        const listed = await allPages((cursor) => escalationTickets(store, { month: m.month, level: l.level, limit: 4, cursor }));
        expect(listed.map((e) => e.ticketId).sort()).toEqual(oracleRows.map((e) => e.ticketId).sort());
        expect((await escalationTickets(store, { month: m.month, level: l.level, limit: 1 })).total).toBe(l.count);
      }
    }
  });

  it('rejects malformed months and filters', async () => {
    await expect(responseTargets(store, { from: '2026-13' })).rejects.toMatchObject({ code: 'invalid-request', path: 'from' });
    await expect(responseTargets(store, { from: '2026-05', to: '2026-04' })).rejects.toMatchObject({ path: 'from' });
    await expect(responseTargetTickets(store, { month: '2026-4' })).rejects.toMatchObject({ path: 'month' });
    await expect(responseTargetTickets(store, { month: '2026-04', from: '2026-04' })).rejects.toMatchObject({ path: 'month' });
    await expect(escalationTickets(store, { cursor: 'nope' })).rejects.toMatchObject({ path: 'cursor' });
    await expect(slaNowTickets(store, { state: 'late' as SlaNowState }, '2026-03-15T12:00:00Z', intecnia)).rejects.toMatchObject({ path: 'state' });
    await expect(slaNow(store, { withinBusinessMinutes: 0 }, '2026-03-15T12:00:00Z', intecnia)).rejects.toMatchObject({ path: 'withinBusinessMinutes' });
  });

  it('breached now, at risk and the workload per agent at a moment equal the domain fold, and each count its drill-down', async () => {
    for (const now of ['2026-02-10T15:00:00.000Z', '2026-03-10T17:00:00.000Z', '2026-04-20T15:30:00.000Z', '2026-05-01T12:00:00.000Z']) {
      const states = oracleStates(events, now, 240, intecnia);
      const report = await workload(store, {}, now, intecnia);
      const countOf = (state: string, assignee?: string | null) =>
        [...states.values()].filter((s) => s.state === state && (assignee === undefined || s.assigneeId === assignee)).length;
      const keys = { breached: 'breached', atRisk: 'at-risk', onTrack: 'on-track', paused: 'paused', responded: 'responded' } as const;
      for (const row of [...report.agents, report.unassigned]) {
        for (const [field, state] of Object.entries(keys)) expect({ agent: row.agentId, state, n: row[field as keyof typeof keys] }).toEqual({ agent: row.agentId, state, n: countOf(state, row.agentId) });
        expect(row.open).toBe(row.breached + row.atRisk + row.onTrack + row.paused + row.responded);
      }
      const agentsWithWork = new Set([...states.values()].filter((s) => s.assigneeId !== null).map((s) => s.assigneeId));
      expect(new Set(report.agents.map((a) => a.agentId))).toEqual(agentsWithWork);
      expect(report.totals.open).toBe(states.size);

      const sla = await slaNow(store, { limit: 200 }, now, intecnia);
      expect(sla.counts.breached).toBe(countOf('breached'));
      expect(sla.counts.atRisk).toBe(countOf('at-risk'));
      expect(sla.breached.map((t) => t.ticketId).sort()).toEqual([...states].filter(([, s]) => s.state === 'breached').map(([id]) => id).sort());
      for (const state of ['breached', 'at-risk', 'on-track', 'paused', 'responded'] as const) {
        for (const row of [...report.agents.slice(0, 2), report.unassigned]) {
          const listed = await allPages((cursor) => slaNowTickets(store, { state, assigneeId: row.agentId, limit: 3, cursor }, now, intecnia));
          const want = [...states].filter(([, s]) => s.state === state && s.assigneeId === row.agentId).map(([id]) => id).sort();
          expect(listed.map((t) => t.ticketId).sort()).toEqual(want);
          expect(listed.every((t) => t.state === state && t.assigneeId === row.agentId)).toBe(true);
          expect((await slaNowTickets(store, { state, assigneeId: row.agentId, limit: 1 }, now, intecnia)).total).toBe(want.length);
        }
      }
    }
  });

  it('replaying every event again changes nothing (idempotent)', async () => {
    const before = await dump(store, [dashboardsProjection]);
    const applier = new BatchApplier(store, dashboardsProjection);
    for (let i = 0; i < events.length; i += 13) {
      await applier.applyPage(events.slice(i, i + 13));
      await applier.flush(null, events[Math.min(i + 13, events.length) - 1].position);
    }
    expect(await dump(store, [dashboardsProjection])).toEqual(before);
  });

  it('a rebuild from the event log (npm run rebuild -- all does this) yields the same documents and numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboards-rebuild-'));
    try {
      const eventStore = SqliteEventStore.open(join(dir, 'events.db'));
      await appendInOrder(eventStore, events);
      const rebuilt = SqliteReadStore.open(join(dir, 'views.db'));
      await rebuildProjections(eventStore, rebuilt, allProjections(), { pageSize: 17, flushEvery: 40 });
      expect(await dump(rebuilt, [dashboardsProjection])).toEqual(await dump(store, [dashboardsProjection]));
      expect(await responseTargets(rebuilt)).toEqual(await responseTargets(store));
      expect(await escalationsByLevel(rebuilt)).toEqual(await escalationsByLevel(store));
      expect(await workload(rebuilt, {}, '2026-04-20T15:30:00.000Z', intecnia)).toEqual(await workload(store, {}, '2026-04-20T15:30:00.000Z', intecnia));
      await rebuilt.close();
      await eventStore.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** dies at its n-th batch after landing part of the writes without the checkpoint (MongoDB's way) */
  class DyingStore {
    private batches = 0;
    dead = false;
    readonly store: ReadStore;
    constructor(inner: ReadStore, dieAt: number, random: () => number) {
      const self = this;
      this.store = new Proxy(inner, {
        get(target, prop, receiver) {
          if (self.dead) throw new Error('crash: process is dead');
          if (prop === 'applyBatch') {
            return async (ops: WriteOp[], checkpoint?: CheckpointUpdate) => {
              if (++self.batches < dieAt) return target.applyBatch(ops, checkpoint);
              await target.applyBatch(ops.filter(() => random() < 0.5));
              self.dead = true;
              throw new Error('crash: died after part of the writes');
            };
          }
          if (prop === 'close') return async () => undefined;
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    }
  }

  it('partial batches without their checkpoint, then a restart, end equal to a fresh projection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboards-crash-'));
    const random = prng(4242);
    try {
      const eventStore = SqliteEventStore.open(join(dir, 'events.db'));
      await appendInOrder(eventStore, events);
      const head = await eventStore.headPosition();
      const expectedDump = await dump(store, [dashboardsProjection]);
      for (let trial = 0; trial < 3; trial++) {
        const real = SqliteReadStore.open(':memory:');
        let crashes = 0;
        for (let life = 0; life < 8; life++) {
          const dying = new DyingStore(real, 1 + Math.floor(random() * 30), random);
          const projector = new Projector(eventStore, dying.store, [dashboardsProjection], { batchSize: 3 + Math.floor(random() * 20), backoffMs: { initial: 1, max: 1 } });
          await projector.start();
          for (let waited = 0; projector.position() < head && !dying.dead && waited < 10_000; waited += 2) await new Promise((r) => setTimeout(r, 2));
          await projector.stop();
          if (dying.dead) crashes++;
          else break;
        }
        const projector = new Projector(eventStore, real, [dashboardsProjection], { batchSize: 50 });
        await projector.start();
        expect(await projector.waitFor(head, 10_000)).toBe(true);
        await projector.stop();
        expect(crashes).toBeGreaterThan(0);
        expect(await dump(real, [dashboardsProjection])).toEqual(expectedDump);
        await real.close();
      }
      await eventStore.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps the counted documents in their collections', async () => {
    expect(await store.count(DASHBOARD_COLLECTIONS.outcomes)).toBe(expected.outcomes.length);
    expect(await store.count(DASHBOARD_COLLECTIONS.escalations)).toBe(expected.escalations.length);
  });
});

describe('at risk on calendars that end the window at different instants (soporte-niveles: business hours and 24/7)', () => {
  const log = buildDashboardHistory(11, 90, niveles);
  let store: SqliteReadStore;
  beforeAll(async () => {
    store = SqliteReadStore.open(':memory:');
    await project(store, allProjections(), log.events, 50);
  });
  afterAll(() => store.close());

  it('each ticket is at risk by its own calendar, counts equal the drill-downs', async () => {
    const calendars = new Set(log.events.filter((e) => e.type === 'TicketOpened').map((e) => (e.data as any).sla.calendarId));
    expect(calendars).toEqual(new Set(['co-business', 'always-open']));
    let atRisk = 0;
    // a Friday evening in Bogotá: the business calendar's 4 hours end on Monday, 24/7's at midnight
    for (const now of ['2026-03-13T22:00:00.000Z', '2026-03-20T22:00:00.000Z', '2026-04-03T22:00:00.000Z', '2026-04-17T20:00:00.000Z']) {
      for (const within of [60, 240, 600]) {
        const states = oracleStates(log.events, now, within, niveles);
        const report = await workload(store, { withinBusinessMinutes: within }, now, niveles);
        const want = [...states].filter(([, s]) => s.state === 'at-risk').map(([id]) => id).sort();
        expect(report.totals.atRisk).toBe(want.length);
        expect(report.totals.onTrack).toBe([...states.values()].filter((s) => s.state === 'on-track').length);
        const listed = await allPages((cursor) => slaNowTickets(store, { state: 'at-risk', withinBusinessMinutes: within, limit: 2, cursor }, now, niveles));
        expect(listed.map((t) => t.ticketId).sort()).toEqual(want);
        const onTrack = await allPages((cursor) => slaNowTickets(store, { state: 'on-track', withinBusinessMinutes: within, limit: 5, cursor }, now, niveles));
        expect(onTrack).toHaveLength(report.totals.onTrack);
        atRisk += want.length;
      }
    }
    expect(atRisk).toBeGreaterThan(0);
  });
});
