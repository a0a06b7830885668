import { DecisionContext, DomainError, invalid, notFound } from '../shared';
import { requireInteger, requireOneOf, requireText, toUtcIso } from '../policies/values';
import { InviteUser } from './commands';
import { USER_KINDS, UserEvent } from './events';
import { plusMinutes, requireContactRoles, requireEmail, requireLanguage, requireMayInvite, requireName } from './rules';
import { UserState } from './state';

/**
 * InviteUser -> UserInvited. 403 unless an admin invites staff, or an admin, supervisor or
 * agent invites a contact; 400 for fields (a contact needs a customerId, staff must not have
 * one, approver rights only for contacts, staff roles only for staff); 404 for an unknown
 * customer; the same user id again -> 409 id-reused (the email's uniqueness is the email
 * claim's, see email-claim.ts).
 */
export function decideInviteUser(command: InviteUser, state: UserState, ctx: DecisionContext): UserEvent[] {
  const kind = requireOneOf(command.kind, 'kind', USER_KINDS);
  requireMayInvite(ctx.actor, kind);
  const userId = requireText(command.userId, 'userId', 100);
  const invitationId = requireText(command.invitationId, 'invitationId', 100);
  const email = requireEmail(command.email);
  const name = requireName(command.name);
  const roles = requireContactRoles(kind, command.roles);
  const language = requireLanguage(command.language);
  const validFor = requireInteger(command.validForMinutes, 'validForMinutes', 1, 60 * 24 * 90);
  let customerId: string | null = null;
  if (kind === 'contact') {
    customerId = requireText(command.customerId, 'customerId', 200);
  } else if (command.customerId !== undefined && command.customerId !== null) {
    throw invalid('customerId', 'only a customer contact belongs to a customer');
  }
  if (command.approver !== undefined && command.approver !== null && typeof command.approver !== 'boolean') throw invalid('approver', 'must be a boolean');
  if (kind === 'staff' && command.approver) throw invalid('approver', 'approver rights are for customer contacts');
  if (state.userId !== null) throw new DomainError('id-reused', 409, `user ${userId} already exists`, { id: userId });
  if (kind === 'contact' && !command.facts.customerExists) throw notFound('customer', customerId!);
  const now = toUtcIso(ctx.now);
  return [
    {
      type: 'UserInvited',
      data: {
        userId,
        invitationId,
        kind,
        email,
        name,
        roles,
        customerId,
        approver: kind === 'contact' ? command.approver === true : false,
        language,
        expiresAt: plusMinutes(now, validFor),
        invitedBy: ctx.actor.id,
        invitedAt: now,
      },
    },
  ];
}
