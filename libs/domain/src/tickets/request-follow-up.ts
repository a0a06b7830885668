import { DecisionContext, DomainError } from '../shared';
import { RequestFollowUp } from './commands';
import { FollowUpRequested } from './events';
import { requireNotClosed, requireTicket } from './guards';
import { TicketState } from './state';
import { actorRole, forbidden, msOf, optionalText, utc } from './values';

/** when the next follow-up may be asked for: the wait counted from the last follow-up, or from the opening */
export function followUpAvailableAt(state: Pick<TicketState, 'openedAt' | 'lastFollowUpAt'>, minimumIntervalMinutes: number): string | null {
  const since = state.lastFollowUpAt ?? state.openedAt;
  return since ? utc(msOf(since) + minimumIntervalMinutes * 60_000) : null;
}

/**
 * The customer asks for a follow-up of its ticket. Seed 002 rule 6: no chasing a ticket until
 * 40 minutes (the preset's followUpMinutes) have passed since it was opened or since the last
 * follow-up. Refusals, in order: 404 not-found (no ticket, or another customer's), 403
 * forbidden (staff and the scheduler: only the customer asks), 400 invalid-request (note),
 * 409 ticket-closed, 422 follow-up-too-early with `availableAt`, the first instant it is
 * allowed.
 */
export function decideRequestFollowUp(command: RequestFollowUp, state: TicketState, ctx: DecisionContext): FollowUpRequested[] {
  requireTicket(state, command.ticketId, ctx);
  if (actorRole(ctx) !== 'customer') throw forbidden("only the ticket's customer asks for a follow-up");
  const note = optionalText('note', command.note, 2000);
  requireNotClosed(state);
  const minutes = command.rules.preset.followUpMinutes;
  const nowMs = msOf(ctx.now);
  const availableAt = followUpAvailableAt(state, minutes) as string;
  if (nowMs < msOf(availableAt)) {
    const since = state.lastFollowUpAt ? 'the last follow-up' : 'the ticket was opened';
    throw new DomainError('follow-up-too-early', 422, `a follow-up may be asked for ${minutes} minutes after ${since}: from ${availableAt}`, {
      ticketId: command.ticketId,
      availableAt,
      minimumIntervalMinutes: minutes,
    });
  }
  const previous = state.lastFollowUpAt ?? null;
  return [
    {
      type: 'FollowUpRequested',
      data: {
        ticketId: command.ticketId,
        sequence: (state.followUpCount ?? 0) + 1,
        note,
        requestedBy: ctx.actor.id,
        requestedAt: utc(nowMs),
        minimumIntervalMinutes: minutes,
        since: previous ? 'follow-up' : 'opened',
        sinceAt: previous ?? (state.openedAt as string),
      },
    },
  ];
}
