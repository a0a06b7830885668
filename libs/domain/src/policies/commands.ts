import { PolicyPlan, WorkKind } from './plans';

export type RegisterPolicy = {
  type: 'RegisterPolicy';
  policyId: string;
  customerId: string;
  plan: PolicyPlan;
  /** YYYY-MM-DD, first day of validity */
  startsOn: string;
  /** default: the plan's hours (300 / 1200 / 3000 / 4200) */
  minutes?: number;
  products?: string[];
  /** certificate number; default derived: POL-<year of startsOn>-<first 6 alphanumerics of policyId, upper case> */
  policyNumber?: string;
  /** IANA zone of the validity dates (the company's calendar zone); default 'UTC' */
  timeZone?: string;
  /** defaults per plan (see plans.ts) */
  facilityMinutes?: number;
  onSiteMinutes?: number;
};

export type DeductMinutes = {
  type: 'DeductMinutes';
  policyId: string;
  entryId: string;
  ticketId: string;
  authorizationId: string;
  /** the authorization's total, read from the ticket */
  authorizedMinutes: number;
  minutes: number;
  workedOn: string;
  engineerId: string;
  description: string;
  kind: WorkKind;
  /** the ticket's customer; when given it must own the policy (422 no-coverage otherwise) */
  customerId?: string;
};

/** Issued by the scheduler once the validity has passed. */
export type ExpirePolicy = { type: 'ExpirePolicy'; policyId: string };

/** Issued by the scheduler when the last valid day is `noticeDays` (default 30) days away or closer. */
export type RecordPolicyExpiryApproaching = { type: 'RecordPolicyExpiryApproaching'; policyId: string; noticeDays?: number };

export type PolicyCommand = RegisterPolicy | DeductMinutes | ExpirePolicy | RecordPolicyExpiryApproaching;
