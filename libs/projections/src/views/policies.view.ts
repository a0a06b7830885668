/**
 * `policies` read model: one document per policy = the policy state folded with the
 * domain's `evolvePolicy`, plus the balance figures and the deductions in the order they
 * were made. The deductions are stored once, as the ordered list; the state's
 * `deductions` record is rebuilt from that list before each fold.
 */
import { evolvePolicy, initialPolicyState, minutesRemaining } from '@helpdesk/domain';
import type { MinutesDeductedData, PolicyEvent, PolicyPlan, PolicyState } from '@helpdesk/domain';
import type { StoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { COLLECTIONS, decodeKeys, domainEvent, encodeKeys, occurredAt, streamEntityId } from './common';

export const POLICY_EVENT_TYPES = ['PolicyRegistered', 'MinutesDeducted', 'PolicyExhausted', 'PolicyExpired'] as const;

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
  return { ...doc.state, minutesByAuthorization: decodeKeys(doc.state.minutesByAuthorization), deductions };
}

export function applyPolicyEvent(doc: PolicyDoc | null, event: StoredEvent): PolicyDoc {
  const policyId = (event.data.policyId as string | undefined) ?? streamEntityId(event, 'policy-');
  const before: PolicyState = doc ? policyStateOf(doc) : initialPolicyState();
  const next = evolvePolicy(before, domainEvent<PolicyEvent>(event));
  let list = doc?.deductions ?? [];
  if (event.type === 'MinutesDeducted') {
    const entry = next.deductions[(event.data as MinutesDeductedData).entryId];
    const at = list.findIndex((d) => d.entryId === entry.entryId);
    list = at >= 0 ? list.map((d, i) => (i === at ? entry : d)) : [...list, entry];
  }
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
    deductions: list,
    state,
    version: Number(event.version),
    lastPosition: Number(event.position),
    updatedAt: occurredAt(event),
  };
}

export const policiesProjection: Projection = {
  name: 'policies',
  collections: [{ name: COLLECTIONS.policies, indexes: [{ fields: [['customerId', 1], ['validFrom', -1]] }] }],
  handles: new Set<string>(POLICY_EVENT_TYPES),
  async apply(event, ctx) {
    if (!event.streamId.startsWith('policy-')) return;
    const policyId = (event.data.policyId as string | undefined) ?? streamEntityId(event, 'policy-');
    await ctx.update<PolicyDoc>(COLLECTIONS.policies, policyId, (doc) => applyPolicyEvent(doc, event));
  },
};
