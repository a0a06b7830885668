import { createHash } from 'crypto';
import { Decider, DomainError, DomainEvent } from '../shared';
import { instantMs } from '../policies/values';

/**
 * One person per email. An invitation claims its (normalized) email in the stream
 * `user-email-<hash of the email>` before the user stream is written; appending the claim at
 * the stream's version serializes two invitations of the same address. A claim holds while
 * its user exists. A claim whose user was never written (the process died between the two
 * appends) frees itself, but only after a minute, so that an invitation still on its way to
 * the user stream is not overtaken by a second one.
 */
export type UserEmailClaimed = DomainEvent<'UserEmailClaimed', { email: string; userId: string; claimedAt: string }>;
export type EmailClaimEvent = UserEmailClaimed;

export type ClaimUserEmail = {
  type: 'ClaimUserEmail';
  email: string;
  userId: string;
  /** looked up by the application: does the user holding the current claim exist? */
  facts: { currentHolderExists: boolean };
};

export type EmailClaimState = { userId: string | null; claimedAt: string | null };

/** how long a claim whose user stream is still missing keeps blocking (ms) */
export const CLAIM_GRACE_MS = 60_000;

export function userEmailStreamId(normalizedEmail: string): string {
  return `user-email-${createHash('sha256').update(normalizedEmail).digest('hex').slice(0, 32)}`;
}

export const emailClaimDecider: Decider<ClaimUserEmail, EmailClaimState, EmailClaimEvent> = {
  initialState: () => ({ userId: null, claimedAt: null }),
  evolve: (_state, event) => ({ userId: event.data.userId, claimedAt: event.data.claimedAt }),
  decide(command, state, ctx) {
    if (state.userId === command.userId) return [];
    if (state.userId && (command.facts.currentHolderExists || instantMs(ctx.now) - instantMs(state.claimedAt!) < CLAIM_GRACE_MS)) {
      throw new DomainError('email-in-use', 409, `${command.email} already belongs to a user`, { userId: state.userId });
    }
    return [{ type: 'UserEmailClaimed', data: { email: command.email, userId: command.userId, claimedAt: new Date(instantMs(ctx.now)).toISOString() } }];
  },
};
