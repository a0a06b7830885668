import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { Policy } from '../shared/api/views';

export function usePolicy(policyId: string | null) {
  return useQuery({
    queryKey: ['policy', policyId],
    enabled: !!policyId,
    queryFn: ({ signal }) => unwrap<Policy>(api.GET('/api/policies/{policyId}', { params: { path: { policyId: policyId! } }, signal })),
    staleTime: 5_000,
  });
}

export function useCustomerPolicies(customerId: string | null) {
  return useQuery({
    queryKey: ['policies', customerId],
    enabled: !!customerId,
    queryFn: ({ signal }) => unwrap<Policy[]>(api.GET('/api/customers/{customerId}/policies', { params: { path: { customerId: customerId! } }, signal })),
    staleTime: 5_000,
  });
}

/** the share of the purchased minutes still left, 0..1 */
export const shareLeft = (p: Pick<Policy, 'minutesPurchased' | 'minutesRemaining'>): number => (p.minutesPurchased > 0 ? p.minutesRemaining / p.minutesPurchased : 0);
/** the portal warns below this share (issue 13) */
export const LOW_BALANCE_SHARE = 0.2;
