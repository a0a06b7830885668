import { ticketDecider } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, customer, history, impera, intecnia, opened, scheduler, stateOf, supervisor } from './fixtures';

const spec = deciderSpecification(ticketDecider);
const mon9 = at('2026-03-02T09:00');

describe('Escalate', () => {
  it('goes up one level and records who asked, why and the level reached', () => {
    const now = at('2026-03-02T12:00');
    spec
      .given(opened(intecnia, mon9, { reportedPriority: 3 }))
      .when({ type: 'Escalate', ticketId: 't-1', reason: 'Sin avance', rules: intecnia }, customer(now))
      .then([
        {
          type: 'TicketEscalated',
          data: {
            ticketId: 't-1',
            fromLevel: 1,
            level: 2,
            levelName: 'quality lead',
            requestedBy: 'carla',
            requestedByRole: 'customer',
            reason: 'Sin avance',
            automatic: false,
            priorityChange: null,
            escalatedAt: now,
            sla: null,
          },
        },
      ]);
  });

  it('a priority raise sets a new target keeping the business time already elapsed', () => {
    // severity 4 (24 h) opened Mon 09:00; at 12:00 raised to severity 1 (8 h): 300 min remain -> Mon 12-14, 16-19 -> Mon 19:00
    const now = at('2026-03-02T12:00');
    const events = spec
      .given(opened(intecnia, mon9, { reportedPriority: 4 }))
      .when({ type: 'Escalate', ticketId: 't-1', reason: 'Se cayó la red', raisePriorityTo: 1, rules: intecnia }, customer(now))
      .then(([e]) => {
        expect(e.data).toMatchObject({ level: 2, priorityChange: { from: 4, to: 1 } });
        expect((e.data as { sla: unknown }).sla).toMatchObject({
          targetId: '1.1',
          reason: 'escalated',
          classification: 1,
          targetMinutes: 480,
          elapsedBusinessMinutes: 180,
          dueAt: at('2026-03-02T19:00'),
          warningAt: at('2026-03-02T17:00'),
        });
      });
    const state = stateOf([...opened(intecnia, mon9, { reportedPriority: 4 }), ...events]);
    expect(state).toMatchObject({ severity: 1, escalationLevel: 2 });
    expect(state.escalations).toHaveLength(1);
    expect(state.sla?.dueAt).toBe(at('2026-03-02T19:00'));
  });

  it('422 escalation-limit beyond the last level of the preset', () => {
    const given = history(
      opened(intecnia, mon9),
      [{ type: 'Escalate', ticketId: 't-1', reason: 'a', rules: intecnia }, agent(at('2026-03-02T10:00'))],
      [{ type: 'Escalate', ticketId: 't-1', reason: 'b', rules: intecnia }, supervisor(at('2026-03-02T11:00'))],
    );
    expect(stateOf(given).escalationLevel).toBe(3);
    spec.given(given).when({ type: 'Escalate', ticketId: 't-1', reason: 'c', rules: intecnia }, customer(at('2026-03-02T12:00'))).thenThrows('escalation-limit', { maxLevel: 3 });
    // impera has two levels
    const imp = history(opened(impera, mon9), [{ type: 'Escalate', ticketId: 't-1', reason: 'a', rules: impera }, agent(at('2026-03-02T10:00'))]);
    spec.given(imp).when({ type: 'Escalate', ticketId: 't-1', reason: 'b', rules: impera }, agent(at('2026-03-02T11:00'))).thenThrows('escalation-limit');
  });

  it('422 not-more-urgent for a raise that is not more urgent; 400 for one of the other scheme, or no reason', () => {
    const given = opened(impera, mon9, { reportedPriority: 'high' });
    spec.given(given).when({ type: 'Escalate', ticketId: 't-1', reason: 'x', raisePriorityTo: 'medium', rules: impera }, agent(mon9)).thenThrows('not-more-urgent', { errors: [{ path: 'raisePriorityTo' }] });
    spec.given(given).when({ type: 'Escalate', ticketId: 't-1', reason: 'x', raisePriorityTo: 1, rules: impera }, agent(mon9)).thenThrows('invalid-request');
    spec.given(given).when({ type: 'Escalate', ticketId: 't-1', reason: '', rules: impera }, agent(mon9)).thenThrows('invalid-request');
  });

  it('404 for another customer or an unknown ticket', () => {
    spec.given(opened(impera, mon9)).when({ type: 'Escalate', ticketId: 't-1', reason: 'x', rules: impera }, customer(mon9, 'globex')).thenThrows('not-found');
    spec.given([]).when({ type: 'Escalate', ticketId: 't-1', reason: 'x', rules: impera }, agent(mon9)).thenThrows('not-found');
  });
});

describe('scheduler: RecordSlaWarning and RecordSlaBreach', () => {
  // intecnia severity 1 opened Mon 09:00: warning (360) Mon 17:00, due (480) Mon 19:00
  const given = () => opened(intecnia, mon9, { reportedPriority: 1 });

  it('records the warning once per target, only once the warning point is reached', () => {
    spec.given(given()).when({ type: 'RecordSlaWarning', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-02T16:59'))).then([]);
    const events = spec
      .given(given())
      .when({ type: 'RecordSlaWarning', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-02T17:00')))
      .then([
        {
          type: 'SlaWarningRecorded',
          data: {
            ticketId: 't-1',
            cycle: 1,
            targetId: '1.0',
            warningAt: at('2026-03-02T17:00'),
            dueAt: at('2026-03-02T19:00'),
            elapsedBusinessMinutes: 360,
            recordedAt: at('2026-03-02T17:00'),
          },
        },
      ]);
    spec.given([...given(), ...events]).when({ type: 'RecordSlaWarning', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-02T17:05'))).then([]);
  });

  it('records the breach once, and with autoEscalateOnBreach escalates as the system', () => {
    spec.given(given()).when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-02T18:59'))).then([]);
    const now = at('2026-03-02T19:00');
    const events = spec
      .given(given())
      .when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(now))
      .then([
        {
          type: 'SlaBreachRecorded',
          data: { ticketId: 't-1', cycle: 1, targetId: '1.0', dueAt: now, targetMinutes: 480, elapsedBusinessMinutes: 480, recordedAt: now },
        },
        {
          type: 'TicketEscalated',
          data: {
            ticketId: 't-1',
            fromLevel: 1,
            level: 2,
            levelName: 'quality lead',
            requestedBy: 'scheduler',
            requestedByRole: 'system',
            reason: `response target 1.0 breached (due ${now})`,
            automatic: true,
            priorityChange: null,
            escalatedAt: now,
            sla: null,
          },
        },
      ]);
    spec.given([...given(), ...events]).when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-03T09:00'))).then([]);
  });

  it('impera does not escalate automatically; a stale target id, an answered or paused ticket give nothing', () => {
    const imp = opened(impera, mon9, { reportedPriority: 'high' });
    spec
      .given(imp)
      .when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: impera }, scheduler(at('2026-03-03T09:00')))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['SlaBreachRecorded']));
    spec.given(given()).when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '0.9', rules: intecnia }, scheduler(at('2026-03-03T09:00'))).then([]);
    const answered = history(given(), [{ type: 'PostMessage', ticketId: 't-1', messageId: 'm', body: 'hola', visibility: 'public', rules: intecnia }, agent(at('2026-03-02T10:00'))]);
    spec.given(answered).when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-03T09:00'))).then([]);
    const paused = history(given(), [{ type: 'RequestCustomerInfo', ticketId: 't-1', question: '¿?', rules: intecnia }, agent(at('2026-03-02T10:00'))]);
    spec.given(paused).when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-03T09:00'))).then([]);
  });

  it('a new target allows a new warning and breach', () => {
    const given2 = history(
      given(),
      [{ type: 'RecordSlaWarning', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-02T17:00'))],
      [{ type: 'ClassifySeverity', ticketId: 't-1', severity: 2, rules: intecnia }, agent(at('2026-03-02T17:30'))],
    );
    expect(stateOf(given2).sla).toMatchObject({ targetId: '1.1', warningRecorded: false });
    // severity 2: 600, warning 450; elapsed 390 at 17:30 -> warning at 18:30
    spec
      .given(given2)
      .when({ type: 'RecordSlaWarning', ticketId: 't-1', targetId: '1.1', rules: intecnia }, scheduler(at('2026-03-02T18:30')))
      .then(([e]) => expect(e.data).toMatchObject({ targetId: '1.1', warningAt: at('2026-03-02T18:30') }));
  });

  it('only the scheduler may record SLA events (403); closed tickets refuse (409)', () => {
    spec.given(given()).when({ type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: intecnia }, agent(at('2026-03-03T09:00'))).thenThrows('forbidden');
    const closed = history(given(), [{ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'ok', rules: intecnia }, agent(at('2026-03-02T10:00'))]);
    spec.given(closed).when({ type: 'RecordSlaWarning', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-03T09:00'))).thenThrows('ticket-closed');
    spec.given([]).when({ type: 'RecordSlaWarning', ticketId: 't-1', targetId: '1.0', rules: intecnia }, scheduler(at('2026-03-03T09:00'))).thenThrows('not-found');
  });
});
