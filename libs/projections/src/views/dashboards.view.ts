/**
 * Read models of the supervisor dashboard (projection `dashboards`, one checkpoint for all its
 * collections, so a chart's counts and the documents behind them move together):
 *
 * - `dash_tickets`: per ticket, what the dashboard needs of it (customer, subject, assignee,
 *   open or closed, the current response target's classification and zone) and, once decided,
 *   the outcome of each response cycle and each escalation, as recorded then;
 * - `dash_response_outcomes`: one document per response cycle whose target was met or missed:
 *   decided by the first of ResponseRecorded (met or missed, as the event says) and
 *   SlaBreachRecorded (missed); its month is the decision instant's month in the target's own
 *   recorded zone, its classification the target's recorded classification;
 * - `dash_response_months`: per month, met and missed counts by classification;
 * - `dash_escalations`: one document per TicketEscalated (level reached, automatic or not);
 * - `dash_escalation_months`: per month, escalations by level;
 * - `dash_agents`: per agent, the open tickets assigned to them (which agents have work; the
 *   SLA split of that work depends on the clock and is computed at query time from the
 *   tickets view, see queries/dashboards.ts).
 *
 * Every fact comes from the events (targets, zones, classifications, met or missed as
 * recorded): nothing is recomputed with today's preset.
 *
 * Idempotent under replay, also when a crash lands only part of a batch (MongoDB writes
 * documents first and the checkpoint last): the decision of an outcome or an escalation is
 * recorded once in `dash_tickets` with the position of the event that made it, and the
 * counters (each guarded by its own position) count an event only when that record names it;
 * workload membership is set, never incremented, from the ticket's state to every agent that
 * ever held the ticket.
 */
import type {
  ResponseRecordedData,
  SlaBreachRecordedData,
  SlaTargetData,
  TicketAssignedData,
  TicketEscalatedData,
  TicketOpenedData,
  TicketReopenedData,
} from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { streamEntityId, utcIso } from './common';
import { monthOf } from './months';

export const DASHBOARD_COLLECTIONS = {
  tickets: 'dash_tickets',
  outcomes: 'dash_response_outcomes',
  outcomeMonths: 'dash_response_months',
  escalations: 'dash_escalations',
  escalationMonths: 'dash_escalation_months',
  agents: 'dash_agents',
} as const;

export const DASHBOARD_EVENT_TYPES = [
  'TicketOpened',
  'TicketClassified',
  'TicketAssigned',
  'ResponseRecorded',
  'SlaBreachRecorded',
  'TicketEscalated',
  'TicketClosed',
  'TicketReopened',
] as const;

export type ResponseOutcome = 'met' | 'missed';

/** the outcome of one response cycle as decided */
export interface ResponseOutcomeRecord {
  /** global position of the event that decided it */
  position: number;
  cycle: number;
  targetId: string;
  /** the target's classification as recorded: 'low' | 'medium' | 'high' or '1'..'4' */
  classification: string;
  /** YYYY-MM of decidedAt in the target's zone */
  month: string;
  zone: string;
  outcome: ResponseOutcome;
  /** 'response': the first response was recorded (met or late); 'breach': the breach was recorded first */
  decidedBy: 'response' | 'breach';
  decidedAt: string;
  dueAt: string | null;
  respondedAt: string | null;
  targetMinutes: number;
}

export interface EscalationRecordFields {
  position: number;
  /** ticket stream version of the TicketEscalated */
  version: number;
  fromLevel: number;
  level: number;
  levelName: string;
  automatic: boolean;
  requestedBy: string;
  requestedByRole: string;
  escalatedAt: string;
  month: string;
}

export interface DashTicketDoc extends Doc {
  ticketId: string;
  customerId: string | null;
  subject: string | null;
  /** awaiting-customer counts as open */
  status: 'open' | 'closed';
  assigneeId: string | null;
  /** every agent ever assigned (their workload documents are kept in step with this ticket) */
  assignees: string[];
  target: { cycle: number; targetId: string; classification: string; zone: string } | null;
  /** by cycle (as a string key) */
  outcomes: Record<string, ResponseOutcomeRecord>;
  /** by ticket stream version (as a string key) */
  escalations: Record<string, EscalationRecordFields>;
}

export interface ResponseOutcomeDoc extends Doc, Omit<ResponseOutcomeRecord, 'position' | 'zone'> {
  ticketId: string;
  customerId: string | null;
  subject: string | null;
  position: number;
}

export interface OutcomeCounts {
  met: number;
  missed: number;
}

export interface ResponseMonthDoc extends Doc {
  month: string;
  /** by classification */
  counts: Record<string, OutcomeCounts>;
}

export interface EscalationDoc extends Doc, EscalationRecordFields {
  ticketId: string;
  customerId: string | null;
  subject: string | null;
}

export interface EscalationMonthDoc extends Doc {
  month: string;
  /** by level reached (as a string key) */
  levels: Record<string, { count: number; automatic: number; levelName: string }>;
}

export interface AgentWorkloadDoc extends Doc {
  agentId: string;
  /** open tickets assigned to the agent, sorted */
  openTicketIds: string[];
  open: number;
}

export const outcomeDocId = (ticketId: string, cycle: number) => `${ticketId}#${cycle}`;
export const escalationDocId = (ticketId: string, version: number) => `${ticketId}@${version}`;

const targetOf = (t: SlaTargetData): DashTicketDoc['target'] => ({
  cycle: t.cycle,
  targetId: t.targetId,
  classification: String(t.classification),
  zone: t.zone,
});

const FALLBACK_ZONE = 'UTC';

function emptyTicket(ticketId: string): DashTicketDoc {
  return { _id: ticketId, ticketId, customerId: null, subject: null, status: 'open', assigneeId: null, assignees: [], target: null, outcomes: {}, escalations: {} };
}

/** a copy to change (the store may still hold the previous object) */
const copyTicket = (t: DashTicketDoc): DashTicketDoc => ({
  _id: t._id,
  ticketId: t.ticketId,
  customerId: t.customerId,
  subject: t.subject,
  status: t.status,
  assigneeId: t.assigneeId,
  assignees: t.assignees,
  target: t.target,
  outcomes: t.outcomes,
  escalations: t.escalations,
});

function decide(
  t: DashTicketDoc,
  position: number,
  d: { cycle: number; targetId: string; dueAt: string | null; targetMinutes: number },
  outcome: ResponseOutcome,
  decidedBy: ResponseOutcomeRecord['decidedBy'],
  at: string,
  respondedAt: string | null,
): void {
  const key = String(d.cycle);
  if (t.outcomes[key]) return; // the first recorded fact decides the cycle
  const zone = t.target?.zone ?? FALLBACK_ZONE;
  t.outcomes = {
    ...t.outcomes,
    [key]: {
      position,
      cycle: d.cycle,
      targetId: d.targetId,
      classification: t.target?.classification ?? 'unclassified',
      month: monthOf(at, zone),
      zone,
      outcome,
      decidedBy,
      decidedAt: utcIso(at),
      dueAt: utcIso(d.dueAt),
      respondedAt: utcIso(respondedAt),
      targetMinutes: d.targetMinutes,
    },
  };
}

/** Folds one ticket event into the ticket's dashboard record (pure: returns a new document). */
export function foldDashTicket(doc: DashTicketDoc | null, event: LeanStoredEvent): DashTicketDoc {
  const ticketId = ticketIdOf(event);
  const t = doc ? copyTicket(doc) : emptyTicket(ticketId);
  const position = Number(event.position);
  switch (event.type) {
    case 'TicketOpened': {
      const d = event.data as unknown as TicketOpenedData;
      t.customerId = d.customerId;
      t.subject = d.subject;
      t.status = 'open';
      t.target = targetOf(d.sla);
      break;
    }
    case 'TicketClassified': {
      const sla = (event.data as { sla?: SlaTargetData | null }).sla;
      if (sla) t.target = targetOf(sla);
      break;
    }
    case 'TicketAssigned': {
      const d = event.data as unknown as TicketAssignedData;
      t.assigneeId = d.assigneeId;
      if (!t.assignees.includes(d.assigneeId)) t.assignees = [...t.assignees, d.assigneeId].sort();
      break;
    }
    case 'ResponseRecorded': {
      const d = event.data as unknown as ResponseRecordedData;
      decide(t, position, d, d.met ? 'met' : 'missed', 'response', d.respondedAt, d.respondedAt);
      break;
    }
    case 'SlaBreachRecorded': {
      const d = event.data as unknown as SlaBreachRecordedData;
      decide(t, position, d, 'missed', 'breach', d.recordedAt, null);
      break;
    }
    case 'TicketEscalated': {
      const d = event.data as unknown as TicketEscalatedData;
      if (d.sla) t.target = targetOf(d.sla);
      const key = String(event.version);
      if (!t.escalations[key]) {
        t.escalations = {
          ...t.escalations,
          [key]: {
            position,
            version: Number(event.version),
            fromLevel: d.fromLevel,
            level: d.level,
            levelName: d.levelName,
            automatic: d.automatic,
            requestedBy: d.requestedBy,
            requestedByRole: d.requestedByRole,
            escalatedAt: utcIso(d.escalatedAt),
            month: monthOf(d.escalatedAt, t.target?.zone ?? FALLBACK_ZONE),
          },
        };
      }
      break;
    }
    case 'TicketClosed':
      t.status = 'closed';
      break;
    case 'TicketReopened': {
      const d = event.data as unknown as TicketReopenedData;
      t.status = 'open';
      t.target = targetOf(d.sla);
      break;
    }
  }
  return t;
}

const ticketIdOf = (event: LeanStoredEvent): string => (event.data.ticketId as string | undefined) ?? streamEntityId(event, 'ticket-');

function addOutcome(doc: ResponseMonthDoc | null, o: ResponseOutcomeRecord): ResponseMonthDoc {
  const counts = { ...(doc?.counts ?? {}) };
  const c = counts[o.classification] ?? { met: 0, missed: 0 };
  counts[o.classification] = { met: c.met + (o.outcome === 'met' ? 1 : 0), missed: c.missed + (o.outcome === 'missed' ? 1 : 0) };
  return { _id: o.month, month: o.month, counts };
}

function addEscalation(doc: EscalationMonthDoc | null, e: EscalationRecordFields): EscalationMonthDoc {
  const levels = { ...(doc?.levels ?? {}) };
  const key = String(e.level);
  const l = levels[key] ?? { count: 0, automatic: 0, levelName: e.levelName };
  levels[key] = { count: l.count + 1, automatic: l.automatic + (e.automatic ? 1 : 0), levelName: e.levelName };
  return { _id: e.month, month: e.month, levels };
}

function setMembership(doc: AgentWorkloadDoc | null, agentId: string, ticketId: string, member: boolean): AgentWorkloadDoc {
  const ids = doc?.openTicketIds ?? [];
  const has = ids.includes(ticketId);
  const openTicketIds = member === has ? ids : member ? [...ids, ticketId].sort() : ids.filter((id) => id !== ticketId);
  return { _id: agentId, agentId, openTicketIds, open: openTicketIds.length };
}

const MEMBERSHIP_EVENTS: ReadonlySet<string> = new Set(['TicketAssigned', 'TicketClosed', 'TicketReopened']);

export const dashboardsProjection: Projection = {
  name: 'dashboards',
  collections: [
    { name: DASHBOARD_COLLECTIONS.tickets, indexes: [] },
    {
      name: DASHBOARD_COLLECTIONS.outcomes,
      indexes: [
        { fields: [['month', 1], ['decidedAt', 1]] },
        { fields: [['month', 1], ['outcome', 1], ['decidedAt', 1]] },
        { fields: [['month', 1], ['classification', 1], ['outcome', 1], ['decidedAt', 1]] },
      ],
    },
    { name: DASHBOARD_COLLECTIONS.outcomeMonths, indexes: [] },
    { name: DASHBOARD_COLLECTIONS.escalations, indexes: [{ fields: [['month', 1], ['level', 1], ['escalatedAt', 1]] }] },
    { name: DASHBOARD_COLLECTIONS.escalationMonths, indexes: [] },
    { name: DASHBOARD_COLLECTIONS.agents, indexes: [] },
  ],
  handles: new Set<string>(DASHBOARD_EVENT_TYPES),
  async apply(event, ctx) {
    if (!event.streamId.startsWith('ticket-')) return;
    const ticketId = ticketIdOf(event);
    const position = Number(event.position);
    await ctx.update<DashTicketDoc>(DASHBOARD_COLLECTIONS.tickets, ticketId, (doc) => foldDashTicket(doc, event));
    // the record as it stands (it may already be ahead of this event after a partial write)
    const t = await ctx.get<DashTicketDoc>(DASHBOARD_COLLECTIONS.tickets, ticketId);
    if (!t) return;
    switch (event.type) {
      case 'ResponseRecorded':
      case 'SlaBreachRecorded': {
        const cycle = (event.data as { cycle: number }).cycle;
        const o = t.outcomes[String(cycle)];
        if (!o || o.position !== position) return; // decided by an earlier fact
        await ctx.update<ResponseOutcomeDoc>(DASHBOARD_COLLECTIONS.outcomes, outcomeDocId(ticketId, cycle), () => {
          const { position: _p, zone: _z, ...fields } = o;
          return { _id: outcomeDocId(ticketId, cycle), ticketId, customerId: t.customerId, subject: t.subject, ...fields, position };
        });
        await ctx.update<ResponseMonthDoc>(DASHBOARD_COLLECTIONS.outcomeMonths, o.month, (doc) => addOutcome(doc, o));
        return;
      }
      case 'TicketEscalated': {
        const e = t.escalations[String(event.version)];
        if (!e || e.position !== position) return;
        const id = escalationDocId(ticketId, e.version);
        await ctx.update<EscalationDoc>(DASHBOARD_COLLECTIONS.escalations, id, () => ({ _id: id, ticketId, customerId: t.customerId, subject: t.subject, ...e }));
        await ctx.update<EscalationMonthDoc>(DASHBOARD_COLLECTIONS.escalationMonths, e.month, (doc) => addEscalation(doc, e));
        return;
      }
    }
    if (MEMBERSHIP_EVENTS.has(event.type)) {
      for (const agentId of t.assignees) {
        const member = t.status === 'open' && t.assigneeId === agentId;
        await ctx.update<AgentWorkloadDoc>(DASHBOARD_COLLECTIONS.agents, agentId, (doc) => setMembership(doc, agentId, ticketId, member));
      }
    }
  },
};
