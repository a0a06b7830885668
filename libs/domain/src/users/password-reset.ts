import { DecisionContext, DomainError } from '../shared';
import { requireInteger, requireText, toUtcIso } from '../policies/values';
import { RequestPasswordReset } from './commands';
import { UserEvent } from './events';
import { plusMinutes, requireUser } from './rules';
import { UserState } from './state';

/**
 * RequestPasswordReset -> PasswordResetRequested (the link's id and expiry; the link itself
 * is rebuilt from them with the server key). Only an active person can reset
 * (409 user-not-active); the application answers the public request the same way whatever
 * the outcome, so this refusal never reaches the requester.
 */
export function decideRequestPasswordReset(command: RequestPasswordReset, state: UserState, ctx: DecisionContext): UserEvent[] {
  const user = requireUser(state, command.userId);
  const requestId = requireText(command.requestId, 'requestId', 100);
  const validFor = requireInteger(command.validForMinutes, 'validForMinutes', 1, 60 * 24);
  if (user.status !== 'active') throw new DomainError('user-not-active', 409, `user ${user.userId} is ${user.status}`, { status: user.status });
  const now = toUtcIso(ctx.now);
  return [{ type: 'PasswordResetRequested', data: { userId: user.userId, requestId, expiresAt: plusMinutes(now, validFor), at: now } }];
}
