import { DecisionContext, DomainError, invalid } from '../shared';
import { PostMessage } from './commands';
import { ClockResumed, MessagePosted, ResponseRecorded } from './events';
import { requireNotClosed, requireStaffOrCustomer, requireTicket } from './guards';
import { elapsedBusinessMinutes, instantOfElapsed, isPaused } from './sla';
import { TicketState } from './state';
import { referencedFiles } from './attachments';
import { actorRole, forbidden, MESSAGE_VISIBILITIES, msOf, requireOneOf, requireText, utc } from './values';

/**
 * Posts a message. The first public staff message of a response cycle is the response
 * (ResponseRecorded, met = respondedAt <= dueAt, or elapsed <= target while paused). A
 * customer message while awaiting the customer resumes the clock (ClockResumed: the due
 * instant moves by the business time the pause lasted). Customers cannot post internal notes.
 */
export function decidePostMessage(
  command: PostMessage,
  state: TicketState,
  ctx: DecisionContext,
): Array<MessagePosted | ResponseRecorded | ClockResumed> {
  requireTicket(state, command.ticketId, ctx);
  requireStaffOrCustomer(ctx, 'post messages');
  const role = actorRole(ctx) === 'staff' ? 'staff' : 'customer';
  const visibility = requireOneOf('visibility', command.visibility, MESSAGE_VISIBILITIES);
  if (role === 'customer' && visibility === 'internal') throw forbidden('customers cannot post internal messages');
  requireNotClosed(state);
  const messageId = requireText('messageId', command.messageId, 200);
  const body = requireText('body', command.body);
  const attachments = command.attachments ?? [];
  if (!Array.isArray(attachments) || !attachments.every((a) => typeof a === 'string' && a.trim() !== ''))
    throw invalid('attachments', 'must be an array of attachment references (non-empty strings)');
  const files = referencedFiles(attachments, command.attachmentFiles);
  if (state.messageIds.includes(messageId))
    throw new DomainError('id-reused', 409, `message id ${messageId} is already used in ticket ${command.ticketId}`, { messageId });

  const nowMs = msOf(ctx.now);
  const now = utc(nowMs);
  const events: Array<MessagePosted | ResponseRecorded | ClockResumed> = [
    {
      type: 'MessagePosted',
      data: {
        ticketId: command.ticketId,
        messageId,
        body,
        visibility,
        authorId: ctx.actor.id,
        authorRole: role,
        attachments: [...attachments],
        ...(files ? { attachmentFiles: files } : {}),
        postedAt: now,
      },
    },
  ];
  const sla = state.sla;
  if (!sla) return events;
  const calendar = command.rules.calendar(sla.calendarId);

  if (role === 'staff' && visibility === 'public' && sla.respondedAt === null) {
    const elapsed = elapsedBusinessMinutes(calendar, sla, nowMs);
    const met = isPaused(sla) || sla.dueAt === null ? elapsed <= sla.targetMinutes : nowMs <= msOf(sla.dueAt);
    events.push({
      type: 'ResponseRecorded',
      data: {
        ticketId: command.ticketId,
        cycle: sla.cycle,
        targetId: sla.targetId,
        messageId,
        respondedBy: ctx.actor.id,
        respondedAt: now,
        dueAt: sla.dueAt,
        targetMinutes: sla.targetMinutes,
        elapsedBusinessMinutes: elapsed,
        met,
      },
    });
  }

  if (role === 'customer' && state.status === 'awaiting-customer') {
    const open = sla.pauses.find((p) => p.to === null);
    const pausedAt = open ? open.from : now;
    const pausedBusinessMinutes = calendar.businessMinutesBetween(msOf(pausedAt), nowMs);
    // the cycle's clock with the pause closed now
    const closed = { startedAt: sla.startedAt, pauses: sla.pauses.map((p) => (p.to === null ? { ...p, to: now } : p)) };
    const elapsed = elapsedBusinessMinutes(calendar, closed, nowMs);
    let dueAt = sla.dueAt;
    let warningAt = sla.warningAt;
    if (sla.respondedAt === null) {
      dueAt = utc(instantOfElapsed(calendar, closed, nowMs, elapsed, sla.targetMinutes));
      warningAt = utc(instantOfElapsed(calendar, closed, nowMs, elapsed, sla.warningMinutes));
    }
    events.push({
      type: 'ClockResumed',
      data: {
        ticketId: command.ticketId,
        cycle: sla.cycle,
        targetId: sla.targetId,
        cause: 'customer-message',
        messageId,
        pausedAt,
        resumedAt: now,
        pausedBusinessMinutes,
        elapsedBusinessMinutes: elapsed,
        previousDueAt: sla.dueAt,
        dueAt,
        warningAt,
      },
    });
  }
  return events;
}
