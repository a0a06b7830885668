/**
 * The signed-in person's notifications (GET /api/notifications, POST …/{id}/read) and their
 * notification preferences (GET/PATCH /api/me/notification-preferences). Everything lives
 * under the query key ['notifications']: the live stream's `event: notification` frames
 * refetch it (shared/live/live.tsx), so a new notification shows without a reload.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { components } from '../shared/api/openapi';
import type { Me } from '../shared/api/views';
import { canWorkTickets, hasRole, isCustomer } from '../shared/session/session';

export type Notification = components['schemas']['NotificationDto'];
export type NotificationPage = components['schemas']['NotificationPageDto'];
export type NotificationKind = Notification['kind'];
export type NotificationReason = Notification['reason'];
export type NotificationPreferences = components['schemas']['PreferencesDto'];
export type PreferencesChange = components['schemas']['UpdatePreferencesDto'];

export const NOTIFICATIONS_KEY = ['notifications'] as const;
/** how many the bell lists (the newest) */
export const BELL_LIMIT = 30;

/** the kinds, in the order the preferences list them */
export const KINDS: NotificationKind[] = [
  'quote-awaiting-authorization',
  'quote-accepted',
  'quote-declined',
  'ticket-assigned',
  'customer-replied',
  'awaiting-customer',
  'contact-attempt',
  'ticket-auto-closed',
  'sla-warning',
  'sla-breach',
  'policy-usage-80',
  'policy-exhausted',
  'policy-expiring',
  'support-suspended',
  'user-invited',
  'password-reset',
  'webhook-disabled',
];

/** kinds only staff receive (docs/notes/notify.md, "who is told") */
const STAFF_ONLY: NotificationKind[] = ['quote-accepted', 'quote-declined', 'sla-warning', 'sla-breach', 'ticket-assigned', 'customer-replied', 'webhook-disabled'];

/** the kinds that can reach this person: a customer's contact is never told staff matters, only admins hear of webhooks */
export function kindsFor(me: Me): NotificationKind[] {
  if (isCustomer(me)) return KINDS.filter((k) => !STAFF_ONLY.includes(k));
  return KINDS.filter((k) => k !== 'webhook-disabled' || hasRole(me, 'admin'));
}

export function useNotifications(enabled: boolean) {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'list'],
    enabled,
    staleTime: 60_000,
    queryFn: ({ signal }) => unwrap<NotificationPage>(api.GET('/api/notifications', { params: { query: { limit: BELL_LIMIT } }, signal })),
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (notificationId: string) => unwrap<Notification>(api.POST('/api/notifications/{notificationId}/read', { params: { path: { notificationId } } })),
    onSuccess: (read) => {
      // at once on screen, then from the server
      qc.setQueryData<NotificationPage>([...NOTIFICATIONS_KEY, 'list'], (page) =>
        page
          ? {
              ...page,
              unreadCount: Math.max(0, page.unreadCount - (page.items.some((n) => n.notificationId === read.notificationId && !n.readAt) ? 1 : 0)),
              items: page.items.map((n) => (n.notificationId === read.notificationId ? read : n)),
            }
          : page,
      );
      void qc.invalidateQueries({ queryKey: [...NOTIFICATIONS_KEY, 'list'] });
    },
  });
}

export function usePreferences(enabled = true) {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'preferences'],
    enabled,
    queryFn: ({ signal }) => unwrap<NotificationPreferences>(api.GET('/api/me/notification-preferences', { signal })),
  });
}

export function useUpdatePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PreferencesChange) => unwrap<NotificationPreferences>(api.PATCH('/api/me/notification-preferences', { body })),
    onSuccess: (prefs) => qc.setQueryData([...NOTIFICATIONS_KEY, 'preferences'], prefs),
  });
}

/**
 * Where a notification's link opens in the console. The server names the thing
 * (`/tickets/<id>`, `/policies/<id>`, `/webhooks/<id>`, the same paths its e-mails carry);
 * the screen depends on who reads: a contact's tickets are in the portal, an auditor's in the
 * case history, policies are the portal's for contacts and administration's or finance's for staff.
 */
export function consolePath(link: string | null, me: Me): string | null {
  if (!link) return null;
  const m = /^\/(tickets|policies|webhooks)\/([^/?#]+)/.exec(link);
  if (!m) return link.startsWith('/') ? link : null;
  const [, what, id] = m;
  if (what === 'tickets') {
    if (isCustomer(me)) return `/portal/tickets/${id}`;
    if (canWorkTickets(me)) return `/tickets/${id}`;
    return hasRole(me, 'auditor') ? `/cases/${id}` : null;
  }
  if (what === 'policies') {
    if (isCustomer(me)) return '/portal/policies';
    if (hasRole(me, 'finance', 'auditor')) return '/finance?tab=balances';
    return hasRole(me, 'admin') ? '/admin/policies' : null;
  }
  return hasRole(me, 'admin') ? `/admin/webhooks?webhook=${id}` : null;
}
