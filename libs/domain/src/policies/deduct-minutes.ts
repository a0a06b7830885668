import { DecisionContext, DomainError, invalid, notFound } from '../shared';
import { DeductMinutes } from './commands';
import { MinutesDeductedData, PolicyEvent } from './events';
import { WORK_KINDS } from './plans';
import { minutesRemaining, policyDateAt, PolicyState } from './state';
import { addDays, canonicalJson, idReused, requireDate, requireInteger, requireOneOf, requireText, toUtcIso } from './values';

/** the most minutes one work entry may carry (a day) */
export const MAX_ENTRY_MINUTES = 1440;

/** the fields of a deduction the caller chose; a retry must repeat them exactly */
const deductionBody = (d: Pick<MinutesDeductedData, 'ticketId' | 'authorizationId' | 'minutes' | 'workedOn' | 'engineerId' | 'description' | 'kind'>) => ({
  ticketId: d.ticketId,
  authorizationId: d.authorizationId,
  minutes: d.minutes,
  workedOn: d.workedOn,
  engineerId: d.engineerId,
  description: d.description,
  kind: d.kind,
});

/**
 * DeductMinutes -> MinutesDeducted (+ PolicyExhausted when the balance reaches 0).
 * Checks, in order:
 *  404 not-found (no policy) -> 400 invalid-request (fields) ->
 *  idempotency by entryId (same body -> [], other body -> 409 id-reused; checked before the
 *  business rules so a retry answers like the first time) ->
 *  422 no-coverage (the policy belongs to another customer) ->
 *  422 policy-expired (today, in the policy's zone, is before validFrom or after validUntil,
 *  or the work date is before validFrom; details.status says which) ->
 *  400 workedOn in the future ->
 *  422 exceeds-authorization (minutes already deducted on this policy for the ticket's
 *  authorization + minutes > authorizedMinutes) ->
 *  422 insufficient-balance (remaining < minutes; the balance never goes below zero) ->
 *  422 insufficient-balance with details.allowance for facility / on-site work beyond the
 *  plan's included advice.
 */
export function decideDeductMinutes(command: DeductMinutes, state: PolicyState, ctx: DecisionContext): PolicyEvent[] {
  const policy = state.policy;
  if (!policy) throw notFound('policy', String(command.policyId));
  const entryId = requireText(command.entryId, 'entryId', 200);
  const body = deductionBody({
    ticketId: requireText(command.ticketId, 'ticketId', 200),
    authorizationId: requireText(command.authorizationId, 'authorizationId', 200),
    minutes: requireInteger(command.minutes, 'minutes', 1, MAX_ENTRY_MINUTES),
    workedOn: requireDate(command.workedOn, 'workedOn'),
    engineerId: requireText(command.engineerId, 'engineerId', 200),
    description: requireText(command.description, 'description', 5000),
    kind: requireOneOf(command.kind, 'kind', WORK_KINDS),
  });
  const authorizedMinutes = requireInteger(command.authorizedMinutes, 'authorizedMinutes', 1, Number.MAX_SAFE_INTEGER);

  const previous = state.deductions.get(entryId);
  if (previous) {
    if (canonicalJson(deductionBody(previous)) === canonicalJson(body)) return [];
    throw idReused('work entry', entryId);
  }

  if (command.customerId !== undefined && command.customerId !== policy.customerId) {
    throw new DomainError('no-coverage', 422, `policy ${policy.policyId} does not belong to customer ${command.customerId}`, {
      policyId: policy.policyId,
      customerId: command.customerId,
    });
  }

  const today = policyDateAt(policy, ctx.now);
  if (today > policy.validUntil || state.expiredAt !== null) {
    throw new DomainError('policy-expired', 422, `policy ${policy.policyId} expired after ${policy.validUntil}`, {
      policyId: policy.policyId,
      status: 'expired',
      validUntil: policy.validUntil,
    });
  }
  if (today < policy.validFrom || body.workedOn < policy.validFrom) {
    throw new DomainError('policy-expired', 422, `policy ${policy.policyId} is valid from ${policy.validFrom}`, {
      policyId: policy.policyId,
      status: 'not-started',
      validFrom: policy.validFrom,
    });
  }
  // one day of tolerance: the caller's date may be in a zone ahead of the policy's
  if (body.workedOn > addDays(today, 1)) throw invalid('workedOn', 'must not be in the future');

  const alreadyAuthorized = state.deductions.minutesAuthorized(body.ticketId, body.authorizationId);
  if (alreadyAuthorized + body.minutes > authorizedMinutes) {
    throw new DomainError(
      'exceeds-authorization',
      422,
      `authorization ${body.authorizationId} allows ${authorizedMinutes} minutes; ${alreadyAuthorized} already deducted`,
      { authorizationId: body.authorizationId, authorizedMinutes, minutesDeducted: alreadyAuthorized, minutesRequested: body.minutes },
    );
  }
  const remaining = minutesRemaining(state);
  if (remaining < body.minutes) {
    throw new DomainError('insufficient-balance', 422, `policy ${policy.policyId} has ${remaining} minutes left`, {
      policyId: policy.policyId,
      minutesRemaining: remaining,
      minutesRequested: body.minutes,
    });
  }
  const allowance =
    body.kind === 'facility'
      ? { name: 'facility', left: policy.facilityMinutes - state.facilityMinutesUsed }
      : body.kind === 'on-site'
        ? { name: 'on-site', left: policy.onSiteMinutes - state.onSiteMinutesUsed }
        : null;
  if (allowance && allowance.left < body.minutes) {
    throw new DomainError(
      'insufficient-balance',
      422,
      `policy ${policy.policyId} has ${allowance.left} minutes of ${allowance.name} advice left; more is charged by the hour`,
      { policyId: policy.policyId, allowance: allowance.name, minutesRemaining: allowance.left, minutesRequested: body.minutes },
    );
  }

  const at = toUtcIso(ctx.now);
  const after = remaining - body.minutes;
  const events: PolicyEvent[] = [
    {
      type: 'MinutesDeducted',
      data: {
        policyId: policy.policyId,
        customerId: policy.customerId,
        entryId,
        ...body,
        authorizedMinutes,
        minutesRemaining: after,
        deductedBy: ctx.actor.id,
        deductedAt: at,
      },
    },
  ];
  if (after === 0) {
    events.push({ type: 'PolicyExhausted', data: { policyId: policy.policyId, minutesUsed: policy.minutes, exhaustedAt: at } });
  }
  return events;
}
