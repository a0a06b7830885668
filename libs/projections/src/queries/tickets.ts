/**
 * Ticket queries: one ticket, ticket lists and the agents' queue.
 */
import { gradeSla, slaSnapshot } from '@helpdesk/domain';
import type { SlaGrade, SlaPauseReason, SlaSnapshot, TicketStatus } from '@helpdesk/domain';
import type { BusinessCalendar } from '@helpdesk/calendar';
import type { Condition, Filter, ReadStore, SortSpec } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import { ticketStateOf, type TicketDoc, type TicketSummary } from '../views/tickets.view';
import { InvalidQueryError, Page, instantParam, pageLimit, readCursor, writeCursor } from './common';

/** where the views find a business calendar by id (a TicketRules satisfies it) */
export interface CalendarSource {
  calendar(calendarId: string): BusinessCalendar;
}

/** the ticket document with its folded state (record keys decoded) */
export async function getTicket(store: ReadStore, ticketId: string): Promise<TicketDoc | null> {
  const doc = await store.get<TicketDoc>(COLLECTIONS.tickets, ticketId);
  return doc ? { ...doc, state: ticketStateOf(doc) } : null;
}

/** the SLA figures of the ticket's current response cycle at `nowIso` (null before opening) */
export function ticketSla(doc: Pick<TicketDoc, 'state'>, nowIso: string, calendars: CalendarSource): SlaSnapshot | null {
  const sla = doc.state.sla;
  if (!sla) return null;
  return slaSnapshot(doc.state, Date.parse(instantParam('now', nowIso)), calendars.calendar(sla.calendarId));
}

/**
 * The SLA snapshot of the document's current cycle at `nowMs`, on the calendar its target
 * recorded; null without a target, or when the preset in force no longer has that calendar.
 */
export function snapshotAt(doc: Pick<TicketDoc, 'state'>, nowMs: number, calendars: CalendarSource): SlaSnapshot | null {
  const sla = doc.state.sla;
  if (!sla) return null;
  let calendar: BusinessCalendar;
  try {
    calendar = calendars.calendar(sla.calendarId);
  } catch {
    return null;
  }
  return slaSnapshot(doc.state, nowMs, calendar);
}

/** The graded SLA of a ticket's current response cycle at a moment (queue items, ticket detail). */
export interface GradedSla {
  state: SlaGrade;
  pausedReason: SlaPauseReason | null;
  responseDueAt: string | null;
  warningAt: string | null;
  /** business minutes of the target left (0 once used up) */
  businessMinutesLeft: number;
  businessMinutesElapsed: number;
  respondedAt: string | null;
}

/** grades a snapshot (null: a ticket without a response target) */
export function gradedSlaOf(snapshot: SlaSnapshot | null, status: TicketStatus | null): GradedSla {
  const { state, pausedReason } = gradeSla(snapshot, status);
  return {
    state,
    pausedReason,
    responseDueAt: snapshot?.dueAt ?? null,
    warningAt: snapshot?.warningAt ?? null,
    businessMinutesLeft: snapshot?.remainingBusinessMinutes ?? 0,
    businessMinutesElapsed: snapshot?.elapsedBusinessMinutes ?? 0,
    respondedAt: snapshot?.respondedAt ?? null,
  };
}

/** the document without the folded state (what lists return) */
export function summaryOf(doc: TicketDoc): TicketSummary & { _id: string } {
  const { state: _state, _pos, ...summary } = doc;
  return summary;
}

export interface ListTicketsQuery {
  customerId?: string;
  status?: TicketStatus;
  assigneeId?: string;
  department?: string;
  limit?: number;
  cursor?: string;
}

const LIST_SORT: SortSpec = [['openedAt', -1]];

/** tickets, newest first (openedAt descending, then id), paged by keyset cursor */
export async function listTickets(store: ReadStore, query: ListTicketsQuery = {}): Promise<Page<TicketSummary & { _id: string }>> {
  const limit = pageLimit(query.limit);
  const filter: Filter = {};
  if (query.customerId !== undefined) filter.customerId = query.customerId;
  if (query.status !== undefined) filter.status = query.status;
  if (query.assigneeId !== undefined) filter.assigneeId = query.assigneeId;
  if (query.department !== undefined) filter.department = query.department;
  const after = readCursor(query.cursor, LIST_SORT.length);
  // lists show the summary: the folded state (most of each document) is not read
  const docs = await store.find<TicketDoc>(COLLECTIONS.tickets, { filter, sort: LIST_SORT, limit: limit + 1, after, omit: ['state'] });
  const items = docs.slice(0, limit).map(summaryOf);
  const last = docs.length > limit ? docs[limit - 1] : null;
  return { items, nextCursor: last ? writeCursor([last.openedAt], last._id) : null };
}

export interface QueueQuery {
  department?: string;
  assigneeId?: string;
  priority?: string;
  severity?: number;
  /** 'open' or 'awaiting-customer' (closed tickets are never in the queue) */
  status?: TicketStatus;
  /** true: the clock runs and the response is past due at `now`; false: everything else */
  breached?: boolean;
  /** 1..200, default 50 */
  limit?: number;
  cursor?: string;
  /** only these tickets, as the queue shows them under the other filters (a screen refreshing the few that changed) */
  ticketIds?: string[];
}

export type QueueItem = TicketSummary & { _id: string; breached: boolean; sla?: GradedSla };

const QUEUE_SORT: SortSpec = [['queueKey', 1]];

/**
 * Open work in response-deadline order: first tickets whose response clock runs (earliest
 * due first, then most urgent), then answered open tickets, then tickets awaiting the
 * customer (see tickets.view.ts for the key). `breached` is decided at `nowIso`. With
 * `calendars`, each item also carries its graded SLA at `nowIso` (one snapshot per item of
 * the page, on the calendar its target recorded).
 */
export async function queryQueue(store: ReadStore, query: QueueQuery, nowIso: string, calendars?: CalendarSource): Promise<Page<QueueItem>> {
  const limit = pageLimit(query.limit);
  const now = instantParam('now', nowIso);
  // the queue key range: [lower, upper)
  const bounds: { lower: string; upper: string | null } = { lower: '0', upper: null };
  const narrow = (lo: string | null, hi: string | null) => {
    if (lo !== null && lo > bounds.lower) bounds.lower = lo;
    if (hi !== null && (bounds.upper === null || hi < bounds.upper)) bounds.upper = hi;
  };
  if (query.status !== undefined) {
    if (query.status === 'open') narrow(null, '2');
    else if (query.status === 'awaiting-customer') narrow('2', null);
    else if (query.status === 'closed') return { items: [], nextCursor: null };
    else throw new InvalidQueryError('status', 'must be open or awaiting-customer');
  }
  if (query.breached === true) narrow('0|', `0|${now}`);
  else if (query.breached === false) narrow(`0|${now}`, null);

  const { lower, upper } = bounds;
  if (upper !== null && lower >= upper) return { items: [], nextCursor: null };
  const range: Condition = upper === null ? { $gte: lower } : { $gte: lower, $lt: upper };
  const filter: Filter = { queueKey: range };
  if (query.department !== undefined) filter.department = query.department;
  if (query.assigneeId !== undefined) filter.assigneeId = query.assigneeId;
  // priority and severity belong to different schemes: the preset uses one of them
  if (query.priority !== undefined && query.severity !== undefined) throw new InvalidQueryError('severity', 'give priority or severity, not both', 'conflicting-parameters');
  if (query.priority !== undefined) filter.classification = query.priority;
  if (query.severity !== undefined) filter.classification = query.severity;
  if (query.ticketIds !== undefined) filter._id = { $in: query.ticketIds };

  const after = readCursor(query.cursor, QUEUE_SORT.length);
  // whole documents: each item's graded SLA folds from the state's SLA part (json_remove of the
  // parts it does not read cost SQLite more than it saved on typical tickets)
  const docs = await store.find<TicketDoc>(COLLECTIONS.tickets, { filter, sort: QUEUE_SORT, limit: limit + 1, after });
  const breachedBelow = `0|${now}`;
  const nowMs = Date.parse(now);
  const items = docs.slice(0, limit).map((doc): QueueItem => {
    const item: QueueItem = { ...summaryOf(doc), breached: doc.queueKey !== null && doc.queueKey.startsWith('0|') && doc.queueKey < breachedBelow };
    if (calendars) item.sla = gradedSlaOf(snapshotAt(doc, nowMs, calendars), doc.status);
    return item;
  });
  const last = docs.length > limit ? docs[limit - 1] : null;
  return { items, nextCursor: last ? writeCursor([last.queueKey], last._id) : null };
}
