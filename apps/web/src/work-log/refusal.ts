/**
 * The work-log form refuses what the server would refuse, with the same reason (the problem
 * codes of LogWork and DeductMinutes, checked in the same order): no accepted authorization,
 * more than the authorization has left, an expired policy, more than the policy has left (or
 * than its facility / on-site allowance).
 */
import type { Authorization, Policy, WorkLogLimits } from '../shared/api/views';
import type { ProblemDoc } from '../shared/api/problem';

const left = (a: Authorization) => a.minutesAuthorized - a.minutesLogged;

/** the authorization the server picks without an explicit one: the oldest with room for all the minutes */
export function pickAuthorization(authorizations: Authorization[], minutes: number, chosen: string | null): Authorization | null {
  if (chosen) return authorizations.find((a) => a.authorizationId === chosen) ?? null;
  return authorizations.find((a) => left(a) >= minutes) ?? null;
}

export function workLogRefusal(input: {
  authorizations: Authorization[];
  chosen: string | null;
  minutes: number;
  kind: 'remote' | 'on-site' | 'facility';
  workedOn: string;
  policy: (id: string) => Policy | undefined;
}): ProblemDoc | null {
  const { authorizations, chosen, minutes, kind } = input;
  if (authorizations.length === 0) return { status: 422, code: 'authorization-required' };
  if (!Number.isInteger(minutes) || minutes < 1) return null;
  const a = pickAuthorization(authorizations, minutes, chosen);
  if (!a) {
    const roomiest = authorizations.reduce((best, x) => (left(x) > left(best) ? x : best));
    return { status: 422, code: 'exceeds-authorization', authorizationId: roomiest.authorizationId, minutesAuthorized: roomiest.minutesAuthorized, minutesLogged: roomiest.minutesLogged, minutesRequested: minutes };
  }
  if (left(a) < minutes) {
    return { status: 422, code: 'exceeds-authorization', authorizationId: a.authorizationId, minutesAuthorized: a.minutesAuthorized, minutesLogged: a.minutesLogged, minutesRequested: minutes };
  }
  if (a.policyId) {
    const p = input.policy(a.policyId);
    if (!p) return null;
    if (p.status === 'expired') return { status: 422, code: 'policy-expired', policyId: p.policyId, state: 'expired', validUntil: p.validUntil };
    if (p.status === 'not-started' || input.workedOn < p.validFrom) return { status: 422, code: 'policy-expired', policyId: p.policyId, state: 'not-started', validFrom: p.validFrom };
    if (p.minutesRemaining < minutes) return { status: 422, code: 'insufficient-balance', policyId: p.policyId, minutesRemaining: p.minutesRemaining, minutesRequested: minutes };
    const allowance = kind === 'facility' ? p.facilityMinutes - p.facilityMinutesUsed : kind === 'on-site' ? p.onSiteMinutes - p.onSiteMinutesUsed : null;
    if (allowance !== null && allowance < minutes) return { status: 422, code: 'insufficient-balance', policyId: p.policyId, allowance: kind, minutesRemaining: allowance, minutesRequested: minutes };
  }
  return null;
}

/**
 * The same refusal from the server's own answer (the ticket detail's `workLog`: the command's
 * decide functions run on the current states). An entry of `minutes` against an authorization
 * is refused when it is more than that authorization's `maxMinutes`: exceeds-authorization
 * when more than it has left, else its `refusal`, else insufficient-balance (facility and
 * on-site work also against the policy's allowances). Without a chosen authorization the server
 * takes the oldest with room for all the minutes.
 */
export function workLogRefusalFromLimits(limits: WorkLogLimits, minutes: number, kind: 'remote' | 'on-site' | 'facility', chosen: string | null): ProblemDoc | null {
  const auths = limits.authorizations;
  if (auths.length === 0) return { status: 422, code: limits.refusal ?? 'authorization-required' };
  if (!Number.isInteger(minutes) || minutes < 1) return null;
  const exceeds = (a: WorkLogLimits['authorizations'][number]): ProblemDoc => ({
    status: 422,
    code: 'exceeds-authorization',
    authorizationId: a.authorizationId,
    minutesAuthorized: a.minutesAuthorized,
    minutesLogged: a.minutesLogged,
    minutesRequested: minutes,
  });
  const a = chosen ? auths.find((x) => x.authorizationId === chosen) : auths.find((x) => x.minutesLeft >= minutes);
  if (!a) {
    if (chosen) return { status: 422, code: 'authorization-required', authorizationId: chosen };
    return exceeds(auths.reduce((best, x) => (x.minutesLeft > best.minutesLeft ? x : best)));
  }
  const allowance = a.policy ? (kind === 'facility' ? a.policy.facilityMinutesLeft : kind === 'on-site' ? a.policy.onSiteMinutesLeft : null) : null;
  if (minutes <= a.maxMinutes && (allowance === null || minutes <= allowance)) return null;
  if (minutes > a.minutesLeft) return exceeds(a);
  if (a.refusal) return { status: 422, code: a.refusal, ...(a.policy ? { policyId: a.policy.policyId, minutesRemaining: a.policy.minutesRemaining } : {}) };
  const remaining = allowance !== null && minutes > allowance ? allowance : (a.policy?.minutesRemaining ?? a.maxMinutes);
  return { status: 422, code: 'insufficient-balance', ...(a.policy ? { policyId: a.policy.policyId } : {}), minutesRemaining: remaining, minutesRequested: minutes };
}
