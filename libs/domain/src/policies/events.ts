import { DomainEvent } from '../shared';
import { PolicyPlan, WorkKind } from './plans';

export const policyStreamId = (policyId: string) => `policy-${policyId}`;

export type PolicyRegisteredData = {
  policyId: string;
  customerId: string;
  /** human-readable number printed on the certificate (seed 003) */
  policyNumber: string;
  plan: PolicyPlan;
  /** minutes purchased */
  minutes: number;
  /** included advice at the company's facilities (part of `minutes`) */
  facilityMinutes: number;
  /** included advice on the customer's site (part of `minutes`) */
  onSiteMinutes: number;
  products: string[];
  /** first day of validity, inclusive */
  validFrom: string;
  /** last day of validity, inclusive (validFrom + 1 year - 1 day) */
  validUntil: string;
  /** IANA zone in which validFrom/validUntil are calendar dates */
  timeZone: string;
  registeredBy: string;
  registeredAt: string;
};

export type MinutesDeductedData = {
  policyId: string;
  customerId: string;
  entryId: string;
  ticketId: string;
  authorizationId: string;
  /** the authorization's total at the time of the deduction (from the ticket) */
  authorizedMinutes: number;
  minutes: number;
  workedOn: string;
  engineerId: string;
  description: string;
  kind: WorkKind;
  /** balance after this deduction */
  minutesRemaining: number;
  deductedBy: string;
  deductedAt: string;
};

export type PolicyExhaustedData = { policyId: string; minutesUsed: number; exhaustedAt: string };
export type PolicyExpiredData = { policyId: string; validUntil: string; minutesRemaining: number; expiredAt: string };
/**
 * Recorded by the scheduler once per policy when its last valid day is `noticeDays` days away
 * or closer (the time trigger for the "policy expiring" notice; a recorded fact, so the notice
 * is decided once and replay never re-decides it with today's clock).
 */
export type PolicyExpiryApproachingData = {
  policyId: string;
  customerId: string;
  /** last valid day, inclusive, in the policy's zone */
  validUntil: string;
  /** how many days before validUntil the notice is due (30) */
  noticeDays: number;
  /** calendar days from the recording date to validUntil (in the policy's zone) */
  daysLeft: number;
  minutesRemaining: number;
  recordedAt: string;
};

export type PolicyRegistered = DomainEvent<'PolicyRegistered', PolicyRegisteredData>;
export type MinutesDeducted = DomainEvent<'MinutesDeducted', MinutesDeductedData>;
export type PolicyExhausted = DomainEvent<'PolicyExhausted', PolicyExhaustedData>;
export type PolicyExpired = DomainEvent<'PolicyExpired', PolicyExpiredData>;
export type PolicyExpiryApproaching = DomainEvent<'PolicyExpiryApproaching', PolicyExpiryApproachingData>;

export type PolicyEvent = PolicyRegistered | MinutesDeducted | PolicyExhausted | PolicyExpired | PolicyExpiryApproaching;
