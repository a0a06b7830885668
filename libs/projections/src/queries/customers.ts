/**
 * Customer queries: the list staff browse and search, and one customer.
 */
import { isSuspendedAt, normalizeText } from '@helpdesk/domain';
import type { SupportLevel, SuspensionReason } from '@helpdesk/domain';
import type { ReadStore, Scalar } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { CustomerDoc } from '../views/customers.view';
import { Page, instantParam, pageLimit, readCursor, writeCursor } from './common';

export interface CustomerSummary {
  customerId: string;
  name: string | null;
  supportLevel: SupportLevel | null;
  calendarId: string | null;
  registeredAt: string | null;
  /** a suspension is in force now */
  suspended: boolean;
  suspension: {
    reason: SuspensionReason;
    /** staff only (null for the customer's own contacts) */
    detail: string | null;
    until: string | null;
    /** first instant support is available again; null: permanent */
    endsAt: string | null;
    suspendedAt: string;
    /** staff only */
    suspendedBy: string | null;
  } | null;
  version: number;
}

/** the customer as the API shows it at `nowIso`; `forStaff` false hides who suspended and why in words */
export function customerSummaryOf(doc: CustomerDoc, nowIso: string, forStaff: boolean): CustomerSummary {
  const s = doc.suspension;
  const suspended = isSuspendedAt(doc.state, instantParam('now', nowIso));
  return {
    customerId: doc.customerId,
    name: doc.name,
    supportLevel: doc.supportLevel,
    calendarId: doc.calendarId,
    registeredAt: doc.registeredAt,
    suspended,
    suspension: s
      ? {
          reason: s.reason,
          detail: forStaff ? s.detail : null,
          until: s.until,
          endsAt: s.endsAt,
          suspendedAt: new Date(s.suspendedAt).toISOString(),
          suspendedBy: forStaff ? s.suspendedBy : null,
        }
      : null,
    version: doc.version,
  };
}

export interface ListCustomersQuery {
  /** words the customer's name contains (accents and case ignored) */
  q?: string;
  limit?: number;
  cursor?: string;
}

const SORT: Array<[string, 1]> = [['nameKey', 1]];
/** documents read per round while searching, and at most per request */
const SEARCH_CHUNK = 500;
const SEARCH_BUDGET = 20_000;

const keyOf = (doc: CustomerDoc): string | null => doc.nameKey ?? (doc.name ? normalizeText(doc.name) : null);

/**
 * Registered customers by name (accents and case ignored), paged by keyset cursor. With `q`,
 * those whose name contains every word of it: the search walks the name order and reads at
 * most SEARCH_BUDGET documents per request, so a page may hold fewer than `limit` items and
 * still carry a `nextCursor` (continue from there); the last page has nextCursor null.
 */
export async function listCustomers(store: ReadStore, query: ListCustomersQuery, nowIso: string): Promise<Page<CustomerSummary>> {
  const limit = pageLimit(query.limit);
  let after: { values: Scalar[]; id: string } | undefined = readCursor(query.cursor, 1);
  const words = query.q ? normalizeText(query.q).split(' ').filter(Boolean) : [];
  if (words.length === 0) {
    const docs = await store.find<CustomerDoc>(COLLECTIONS.customers, { sort: SORT, limit: limit + 1, after });
    const page = docs.slice(0, limit).filter((d) => d.name !== null);
    const last = docs.length > limit ? docs[limit - 1] : null;
    return { items: page.map((d) => customerSummaryOf(d, nowIso, true)), nextCursor: last ? writeCursor([last.nameKey ?? null], last._id) : null };
  }
  const found: CustomerDoc[] = [];
  let read = 0;
  let lastRead: CustomerDoc | null = null;
  for (;;) {
    const docs = await store.find<CustomerDoc>(COLLECTIONS.customers, { sort: SORT, limit: SEARCH_CHUNK, after });
    for (const doc of docs) {
      read++;
      lastRead = doc;
      const key = keyOf(doc);
      if (key !== null && words.every((w) => key.includes(w))) {
        found.push(doc);
        if (found.length === limit) break;
      }
    }
    if (found.length === limit || docs.length < SEARCH_CHUNK || read >= SEARCH_BUDGET) {
      const exhausted = docs.length < SEARCH_CHUNK && found.length < limit;
      const stop = found.length === limit ? found[found.length - 1] : lastRead;
      return {
        items: found.map((d) => customerSummaryOf(d, nowIso, true)),
        nextCursor: exhausted || !stop ? null : writeCursor([stop.nameKey ?? null], stop._id),
      };
    }
    after = { values: [lastRead!.nameKey ?? null], id: lastRead!._id };
  }
}

export async function getCustomerSummary(store: ReadStore, customerId: string, nowIso: string, forStaff: boolean): Promise<CustomerSummary | null> {
  const doc = await store.get<CustomerDoc>(COLLECTIONS.customers, customerId);
  if (!doc || doc.name === null) return null;
  return customerSummaryOf(doc, nowIso, forStaff);
}
