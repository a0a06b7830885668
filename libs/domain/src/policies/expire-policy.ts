import { DecisionContext, DomainError, invalid, notFound } from '../shared';
import { ExpirePolicy, RecordPolicyExpiryApproaching } from './commands';
import { PolicyEvent } from './events';
import { minutesRemaining, policyDateAt, PolicyState } from './state';
import { addDays, toUtcIso } from './values';

/**
 * ExpirePolicy (scheduler) -> PolicyExpired, once: [] when already recorded.
 * Only after validUntil (today in the policy's zone > validUntil); earlier -> 422 policy-not-expired.
 */
export function decideExpirePolicy(command: ExpirePolicy, state: PolicyState, ctx: DecisionContext): PolicyEvent[] {
  const policy = state.policy;
  if (!policy) throw notFound('policy', String(command.policyId));
  if (state.expiredAt !== null) return [];
  if (policyDateAt(policy, ctx.now) <= policy.validUntil) {
    throw new DomainError('policy-not-expired', 422, `policy ${policy.policyId} is valid until ${policy.validUntil}`, {
      policyId: policy.policyId,
      validUntil: policy.validUntil,
    });
  }
  return [
    {
      type: 'PolicyExpired',
      data: { policyId: policy.policyId, validUntil: policy.validUntil, minutesRemaining: minutesRemaining(state), expiredAt: toUtcIso(ctx.now) },
    },
  ];
}

/** days before the last valid day at which the expiry notice is recorded */
export const POLICY_EXPIRY_NOTICE_DAYS = 30;

/** the first date (policy zone) on which the expiry notice is due: validUntil - noticeDays */
export function expiryNoticeDate(validUntil: string, noticeDays = POLICY_EXPIRY_NOTICE_DAYS): string {
  return addDays(validUntil, -noticeDays);
}

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * RecordPolicyExpiryApproaching (scheduler) -> PolicyExpiryApproaching, at most once per policy:
 * [] when already recorded, when the policy has already expired (nothing left to announce) or
 * when it is exhausted (no service left: the exhaustion was its notice). Before the notice date
 * (validUntil - noticeDays, in the policy's zone) -> 422 expiry-not-near.
 */
export function decideRecordPolicyExpiryApproaching(command: RecordPolicyExpiryApproaching, state: PolicyState, ctx: DecisionContext): PolicyEvent[] {
  const policy = state.policy;
  if (!policy) throw notFound('policy', String(command.policyId));
  if (state.expiryNoticeAt !== null || state.expiredAt !== null || state.exhaustedAt !== null) return [];
  const noticeDays = command.noticeDays ?? POLICY_EXPIRY_NOTICE_DAYS;
  if (!Number.isInteger(noticeDays) || noticeDays < 1 || noticeDays > 366) throw invalid('noticeDays', 'must be an integer between 1 and 366');
  const today = policyDateAt(policy, ctx.now);
  if (today > policy.validUntil) return [];
  const noticeOn = expiryNoticeDate(policy.validUntil, noticeDays);
  if (today < noticeOn) {
    throw new DomainError('expiry-not-near', 422, `policy ${policy.policyId}: the expiry notice is due on ${noticeOn}`, {
      policyId: policy.policyId,
      validUntil: policy.validUntil,
      noticeOn,
    });
  }
  return [
    {
      type: 'PolicyExpiryApproaching',
      data: {
        policyId: policy.policyId,
        customerId: policy.customerId,
        validUntil: policy.validUntil,
        noticeDays,
        daysLeft: daysBetween(today, policy.validUntil),
        minutesRemaining: minutesRemaining(state),
        recordedAt: toUtcIso(ctx.now),
      },
    },
  ];
}
