/**
 * Finance views beside the billed-minutes rows: the same rows summed by customer, policy and
 * month (the stacked bar chart and its table), the per-event charges with their quotes'
 * amounts, and the policy balances with their burn rate and projected exhaustion.
 * Money is exact: integer minor units by ISO 4217 currency; minutes are integers.
 */
import { policyStatusAt } from '@helpdesk/domain';
import type { PolicyPlan, PolicyStatus, QuoteTerms } from '@helpdesk/domain';
import type { Filter, ReadStore, Scalar, SortSpec } from '@helpdesk/read-store';
import type { AuthorizationDoc } from '../views/authorizations.view';
import { COLLECTIONS } from '../views/common';
import type { CustomerDoc } from '../views/customers.view';
import { dateOf } from '../views/months';
import { PolicyDoc, policyStateOf } from '../views/policies.view';
import { billedMinutes, type BilledMinutesQuery, type BilledMinutesRow } from './billing';
import { InvalidQueryError, Page, instantParam, pageLimit, readCursor, writeCursor } from './common';

const addMoney = (into: Record<string, number>, currency: string | null, minor: number | null) => {
  if (currency === null || minor === null) return;
  into[currency] = (into[currency] ?? 0) + minor;
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function customerNames(store: ReadStore, ids: Array<string | null>): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  const docs = await store.getMany<CustomerDoc>(COLLECTIONS.customers, unique);
  return new Map(docs.map((d) => [d._id, d.name]));
}

// ---------------------------------------------------------------- billed minutes by customer, policy and month

export interface BilledSummaryRow {
  customerId: string | null;
  customerName: string | null;
  /** null: per-event work (charged, not deducted from a policy) */
  policyId: string | null;
  policyNumber: string | null;
  /** YYYY-MM of workedOn */
  month: string;
  minutes: number;
  entries: number;
  chargeMinor: Record<string, number>;
}

export interface BilledMonthTotal {
  month: string;
  minutes: number;
  policyMinutes: number;
  perEventMinutes: number;
  entries: number;
  chargeMinor: Record<string, number>;
}

export interface BilledSummary {
  from: string | null;
  to: string | null;
  customerId: string | null;
  /** every month with billed work in the period, in order */
  months: string[];
  rows: BilledSummaryRow[];
  totals: {
    minutes: number;
    entries: number;
    chargeMinor: Record<string, number>;
    byMonth: BilledMonthTotal[];
    byCustomer: Array<{ customerId: string | null; customerName: string | null; minutes: number; policyMinutes: number; perEventMinutes: number; chargeMinor: Record<string, number> }>;
    byPolicy: Array<{ policyId: string; policyNumber: string | null; customerId: string | null; minutes: number }>;
  };
}

/**
 * The billed-minutes rows of the period (the same rows as GET /api/finance/billed-minutes and
 * its CSV) summed by customer, policy (or per-event) and month of workedOn. O(rows in the period).
 */
export async function billedSummary(store: ReadStore, query: BilledMinutesQuery = {}): Promise<BilledSummary> {
  const { rows } = await billedMinutes(store, query);
  const cells = new Map<string, BilledSummaryRow>();
  const months = new Map<string, BilledMonthTotal>();
  const customers = new Map<string, BilledSummary['totals']['byCustomer'][number]>();
  const policies = new Map<string, BilledSummary['totals']['byPolicy'][number]>();
  const chargeMinor: Record<string, number> = {};
  let minutes = 0;
  for (const r of rows) {
    const month = r.workedOn.slice(0, 7);
    const key = `${r.customerId ?? ''}\u0000${r.policyId ?? ''}\u0000${month}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { customerId: r.customerId, customerName: null, policyId: r.policyId, policyNumber: null, month, minutes: 0, entries: 0, chargeMinor: {} }));
    cell.minutes += r.minutes;
    cell.entries++;
    addMoney(cell.chargeMinor, r.currency, r.chargeMinor);
    let m = months.get(month);
    if (!m) months.set(month, (m = { month, minutes: 0, policyMinutes: 0, perEventMinutes: 0, entries: 0, chargeMinor: {} }));
    m.minutes += r.minutes;
    m.entries++;
    if (r.policyId === null) m.perEventMinutes += r.minutes;
    else m.policyMinutes += r.minutes;
    addMoney(m.chargeMinor, r.currency, r.chargeMinor);
    const ck = r.customerId ?? '';
    let c = customers.get(ck);
    if (!c) customers.set(ck, (c = { customerId: r.customerId, customerName: null, minutes: 0, policyMinutes: 0, perEventMinutes: 0, chargeMinor: {} }));
    c.minutes += r.minutes;
    if (r.policyId === null) c.perEventMinutes += r.minutes;
    else c.policyMinutes += r.minutes;
    addMoney(c.chargeMinor, r.currency, r.chargeMinor);
    if (r.policyId !== null) {
      let p = policies.get(r.policyId);
      if (!p) policies.set(r.policyId, (p = { policyId: r.policyId, policyNumber: null, customerId: r.customerId, minutes: 0 }));
      p.minutes += r.minutes;
    }
    addMoney(chargeMinor, r.currency, r.chargeMinor);
    minutes += r.minutes;
  }
  const names = await customerNames(store, [...customers.values()].map((c) => c.customerId));
  const policyDocs = await store.getMany<PolicyDoc>(COLLECTIONS.policies, [...policies.keys()]);
  const numbers = new Map(policyDocs.map((p) => [p._id, p.number]));
  const summaryRows = [...cells.values()]
    .map((c) => ({ ...c, customerName: c.customerId === null ? null : (names.get(c.customerId) ?? null), policyNumber: c.policyId === null ? null : (numbers.get(c.policyId) ?? null) }))
    .sort((a, b) => cmp(a.customerId ?? '', b.customerId ?? '') || cmp(a.policyId ?? '\uffff', b.policyId ?? '\uffff') || cmp(a.month, b.month));
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    customerId: query.customerId ?? null,
    months: [...months.keys()].sort(),
    rows: summaryRows,
    totals: {
      minutes,
      entries: rows.length,
      chargeMinor,
      byMonth: [...months.values()].sort((a, b) => cmp(a.month, b.month)),
      byCustomer: [...customers.values()]
        .map((c) => ({ ...c, customerName: c.customerId === null ? null : (names.get(c.customerId) ?? null) }))
        .sort((a, b) => cmp(a.customerId ?? '', b.customerId ?? '')),
      byPolicy: [...policies.values()].map((p) => ({ ...p, policyNumber: numbers.get(p.policyId) ?? null })).sort((a, b) => cmp(a.policyId, b.policyId)),
    },
  };
}

// ---------------------------------------------------------------- per-event charges

export interface PerEventCharge {
  workedOn: string;
  loggedAt: string;
  customerId: string | null;
  customerName: string | null;
  ticketId: string;
  entryId: string;
  authorizationId: string;
  quoteId: string;
  engineerId: string;
  kind: BilledMinutesRow['kind'];
  minutes: number;
  /** this work log's charge, exact minor units */
  chargeMinor: number;
  currency: string;
  description: string;
  /** the accepted quote's terms and the purchase order given with the acceptance (null if the authorization view lacks it) */
  quote: { minutes: number; hourlyRateMinor: number | null; amountMinor: number | null; currency: string | null; paymentTerms: string | null; purchaseOrder: string | null } | null;
}

export interface PerEventCharges {
  from: string | null;
  to: string | null;
  customerId: string | null;
  items: PerEventCharge[];
  totals: { chargeMinor: Record<string, number>; minutes: number; byCustomer: Array<{ customerId: string | null; customerName: string | null; minutes: number; chargeMinor: Record<string, number> }> };
}

/** Every per-event charge of the period (the billed rows without a policy) with its quote's amount. */
export async function perEventCharges(store: ReadStore, query: BilledMinutesQuery = {}): Promise<PerEventCharges> {
  const { rows } = await billedMinutes(store, query);
  const charged = rows.filter((r) => r.policyId === null && r.chargeMinor !== null && r.currency !== null);
  const authorizations = await store.getMany<AuthorizationDoc>(
    COLLECTIONS.authorizations,
    charged.map((r) => `${r.ticketId}/${r.quoteId}`),
  );
  const byId = new Map(authorizations.map((a) => [a._id, a]));
  const names = await customerNames(store, charged.map((r) => r.customerId));
  const chargeMinor: Record<string, number> = {};
  const customers = new Map<string, PerEventCharges['totals']['byCustomer'][number]>();
  let minutes = 0;
  const items = charged.map((r): PerEventCharge => {
    const a = byId.get(`${r.ticketId}/${r.quoteId}`);
    const terms: QuoteTerms | null = a?.terms ?? null;
    addMoney(chargeMinor, r.currency, r.chargeMinor);
    minutes += r.minutes;
    const ck = r.customerId ?? '';
    let c = customers.get(ck);
    if (!c) customers.set(ck, (c = { customerId: r.customerId, customerName: r.customerId === null ? null : (names.get(r.customerId) ?? null), minutes: 0, chargeMinor: {} }));
    c.minutes += r.minutes;
    addMoney(c.chargeMinor, r.currency, r.chargeMinor);
    return {
      workedOn: r.workedOn,
      loggedAt: r.at,
      customerId: r.customerId,
      customerName: r.customerId === null ? null : (names.get(r.customerId) ?? null),
      ticketId: r.ticketId,
      entryId: r.entryId,
      authorizationId: r.authorizationId,
      quoteId: r.quoteId,
      engineerId: r.engineerId,
      kind: r.kind,
      minutes: r.minutes,
      chargeMinor: r.chargeMinor as number,
      currency: r.currency as string,
      description: r.description,
      quote: terms
        ? {
            minutes: terms.minutes,
            hourlyRateMinor: terms.hourlyRateMinor,
            amountMinor: terms.amountMinor,
            currency: terms.currency,
            paymentTerms: terms.paymentTerms,
            purchaseOrder: a?.purchaseOrder ?? null,
          }
        : null,
    };
  });
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    customerId: query.customerId ?? null,
    items,
    totals: { chargeMinor, minutes, byCustomer: [...customers.values()].sort((a, b) => cmp(a.customerId ?? '', b.customerId ?? '')) },
  };
}

// ---------------------------------------------------------------- policy balances, burn rate, projected exhaustion

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** `date` minus `months` calendar months (the day clamped to the target month's last day) */
function minusMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export const BURN_WINDOW_MONTHS = 3;

export interface PolicyBurn {
  /** the window: the last 3 months up to today (in the policy's zone), within its validity; null bounds when it has none yet */
  from: string | null;
  to: string | null;
  days: number;
  /** minutes used in the window (by workedOn) */
  minutes: number;
  /** minutes / days x 30, rounded half up: minutes per 30-day month */
  minutesPerMonth: number;
  /** the window's minutes by calendar month (YYYY-MM) */
  months: Array<{ month: string; minutes: number }>;
}

export interface PolicyBalance {
  policyId: string;
  number: string | null;
  customerId: string | null;
  customerName: string | null;
  plan: PolicyPlan | null;
  status: PolicyStatus;
  minutesPurchased: number;
  minutesUsed: number;
  minutesRemaining: number;
  validFrom: string | null;
  validUntil: string | null;
  timeZone: string | null;
  /** today in the policy's zone */
  today: string;
  /** days from today to validUntil (negative once expired) */
  daysToExpiry: number | null;
  burn: PolicyBurn;
  /**
   * at the window's rate, the day the minutes left run out: today + ceil(remaining x days /
   * minutes); null when the policy is not active or nothing was used in the window
   */
  projectedExhaustionOn: string | null;
  /** whether that day comes before the policy expires (null without a projection) */
  exhaustsBeforeExpiry: boolean | null;
}

export function policyBalanceOf(doc: PolicyDoc, nowIso: string, customerName: string | null): PolicyBalance | null {
  const state = policyStateOf(doc);
  if (!state.policy) return null;
  const now = instantParam('now', nowIso);
  const zone = doc.timeZone ?? 'UTC';
  const today = dateOf(now, zone);
  const status = policyStatusAt(state, now);
  const validFrom = doc.validFrom as string;
  const validUntil = doc.validUntil as string;
  let from = minusMonths(today, BURN_WINDOW_MONTHS);
  from = dateOfDay(dayNumber(from) + 1);
  if (from < validFrom) from = validFrom;
  const to = today > validUntil ? validUntil : today;
  const days = to >= from ? dayNumber(to) - dayNumber(from) + 1 : 0;
  const byMonth = new Map<string, number>();
  let minutes = 0;
  if (days > 0) {
    for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = minusMonths(`${m}-01`, -1).slice(0, 7)) byMonth.set(m, 0);
    for (const d of doc.deductions) {
      if (d.workedOn < from || d.workedOn > to) continue;
      minutes += d.minutes;
      const m = d.workedOn.slice(0, 7);
      byMonth.set(m, (byMonth.get(m) ?? 0) + d.minutes);
    }
  }
  const minutesPerMonth = days > 0 ? Math.floor((minutes * 30 * 2 + days) / (2 * days)) : 0;
  const remaining = doc.minutesRemaining;
  let projectedExhaustionOn: string | null = null;
  if (status === 'active' && minutes > 0 && remaining > 0) {
    projectedExhaustionOn = dateOfDay(dayNumber(today) + Math.ceil((remaining * days) / minutes));
  }
  return {
    policyId: doc.policyId,
    number: doc.number,
    customerId: doc.customerId,
    customerName,
    plan: doc.plan,
    status,
    minutesPurchased: doc.minutesPurchased,
    minutesUsed: doc.minutesUsed,
    minutesRemaining: remaining,
    validFrom,
    validUntil,
    timeZone: doc.timeZone,
    today,
    daysToExpiry: dayNumber(validUntil) - dayNumber(today),
    burn: {
      from: days > 0 ? from : null,
      to: days > 0 ? to : null,
      days,
      minutes,
      minutesPerMonth,
      months: [...byMonth].map(([month, m]) => ({ month, minutes: m })),
    },
    projectedExhaustionOn,
    exhaustsBeforeExpiry: projectedExhaustionOn === null ? null : projectedExhaustionOn <= validUntil,
  };
}

export interface PolicyBalancesQuery {
  customerId?: string;
  status?: PolicyStatus;
  limit?: number;
  cursor?: string;
}

const POLICY_SORT: SortSpec = [
  ['customerId', 1],
  ['validFrom', -1],
];

/** Policy balances by customer (newest validity first), with burn rate and projected exhaustion; `status` is decided at `now`. */
export async function policyBalances(store: ReadStore, query: PolicyBalancesQuery, nowIso: string): Promise<Page<PolicyBalance>> {
  const limit = pageLimit(query.limit);
  if (query.status !== undefined && !['active', 'exhausted', 'expired', 'not-started'].includes(query.status)) {
    throw new InvalidQueryError('status', 'must be active, exhausted, expired or not-started');
  }
  const filter: Filter = query.customerId !== undefined ? { customerId: query.customerId } : {};
  let after: { values: Scalar[]; id: string } | undefined = readCursor(query.cursor, POLICY_SORT.length);
  const found: PolicyDoc[] = [];
  const chunk = query.status === undefined ? limit + 1 : Math.max(100, limit * 2);
  const now = instantParam('now', nowIso);
  for (;;) {
    const docs = await store.find<PolicyDoc>(COLLECTIONS.policies, { filter, sort: POLICY_SORT, limit: chunk, after });
    for (const doc of docs) {
      if (query.status !== undefined) {
        const state = policyStateOf(doc);
        if (!state.policy || policyStatusAt(state, now) !== query.status) continue;
      }
      found.push(doc);
      if (found.length > limit) break;
    }
    if (found.length > limit || docs.length < chunk) break;
    const last = docs[docs.length - 1];
    after = { values: [last.customerId, last.validFrom], id: last._id };
  }
  const page = found.slice(0, limit);
  const names = await customerNames(store, page.map((d) => d.customerId));
  const items = page.map((d) => policyBalanceOf(d, now, d.customerId === null ? null : (names.get(d.customerId) ?? null))).filter((b): b is PolicyBalance => b !== null);
  const last = found.length > limit ? page[page.length - 1] : null;
  return { items, nextCursor: last ? writeCursor([last.customerId, last.validFrom], last._id) : null };
}
