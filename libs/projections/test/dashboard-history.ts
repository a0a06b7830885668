/**
 * Histories for the dashboard tests, decided by the domain: tickets opened over three months,
 * assigned and reassigned, answered in time or late, breached (recorded by the scheduler,
 * which escalates automatically under intecnia), escalated by hand, closed and reopened.
 * And an oracle that recomputes the dashboard figures from the events alone, independently
 * of the read models (luxon for months, the domain fold for the state at each moment).
 */
import { DateTime } from 'luxon';
import { createTicketRules, fold, loadPreset, ticketDecider, type TicketRules, type TicketState } from '@helpdesk/domain';
import type { StoredEvent } from '@helpdesk/event-store';
import { prng } from '../../../test/support/prng';
import { EventLog, admin, agent, system } from './support';

const AGENTS = ['ana', 'beto', 'carla', 'dario', 'elena'];

export const stateOf = (log: EventLog, ticketId: string): TicketState =>
  fold(ticketDecider.evolve, ticketDecider.initialState(), log.stream(`ticket-${ticketId}`) as never[]);

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/**
 * `count` tickets opened between 2026-02-02 and 2026-04-24 (UTC), each walked through a
 * random life; events are appended in global time order (one ticket's life at a time is fine
 * for the views: every fact carries its own instants).
 */
export function buildDashboardHistory(seed: number, count = 120, rules: TicketRules = createTicketRules(loadPreset('intecnia'))): EventLog {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const log = new EventLog(rules);
  const severity = rules.preset.scheme === 'severity';
  const values: ReadonlyArray<string | number> = severity ? [1, 2, 3, 4] : ['low', 'medium', 'high'];
  log.customer('acme', { type: 'RegisterCustomer', customerId: 'acme', name: 'Acme' }, admin('2026-02-01T12:00:00.000Z'));
  log.customer('globex', { type: 'RegisterCustomer', customerId: 'globex', name: 'Globex', supportLevel: 3 } as never, admin('2026-02-01T12:00:00.000Z'));
  for (let i = 0; i < count; i++) {
    const id = `d-${String(i).padStart(3, '0')}`;
    const customerId = random() < 0.7 ? 'acme' : 'globex';
    const opened = new Date(Date.parse('2026-02-02T14:00:00.000Z') + Math.floor(random() * 81 * 24 * 60) * 60_000).toISOString();
    let now = opened;
    const step = (min: number, max: number) => (now = plus(now, min + Math.floor(random() * (max - min))));
    log.ticket(
      id,
      {
        type: 'OpenTicket',
        ticketId: id,
        customerId,
        department: 'support',
        subject: `Asunto ${i}`,
        description: 'Descripción',
        reportedPriority: pick(values),
        facts: { customer: { exists: true, supportLevel: customerId === 'globex' ? 3 : null } },
      } as never,
      agent(now),
    );
    if (random() < 0.85) log.ticket(id, { type: 'AssignTicket', assigneeId: pick(AGENTS) } as never, agent(step(1, 30)));
    if (random() < 0.3) log.ticket(id, { type: 'ClassifySeverity', ...(severity ? { severity: pick(values) } : { priority: pick(values) }) } as never, agent(step(1, 30)));
    for (let cycle = 0; cycle < 2; cycle++) {
      const s = stateOf(log, id);
      const due = s.sla?.dueAt ?? null;
      const fate = random();
      if (fate < 0.35) {
        // answered in time (before the due instant when there is one)
        const at = due && Date.parse(due) > Date.parse(now) + 60_000 ? plus(now, Math.floor(((Date.parse(due) - Date.parse(now)) / 60_000) * random())) : step(1, 60);
        now = at;
        log.ticket(id, { type: 'PostMessage', messageId: `${id}-m${cycle}`, body: 'Respuesta', visibility: 'public' } as never, agent(now));
      } else if (fate < 0.6 && due) {
        // the scheduler records the breach, maybe answered late afterwards
        now = plus(due, 1 + Math.floor(random() * 90));
        log.ticket(id, { type: 'RecordSlaBreach', targetId: s.sla!.targetId } as never, system(now));
        if (random() < 0.6) log.ticket(id, { type: 'PostMessage', messageId: `${id}-m${cycle}`, body: 'Tarde', visibility: 'public' } as never, agent(step(5, 600)));
      } else if (fate < 0.75 && due) {
        // answered late before the scheduler noticed
        now = plus(due, 1);
        log.ticket(id, { type: 'PostMessage', messageId: `${id}-m${cycle}`, body: 'Justo tarde', visibility: 'public' } as never, agent(now));
      } else if (fate < 0.85) {
        log.ticket(id, { type: 'RequestCustomerInfo', question: '¿Versión?' } as never, agent(step(5, 120)));
      }
      if (random() < 0.25) {
        const st = stateOf(log, id);
        if (st.status !== 'closed' && st.escalationLevel < rules.preset.escalation.levels.length) {
          log.ticket(id, { type: 'Escalate', reason: 'el cliente insiste' } as never, agent(step(5, 200)));
        }
      }
      if (random() < 0.3) log.ticket(id, { type: 'AssignTicket', assigneeId: pick(AGENTS) } as never, agent(step(5, 200)));
      if (random() < 0.5) {
        log.ticket(id, { type: 'CloseTicket', reason: 'resolved', resolution: 'Resuelto' } as never, agent(step(30, 3000)));
        if (cycle === 0 && random() < 0.4) {
          log.ticket(id, { type: 'ReopenTicket', reason: 'volvió a fallar' } as never, agent(step(60, 5000)));
          continue;
        }
      }
      break;
    }
  }
  return log;
}

export interface OracleOutcome {
  ticketId: string;
  cycle: number;
  classification: string;
  month: string;
  outcome: 'met' | 'missed';
}

export interface OracleEscalation {
  ticketId: string;
  level: number;
  automatic: boolean;
  month: string;
}

/** the dashboard's monthly facts recomputed from the events alone */
export function oracle(events: StoredEvent[]): { outcomes: OracleOutcome[]; escalations: OracleEscalation[] } {
  const states = new Map<string, TicketState>();
  const decided = new Set<string>();
  const outcomes: OracleOutcome[] = [];
  const escalations: OracleEscalation[] = [];
  const monthIn = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM');
  for (const e of events) {
    if (!e.streamId.startsWith('ticket-')) continue;
    const id = e.streamId.slice('ticket-'.length);
    const before = states.get(id) ?? ticketDecider.initialState();
    const d = e.data as Record<string, any>;
    if (e.type === 'ResponseRecorded' || e.type === 'SlaBreachRecorded') {
      const key = `${id}#${d.cycle}`;
      if (!decided.has(key)) {
        decided.add(key);
        const at = e.type === 'ResponseRecorded' ? d.respondedAt : d.recordedAt;
        outcomes.push({
          ticketId: id,
          cycle: d.cycle,
          classification: String(before.sla!.classification),
          month: monthIn(at, before.sla!.zone),
          outcome: e.type === 'ResponseRecorded' && d.met ? 'met' : 'missed',
        });
      }
    }
    const after = ticketDecider.evolve(before, { type: e.type, data: e.data } as never);
    if (e.type === 'TicketEscalated') {
      escalations.push({ ticketId: id, level: d.level, automatic: d.automatic, month: monthIn(d.escalatedAt, after.sla!.zone) });
    }
    states.set(id, after);
  }
  return { outcomes, escalations };
}

/** the open tickets' SLA states at `now` by the dashboard's definitions, from the domain fold */
export function oracleStates(events: StoredEvent[], now: string, withinMinutes: number, rules: TicketRules): Map<string, { state: string; assigneeId: string | null }> {
  const states = new Map<string, TicketState>();
  for (const e of events) {
    if (!e.streamId.startsWith('ticket-')) continue;
    const id = e.streamId.slice('ticket-'.length);
    states.set(id, ticketDecider.evolve(states.get(id) ?? ticketDecider.initialState(), { type: e.type, data: e.data } as never));
  }
  const out = new Map<string, { state: string; assigneeId: string | null }>();
  const nowMs = Date.parse(now);
  for (const [id, s] of states) {
    if (s.status === null || s.status === 'closed' || !s.sla) continue;
    let state: string;
    if (s.status === 'awaiting-customer') state = 'paused';
    else if (s.sla.respondedAt !== null) state = 'responded';
    else if (s.sla.dueAt === null || Date.parse(s.sla.dueAt) < nowMs) state = 'breached';
    else if (Date.parse(s.sla.dueAt) <= rules.calendar(s.sla.calendarId).addBusinessMinutes(nowMs, withinMinutes)) state = 'at-risk';
    else state = 'on-track';
    out.set(id, { state, assigneeId: s.assigneeId });
  }
  return out;
}
