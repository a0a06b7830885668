import { DecisionContext, DomainError } from '../shared';
import { toUtcIso } from '../policies/values';
import { DeactivateUser, ReactivateUser } from './commands';
import { UserEvent } from './events';
import { requireMayManage, requireReason, requireUser } from './rules';
import { UserState } from './state';

/**
 * DeactivateUser -> UserDeactivated: the person can no longer sign in and every open session
 * is revoked (by the application). Admins for anyone, supervisors for contacts; nobody
 * deactivates themselves (422 self-lockout); already deactivated -> [].
 */
export function decideDeactivateUser(command: DeactivateUser, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireUser(state, command.userId);
  requireMayManage(ctx.actor, user.kind);
  const reason = requireReason(command.reason);
  if (ctx.actor.id === user.userId) throw new DomainError('self-lockout', 422, 'you cannot deactivate yourself');
  if (user.status === 'deactivated') return [];
  return [{ type: 'UserDeactivated', data: { userId: user.userId, reason, by: ctx.actor.id, at: toUtcIso(ctx.now) } }];
}

/** ReactivateUser -> UserReactivated (back to active, or invited if never accepted); not deactivated -> []. */
export function decideReactivateUser(command: ReactivateUser, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireUser(state, command.userId);
  requireMayManage(ctx.actor, user.kind);
  const reason = requireReason(command.reason);
  if (user.status !== 'deactivated') return [];
  return [{ type: 'UserReactivated', data: { userId: user.userId, reason, by: ctx.actor.id, at: toUtcIso(ctx.now) } }];
}
