import { createHash } from 'crypto';
import { Decider, DomainError, DomainEvent } from '../shared';

/**
 * One ticket per topic (001 steps 3-4, 002 rule 5). A topic of a customer is claimed by the
 * ticket opened for it, in the stream `topic-<customerId>-<hash of the topic key>`. Appending
 * the claim at the stream's version serializes two openings of the same topic: only one can
 * claim it. A claim only blocks while its ticket is open, so a claim whose ticket was closed,
 * or never got written (a crash between the two appends), frees itself: nothing to repair.
 */
export type TopicClaimed = DomainEvent<'TopicClaimed', { customerId: string; topicKey: string; ticketId: string; claimedAt: string }>;
export type TopicEvent = TopicClaimed;

export type ClaimTopic = {
  type: 'ClaimTopic';
  customerId: string;
  topicKey: string;
  ticketId: string;
  /** looked up by the handler: is the ticket holding the current claim still open? */
  facts: { currentClaimOpen: boolean };
};

export type TopicState = { claimedBy: string | null };

export function topicStreamId(customerId: string, topicKey: string): string {
  return `topic-${customerId}-${createHash('sha256').update(topicKey).digest('hex').slice(0, 32)}`;
}

export const topicDecider: Decider<ClaimTopic, TopicState, TopicEvent> = {
  initialState: () => ({ claimedBy: null }),
  evolve: (_state, event) => ({ claimedBy: event.data.ticketId }),
  decide(command, state, ctx) {
    if (state.claimedBy === command.ticketId) return [];
    if (state.claimedBy && command.facts.currentClaimOpen) {
      throw new DomainError('duplicate-ticket', 409, `an open ticket on this topic already exists: ${state.claimedBy}`, {
        existingTicketId: state.claimedBy,
      });
    }
    return [
      {
        type: 'TopicClaimed',
        data: { customerId: command.customerId, topicKey: command.topicKey, ticketId: command.ticketId, claimedAt: ctx.now },
      },
    ];
  },
};
