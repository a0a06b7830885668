import { DecisionContext, DomainError } from '../shared';
import { requireInteger, requireText, toUtcIso } from '../policies/values';
import { RenewInvitation } from './commands';
import { UserEvent } from './events';
import { plusMinutes, requireMayInvite, requireUser } from './rules';
import { UserState } from './state';

/**
 * RenewInvitation -> InvitationRenewed with a new link id and expiry; the earlier links stop
 * working. Whoever may invite that kind of user may renew; 409 invitation-not-pending once
 * the person has accepted (or was deactivated).
 */
export function decideRenewInvitation(command: RenewInvitation, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireUser(state, command.userId);
  requireMayInvite(ctx.actor, user.kind);
  const invitationId = requireText(command.invitationId, 'invitationId', 100);
  const validFor = requireInteger(command.validForMinutes, 'validForMinutes', 1, 60 * 24 * 90);
  if (user.status !== 'invited') {
    throw new DomainError('invitation-not-pending', 409, `user ${user.userId} is ${user.status}: there is no invitation to renew`, { status: user.status });
  }
  const now = toUtcIso(ctx.now);
  return [{ type: 'InvitationRenewed', data: { userId: user.userId, invitationId, expiresAt: plusMinutes(now, validFor), by: ctx.actor.id, at: now } }];
}
