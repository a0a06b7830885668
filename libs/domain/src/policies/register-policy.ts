import { DecisionContext, invalid } from '../shared';
import { RegisterPolicy } from './commands';
import { PolicyEvent } from './events';
import { PLAN_TERMS, POLICY_PLANS } from './plans';
import { PolicyState } from './state';
import { canonicalJson, idReused, isTimeZone, oneYearTermEnd, requireDate, requireInteger, requireOneOf, requireText, toUtcIso } from './values';

const MAX_MINUTES = 1_000_000;

/** Default certificate number: POL-<year of startsOn>-<first 6 letters/digits of the policyId, upper case>. */
export function derivePolicyNumber(policyId: string, startsOn: string): string {
  const idPart = policyId.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase();
  return `POL-${startsOn.slice(0, 4)}-${idPart}`;
}

/**
 * RegisterPolicy -> PolicyRegistered. validFrom = startsOn and validUntil = startsOn + 1 year
 * - 1 day, both inclusive calendar dates in `timeZone`. The same body again -> [];
 * another body under the policyId -> 409 id-reused.
 */
export function decideRegisterPolicy(command: RegisterPolicy, state: PolicyState, ctx: DecisionContext): PolicyEvent[] {
  const policyId = requireText(command.policyId, 'policyId', 200);
  const customerId = requireText(command.customerId, 'customerId', 200);
  const plan = requireOneOf(command.plan, 'plan', POLICY_PLANS);
  const validFrom = requireDate(command.startsOn, 'startsOn');
  const defaults = PLAN_TERMS[plan];
  const minutes = command.minutes === undefined ? defaults.minutes : requireInteger(command.minutes, 'minutes', 1, MAX_MINUTES);
  const facilityMinutes =
    command.facilityMinutes === undefined ? defaults.facilityMinutes : requireInteger(command.facilityMinutes, 'facilityMinutes', 0, minutes);
  const onSiteMinutes =
    command.onSiteMinutes === undefined ? defaults.onSiteMinutes : requireInteger(command.onSiteMinutes, 'onSiteMinutes', 0, minutes);
  if (command.products !== undefined && !Array.isArray(command.products)) throw invalid('products', 'must be an array of strings');
  const products = (command.products ?? []).map((p, i) => requireText(p, `products[${i}]`, 200));
  const timeZone = command.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw invalid('timeZone', 'must be an IANA time zone');
  const policyNumber =
    command.policyNumber === undefined ? derivePolicyNumber(policyId, validFrom) : requireText(command.policyNumber, 'policyNumber', 100);

  const body = {
    policyId,
    customerId,
    policyNumber,
    plan,
    minutes,
    facilityMinutes: Math.min(facilityMinutes, minutes),
    onSiteMinutes: Math.min(onSiteMinutes, minutes),
    products,
    validFrom,
    validUntil: oneYearTermEnd(validFrom),
    timeZone,
  };
  if (state.policy) {
    const { registeredAt: _at, registeredBy: _by, ...recorded } = state.policy;
    if (canonicalJson(recorded) === canonicalJson(body)) return [];
    throw idReused('policy', policyId);
  }
  return [{ type: 'PolicyRegistered', data: { ...body, registeredBy: ctx.actor.id, registeredAt: toUtcIso(ctx.now) } }];
}
