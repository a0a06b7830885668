/**
 * `policies` read model: one document per policy = the policy state folded with the
 * domain's `evolvePolicy`, plus the balance figures and the deductions in the order they
 * were made. The deductions are stored once, as the ordered list; the state's deduction log
 * is grown from that list when a document is loaded, and folded in constant time per event.
 */
import { DeductionLog, evolvePolicy, initialPolicyState, minutesRemaining } from '@helpdesk/domain';
import type { MinutesDeductedData, PolicyEvent, PolicyPlan, PolicyState } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection, WorkingForm } from '../projection';
import { COLLECTIONS, domainEvent, occurredAt, streamEntityId } from './common';

export const POLICY_EVENT_TYPES = ['PolicyRegistered', 'MinutesDeducted', 'PolicyExhausted', 'PolicyExpired', 'PolicyExpiryApproaching'] as const;

/**
 * The folded state as stored: the deductions live in the document's own list. (Documents
 * written before 2026-12 also hold `minutesByAuthorization` here; it is ignored, the log
 * answers it.)
 */
export type StoredPolicyState = Omit<PolicyState, 'deductions'>;

export interface PolicyDoc extends Doc {
  policyId: string;
  customerId: string | null;
  plan: PolicyPlan | null;
  /** certificate number */
  number: string | null;
  minutesPurchased: number;
  minutesUsed: number;
  minutesRemaining: number;
  facilityMinutes: number;
  onSiteMinutes: number;
  facilityMinutesUsed: number;
  onSiteMinutesUsed: number;
  products: string[];
  /** calendar dates, inclusive, in `timeZone` */
  validFrom: string | null;
  validUntil: string | null;
  timeZone: string | null;
  registeredAt: string | null;
  exhaustedAt: string | null;
  expiredAt: string | null;
  /** when the scheduler recorded PolicyExpiryApproaching (null: not yet; absent in documents written before it existed) */
  expiryNoticeAt: string | null;
  /** every deduction, oldest first */
  deductions: MinutesDeductedData[];
  state: StoredPolicyState;
  version: number;
  lastPosition: number;
  updatedAt: string;
}

/** the domain's PolicyState of a stored policy document */
export function policyStateOf(doc: Pick<PolicyDoc, 'state' | 'deductions'>): PolicyState {
  const s = doc.state;
  return {
    policy: s.policy,
    minutesUsed: s.minutesUsed,
    facilityMinutesUsed: s.facilityMinutesUsed,
    onSiteMinutesUsed: s.onSiteMinutesUsed,
    deductions: DeductionLog.of(doc.deductions),
    exhaustedAt: s.exhaustedAt,
    expiredAt: s.expiredAt,
    // documents written before the expiry notice existed lack its field
    expiryNoticeAt: s.expiryNoticeAt ?? null,
  };
}

/** A policy as the projection folds it: the domain state and what the last event applied was. */
export interface PolicyWorking {
  state: PolicyState;
  version: number;
  position: number;
  updatedAt: string;
}

/** Folds one stored policy event into a folded policy; mutates and returns `working` when given. */
export function foldPolicyEvent(working: PolicyWorking | null, event: LeanStoredEvent): PolicyWorking {
  const state = evolvePolicy(working ? working.state : initialPolicyState(), domainEvent<PolicyEvent>(event));
  const version = Number(event.version);
  const position = Number(event.position);
  const updatedAt = occurredAt(event);
  if (!working) return { state, version, position, updatedAt };
  working.state = state;
  working.version = version;
  working.position = position;
  working.updatedAt = updatedAt;
  return working;
}

/** the policy document of a folded policy (built once per flush, not per event) */
export function policyDocOf(working: PolicyWorking, policyId: string): PolicyDoc {
  const next = working.state;
  const state: StoredPolicyState = {
    policy: next.policy,
    minutesUsed: next.minutesUsed,
    facilityMinutesUsed: next.facilityMinutesUsed,
    onSiteMinutesUsed: next.onSiteMinutesUsed,
    exhaustedAt: next.exhaustedAt,
    expiredAt: next.expiredAt,
    expiryNoticeAt: next.expiryNoticeAt,
  };
  const p = next.policy;
  return {
    _id: policyId,
    policyId,
    customerId: p?.customerId ?? null,
    plan: p?.plan ?? null,
    number: p?.policyNumber ?? null,
    minutesPurchased: p?.minutes ?? 0,
    minutesUsed: next.minutesUsed,
    minutesRemaining: minutesRemaining(next),
    facilityMinutes: p?.facilityMinutes ?? 0,
    onSiteMinutes: p?.onSiteMinutes ?? 0,
    facilityMinutesUsed: next.facilityMinutesUsed,
    onSiteMinutesUsed: next.onSiteMinutesUsed,
    products: p?.products ?? [],
    validFrom: p?.validFrom ?? null,
    validUntil: p?.validUntil ?? null,
    timeZone: p?.timeZone ?? null,
    registeredAt: p ? new Date(p.registeredAt).toISOString() : null,
    exhaustedAt: next.exhaustedAt,
    expiredAt: next.expiredAt,
    expiryNoticeAt: next.expiryNoticeAt,
    // a new array: the log itself is immutable, the document must not share parts with the next fold
    deductions: next.deductions.list(),
    state,
    version: working.version,
    lastPosition: working.position,
    updatedAt: working.updatedAt,
  };
}

export const policyWorkingForm: WorkingForm<PolicyWorking, PolicyDoc> = {
  fromDoc: (doc) => ({
    state: policyStateOf(doc),
    version: doc.version,
    position: doc.lastPosition,
    updatedAt: doc.updatedAt,
  }),
  toDoc: policyDocOf,
};

const policyIdOf = (event: LeanStoredEvent): string => (event.data.policyId as string | undefined) ?? streamEntityId(event, 'policy-');

/** Folds one stored policy event into the policy document (pure; for tests and tools). */
export function applyPolicyEvent(doc: PolicyDoc | null, event: LeanStoredEvent): PolicyDoc {
  return policyDocOf(foldPolicyEvent(doc ? policyWorkingForm.fromDoc(doc) : null, event), policyIdOf(event));
}

export const policiesProjection: Projection = {
  name: 'policies',
  collections: [{ name: COLLECTIONS.policies, indexes: [{ fields: [['customerId', 1], ['validFrom', -1]] }] }],
  handles: new Set<string>(POLICY_EVENT_TYPES),
  workingForms: { [COLLECTIONS.policies]: policyWorkingForm },
  async apply(event, ctx) {
    if (!event.streamId.startsWith('policy-')) return;
    await ctx.update<PolicyWorking>(COLLECTIONS.policies, policyIdOf(event), (working) => foldPolicyEvent(working, event));
  },
};
