/** Spanish (Colombia) for notifications: the words that differ from es-MX.notifications.ts (a ticket is "radicado"). */
import type { esMXNotifications } from './es-MX.notifications';

export const esCONotificationsDifferences: Partial<Record<keyof typeof esMXNotifications, string>> = {
  'notifications.reason.reporter': 'Usted radicó el ticket',
};
