/**
 * Notification kinds as the console offers them, and where a notification's link opens: pure
 * functions of the person's roles (test/web/notifications-logic.spec.ts).
 */
import type { components } from '../shared/api/openapi';
import type { Me } from '../shared/api/views';
import { canWorkTickets, hasRole, isCustomer } from '../shared/session/roles';

type NotificationKind = components['schemas']['NotificationDto']['kind'];
type Person = Pick<Me, 'roles'>;

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
export function kindsFor(me: Person): NotificationKind[] {
  if (isCustomer(me)) return KINDS.filter((k) => !STAFF_ONLY.includes(k));
  return KINDS.filter((k) => k !== 'webhook-disabled' || hasRole(me, 'admin'));
}

/**
 * Where a notification's link opens in the console. The server names the thing
 * (`/tickets/<id>`, `/policies/<id>`, `/webhooks/<id>`, the same paths its e-mails carry);
 * the screen depends on who reads: a contact's tickets are in the portal, an auditor's in the
 * case history, policies are the portal's for contacts and administration's or finance's for staff.
 */
export function consolePath(link: string | null, me: Person): string | null {
  if (!link) return null;
  const m = /^\/(tickets|policies|webhooks)\/([^/?#]+)/.exec(link);
  // another console path as it is; never another origin (`//host`)
  if (!m) return link.startsWith('/') && !link.startsWith('//') ? link : null;
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
