import { dateInZone } from './values';
import { MinutesDeductedData, PolicyEvent, PolicyRegisteredData } from './events';

export type PolicyState = {
  policy: PolicyRegisteredData | null;
  minutesUsed: number;
  facilityMinutesUsed: number;
  onSiteMinutesUsed: number;
  /** deductions by entryId (the idempotency key) */
  deductions: Record<string, MinutesDeductedData>;
  /** minutes deducted per authorization, keyed by authorizationKey(ticketId, authorizationId) */
  minutesByAuthorization: Record<string, number>;
  exhaustedAt: string | null;
  expiredAt: string | null;
};

export const initialPolicyState = (): PolicyState => ({
  policy: null,
  minutesUsed: 0,
  facilityMinutesUsed: 0,
  onSiteMinutesUsed: 0,
  deductions: {},
  minutesByAuthorization: {},
  exhaustedAt: null,
  expiredAt: null,
});

/** authorization ids are unique within a ticket; the pair is unique across tickets */
export const authorizationKey = (ticketId: string, authorizationId: string) => `${ticketId}\u0000${authorizationId}`;

export function evolvePolicy(state: PolicyState, event: PolicyEvent): PolicyState {
  switch (event.type) {
    case 'PolicyRegistered':
      return { ...state, policy: event.data };
    case 'MinutesDeducted': {
      const d = event.data;
      const key = authorizationKey(d.ticketId, d.authorizationId);
      return {
        ...state,
        minutesUsed: state.minutesUsed + d.minutes,
        facilityMinutesUsed: state.facilityMinutesUsed + (d.kind === 'facility' ? d.minutes : 0),
        onSiteMinutesUsed: state.onSiteMinutesUsed + (d.kind === 'on-site' ? d.minutes : 0),
        deductions: { ...state.deductions, [d.entryId]: d },
        minutesByAuthorization: { ...state.minutesByAuthorization, [key]: (state.minutesByAuthorization[key] ?? 0) + d.minutes },
      };
    }
    case 'PolicyExhausted':
      return { ...state, exhaustedAt: event.data.exhaustedAt };
    case 'PolicyExpired':
      return { ...state, expiredAt: event.data.expiredAt };
    default:
      return state;
  }
}

export function minutesRemaining(state: PolicyState): number {
  return state.policy ? Math.max(0, state.policy.minutes - state.minutesUsed) : 0;
}

/** The policy's calendar date at an instant (in the policy's zone). */
export function policyDateAt(policy: PolicyRegisteredData, nowIso: string): string {
  return dateInZone(nowIso, policy.timeZone);
}

export type PolicyStatus = 'active' | 'exhausted' | 'expired' | 'not-started';

/**
 * Status computed from the clock (not from whether the scheduler ran yet):
 * - 'not-started' before validFrom, 'expired' after validUntil (dates in the policy's zone);
 * - 'exhausted' when no minutes remain. Deductions only happen while active, so an
 *   exhausted policy ran out of hours before its year ended ("whichever first"), and it
 *   stays 'exhausted' after validUntil.
 */
export function policyStatusAt(state: PolicyState, nowIso: string): PolicyStatus {
  const policy = state.policy;
  if (!policy) throw new Error('policy not registered');
  if (minutesRemaining(state) === 0) return 'exhausted';
  const today = policyDateAt(policy, nowIso);
  if (today < policy.validFrom) return 'not-started';
  if (today > policy.validUntil || state.expiredAt !== null) return 'expired';
  return 'active';
}
