import { DecisionContext } from '../shared';
import { canonicalJson, idReused, optionalText, requireInteger, requireText, toUtcIso } from '../policies/values';
import { RegisterCustomer } from './commands';
import { CustomerEvent, SupportLevel } from './events';
import { CustomerState } from './state';

/** RegisterCustomer -> CustomerRegistered; the same body again -> []; another body under the id -> 409 id-reused. */
export function decideRegisterCustomer(command: RegisterCustomer, state: CustomerState, ctx: DecisionContext): CustomerEvent[] {
  const customerId = requireText(command.customerId, 'customerId', 200);
  const name = requireText(command.name, 'name', 500).trim();
  const supportLevel =
    command.supportLevel === undefined || command.supportLevel === null
      ? null
      : (requireInteger(command.supportLevel, 'supportLevel', 1, 3) as SupportLevel);
  const calendarId = optionalText(command.calendarId, 'calendarId', 200);
  const body = { customerId, name, supportLevel, calendarId };
  if (state.registration) {
    // compared with what was registered, not with later changes
    const r = state.registration;
    const recorded = { customerId: r.customerId, name: r.name, supportLevel: r.supportLevel, calendarId: r.calendarId };
    if (canonicalJson(recorded) === canonicalJson(body)) return [];
    throw idReused('customer', customerId);
  }
  return [
    {
      type: 'CustomerRegistered',
      data: { ...body, registeredBy: ctx.actor.id, registeredAt: toUtcIso(ctx.now) },
    },
  ];
}
