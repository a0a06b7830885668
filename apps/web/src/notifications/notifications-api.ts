/**
 * The signed-in person's notifications (GET /api/notifications, POST …/{id}/read) and their
 * notification preferences (GET/PATCH /api/me/notification-preferences). Everything lives
 * under the query key ['notifications']: the live stream's `event: notification` frames
 * refetch it (shared/live/live.tsx), so a new notification shows without a reload.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { components } from '../shared/api/openapi';

export type Notification = components['schemas']['NotificationDto'];
export type NotificationPage = components['schemas']['NotificationPageDto'];
export type NotificationKind = Notification['kind'];
export type NotificationReason = Notification['reason'];
export type NotificationPreferences = components['schemas']['NotificationPreferencesDto'];
export type PreferencesChange = components['schemas']['UpdatePreferencesDto'];

export { KINDS, consolePath, kindsFor } from './kinds';

export const NOTIFICATIONS_KEY = ['notifications'] as const;
/** how many the bell lists (the newest) */
export const BELL_LIMIT = 30;

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

/** marks every unread notification read: the unread ones, page by page (the API has no bulk call) */
export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      for (let round = 0; round < 20; round++) {
        const page = await unwrap<NotificationPage>(api.GET('/api/notifications', { params: { query: { unread: true, limit: 200 } } }));
        if (page.items.length === 0) return;
        for (const n of page.items) await unwrap<Notification>(api.POST('/api/notifications/{notificationId}/read', { params: { path: { notificationId: n.notificationId } } }));
      }
    },
    onSettled: () => qc.invalidateQueries({ queryKey: [...NOTIFICATIONS_KEY, 'list'] }),
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
