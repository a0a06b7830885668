import { DecisionContext } from '../shared';
import { optionalText, requireInteger, toUtcIso } from '../policies/values';
import { ChangeSupportLevel } from './commands';
import { CustomerEvent, SupportLevel } from './events';
import { requireRegistered } from './require-customer';
import { CustomerState } from './state';

/** ChangeSupportLevel -> SupportLevelChanged; the level already in force -> []. */
export function decideChangeSupportLevel(command: ChangeSupportLevel, state: CustomerState, ctx: DecisionContext): CustomerEvent[] {
  const customer = requireRegistered(state, command.customerId);
  const to = requireInteger(command.supportLevel, 'supportLevel', 1, 3) as SupportLevel;
  const reason = optionalText(command.reason, 'reason', 2000);
  if (state.supportLevel === to) return [];
  return [
    {
      type: 'SupportLevelChanged',
      data: { customerId: customer.customerId, from: state.supportLevel, to, reason, changedBy: ctx.actor.id, changedAt: toUtcIso(ctx.now) },
    },
  ];
}
