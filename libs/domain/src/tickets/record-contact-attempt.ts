import { DecisionContext } from '../shared';
import { RecordContactAttempt } from './commands';
import { contactCalendar, localDateOf, resolveCloseAfter } from './contact-attempts';
import { ContactAttemptRecorded } from './events';
import { requireWorkableByStaff } from './guards';
import { TicketState } from './state';
import { CONTACT_CHANNELS, msOf, requireOneOf, requireText, utc } from './values';

/**
 * Records an attempt to reach the customer (phone or email) and the wait announced in it,
 * resolved to an instant (see CloseAfter). Attempts count until the customer writes again.
 */
export function decideRecordContactAttempt(command: RecordContactAttempt, state: TicketState, ctx: DecisionContext): ContactAttemptRecorded[] {
  requireWorkableByStaff(state, command.ticketId, ctx, 'record contact attempts');
  const channel = requireOneOf('channel', command.channel, CONTACT_CHANNELS);
  const note = requireText('note', command.note);
  const nowMs = msOf(ctx.now);
  const calendar = contactCalendar(command.rules);
  const localDate = localDateOf(nowMs, calendar.spec.zone);
  const closeAfterMs = resolveCloseAfter(command.closeAfter, command.rules, calendar, nowMs);
  return [
    {
      type: 'ContactAttemptRecorded',
      data: {
        ticketId: command.ticketId,
        attempt: state.contactAttempts.length + 1,
        channel,
        note,
        attemptedBy: ctx.actor.id,
        attemptedAt: utc(nowMs),
        localDate,
        businessDay: calendar.isBusinessDay(localDate),
        calendarId: calendar.spec.id,
        closeAfter: utc(closeAfterMs),
      },
    },
  ];
}
