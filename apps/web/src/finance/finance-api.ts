/**
 * Finance reads: billed minutes summed by customer, policy and month (and the API's own CSV of
 * the rows, saved byte for byte), policy balances with burn rate and projected exhaustion,
 * per-event charges, and the reconciliation verdict (event log against the read models), run
 * when asked: it reads the whole log.
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { GetAnswer } from '../shared/api/answers';
import { downloadFromApi } from '../shared/download';

export type BilledSummary = GetAnswer<'/api/finance/billed-minutes/summary'>;
export type Charges = GetAnswer<'/api/finance/charges'>;
export type PolicyBalancePage = GetAnswer<'/api/finance/policy-balances'>;
export type PolicyBalance = PolicyBalancePage['items'][number];
export type Reconciliation = GetAnswer<'/api/finance/reconciliation'>;
export type Difference = Reconciliation['differences'][number];

export interface FinancePeriod {
  from: string;
  to: string;
  customerId: string;
}

const periodQuery = (p: FinancePeriod) => ({ from: p.from, to: p.to, ...(p.customerId ? { customerId: p.customerId } : {}) });

export function useBilledSummary(p: FinancePeriod, enabled: boolean) {
  const query = periodQuery(p);
  return useQuery({
    queryKey: ['finance', 'billed-summary', query],
    enabled,
    queryFn: ({ signal }) => unwrap<BilledSummary>(api.GET('/api/finance/billed-minutes/summary', { params: { query }, signal })),
    staleTime: 10_000,
  });
}

/** the rows of GET /api/finance/billed-minutes as the API writes its CSV */
export function downloadBilledCsv(p: FinancePeriod): Promise<string> {
  const qs = new URLSearchParams({ ...periodQuery(p), format: 'csv' });
  return downloadFromApi(`/api/finance/billed-minutes?${qs.toString()}`, `billed-minutes-${p.from}-${p.to}.csv`, 'text/csv');
}

export function useCharges(p: FinancePeriod, enabled: boolean) {
  const query = periodQuery(p);
  return useQuery({
    queryKey: ['finance', 'charges', query],
    enabled,
    queryFn: ({ signal }) => unwrap<Charges>(api.GET('/api/finance/charges', { params: { query }, signal })),
    staleTime: 10_000,
  });
}

export function usePolicyBalances(customerId: string, status: string) {
  return useQuery({
    queryKey: ['finance', 'policy-balances', customerId, status],
    queryFn: async ({ signal }) => {
      const items: PolicyBalance[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page: PolicyBalancePage = await unwrap<PolicyBalancePage>(
          api.GET('/api/finance/policy-balances', {
            params: { query: { limit: 200, ...(cursor ? { cursor } : {}), ...(customerId ? { customerId } : {}), ...(status ? { status: status as 'active' } : {}) } },
            signal,
          }),
        );
        items.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return items;
    },
    staleTime: 10_000,
  });
}

/** the verdict for the period; `run` changes each time the user asks again */
export function useReconciliation(p: { from: string; to: string }, run: number) {
  return useQuery({
    queryKey: ['reconciliation', p.from, p.to, run],
    enabled: run > 0,
    queryFn: ({ signal }) => unwrap<Reconciliation>(api.GET('/api/finance/reconciliation', { params: { query: { from: p.from, to: p.to } }, signal })),
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}
