/**
 * The policies projection's fold as it was until 2026-12, kept as bench:projections' baseline
 * for the policy share (measured in the same process as today's fold): the policy state held
 * its deductions and the minutes per authorization in records that evolvePolicy copied on
 * every MinutesDeducted, and the working form looked each deduction up in its ordered list
 * (O(N^2) in deductions per policy). Not used by the product.
 */
import type { MinutesDeductedData, PolicyRegisteredData } from '../libs/domain/src';
import type { LeanStoredEvent } from '../libs/event-store/src';
import { occurredAt } from '../libs/projections/src/views/common';

type FormerPolicyState = {
  policy: PolicyRegisteredData | null;
  minutesUsed: number;
  facilityMinutesUsed: number;
  onSiteMinutesUsed: number;
  deductions: Record<string, MinutesDeductedData>;
  minutesByAuthorization: Record<string, number>;
  exhaustedAt: string | null;
  expiredAt: string | null;
};

export interface FormerPolicyWorking {
  state: FormerPolicyState;
  deductions: MinutesDeductedData[];
  version: number;
  position: number;
  updatedAt: string;
}

const initial = (): FormerPolicyState => ({
  policy: null,
  minutesUsed: 0,
  facilityMinutesUsed: 0,
  onSiteMinutesUsed: 0,
  deductions: {},
  minutesByAuthorization: {},
  exhaustedAt: null,
  expiredAt: null,
});

const copy = (s: FormerPolicyState): FormerPolicyState => ({
  policy: s.policy,
  minutesUsed: s.minutesUsed,
  facilityMinutesUsed: s.facilityMinutesUsed,
  onSiteMinutesUsed: s.onSiteMinutesUsed,
  deductions: s.deductions,
  minutesByAuthorization: s.minutesByAuthorization,
  exhaustedAt: s.exhaustedAt,
  expiredAt: s.expiredAt,
});

function formerEvolve(state: FormerPolicyState, type: string, data: Record<string, unknown>): FormerPolicyState {
  switch (type) {
    case 'PolicyRegistered': {
      const next = copy(state);
      next.policy = data as unknown as PolicyRegisteredData;
      return next;
    }
    case 'MinutesDeducted': {
      const d = data as unknown as MinutesDeductedData;
      const key = `${d.ticketId}\u0000${d.authorizationId}`;
      const next = copy(state);
      next.minutesUsed = state.minutesUsed + d.minutes;
      next.facilityMinutesUsed = state.facilityMinutesUsed + (d.kind === 'facility' ? d.minutes : 0);
      next.onSiteMinutesUsed = state.onSiteMinutesUsed + (d.kind === 'on-site' ? d.minutes : 0);
      next.deductions = { ...state.deductions, [d.entryId]: d };
      next.minutesByAuthorization = { ...state.minutesByAuthorization, [key]: (state.minutesByAuthorization[key] ?? 0) + d.minutes };
      return next;
    }
    case 'PolicyExhausted': {
      const next = copy(state);
      next.exhaustedAt = data.exhaustedAt as string;
      return next;
    }
    case 'PolicyExpired': {
      const next = copy(state);
      next.expiredAt = data.expiredAt as string;
      return next;
    }
    default:
      return state;
  }
}

/** the former foldPolicyEvent (policies.view.ts before 2026-12) */
export function formerFoldPolicyEvent(working: FormerPolicyWorking | null, event: LeanStoredEvent): FormerPolicyWorking {
  const state = formerEvolve(working ? working.state : initial(), event.type, event.data);
  const deductions = working ? working.deductions : [];
  if (event.type === 'MinutesDeducted') {
    const entry = state.deductions[(event.data as unknown as MinutesDeductedData).entryId];
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

/** what the former policyDocOf copied per document: the list and the state with its per-authorization record */
export function formerPolicyDoc(working: FormerPolicyWorking): { deductions: MinutesDeductedData[]; state: Omit<FormerPolicyState, 'deductions'> } {
  const { deductions: _omit, ...folded } = working.state;
  return { deductions: working.deductions.slice(), state: { ...folded, minutesByAuthorization: { ...folded.minutesByAuthorization } } };
}
