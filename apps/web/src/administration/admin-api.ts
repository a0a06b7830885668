/**
 * Administration commands and reads: people (invitations, roles, approver rights,
 * deactivation, a new invitation link), customers (registration, support level, suspension and
 * lifting it, their history) and policies (registration, detail). Every command remembers its
 * position, so the lists read next include it; the lists are refetched after each.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type PostBody } from '../shared/api/client';
import type { GetAnswer } from '../shared/api/answers';
import type { Customer, Page, Policy } from '../shared/api/views';
import { request } from '../shared/api/client';

export type User = GetAnswer<'/api/users/{userId}'>;
export type InvitationAnswer = { userId: string; invitationUrl: string | null; expiresAt: string; version: number; position: number };
export type CustomerHistory = GetAnswer<'/api/customers/{customerId}/history'>;

export interface CustomerRecord extends Customer {
  supportLevel: number | null;
  calendarId: string | null;
  registeredAt: string | null;
  suspended: boolean;
  suspension: { reason: string; detail: string | null; until: string | null; endsAt: string | null; suspendedAt: string; suspendedBy: string | null } | null;
  version: number;
}

function useAfter(...keys: string[][]) {
  const qc = useQueryClient();
  return async () => {
    await Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })));
  };
}

// ------------------------------------------------------------------ people

export function useInvite() {
  const after = useAfter(['users']);
  return useMutation({
    mutationFn: (body: PostBody<'/api/users/invitations'>) => unwrap<InvitationAnswer>(api.POST('/api/users/invitations', { body })),
    onSuccess: after,
  });
}

export function useRenewInvitation() {
  const after = useAfter(['users']);
  return useMutation({
    mutationFn: (userId: string) => unwrap<InvitationAnswer>(api.POST('/api/users/{userId}/invitation', { params: { path: { userId } } })),
    onSuccess: after,
  });
}

export type UserAction = 'roles' | 'approver' | 'deactivation' | 'reactivation';

export function useUserCommand() {
  const after = useAfter(['users']);
  return useMutation({
    mutationFn: ({ userId, action, body }: { userId: string; action: UserAction; body: Record<string, unknown> }) =>
      unwrap<{ userId: string; version: number; position: number }>(
        api.POST(`/api/users/{userId}/${action}` as '/api/users/{userId}/deactivation', { params: { path: { userId } }, body: body as never }),
      ),
    onSuccess: after,
  });
}

// ------------------------------------------------------------------ customers

export function useCustomerRecords() {
  return useQuery({
    queryKey: ['customers', 'records'],
    staleTime: 10_000,
    queryFn: async () => {
      const items: CustomerRecord[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 25; i++) {
        const page: Page<CustomerRecord> = await request<Page<CustomerRecord>>('GET', `/api/customers?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        items.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return items;
    },
  });
}

export function useRegisterCustomer() {
  const after = useAfter(['customers']);
  return useMutation({
    mutationFn: (body: PostBody<'/api/customers'>) => unwrap<{ customerId: string; version: number; position: number }>(api.POST('/api/customers', { body })),
    onSuccess: after,
  });
}

export function useSuspend() {
  const after = useAfter(['customers']);
  return useMutation({
    mutationFn: ({ customerId, body }: { customerId: string; body: PostBody<'/api/customers/{customerId}/suspension'> }) =>
      unwrap<{ version: number; position: number }>(api.POST('/api/customers/{customerId}/suspension', { params: { path: { customerId } }, body })),
    onSuccess: after,
  });
}

export function useReinstate() {
  const after = useAfter(['customers']);
  return useMutation({
    mutationFn: ({ customerId, reason }: { customerId: string; reason: string }) =>
      unwrap<{ version: number; position: number }>(api.POST('/api/customers/{customerId}/reinstatement', { params: { path: { customerId } }, body: { reason } })),
    onSuccess: after,
  });
}

export function useChangeSupportLevel() {
  const after = useAfter(['customers']);
  return useMutation({
    mutationFn: ({ customerId, supportLevel, reason }: { customerId: string; supportLevel: 1 | 2 | 3; reason: string }) =>
      unwrap<{ version: number; position: number }>(api.POST('/api/customers/{customerId}/support-level', { params: { path: { customerId } }, body: { supportLevel, reason } })),
    onSuccess: after,
  });
}

export function useCustomerHistory(customerId: string | null) {
  return useQuery({
    queryKey: ['customer', customerId, 'history'],
    enabled: !!customerId,
    queryFn: ({ signal }) => unwrap<CustomerHistory>(api.GET('/api/customers/{customerId}/history', { params: { path: { customerId: customerId! } }, signal })),
  });
}

// ------------------------------------------------------------------ policies

export function useRegisterPolicy() {
  const after = useAfter(['finance', 'policy-balances'], ['policies'], ['policy']);
  return useMutation({
    mutationFn: (body: PostBody<'/api/policies'>) => unwrap<{ policyId: string; version: number; position: number }>(api.POST('/api/policies', { body })),
    onSuccess: after,
  });
}

export function usePolicyDetail(policyId: string | null) {
  return useQuery({
    queryKey: ['policy', policyId],
    enabled: !!policyId,
    queryFn: ({ signal }) => unwrap<Policy>(api.GET('/api/policies/{policyId}', { params: { path: { policyId: policyId! } }, signal })),
  });
}
