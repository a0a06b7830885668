/**
 * The supervisor dashboard's reads: one query per chart (response targets per month and
 * classification, escalations per level, SLA states now, workload per agent), each with its
 * drill-down, whose `total` is the chart's number (the same filter on the server).
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { GetAnswer, GetQuery } from '../shared/api/answers';

export type ResponseTargets = GetAnswer<'/api/dashboards/response-targets'>;
export type Escalations = GetAnswer<'/api/dashboards/escalations'>;
export type SlaNow = GetAnswer<'/api/dashboards/sla-now'>;
export type Workload = GetAnswer<'/api/dashboards/workload'>;
export type WorkloadRow = Workload['agents'][number];
export type ResponseTargetTickets = GetAnswer<'/api/dashboards/response-targets/tickets'>;
export type EscalationTickets = GetAnswer<'/api/dashboards/escalations/tickets'>;
export type SlaNowTickets = GetAnswer<'/api/dashboards/sla-now/tickets'>;
export type SlaNowTicket = SlaNowTickets['items'][number];

/** the dashboard's at-risk window: the next 4 business hours */
export const WITHIN_BUSINESS_MINUTES = 240;

export interface MonthRange {
  from: string;
  to: string;
}

export function useResponseTargets(range: MonthRange) {
  return useQuery({
    queryKey: ['dashboard', 'response-targets', range],
    queryFn: ({ signal }) => unwrap<ResponseTargets>(api.GET('/api/dashboards/response-targets', { params: { query: range }, signal })),
    staleTime: 15_000,
  });
}

export function useEscalations(range: MonthRange) {
  return useQuery({
    queryKey: ['dashboard', 'escalations', range],
    queryFn: ({ signal }) => unwrap<Escalations>(api.GET('/api/dashboards/escalations', { params: { query: range }, signal })),
    staleTime: 15_000,
  });
}

export function useSlaNow() {
  return useQuery({
    queryKey: ['dashboard', 'sla-now'],
    queryFn: ({ signal }) => unwrap<SlaNow>(api.GET('/api/dashboards/sla-now', { params: { query: { withinBusinessMinutes: WITHIN_BUSINESS_MINUTES, limit: 5 } }, signal })),
    staleTime: 15_000,
    refetchInterval: 60_000,
  });
}

export function useWorkload() {
  return useQuery({
    queryKey: ['dashboard', 'workload'],
    queryFn: ({ signal }) => unwrap<Workload>(api.GET('/api/dashboards/workload', { params: { query: { withinBusinessMinutes: WITHIN_BUSINESS_MINUTES } }, signal })),
    staleTime: 15_000,
    refetchInterval: 60_000,
  });
}

/** what a click on a bar or cell asks for */
export type Drill =
  | { chart: 'response-targets'; query: GetQuery<'/api/dashboards/response-targets/tickets'>; title: string }
  | { chart: 'escalations'; query: GetQuery<'/api/dashboards/escalations/tickets'>; title: string }
  | { chart: 'sla-now'; query: GetQuery<'/api/dashboards/sla-now/tickets'>; title: string };

export type DrillPage =
  | ({ chart: 'response-targets' } & ResponseTargetTickets)
  | ({ chart: 'escalations' } & EscalationTickets)
  | ({ chart: 'sla-now' } & SlaNowTickets);

async function drillPage(drill: Drill, cursor: string | null, signal: AbortSignal): Promise<DrillPage> {
  const paging = { limit: 100, ...(cursor ? { cursor } : {}) };
  switch (drill.chart) {
    case 'response-targets':
      return { chart: drill.chart, ...(await unwrap<ResponseTargetTickets>(api.GET('/api/dashboards/response-targets/tickets', { params: { query: { ...drill.query, ...paging } }, signal }))) };
    case 'escalations':
      return { chart: drill.chart, ...(await unwrap<EscalationTickets>(api.GET('/api/dashboards/escalations/tickets', { params: { query: { ...drill.query, ...paging } }, signal }))) };
    case 'sla-now':
      return { chart: drill.chart, ...(await unwrap<SlaNowTickets>(api.GET('/api/dashboards/sla-now/tickets', { params: { query: { ...drill.query, ...paging } }, signal }))) };
  }
}

export function useDrill(drill: Drill | null) {
  return useInfiniteQuery({
    queryKey: ['dashboard', 'drill', drill?.chart, drill?.query],
    enabled: drill !== null,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => drillPage(drill!, pageParam, signal),
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 5_000,
  });
}
