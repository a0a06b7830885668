import { DecisionContext, DomainError } from '../shared';
import { requireName } from './rules';
import { requireOneOf, toUtcIso } from '../policies/values';
import { AcceptInvitation } from './commands';
import { UserEvent } from './events';
import { linkValidAt, UserState } from './state';

export const invitationExpired = () =>
  new DomainError('invitation-expired', 410, 'this invitation link is not valid (expired, replaced or unknown); ask for a new one');
export const invitationUsed = () => new DomainError('invitation-used', 409, 'this invitation was already accepted; sign in instead');

/**
 * AcceptInvitation -> InvitationAccepted. The link's id must be the invitation that works
 * now and not have expired; a link already accepted is 409 invitation-used; anything else
 * (unknown user, replaced link, expired, deactivated) is the same 410 invitation-expired,
 * so that an answer never tells more than the link holder already knows.
 * With method oidc (single sign-on of an invited person) the invitation link is not needed.
 */
export function decideAcceptInvitation(command: AcceptInvitation, state: UserState, ctx: DecisionContext): UserEvent[] {
  const method = requireOneOf(command.method, 'method', ['password', 'oidc'] as const);
  const corrected = command.name === undefined || command.name === null ? null : requireName(command.name);
  const name = corrected !== null && corrected !== state.name ? corrected : null;
  if (state.userId === null || state.status === 'deactivated') throw invitationExpired();
  if (method === 'oidc') {
    if (state.status !== 'invited' || !state.invitation) return [];
    return [{ type: 'InvitationAccepted', data: { userId: state.userId, invitationId: state.invitation.invitationId, method, name, at: toUtcIso(ctx.now) } }];
  }
  if (state.acceptedInvitationId === command.invitationId) throw invitationUsed();
  const pending = state.invitation;
  if (state.status !== 'invited' || !pending || pending.invitationId !== command.invitationId || !linkValidAt(pending.expiresAt, ctx.now)) {
    throw invitationExpired();
  }
  return [{ type: 'InvitationAccepted', data: { userId: state.userId, invitationId: command.invitationId, method, name, at: toUtcIso(ctx.now) } }];
}
