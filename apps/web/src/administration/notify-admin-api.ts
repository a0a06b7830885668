/**
 * Administration of notifications (admins): webhook subscriptions (GET/POST /api/webhooks,
 * PATCH/DELETE /api/webhooks/{id}, the delivery log and replay), e-mail deliveries
 * (GET /api/notification-deliveries, retry) and escalation contacts. These are operational
 * records, not events: the lists refetch after each command, while something is still being
 * delivered (every 2 s) and when the live stream reports a change.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { components } from '../shared/api/openapi';

export type Webhook = components['schemas']['WebhookDto'];
export type WebhookCreated = components['schemas']['WebhookCreatedDto'];
export type WebhookDelivery = components['schemas']['WebhookDeliveryDto'];
export type WebhookDeliveryPage = components['schemas']['WebhookDeliveryPageDto'];
export type WebhookEventType = components['schemas']['CreateWebhookDto']['eventTypes'][number];
export type CreateWebhook = components['schemas']['CreateWebhookDto'];
export type MailDelivery = components['schemas']['MailDeliveryDto'];
export type MailDeliveryPage = components['schemas']['MailDeliveryPageDto'];
export type Attempt = components['schemas']['AttemptDto'];
export type EscalationContacts = components['schemas']['EscalationContactsViewDto'];
export type DeliveryState = 'pending' | 'sent' | 'failed';

/** the event types a subscription may name (the server's enum), grouped as the form shows them */
export const EVENT_TYPE_GROUPS: Array<{ group: 'tickets' | 'billing' | 'policies' | 'customers'; types: WebhookEventType[] }> = [
  {
    group: 'tickets',
    types: ['TicketOpened', 'TicketClassified', 'TicketAssigned', 'MessagePosted', 'ResponseRecorded', 'CustomerInfoRequested', 'ClockResumed', 'TicketEscalated', 'ContactAttemptRecorded', 'TicketClosed', 'TicketReopened', 'SlaWarningRecorded', 'SlaBreachRecorded', 'FollowUpRequested'],
  },
  { group: 'billing', types: ['QuoteIssued', 'ServiceAuthorized', 'QuoteDeclined', 'WorkLogged'] },
  { group: 'policies', types: ['PolicyRegistered', 'MinutesDeducted', 'PolicyExhausted', 'PolicyExpired', 'PolicyExpiryApproaching'] },
  { group: 'customers', types: ['CustomerRegistered', 'SupportSuspended', 'SupportReinstated', 'SupportLevelChanged'] },
];

const WEBHOOKS = ['webhooks'];
const MAIL = ['notification-deliveries'];

export function useWebhooks() {
  return useQuery({
    queryKey: WEBHOOKS,
    queryFn: ({ signal }) => unwrap<components['schemas']['WebhookListDto']>(api.GET('/api/webhooks', { signal })).then((l) => l.items),
  });
}

export function useCreateWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhook) => unwrap<WebhookCreated>(api.POST('/api/webhooks', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: WEBHOOKS }),
  });
}

export function useSetWebhookEnabled() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ webhookId, enabled }: { webhookId: string; enabled: boolean }) =>
      unwrap<Webhook>(api.PATCH('/api/webhooks/{webhookId}', { params: { path: { webhookId } }, body: { enabled } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: WEBHOOKS }),
  });
}

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (webhookId: string) => unwrap<void>(api.DELETE('/api/webhooks/{webhookId}', { params: { path: { webhookId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: WEBHOOKS }),
  });
}

const stillDelivering = (pages: Array<{ items: Array<{ state: string }> }> | undefined) => (pages ?? []).some((p) => p.items.some((d) => d.state === 'pending'));

export function useWebhookDeliveries(webhookId: string | null, state: DeliveryState | null) {
  return useInfiniteQuery({
    queryKey: [...WEBHOOKS, webhookId, 'deliveries', state ?? 'all'],
    enabled: !!webhookId,
    initialPageParam: null as string | null,
    getNextPageParam: (last: WebhookDeliveryPage) => last.nextCursor,
    refetchInterval: (q) => (stillDelivering(q.state.data?.pages) ? 2000 : false),
    queryFn: ({ pageParam, signal }) =>
      unwrap<WebhookDeliveryPage>(
        api.GET('/api/webhooks/{webhookId}/deliveries', { params: { path: { webhookId: webhookId! }, query: { limit: 50, ...(state ? { state } : {}), ...(pageParam ? { cursor: pageParam } : {}) } }, signal }),
      ),
  });
}

export function useReplay() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) =>
      unwrap<WebhookDelivery>(api.POST('/api/webhooks/{webhookId}/deliveries/{deliveryId}/replay', { params: { path: { webhookId, deliveryId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: WEBHOOKS }),
  });
}

export function useMailDeliveries(state: DeliveryState | null) {
  return useInfiniteQuery({
    queryKey: [...MAIL, state ?? 'all'],
    initialPageParam: null as string | null,
    getNextPageParam: (last: MailDeliveryPage) => last.nextCursor,
    refetchInterval: (q) => (stillDelivering(q.state.data?.pages) ? 2000 : false),
    queryFn: ({ pageParam, signal }) =>
      unwrap<MailDeliveryPage>(api.GET('/api/notification-deliveries', { params: { query: { limit: 50, ...(state ? { state } : {}), ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
  });
}

export function useRetryMail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => unwrap<MailDelivery>(api.POST('/api/notification-deliveries/{deliveryId}/retry', { params: { path: { deliveryId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: MAIL }),
  });
}

export function useEscalationContacts() {
  return useQuery({
    queryKey: ['escalation-contacts'],
    queryFn: ({ signal }) => unwrap<EscalationContacts>(api.GET('/api/notification-settings/escalation-contacts', { signal })),
  });
}

export function useSetEscalationContacts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (levels: Array<{ level: number; userIds: string[] }>) =>
      unwrap<EscalationContacts>(api.PUT('/api/notification-settings/escalation-contacts', { body: { levels } })),
    onSuccess: (view) => qc.setQueryData(['escalation-contacts'], view),
  });
}
