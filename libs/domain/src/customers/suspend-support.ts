import { DecisionContext, invalid, refusedField } from '../shared';
import { addDays, instantMs, isIsoDate, isIsoInstant, requireOneOf, requireText, toUtcIso } from '../policies/values';
import { SuspendSupport } from './commands';
import { CustomerEvent, SUSPENSION_REASONS } from './events';
import { requireRegistered } from './require-customer';
import { CustomerState, isSuspendedAt } from './state';

/**
 * SuspendSupport -> SupportSuspended (seeds 000, 002: abusive language, pressure, false reports).
 * `until` absent = permanent; a date means through that date (ends next day 00:00 UTC);
 * an instant ends exactly then. `until` must be in the future (422 in-the-past otherwise).
 * A suspension identical to the one in force (reason, detail, until) -> [] (retry);
 * a different one replaces it (e.g. a temporary one made permanent).
 */
export function decideSuspendSupport(command: SuspendSupport, state: CustomerState, ctx: DecisionContext): CustomerEvent[] {
  const customer = requireRegistered(state, command.customerId);
  const reason = requireOneOf(command.reason, 'reason', SUSPENSION_REASONS);
  const detail = requireText(command.detail, 'detail', 5000);
  let until: string | null = null;
  let endsAt: string | null = null;
  if (command.until !== undefined && command.until !== null) {
    if (isIsoDate(command.until)) {
      until = command.until;
      endsAt = `${addDays(command.until, 1)}T00:00:00.000Z`;
    } else if (isIsoInstant(command.until)) {
      until = command.until;
      endsAt = toUtcIso(command.until);
    } else {
      throw invalid('until', 'must be a date YYYY-MM-DD or an ISO 8601 instant with offset');
    }
    if (instantMs(endsAt) <= instantMs(ctx.now)) throw refusedField('in-the-past', 'until', 'must be in the future');
  }
  const current = state.suspension;
  if (
    current &&
    isSuspendedAt(state, ctx.now) &&
    current.reason === reason &&
    current.detail === detail &&
    current.until === until
  ) {
    return [];
  }
  return [
    {
      type: 'SupportSuspended',
      data: {
        customerId: customer.customerId,
        reason,
        detail,
        until,
        endsAt,
        suspendedBy: ctx.actor.id,
        suspendedAt: toUtcIso(ctx.now),
      },
    },
  ];
}
