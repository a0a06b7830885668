/**
 * The work-log form refuses what the server would refuse, with the same reason (the problem
 * codes of LogWork and DeductMinutes, checked in the same order): no accepted authorization,
 * more than the authorization has left, an expired policy, more than the policy has left (or
 * than its facility / on-site allowance).
 */
import type { Authorization, Policy } from '../shared/api/views';
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
