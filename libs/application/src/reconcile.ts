/**
 * Reconciliation (`npm run reconcile -- --from YYYY-MM-DD --to YYYY-MM-DD`): recomputes from
 * the event log ($all) every policy's purchased / used / remaining minutes and the billed
 * minutes (per row, per customer and per policy, in the period by `workedOn`), and compares
 * them with what the read models answer through the query functions (the `policies` view
 * and the `billed` rows). Any difference is reported; an empty list means they agree.
 *
 * The read models are compared as of their own checkpoints: each projection's documents are
 * exactly the fold of the events up to its checkpoint, so the log is folded up to the same
 * position (a projector that lags is reported as `lag`, not as a difference). The documents
 * are read between two reads of the checkpoints; if a checkpoint moved meanwhile (a live
 * projector), the read is repeated.
 *
 * It also checks the log against itself: every MinutesDeducted on a policy must have its
 * WorkLogged on the ticket (the deduction repairer's job); one still missing is reported.
 *
 * Cost: one read of the whole log per run (O(events), only the events' data: the metadata,
 * most of it the hash chain, is not parsed), each fact kept with its position so that the
 * figures "as of" each checkpoint compared come from that one read; plus the policy documents
 * and the billed rows of the period from the read models. GET /api/finance/reconciliation
 * runs it too, one run at a time.
 */
import type { MinutesDeductedData, PolicyRegisteredData, WorkLoggedData } from '@helpdesk/domain';
import type { EventStore } from '@helpdesk/event-store';
import { BilledMinutesRow, billedMinutes, billedTotals as computeBilledTotals, billingProjection, getPolicy, policiesProjection } from '@helpdesk/projections';
import type { ReadStore } from '@helpdesk/read-store';

export interface ReconcileOptions {
  /** YYYY-MM-DD, inclusive (on workedOn) */
  from?: string;
  /** YYYY-MM-DD, inclusive (on workedOn) */
  to?: string;
  /** events per page when reading $all */
  pageSize?: number;
  /** how long to wait for the read models to reach the log's head before comparing (default 0) */
  waitForCatchUpMs?: number;
}

export type DifferenceKind =
  | 'policy-missing' // in the log, not in the view
  | 'policy-unknown' // in the view, not in the log
  | 'policy-balance' // purchased / used / remaining / deductions differ
  | 'billed-row-missing'
  | 'billed-row-unknown'
  | 'billed-row'
  | 'billed-customer-total'
  | 'billed-policy-total'
  | 'deduction-without-work-log';

export interface ReconcileDifference {
  kind: DifferenceKind;
  /** policyId, customerId, or ticketId/entryId */
  id: string;
  field?: string;
  /** recomputed from the event log */
  expected: unknown;
  /** what the read model answers */
  actual: unknown;
}

export interface PolicyBalance {
  policyId: string;
  customerId: string;
  minutesPurchased: number;
  minutesUsed: number;
  minutesRemaining: number;
  deductions: number;
}

export interface BilledTotalsByCustomer {
  customerId: string | null;
  minutes: number;
  policyMinutes: number;
  perEventMinutes: number;
  chargeMinor: Record<string, number>;
}

export interface ReconcileReport {
  from: string | null;
  to: string | null;
  /** the log's head when the run started */
  head: bigint;
  /** the positions the views were compared at */
  checkpoints: { policies: bigint; billing: bigint };
  /** head minus the lowest checkpoint: events the read models had not applied yet */
  lag: bigint;
  policies: PolicyBalance[];
  billed: { rows: number; minutes: number; byCustomer: BilledTotalsByCustomer[]; byPolicy: Array<{ policyId: string; customerId: string | null; minutes: number }> };
  differences: ReconcileDifference[];
  ok: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Ledger {
  policies: Map<string, { registered: PolicyRegisteredData; used: number; deductions: MinutesDeductedData[] }>;
  /** ticketId -> customerId (TicketOpened; ServiceAuthorized as a fallback) */
  ticketCustomer: Map<string, string>;
  /** `${ticketId}/${entryId}` -> work log */
  workLogs: Map<string, WorkLoggedData>;
}

/**
 * What reconciliation needs of the log, each fact with its global position, so that one read
 * of the log answers "as of" every position compared (the views' checkpoints and the head).
 */
interface PositionedLog {
  policies: Map<string, { registered: PolicyRegisteredData; at: bigint; deductions: Array<{ d: MinutesDeductedData; at: bigint }> }>;
  ticketCustomer: Map<string, { opened?: { customerId: string; at: bigint }; authorized?: { customerId: string; at: bigint } }>;
  workLogs: Map<string, Array<{ d: WorkLoggedData; at: bigint }>>;
  /** the last position read */
  position: bigint;
}

/**
 * Reads $all once, up to `upTo` (inclusive), keeping the figures reconciliation needs. Only the
 * events' data is used, so the metadata (most of it the hash chain) is not parsed.
 */
async function readLog(events: EventStore, upTo: bigint, pageSize: number): Promise<PositionedLog> {
  const log: PositionedLog = { policies: new Map(), ticketCustomer: new Map(), workLogs: new Map(), position: 0n };
  let after = 0n;
  while (after < upTo) {
    const page = await events.readAll({ after, maxCount: pageSize, metadata: 'occurredAt' });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.position > upTo) return log;
      after = e.position;
      log.position = e.position;
      switch (e.type) {
        case 'PolicyRegistered': {
          const d = e.data as unknown as PolicyRegisteredData;
          if (!log.policies.has(d.policyId)) log.policies.set(d.policyId, { registered: d, at: e.position, deductions: [] });
          break;
        }
        case 'MinutesDeducted': {
          const d = e.data as unknown as MinutesDeductedData;
          log.policies.get(d.policyId)?.deductions.push({ d, at: e.position });
          break;
        }
        case 'TicketOpened': {
          const d = e.data as { ticketId: string; customerId: string };
          const c = log.ticketCustomer.get(d.ticketId) ?? {};
          c.opened = { customerId: d.customerId, at: e.position };
          log.ticketCustomer.set(d.ticketId, c);
          break;
        }
        case 'ServiceAuthorized': {
          const d = e.data as { ticketId: string; customerId: string };
          const c = log.ticketCustomer.get(d.ticketId) ?? {};
          c.authorized ??= { customerId: d.customerId, at: e.position };
          log.ticketCustomer.set(d.ticketId, c);
          break;
        }
        case 'WorkLogged': {
          const d = e.data as unknown as WorkLoggedData;
          const key = `${d.ticketId}/${d.entryId}`;
          const versions = log.workLogs.get(key);
          if (versions) versions.push({ d, at: e.position });
          else log.workLogs.set(key, [{ d, at: e.position }]);
          break;
        }
      }
    }
  }
  return log;
}

/** the log's figures as they stood at `position` (inclusive) */
function ledgerAt(log: PositionedLog, position: bigint): Ledger {
  const ledger: Ledger = { policies: new Map(), ticketCustomer: new Map(), workLogs: new Map() };
  for (const [policyId, p] of log.policies) {
    if (p.at > position) continue;
    const deductions = p.deductions.filter((x) => x.at <= position).map((x) => x.d);
    ledger.policies.set(policyId, { registered: p.registered, used: deductions.reduce((s, d) => s + d.minutes, 0), deductions });
  }
  for (const [ticketId, c] of log.ticketCustomer) {
    // TicketOpened decides; a ServiceAuthorized seen before it (or without it) is the fallback
    const customer = c.opened && c.opened.at <= position ? c.opened.customerId : c.authorized && c.authorized.at <= position ? c.authorized.customerId : null;
    if (customer !== null) ledger.ticketCustomer.set(ticketId, customer);
  }
  for (const [key, versions] of log.workLogs) {
    let last: WorkLoggedData | null = null;
    for (const v of versions) if (v.at <= position) last = v.d;
    if (last) ledger.workLogs.set(key, last);
  }
  return ledger;
}

async function checkpoints(views: ReadStore): Promise<{ policies: bigint; billing: bigint }> {
  return { policies: await views.getCheckpoint(policiesProjection.name), billing: await views.getCheckpoint(billingProjection.name) };
}

const inPeriod = (workedOn: string, from: string | null, to: string | null) => (from === null || workedOn >= from) && (to === null || workedOn <= to);

interface RowFigures {
  customerId: string | null;
  policyId: string | null;
  authorizationId: string;
  minutes: number;
  workedOn: string;
  chargeMinor: number | null;
  currency: string | null;
}

/** totals of the rows recomputed from the log, with the same arithmetic the finance view uses */
function totalsOf(rows: RowFigures[]): ReconcileReport['billed'] {
  const totals = computeBilledTotals(rows as unknown as BilledMinutesRow[]);
  return { rows: rows.length, minutes: totals.minutes, byCustomer: totals.byCustomer, byPolicy: totals.byPolicy };
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, value) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );

export async function reconcile(events: EventStore, views: ReadStore, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const from = options.from ?? null;
  const to = options.to ?? null;
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value !== null && !DATE.test(value)) throw new RangeError(`--${name} must be a date YYYY-MM-DD, not ${value}`);
  }
  const pageSize = options.pageSize ?? 5000;
  const head = await events.headPosition();
  const deadline = Date.now() + (options.waitForCatchUpMs ?? 0);
  let cps = await checkpoints(views);
  while ((cps.policies < head || cps.billing < head) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    cps = await checkpoints(views);
  }

  // read the views between two reads of the checkpoints, so they match a known position
  const now = new Date().toISOString(); // only for the status field, which is not compared
  let policyDocs: Map<string, Awaited<ReturnType<typeof getPolicy>>> = new Map();
  let viewPolicyIds: string[] = [];
  let billed: BilledMinutesRow[] = [];
  let billedTotals: Awaited<ReturnType<typeof billedMinutes>>['totals'] | null = null;
  for (let attempt = 0; ; attempt++) {
    const before = await checkpoints(views);
    viewPolicyIds = (await views.find(policiesProjection.collections[0].name, {})).map((d) => d._id);
    policyDocs = new Map();
    for (const id of viewPolicyIds) policyDocs.set(id, await getPolicy(views, id, now));
    const result = await billedMinutes(views, { ...(from ? { from } : {}), ...(to ? { to } : {}) });
    billed = result.rows;
    billedTotals = result.totals;
    const after = await checkpoints(views);
    if ((after.policies === before.policies && after.billing === before.billing) || attempt >= 20) {
      cps = after;
      break;
    }
  }

  const differences: ReconcileDifference[] = [];

  // ---- one read of the log, up to the furthest position compared
  const furthest = [head, cps.policies, cps.billing].reduce((a, b) => (a > b ? a : b));
  const log = await readLog(events, furthest, pageSize);

  // ---- policies, as of the policies checkpoint
  const policyLedger = ledgerAt(log, cps.policies);
  const balances: PolicyBalance[] = [];
  for (const [policyId, p] of policyLedger.policies) {
    const expected: PolicyBalance = {
      policyId,
      customerId: p.registered.customerId,
      minutesPurchased: p.registered.minutes,
      minutesUsed: p.used,
      minutesRemaining: p.registered.minutes - p.used,
      deductions: p.deductions.length,
    };
    balances.push(expected);
    const view = policyDocs.get(policyId);
    if (!view) {
      differences.push({ kind: 'policy-missing', id: policyId, expected, actual: null });
      continue;
    }
    const actual = {
      customerId: view.customerId,
      minutesPurchased: view.minutesPurchased,
      minutesUsed: view.minutesUsed,
      minutesRemaining: view.minutesRemaining,
      deductions: view.deductions.length,
    };
    for (const field of ['customerId', 'minutesPurchased', 'minutesUsed', 'minutesRemaining', 'deductions'] as const) {
      if (actual[field] !== expected[field]) differences.push({ kind: 'policy-balance', id: policyId, field, expected: expected[field], actual: actual[field] });
    }
    const listed = view.deductions.reduce((s, d) => s + d.minutes, 0);
    if (listed !== view.minutesUsed) {
      differences.push({ kind: 'policy-balance', id: policyId, field: 'deductions.minutes', expected: view.minutesUsed, actual: listed });
    }
  }
  for (const id of viewPolicyIds) {
    const doc = policyDocs.get(id);
    if (!policyLedger.policies.has(id) && doc) differences.push({ kind: 'policy-unknown', id, expected: null, actual: { minutesUsed: doc.minutesUsed } });
  }

  // ---- billed minutes, as of the billing checkpoint
  const billingLedger = cps.billing === cps.policies ? policyLedger : ledgerAt(log, cps.billing);
  const expectedRows = new Map<string, RowFigures>();
  for (const [key, w] of billingLedger.workLogs) {
    if (!inPeriod(w.workedOn, from, to)) continue;
    expectedRows.set(key, {
      customerId: billingLedger.ticketCustomer.get(w.ticketId) ?? null,
      policyId: w.policyId,
      authorizationId: w.authorizationId,
      minutes: w.minutes,
      workedOn: w.workedOn,
      chargeMinor: w.chargeMinor,
      currency: w.currency,
    });
  }
  const actualRows = new Map<string, RowFigures>();
  for (const r of billed) {
    actualRows.set(`${r.ticketId}/${r.entryId}`, {
      customerId: r.customerId,
      policyId: r.policyId,
      authorizationId: r.authorizationId,
      minutes: r.minutes,
      workedOn: r.workedOn,
      chargeMinor: r.chargeMinor,
      currency: r.currency,
    });
  }
  for (const [key, expected] of expectedRows) {
    const actual = actualRows.get(key);
    if (!actual) {
      differences.push({ kind: 'billed-row-missing', id: key, expected, actual: null });
      continue;
    }
    for (const field of Object.keys(expected) as Array<keyof RowFigures>) {
      if (expected[field] !== actual[field]) differences.push({ kind: 'billed-row', id: key, field, expected: expected[field], actual: actual[field] });
    }
  }
  for (const [key, actual] of actualRows) {
    if (!expectedRows.has(key)) differences.push({ kind: 'billed-row-unknown', id: key, expected: null, actual });
  }
  const expectedTotals = totalsOf([...expectedRows.values()]);
  const viewTotals = billedTotals!;
  const customerTotals = new Map(viewTotals.byCustomer.map((c) => [c.customerId ?? '', c]));
  for (const c of expectedTotals.byCustomer) {
    const actual = customerTotals.get(c.customerId ?? '') ?? null;
    customerTotals.delete(c.customerId ?? '');
    if (!actual || canonical(actual) !== canonical(c)) differences.push({ kind: 'billed-customer-total', id: c.customerId ?? '(none)', expected: c, actual });
  }
  for (const [id, actual] of customerTotals) differences.push({ kind: 'billed-customer-total', id: id || '(none)', expected: null, actual });
  const policyTotals = new Map(viewTotals.byPolicy.map((p) => [p.policyId, p]));
  for (const p of expectedTotals.byPolicy) {
    const actual = policyTotals.get(p.policyId) ?? null;
    policyTotals.delete(p.policyId);
    if (!actual || canonical(actual) !== canonical(p)) differences.push({ kind: 'billed-policy-total', id: p.policyId, expected: p, actual });
  }
  for (const [id, actual] of policyTotals) differences.push({ kind: 'billed-policy-total', id, expected: null, actual });

  // ---- the log against itself: each deduction has its work log on the ticket
  const fullLedger = head === cps.policies ? policyLedger : head === cps.billing ? billingLedger : ledgerAt(log, head);
  for (const p of fullLedger.policies.values()) {
    for (const d of p.deductions) {
      if (!fullLedger.workLogs.has(`${d.ticketId}/${d.entryId}`)) {
        differences.push({ kind: 'deduction-without-work-log', id: `${d.ticketId}/${d.entryId}`, expected: { policyId: d.policyId, minutes: d.minutes }, actual: null });
      }
    }
  }

  const low = cps.policies < cps.billing ? cps.policies : cps.billing;
  return {
    from,
    to,
    head,
    checkpoints: cps,
    lag: head > low ? head - low : 0n,
    policies: balances.sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0)),
    billed: expectedTotals,
    differences,
    ok: differences.length === 0,
  };
}

/** the report as lines for a terminal */
export function formatReconcileReport(r: ReconcileReport): string {
  const lines: string[] = [];
  const period = `${r.from ?? 'the beginning'} to ${r.to ?? 'today'}`;
  lines.push(`reconciliation of the event log (head ${r.head}) with the read models (policies at ${r.checkpoints.policies}, billing at ${r.checkpoints.billing})`);
  if (r.lag > 0n) lines.push(`  note: the read models are ${r.lag} events behind the log; compared at their own positions`);
  lines.push(`  policies: ${r.policies.length}, minutes used ${r.policies.reduce((s, p) => s + p.minutesUsed, 0)}`);
  lines.push(`  billed ${period}: ${r.billed.rows} rows, ${r.billed.minutes} minutes`);
  for (const c of r.billed.byCustomer) {
    const money = Object.entries(c.chargeMinor).map(([cur, v]) => `${v} ${cur} minor`).join(', ');
    lines.push(`    customer ${c.customerId ?? '(unknown)'}: ${c.minutes} min (policy ${c.policyMinutes}, per-event ${c.perEventMinutes})${money ? `, charged ${money}` : ''}`);
  }
  for (const p of r.billed.byPolicy) lines.push(`    policy ${p.policyId}: ${p.minutes} min`);
  if (r.ok) {
    lines.push('OK: the read models agree with the event log');
  } else {
    lines.push(`DIFFERENCES (${r.differences.length}):`);
    for (const d of r.differences) {
      lines.push(`  ${d.kind} ${d.id}${d.field ? ` ${d.field}` : ''}: log ${JSON.stringify(d.expected)}, read model ${JSON.stringify(d.actual)}`);
    }
  }
  return lines.join('\n');
}
