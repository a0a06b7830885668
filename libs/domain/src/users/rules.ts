import { Actor, DomainError, invalid, notFound } from '../shared';
import { requireOneOf, requireText } from '../policies/values';
import { CONTACT_ROLE, LANGUAGES, Language, USER_STAFF_ROLES, UserKind } from './events';
import { UserState } from './state';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** trimmed and lower-cased; the form emails are compared and claimed in */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function requireEmail(value: unknown, path = 'email'): string {
  if (typeof value !== 'string') throw invalid(path, 'must be an email address');
  const email = normalizeEmail(value);
  if (email.length > 254 || !EMAIL.test(email)) throw invalid(path, 'must be an email address');
  return email;
}

export function requireName(value: unknown, path = 'name'): string {
  return requireText(value, path, 200).trim();
}

export function requireReason(value: unknown, path = 'reason'): string {
  return requireText(value, path, 2000).trim();
}

export function requireLanguage(value: unknown, path = 'language'): Language {
  return requireOneOf(value, path, LANGUAGES);
}

/** staff roles: at least one, each a staff role, no duplicates; answered sorted */
export function requireStaffRoles(value: unknown, path = 'roles'): string[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(path, `must list one or more of ${USER_STAFF_ROLES.join(', ')}`);
  for (const role of value) {
    if (typeof role !== 'string' || !(USER_STAFF_ROLES as readonly string[]).includes(role)) {
      throw invalid(path, `must list one or more of ${USER_STAFF_ROLES.join(', ')}`);
    }
  }
  if (new Set(value).size !== value.length) throw invalid(path, 'must not repeat a role');
  return [...(value as string[])].sort();
}

export const hasAnyRole = (actor: Actor, ...roles: string[]) => actor.roles.some((r) => roles.includes(r));

export const forbidden = (detail: string) => new DomainError('forbidden', 403, detail);

/**
 * Who may manage whom: admins manage everyone; for customers' contacts, supervisors and agents
 * may invite (and renew invitations), supervisors may grant or revoke approver rights and
 * deactivate or reactivate.
 */
export function requireMayInvite(actor: Actor, kind: UserKind): void {
  if (kind === 'staff' ? !hasAnyRole(actor, 'admin') : !hasAnyRole(actor, 'admin', 'supervisor', 'agent')) {
    throw forbidden(kind === 'staff' ? 'only an admin invites staff' : "only an admin, supervisor or agent invites a customer's contacts");
  }
}

export function requireMayManage(actor: Actor, kind: UserKind): void {
  if (kind === 'staff' ? !hasAnyRole(actor, 'admin') : !hasAnyRole(actor, 'admin', 'supervisor')) {
    throw forbidden(kind === 'staff' ? 'only an admin manages staff accounts' : "only an admin or supervisor manages a customer's contacts");
  }
}

export type ExistingUser = UserState & { userId: string; kind: UserKind; email: string; status: NonNullable<UserState['status']> };

export function requireUser(state: UserState, userId: string): ExistingUser {
  if (state.userId === null || state.status === null || state.kind === null) throw notFound('user', userId);
  return state as ExistingUser;
}

export function requireContactRoles(kind: UserKind, roles: unknown): string[] {
  if (kind === 'contact') {
    if (roles !== undefined && roles !== null && !(Array.isArray(roles) && roles.length === 1 && roles[0] === CONTACT_ROLE)) {
      throw invalid('roles', "a customer's contact holds only the role customer");
    }
    return [CONTACT_ROLE];
  }
  return requireStaffRoles(roles);
}

/** now + minutes, UTC */
export function plusMinutes(now: string, minutes: number): string {
  return new Date(Date.parse(now) + minutes * 60_000).toISOString();
}
