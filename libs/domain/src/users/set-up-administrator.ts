import { DecisionContext, DomainError } from '../shared';
import { requireText, toUtcIso } from '../policies/values';
import { SetUpAdministrator } from './commands';
import { UserEvent } from './events';
import { requireEmail, requireLanguage, requireName } from './rules';
import { UserState } from './state';

/**
 * SetUpAdministrator -> UserInvited (admin, invited by the setup link) + InvitationAccepted
 * (method setup), recorded together: the first administrator goes through the same
 * lifecycle as everybody else. The one-time setup link is checked by the application.
 */
export function decideSetUpAdministrator(command: SetUpAdministrator, state: UserState, ctx: DecisionContext): UserEvent[] {
  const userId = requireText(command.userId, 'userId', 100);
  const invitationId = requireText(command.invitationId, 'invitationId', 100);
  const email = requireEmail(command.email);
  const name = requireName(command.name);
  const language = requireLanguage(command.language);
  if (state.userId !== null) throw new DomainError('id-reused', 409, `user ${userId} already exists`, { id: userId });
  const now = toUtcIso(ctx.now);
  return [
    {
      type: 'UserInvited',
      data: {
        userId,
        invitationId,
        kind: 'staff',
        email,
        name,
        roles: ['admin'],
        customerId: null,
        approver: false,
        language,
        expiresAt: now,
        invitedBy: ctx.actor.id,
        invitedAt: now,
      },
    },
    { type: 'InvitationAccepted', data: { userId, invitationId, method: 'setup', name: null, at: now } },
  ];
}
