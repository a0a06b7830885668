/**
 * Policy balances: status computed from the clock at `now` with the domain's policyStatusAt.
 */
import { isSuspendedAt, policyStatusAt } from '@helpdesk/domain';
import type { PolicyPlan, PolicyStatus, WorkKind } from '@helpdesk/domain';
import type { ReadStore } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { CustomerDoc, CustomerFields } from '../views/customers.view';
import { PolicyDoc, policyStateOf } from '../views/policies.view';
import { instantParam } from './common';

export interface PolicyDeductionView {
  entryId: string;
  ticketId: string;
  authorizationId: string;
  minutes: number;
  workedOn: string;
  engineerId: string;
  description: string;
  kind: WorkKind;
  deductedAt: string;
  deductedBy: string;
  /** balance after this deduction */
  minutesRemaining: number;
}

export interface PolicyView {
  policyId: string;
  customerId: string;
  plan: PolicyPlan;
  number: string;
  status: PolicyStatus;
  minutesPurchased: number;
  minutesUsed: number;
  minutesRemaining: number;
  facilityMinutes: number;
  facilityMinutesUsed: number;
  onSiteMinutes: number;
  onSiteMinutesUsed: number;
  products: string[];
  validFrom: string;
  validUntil: string;
  timeZone: string;
  registeredAt: string;
  exhaustedAt: string | null;
  expiredAt: string | null;
  deductions: PolicyDeductionView[];
  version: number;
}

export function policyViewOf(doc: PolicyDoc, nowIso: string): PolicyView | null {
  const state = policyStateOf(doc);
  const p = state.policy;
  if (!p) return null;
  return {
    policyId: doc.policyId,
    customerId: p.customerId,
    plan: p.plan,
    number: p.policyNumber,
    status: policyStatusAt(state, instantParam('now', nowIso)),
    minutesPurchased: doc.minutesPurchased,
    minutesUsed: doc.minutesUsed,
    minutesRemaining: doc.minutesRemaining,
    facilityMinutes: doc.facilityMinutes,
    facilityMinutesUsed: doc.facilityMinutesUsed,
    onSiteMinutes: doc.onSiteMinutes,
    onSiteMinutesUsed: doc.onSiteMinutesUsed,
    products: doc.products,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    timeZone: p.timeZone,
    registeredAt: doc.registeredAt as string,
    exhaustedAt: doc.exhaustedAt,
    expiredAt: doc.expiredAt,
    deductions: doc.deductions.map((d) => ({
      entryId: d.entryId,
      ticketId: d.ticketId,
      authorizationId: d.authorizationId,
      minutes: d.minutes,
      workedOn: d.workedOn,
      engineerId: d.engineerId,
      description: d.description,
      kind: d.kind,
      deductedAt: new Date(d.deductedAt).toISOString(),
      deductedBy: d.deductedBy,
      minutesRemaining: d.minutesRemaining,
    })),
    version: doc.version,
  };
}

export async function getPolicy(store: ReadStore, policyId: string, nowIso: string): Promise<PolicyView | null> {
  const doc = await store.get<PolicyDoc>(COLLECTIONS.policies, policyId);
  return doc ? policyViewOf(doc, nowIso) : null;
}

/** the customer's policies, newest validity first */
export async function customerPolicies(store: ReadStore, customerId: string, nowIso: string): Promise<PolicyView[]> {
  const docs = await store.find<PolicyDoc>(COLLECTIONS.policies, { filter: { customerId }, sort: [['validFrom', -1]] });
  return docs.map((d) => policyViewOf(d, nowIso)).filter((v): v is PolicyView => v !== null);
}

export interface CustomerView extends CustomerFields {
  _id: string;
  /** the suspension is in force at `now` */
  suspended: boolean;
}

export async function getCustomer(store: ReadStore, customerId: string, nowIso: string): Promise<CustomerView | null> {
  const doc = await store.get<CustomerDoc>(COLLECTIONS.customers, customerId);
  if (!doc) return null;
  const { state, _pos, ...view } = doc;
  return { ...(view as CustomerFields & { _id: string }), suspended: isSuspendedAt(state, instantParam('now', nowIso)) };
}
