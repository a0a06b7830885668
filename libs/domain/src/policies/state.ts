import { dateInZone } from './values';
import { PolicyEvent, PolicyRegisteredData } from './events';
import { DeductionLog } from './deduction-log';

export { authorizationKey } from './deduction-log';

export type PolicyState = {
  policy: PolicyRegisteredData | null;
  minutesUsed: number;
  facilityMinutesUsed: number;
  onSiteMinutesUsed: number;
  /**
   * every deduction in order, with lookups by entryId (the idempotency key) and the minutes
   * deducted per authorization; immutable, grown in constant time per deduction
   */
  deductions: DeductionLog;
  exhaustedAt: string | null;
  expiredAt: string | null;
  /** when the expiry notice (PolicyExpiryApproaching) was recorded */
  expiryNoticeAt: string | null;
};

export const initialPolicyState = (): PolicyState => ({
  policy: null,
  minutesUsed: 0,
  facilityMinutesUsed: 0,
  onSiteMinutesUsed: 0,
  deductions: DeductionLog.empty(),
  exhaustedAt: null,
  expiredAt: null,
  expiryNoticeAt: null,
});

/**
 * A shallow copy written out field by field: V8 copies an object literal far faster than it
 * spreads an object that was itself built by a spread, which is what a fold does event after
 * event. The type checker keeps it complete.
 */
function copyPolicyState(s: PolicyState): PolicyState {
  return {
    policy: s.policy,
    minutesUsed: s.minutesUsed,
    facilityMinutesUsed: s.facilityMinutesUsed,
    onSiteMinutesUsed: s.onSiteMinutesUsed,
    deductions: s.deductions,
    exhaustedAt: s.exhaustedAt,
    expiredAt: s.expiredAt,
    expiryNoticeAt: s.expiryNoticeAt,
  };
}

/**
 * Folds one policy event. Constant time per event: a deduction grows the shared deduction log
 * (see DeductionLog) instead of copying every earlier deduction into a new record, and the
 * state it returns is a new object; the state it was given answers as before.
 */
export function evolvePolicy(state: PolicyState, event: PolicyEvent): PolicyState {
  switch (event.type) {
    case 'PolicyRegistered': {
      const next = copyPolicyState(state);
      next.policy = event.data;
      return next;
    }
    case 'MinutesDeducted': {
      const d = event.data;
      const next = copyPolicyState(state);
      next.minutesUsed = state.minutesUsed + d.minutes;
      next.facilityMinutesUsed = state.facilityMinutesUsed + (d.kind === 'facility' ? d.minutes : 0);
      next.onSiteMinutesUsed = state.onSiteMinutesUsed + (d.kind === 'on-site' ? d.minutes : 0);
      next.deductions = state.deductions.append(d);
      return next;
    }
    case 'PolicyExhausted': {
      const next = copyPolicyState(state);
      next.exhaustedAt = event.data.exhaustedAt;
      return next;
    }
    case 'PolicyExpired': {
      const next = copyPolicyState(state);
      next.expiredAt = event.data.expiredAt;
      return next;
    }
    case 'PolicyExpiryApproaching': {
      const next = copyPolicyState(state);
      next.expiryNoticeAt = event.data.recordedAt;
      return next;
    }
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
