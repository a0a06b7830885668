import { DecisionContext } from '../shared';
import { optionalText, toUtcIso } from '../policies/values';
import { LiftSuspension } from './commands';
import { CustomerEvent } from './events';
import { requireRegistered } from './require-customer';
import { CustomerState, isSuspendedAt } from './state';

/**
 * LiftSuspension -> SupportReinstated. Nothing in force (never suspended, already lifted,
 * or run out by time) -> [] so that a retry is harmless.
 * Note: seed 002 says suspensions come "sin derecho a ... reactivación"; lifting exists
 * for corrections by staff and is a deliberate, audited act.
 */
export function decideLiftSuspension(command: LiftSuspension, state: CustomerState, ctx: DecisionContext): CustomerEvent[] {
  const customer = requireRegistered(state, command.customerId);
  const reason = optionalText(command.reason, 'reason', 5000);
  if (!isSuspendedAt(state, ctx.now)) return [];
  return [
    {
      type: 'SupportReinstated',
      data: { customerId: customer.customerId, reason, reinstatedBy: ctx.actor.id, reinstatedAt: toUtcIso(ctx.now) },
    },
  ];
}
