import { DecisionContext, DomainError } from '../shared';
import { toUtcIso } from '../policies/values';
import { ChangeUserRoles } from './commands';
import { UserEvent } from './events';
import { forbidden, hasAnyRole, requireReason, requireStaffRoles, requireUser } from './rules';
import { UserState } from './state';

/**
 * ChangeUserRoles -> UserRolesChanged (from, to, reason, by). Admins only; staff only
 * (422 not-staff for a contact); an admin cannot take away their own admin role
 * (422 self-lockout); the roles in force -> [].
 */
export function decideChangeUserRoles(command: ChangeUserRoles, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireUser(state, command.userId);
  if (!hasAnyRole(ctx.actor, 'admin')) throw forbidden('only an admin changes roles');
  const to = requireStaffRoles(command.roles);
  const reason = requireReason(command.reason);
  if (user.kind !== 'staff') throw new DomainError('not-staff', 422, "a customer's contact holds only the role customer");
  if (ctx.actor.id === user.userId && user.roles.includes('admin') && !to.includes('admin')) {
    throw new DomainError('self-lockout', 422, 'you cannot take away your own admin role; ask another admin');
  }
  if (to.join(',') === [...user.roles].sort().join(',')) return [];
  return [{ type: 'UserRolesChanged', data: { userId: user.userId, from: user.roles, to, reason, by: ctx.actor.id, at: toUtcIso(ctx.now) } }];
}
