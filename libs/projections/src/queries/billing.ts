/**
 * Billed minutes for finance: one row per deduction from a policy or per per-event charge,
 * each with its authorization, and totals per customer and per policy. Periods are on the
 * day the work was done (`workedOn`), both ends inclusive.
 */
import type { Filter, ReadStore } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { BilledRow, BilledRowFields } from '../views/billing.view';
import { dateParam } from './common';

export interface BilledMinutesQuery {
  /** YYYY-MM-DD, inclusive */
  from?: string;
  /** YYYY-MM-DD, inclusive */
  to?: string;
  customerId?: string;
}

export type BilledMinutesRow = BilledRowFields;

export interface BilledCustomerTotal {
  customerId: string | null;
  minutes: number;
  /** minutes deducted from policies */
  policyMinutes: number;
  /** minutes charged per event */
  perEventMinutes: number;
  /** per-event charges in minor units, by ISO 4217 currency */
  chargeMinor: Record<string, number>;
}

export interface BilledPolicyTotal {
  policyId: string;
  customerId: string | null;
  minutes: number;
}

export interface BilledMinutesResult {
  rows: BilledMinutesRow[];
  totals: {
    minutes: number;
    chargeMinor: Record<string, number>;
    byCustomer: BilledCustomerTotal[];
    byPolicy: BilledPolicyTotal[];
  };
}

export function billedTotals(rows: BilledMinutesRow[]): BilledMinutesResult['totals'] {
  const customers = new Map<string, BilledCustomerTotal>();
  const policies = new Map<string, BilledPolicyTotal>();
  const chargeMinor: Record<string, number> = {};
  let minutes = 0;
  for (const r of rows) {
    minutes += r.minutes;
    const key = r.customerId ?? '';
    let c = customers.get(key);
    if (!c) customers.set(key, (c = { customerId: r.customerId, minutes: 0, policyMinutes: 0, perEventMinutes: 0, chargeMinor: {} }));
    c.minutes += r.minutes;
    if (r.policyId !== null) {
      c.policyMinutes += r.minutes;
      let p = policies.get(r.policyId);
      if (!p) policies.set(r.policyId, (p = { policyId: r.policyId, customerId: r.customerId, minutes: 0 }));
      p.minutes += r.minutes;
    } else {
      c.perEventMinutes += r.minutes;
    }
    if (r.chargeMinor !== null && r.currency !== null) {
      c.chargeMinor[r.currency] = (c.chargeMinor[r.currency] ?? 0) + r.chargeMinor;
      chargeMinor[r.currency] = (chargeMinor[r.currency] ?? 0) + r.chargeMinor;
    }
  }
  const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    minutes,
    chargeMinor,
    byCustomer: [...customers.values()].sort(byKey((c) => c.customerId ?? '')),
    byPolicy: [...policies.values()].sort(byKey((p) => p.policyId)),
  };
}

export async function billedMinutes(store: ReadStore, query: BilledMinutesQuery = {}): Promise<BilledMinutesResult> {
  const workedOn: { $gte?: string; $lte?: string } = {};
  if (query.from !== undefined) workedOn.$gte = dateParam('from', query.from);
  if (query.to !== undefined) workedOn.$lte = dateParam('to', query.to);
  const filter: Filter = {};
  if (workedOn.$gte !== undefined || workedOn.$lte !== undefined) filter.workedOn = workedOn;
  if (query.customerId !== undefined) filter.customerId = query.customerId;
  const sort: Array<[string, 1]> = query.customerId !== undefined ? [['customerId', 1], ['workedOn', 1], ['at', 1]] : [['workedOn', 1], ['at', 1]];
  const docs = await store.find<BilledRow>(COLLECTIONS.billed, { filter, sort });
  const rows = docs.map(({ _pos, _id, ...row }) => row as BilledRowFields);
  return { rows, totals: billedTotals(rows) };
}

export const BILLED_CSV_COLUMNS = [
  'workedOn',
  'loggedAt',
  'customerId',
  'ticketId',
  'entryId',
  'policyId',
  'authorizationId',
  'quoteId',
  'engineerId',
  'kind',
  'minutes',
  'chargeMinor',
  'currency',
  'description',
] as const;

/**
 * RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. Text that
 * a spreadsheet would run as a formula (starting with = + - @, a tab or CR: a work log's
 * description is typed by people) gets a leading apostrophe, so it opens as text (OWASP's
 * advice on CSV injection); numbers are written as they are.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** the rows as CSV (RFC 4180: header row, CRLF line ends, UTF-8 text) */
export function billedMinutesCsv(result: Pick<BilledMinutesResult, 'rows'>): string {
  const lines = [BILLED_CSV_COLUMNS.join(',')];
  for (const r of result.rows) {
    lines.push(
      [r.workedOn, r.at, r.customerId, r.ticketId, r.entryId, r.policyId, r.authorizationId, r.quoteId, r.engineerId, r.kind, r.minutes, r.chargeMinor, r.currency, r.description]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
