import { DecisionContext, DomainError, notFound } from '../shared';
import { ExpirePolicy } from './commands';
import { PolicyEvent } from './events';
import { minutesRemaining, policyDateAt, PolicyState } from './state';
import { toUtcIso } from './values';

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
