import { DecisionContext, DomainError, invalid, refusedField } from '../../shared';
import { WORK_KINDS, WorkKind } from '../../policies/plans';
import { addDays, canonicalJson, idReused, optionalText, requireDate, requireInteger, requireOneOf, requireText, toUtcIso } from '../../policies/values';
import { BillingTicket, LogWork } from './commands';
import { BillingEvent, WorkLoggedData } from './events';
import { chargeForEntry } from './money';
import { BillingAuthorization, BillingState } from './state';
import { requireNotClosed, requireTicket } from './ticket-guards';

export const MAX_WORK_ENTRY_MINUTES = 1440;

const entryBody = (e: Pick<WorkLoggedData, 'minutes' | 'workedOn' | 'description' | 'kind' | 'engineerId'>) => ({
  minutes: e.minutes,
  workedOn: e.workedOn,
  description: e.description,
  kind: e.kind,
  engineerId: e.engineerId,
});

const remaining = (a: BillingAuthorization) => a.minutesAuthorized - a.minutesLogged;

function exceeds(a: BillingAuthorization, minutes: number): DomainError {
  return new DomainError('exceeds-authorization', 422, `authorization ${a.authorizationId} has ${remaining(a)} of ${a.minutesAuthorized} minutes left`, {
    authorizationId: a.authorizationId,
    minutesAuthorized: a.minutesAuthorized,
    minutesLogged: a.minutesLogged,
    minutesRequested: minutes,
  });
}

/**
 * LogWork -> WorkLogged. Checks, in order:
 *  404 no ticket -> 400 fields (minutes 1..1440; workedOn a date not after tomorrow in UTC,
 *  which tolerates zones ahead of UTC) -> idempotency by entryId (same body -> [], other
 *  body -> 409 id-reused; authorizationId is compared only when given) -> 409 ticket-closed ->
 *  422 authorization-required (no accepted authorization on this ticket, or the named one is
 *  not one) -> 422 exceeds-authorization (logged + minutes > authorized; without an
 *  authorizationId the oldest accepted authorization with room for all the minutes is used,
 *  entries are never split).
 * Policy-backed work: the application first deducts the minutes on the policy stream
 * (DeductMinutes with the same entryId) and then appends this WorkLogged.
 */
export function decideLogWork(command: LogWork, ticket: BillingTicket, billing: BillingState, ctx: DecisionContext): BillingEvent[] {
  requireTicket(ticket);
  const entryId = requireText(command.entryId, 'entryId', 200);
  const body = entryBody({
    minutes: requireInteger(command.minutes, 'minutes', 1, MAX_WORK_ENTRY_MINUTES),
    workedOn: requireDate(command.workedOn, 'workedOn'),
    description: requireText(command.description, 'description', 5000),
    kind: command.kind === undefined ? 'remote' : requireOneOf<WorkKind>(command.kind, 'kind', WORK_KINDS),
    engineerId: requireText(command.engineerId, 'engineerId', 200),
  });
  const requestedAuthorization = optionalText(command.authorizationId, 'authorizationId', 200);
  if (body.workedOn > addDays(toUtcIso(ctx.now).slice(0, 10), 1)) throw refusedField('in-the-future', 'workedOn', 'must not be in the future');

  const previous = billing.workLogs[entryId];
  if (previous) {
    const same =
      canonicalJson(entryBody(previous)) === canonicalJson(body) &&
      (requestedAuthorization === null || requestedAuthorization === previous.authorizationId);
    if (same) return [];
    throw idReused('work entry', entryId);
  }
  requireNotClosed(ticket);

  let authorization: BillingAuthorization | undefined;
  if (requestedAuthorization !== null) {
    authorization = billing.authorizations[requestedAuthorization];
    if (!authorization) {
      throw new DomainError('authorization-required', 422, `no accepted authorization ${requestedAuthorization} on ticket ${ticket.ticketId}`, {
        ticketId: ticket.ticketId,
        authorizationId: requestedAuthorization,
      });
    }
    if (remaining(authorization) < body.minutes) throw exceeds(authorization, body.minutes);
  } else {
    const accepted = billing.authorizationOrder.map((id) => billing.authorizations[id]).filter((a): a is BillingAuthorization => !!a);
    if (accepted.length === 0) {
      throw new DomainError('authorization-required', 422, `ticket ${ticket.ticketId} has no accepted authorization`, { ticketId: ticket.ticketId });
    }
    authorization = accepted.find((a) => remaining(a) >= body.minutes);
    if (!authorization) {
      // report against the authorization with the most room left
      const roomiest = accepted.reduce((best, a) => (remaining(a) > remaining(best) ? a : best));
      throw exceeds(roomiest, body.minutes);
    }
  }

  const terms = authorization.terms;
  const perEvent = terms.kind === 'per-event' && terms.hourlyRateMinor !== null;
  const chargeMinor = perEvent
    ? chargeForEntry(terms.hourlyRateMinor as number, authorization.minutesLogged, body.minutes, terms.amountMinor ?? Number.MAX_SAFE_INTEGER)
    : null;
  return [
    {
      type: 'WorkLogged',
      data: {
        ticketId: ticket.ticketId,
        entryId,
        authorizationId: authorization.authorizationId,
        ...body,
        policyId: authorization.policyId,
        chargeMinor,
        currency: perEvent ? terms.currency : null,
        loggedBy: ctx.actor.id,
        loggedAt: toUtcIso(ctx.now),
      },
    },
  ];
}
