export * from './plans';
export * from './events';
export * from './commands';
export type { PolicyState, PolicyStatus } from './state';
export { initialPolicyState, evolvePolicy, minutesRemaining, policyStatusAt, policyDateAt, authorizationKey } from './state';
export { decideRegisterPolicy, derivePolicyNumber } from './register-policy';
export { decideDeductMinutes, MAX_ENTRY_MINUTES } from './deduct-minutes';
export { decideExpirePolicy, decideRecordPolicyExpiryApproaching, POLICY_EXPIRY_NOTICE_DAYS, expiryNoticeDate } from './expire-policy';
export { policyDecider, decidePolicy } from './decider';
