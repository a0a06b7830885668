/**
 * What a work-log form needs to refuse in the form with the API's own reason: per accepted
 * authorization, the minutes it still allows and the balance of the policy it draws on, and
 * the answer `POST /api/tickets/{id}/work-logs` would give. The answers are not a second
 * reading of the rules: they come from running the same decide functions the command runs
 * (the ticket's LogWork, then the policy's DeductMinutes) on the states the read models hold,
 * without appending anything.
 */
import {
  DomainError,
  billingTicketOf,
  decideBilling,
  decideDeductMinutes,
  minutesRemaining,
  policyDateAt,
  policyStatusAt,
} from '@helpdesk/domain';
import type { PolicyState, PolicyStatus, TicketState, WorkKind } from '@helpdesk/domain';

export const MAX_ENTRY_MINUTES = 1440;
const PROBE_ENTRY = '\u0000work-log-limits-probe';

export interface WorkLogPolicy {
  policyId: string;
  status: PolicyStatus;
  minutesRemaining: number;
  facilityMinutesLeft: number;
  onSiteMinutesLeft: number;
  validFrom: string;
  validUntil: string;
}

export interface WorkLogAuthorization {
  authorizationId: string;
  quoteId: string;
  kind: 'per-event' | 'policy-estimate';
  minutesAuthorized: number;
  minutesLogged: number;
  /** minutes the authorization still allows */
  minutesLeft: number;
  /** the policy the minutes are deducted from (policy estimates); null for per-event work */
  policy: WorkLogPolicy | null;
  /** the most minutes one remote entry against this authorization may log now (0: none) */
  maxMinutes: number;
  /** the code the API answers for one minute against this authorization now; null: accepted */
  refusal: string | null;
}

export interface WorkLogLimits {
  /** the code the API answers for a one-minute entry that names no authorization; null: accepted */
  refusal: string | null;
  authorizations: WorkLogAuthorization[];
}

/** The refusal code of logging `minutes` of `kind` now (null when it would be accepted). */
export function workLogRefusal(
  ticket: TicketState,
  policies: ReadonlyMap<string, PolicyState>,
  request: { minutes: number; kind: WorkKind; authorizationId?: string; engineerId: string; nowIso: string },
): string | null {
  const ctx = { now: request.nowIso, actor: { id: request.engineerId, roles: ['agent'] } };
  const workedOn = request.nowIso.slice(0, 10);
  try {
    const events = decideBilling(
      {
        type: 'LogWork',
        ticketId: ticket.ticketId ?? undefined,
        entryId: PROBE_ENTRY,
        minutes: request.minutes,
        workedOn,
        description: 'limits',
        kind: request.kind,
        engineerId: request.engineerId,
        ...(request.authorizationId ? { authorizationId: request.authorizationId } : {}),
      },
      billingTicketOf(ticket),
      ticket.billing,
      ctx,
    );
    const work = events.find((e) => e.type === 'WorkLogged');
    const data = work?.data as { policyId?: string | null; authorizationId: string } | undefined;
    if (!data?.policyId) return null;
    const policy = policies.get(data.policyId);
    if (!policy?.policy) return 'not-found';
    const authorization = ticket.billing.authorizations[data.authorizationId];
    decideDeductMinutes(
      {
        type: 'DeductMinutes',
        policyId: data.policyId,
        entryId: PROBE_ENTRY,
        ticketId: ticket.ticketId!,
        authorizationId: data.authorizationId,
        authorizedMinutes: authorization.minutesAuthorized,
        minutes: request.minutes,
        workedOn: policyDateAt(policy.policy, request.nowIso),
        engineerId: request.engineerId,
        description: 'limits',
        kind: request.kind,
        customerId: ticket.customerId!,
      },
      policy,
      ctx,
    );
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

/** the largest m in [1, MAX_ENTRY_MINUTES] accepted (refusals only grow with the minutes against one authorization), 0 if none */
function maxAccepted(accepts: (minutes: number) => boolean): number {
  if (!accepts(1)) return 0;
  let lo = 1;
  let hi = MAX_ENTRY_MINUTES;
  if (accepts(hi)) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (accepts(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function workLogLimits(ticket: TicketState, policies: ReadonlyMap<string, PolicyState>, engineerId: string, nowIso: string): WorkLogLimits {
  const billing = ticket.billing;
  const authorizations = billing.authorizationOrder
    .map((id) => billing.authorizations[id])
    .filter((a) => !!a)
    .map((a): WorkLogAuthorization => {
      const p = a.policyId ? policies.get(a.policyId) : undefined;
      const policy: WorkLogPolicy | null =
        p?.policy
          ? {
              policyId: p.policy.policyId,
              status: policyStatusAt(p, nowIso),
              minutesRemaining: minutesRemaining(p),
              facilityMinutesLeft: Math.max(0, p.policy.facilityMinutes - p.facilityMinutesUsed),
              onSiteMinutesLeft: Math.max(0, p.policy.onSiteMinutes - p.onSiteMinutesUsed),
              validFrom: p.policy.validFrom,
              validUntil: p.policy.validUntil,
            }
          : null;
      const refusalFor = (minutes: number) => workLogRefusal(ticket, policies, { minutes, kind: 'remote', authorizationId: a.authorizationId, engineerId, nowIso });
      return {
        authorizationId: a.authorizationId,
        quoteId: a.quoteId,
        kind: a.terms.kind,
        minutesAuthorized: a.minutesAuthorized,
        minutesLogged: a.minutesLogged,
        minutesLeft: Math.max(0, a.minutesAuthorized - a.minutesLogged),
        policy,
        maxMinutes: maxAccepted((m) => refusalFor(m) === null),
        refusal: refusalFor(1),
      };
    });
  return {
    refusal: workLogRefusal(ticket, policies, { minutes: 1, kind: 'remote', engineerId, nowIso }),
    authorizations,
  };
}
