import { DecisionContext, DomainError } from '../shared';
import { toUtcIso } from '../policies/values';
import { GrantApprover, RevokeApprover } from './commands';
import { UserEvent } from './events';
import { forbidden, hasAnyRole, requireReason, requireUser } from './rules';
import { UserState } from './state';

function requireContact(state: UserState, userId: string, ctx: DecisionContext) {
  const user = requireUser(state, userId);
  if (!hasAnyRole(ctx.actor, 'admin', 'supervisor')) throw forbidden('only an admin or supervisor grants or revokes approver rights');
  if (user.kind !== 'contact') throw new DomainError('not-a-contact', 422, "approver rights are for customers' contacts");
  return user;
}

/** GrantApprover -> ApproverGranted (admin or supervisor; contacts only); already an approver -> []. */
export function decideGrantApprover(command: GrantApprover, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireContact(state, command.userId, ctx);
  const reason = requireReason(command.reason);
  if (user.approver) return [];
  return [{ type: 'ApproverGranted', data: { userId: user.userId, customerId: user.customerId!, reason, by: ctx.actor.id, at: toUtcIso(ctx.now) } }];
}

/** RevokeApprover -> ApproverRevoked (admin or supervisor; contacts only); not an approver -> []. */
export function decideRevokeApprover(command: RevokeApprover, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireContact(state, command.userId, ctx);
  const reason = requireReason(command.reason);
  if (!user.approver) return [];
  return [{ type: 'ApproverRevoked', data: { userId: user.userId, customerId: user.customerId!, reason, by: ctx.actor.id, at: toUtcIso(ctx.now) } }];
}
