/**
 * The case's history for the replay (GET /api/tickets/{id}/history?changes=true): every event
 * in global order with who, roles, when, correlation and causation, the per-step changes from
 * `baseState`, the hash-chain verdict and each quote with its answer and the approver's rights
 * then. The NDJSON export is a download (staff and auditors).
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { GetAnswer } from '../shared/api/answers';
import type { Page, TicketSummary } from '../shared/api/views';
import { downloadFromApi } from '../shared/download';
import { foldSteps, type PatchOp } from './json-patch';

export type CaseHistory = GetAnswer<'/api/tickets/{id}/history'>;
export type CaseEvent = CaseHistory['events'][number];
export type CaseQuote = CaseHistory['quotes'][number];
export type Approval = NonNullable<NonNullable<CaseQuote['decision']>['approval']>;

/** the folded ticket state (the domain's TicketState), read loosely: the screen shows what it knows */
export type FoldedState = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function useCaseHistory(ticketId: string) {
  return useQuery({
    queryKey: ['history', ticketId, 'replay'],
    queryFn: ({ signal }) =>
      unwrap<CaseHistory>(api.GET('/api/tickets/{id}/history', { params: { path: { id: ticketId }, query: { changes: true } }, signal })),
    staleTime: 10_000,
  });
}

export interface ReplayModel {
  history: CaseHistory;
  events: CaseEvent[];
  /** states[i]: the case once events[0..i] are applied */
  states: FoldedState[];
  base: FoldedState;
  byPosition: Map<number, number>;
}

export function replayModel(history: CaseHistory): ReplayModel {
  const events = history.events;
  const base = (history.baseState ?? {}) as FoldedState;
  const states = foldSteps<FoldedState>(base, events.map((e) => ({ changes: (e.changes ?? []) as PatchOp[] })));
  const byPosition = new Map(events.map((e, i) => [e.position, i]));
  return { history, events, states, base, byPosition };
}

/** the approver's recorded rights for a quote's answer, among the events up to `step` */
export function answerOf(events: CaseEvent[], quoteId: string, step: number): CaseEvent | null {
  for (let i = Math.min(step, events.length - 1); i >= 0; i--) {
    const e = events[i];
    if ((e.type === 'ServiceAuthorized' || e.type === 'QuoteDeclined') && (e.data as { quoteId?: string }).quoteId === quoteId) return e;
  }
  return null;
}

export const exportCase = (ticketId: string) =>
  downloadFromApi(`/api/tickets/${encodeURIComponent(ticketId)}/history?format=ndjson`, `case-${ticketId}.ndjson`, 'application/x-ndjson');

export function useCaseList(filters: { status?: string; customerId?: string }) {
  return useQuery({
    queryKey: ['tickets', 'cases', filters],
    queryFn: ({ signal }) =>
      unwrap<Page<TicketSummary>>(
        api.GET('/api/tickets', {
          params: { query: { limit: 100, ...(filters.status ? { status: filters.status as 'open' } : {}), ...(filters.customerId ? { customerId: filters.customerId } : {}) } },
          signal,
        }),
      ),
    staleTime: 10_000,
  });
}
