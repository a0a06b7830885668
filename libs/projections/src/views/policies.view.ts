/**
 * `policies` read model: one document per policy = the policy state folded with the
 * domain's `evolvePolicy`, plus the balance figures and the deductions in the order they
 * were made. The deductions are stored once, as the ordered list; the state's
 * `deductions` record is rebuilt from that list before each fold.
 */
import { evolvePolicy, initialPolicyState, minutesRemaining } from '@helpdesk/domain';
import type { MinutesDeductedData, PolicyEvent, PolicyPlan, PolicyState } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection, WorkingForm } from '../projection';
import { COLLECTIONS, decodeKeys, domainEvent, encodeKeys, occurredAt, streamEntityId } from './common';

export const POLICY_EVENT_TYPES = ['PolicyRegistered', 'MinutesDeducted', 'PolicyExhausted', 'PolicyExpired', 'PolicyExpiryApproaching'] as const;

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
  const deductions: Record<string, MinutesDeductedData> = {};
  for (const d of doc.deductions) deductions[d.entryId] = d;
  // documents written before the expiry notice existed lack its field
  return { ...doc.state, expiryNoticeAt: doc.state.expiryNoticeAt ?? null, minutesByAuthorization: decodeKeys(doc.state.minutesByAuthorization), deductions };
}

/** A policy as the projection folds it: the domain state, its deductions in order, the last event. */
export interface PolicyWorking {
  state: PolicyState;
  /** every deduction, oldest first */
  deductions: MinutesDeductedData[];
  version: number;
  position: number;
  updatedAt: string;
}

/** Folds one stored policy event into a folded policy; mutates and returns `working` when given. */
export function foldPolicyEvent(working: PolicyWorking | null, event: LeanStoredEvent): PolicyWorking {
  const state = evolvePolicy(working ? working.state : initialPolicyState(), domainEvent<PolicyEvent>(event));
  const deductions = working ? working.deductions : [];
  if (event.type === 'MinutesDeducted') {
    const entry = state.deductions[(event.data as MinutesDeductedData).entryId];
    const at = deductions.findIndex((d) => d.entryId === entry.entryId);
    if (at >= 0) deductions[at] = entry;
    else deductions.push(entry);
  }
  const version = Number(event.version);
  const position = Number(event.position);
  const updatedAt = occurredAt(event);
  if (!working) return { state, deductions, version, position, updatedAt };
  working.state = state;
  working.version = version;
  working.position = position;
  working.updatedAt = updatedAt;
  return working;
}

/** the policy document of a folded policy (built once per flush, not per event) */
export function policyDocOf(working: PolicyWorking, policyId: string): PolicyDoc {
  const next = working.state;
  const { deductions: _omit, ...folded } = next;
  // keyed by ticket NUL authorization: escaped for MongoDB field names
  const state = { ...folded, minutesByAuthorization: encodeKeys(folded.minutesByAuthorization) };
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
    // a copy: the working list grows in place
    deductions: working.deductions.slice(),
    state,
    version: working.version,
    lastPosition: working.position,
    updatedAt: working.updatedAt,
  };
}

export const policyWorkingForm: WorkingForm<PolicyWorking, PolicyDoc> = {
  fromDoc: (doc) => ({
    state: policyStateOf(doc),
    deductions: doc.deductions.slice(),
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
