import { ticketDecider } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, customer, history, impera, intecnia, opened, stateOf } from './fixtures';

const spec = deciderSpecification(ticketDecider);
const openedAt = at('2026-03-02T10:00');

describe('ClassifySeverity', () => {
  it('a new priority sets a new target keeping the business time already elapsed', () => {
    // opened Monday 10:00 as medium (48 h); 6 h later it is classified high (24 h): 18 h remain
    const now = at('2026-03-02T16:00');
    spec
      .given(opened(impera, openedAt))
      .when({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', reason: 'site down', rules: impera }, agent(now))
      .then([
        {
          type: 'TicketClassified',
          data: {
            ticketId: 't-1',
            priority: 'high',
            severity: null,
            previousPriority: 'medium',
            previousSeverity: null,
            reason: 'site down',
            classifiedBy: 'ana',
            classifiedAt: now,
            confirmed: false,
            previousSource: 'default',
            sla: {
              cycle: 1,
              revision: 1,
              targetId: '1.1',
              reason: 'classified',
              classification: 'high',
              supportLevel: null,
              targetMinutes: 1440,
              warningMinutes: 1080,
              calendarId: 'mx-attention',
              mode: 'business-days',
              zone: 'America/Mexico_City',
              startedAt: openedAt,
              setAt: now,
              elapsedBusinessMinutes: 360,
              dueAt: at('2026-03-03T10:00'),
              warningAt: at('2026-03-03T04:00'),
              presetName: 'impera',
              presetVersion: '2026.1',
            },
          },
        },
      ]);
  });

  it('intecnia classifies by severity; lowering to 4 moves the due instant later on the split day', () => {
    spec
      .given(opened(intecnia, at('2026-03-02T09:00')))
      .when({ type: 'ClassifySeverity', ticketId: 't-1', severity: 4, rules: intecnia }, agent(at('2026-03-02T11:00')))
      .then(([e]) => {
        // 120 min elapsed; 1320 remain from Monday 11:00: Mon 180+180, Tue 480, Wed 480 = 1320 -> Wed 19:00
        expect(e.data).toMatchObject({ severity: 4, previousSeverity: 1 });
        expect((e.data as { sla: unknown }).sla).toMatchObject({ elapsedBusinessMinutes: 120, dueAt: at('2026-03-04T19:00') });
      });
  });

  describe('classification is always recorded, with who made it (domain.md)', () => {
    const opening = at('2026-03-02T09:00');
    const now = at('2026-03-02T10:02');

    it('a ticket nobody classified carries the default: the trail says so', () => {
      // intecnia opens an unclassified ticket at severity 1 (8 business hours)
      const state = stateOf(opened(intecnia, opening));
      expect(state).toMatchObject({ severity: 1, classificationSource: 'default', classifiedBy: null });
      expect(state.sla).toMatchObject({ revision: 0, targetMinutes: 480 });
    });

    it("confirming the preset's default records who confirmed it, and the target does not move", () => {
      const given = opened(intecnia, opening);
      const before = stateOf(given).sla!;
      const [event] = spec
        .given(given)
        .when({ type: 'ClassifySeverity', ticketId: 't-1', severity: 1, reason: 'sin servicio en toda la planta', rules: intecnia }, agent(now))
        .then([
          {
            type: 'TicketClassified',
            data: {
              ticketId: 't-1',
              priority: null,
              severity: 1,
              previousPriority: null,
              previousSeverity: 1,
              reason: 'sin servicio en toda la planta',
              classifiedBy: 'ana',
              classifiedAt: now,
              confirmed: true,
              previousSource: 'default',
              sla: null,
            },
          },
        ]);
      const after = stateOf([...given, event]);
      expect(after).toMatchObject({ severity: 1, classificationSource: 'staff', classifiedBy: { actorId: 'ana', at: now } });
      // same target, same due instant, same warning flags
      expect(after.sla).toEqual(before);
    });

    it("confirming the reporter's class, or an earlier staff classification, is recorded too", () => {
      const reported = opened(impera, openedAt, { reportedPriority: 'high' });
      expect(stateOf(reported)).toMatchObject({ priority: 'high', classificationSource: 'reported', classifiedBy: null });
      const [first] = spec
        .given(reported)
        .when({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', rules: impera }, agent(at('2026-03-02T10:30')))
        .then(([e]) => expect(e.data).toMatchObject({ priority: 'high', confirmed: true, previousSource: 'reported', sla: null }));
      spec
        .given([...reported, first])
        .when({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', rules: impera }, agent(at('2026-03-02T11:00'), 'beto'))
        .then(([e]) => expect(e.data).toMatchObject({ classifiedBy: 'beto', confirmed: true, previousSource: 'staff', sla: null }));
    });

    it('changing the default is a classification by staff with a new target', () => {
      const given = opened(intecnia, opening);
      const [event] = spec
        .given(given)
        .when({ type: 'ClassifySeverity', ticketId: 't-1', severity: 2, rules: intecnia }, agent(now))
        .then(([e]) => expect(e.data).toMatchObject({ severity: 2, previousSeverity: 1, confirmed: false, previousSource: 'default', sla: { revision: 1, targetMinutes: 600 } }));
      expect(stateOf([...given, event])).toMatchObject({ classificationSource: 'staff', classifiedBy: { actorId: 'ana', at: now } });
    });

    it('an escalation that raises the class is its source; the last staff classification stays on record', () => {
      const given = history(
        opened(intecnia, opening),
        [{ type: 'ClassifySeverity', ticketId: 't-1', severity: 3, rules: intecnia }, agent(now)],
        [{ type: 'Escalate', ticketId: 't-1', reason: 'La red sigue caída', raisePriorityTo: 2, rules: intecnia }, customer(at('2026-03-02T11:00'))],
      );
      expect(stateOf(given)).toMatchObject({ severity: 2, classificationSource: 'escalation', classifiedBy: { actorId: 'ana', at: now } });
    });

    it('a TicketClassified recorded before confirmations existed (no confirmed/previousSource) still replays', () => {
      const given = opened(impera, openedAt);
      const legacy = {
        type: 'TicketClassified' as const,
        data: { ticketId: 't-1', priority: 'low' as const, severity: null, previousPriority: 'medium' as const, previousSeverity: null, reason: null, classifiedBy: 'ana', classifiedAt: at('2026-03-02T12:00'), sla: null },
      };
      expect(stateOf([...given, legacy])).toMatchObject({ priority: 'low', classificationSource: 'staff', classifiedBy: { actorId: 'ana', at: at('2026-03-02T12:00') } });
    });
  });

  it('400 invalid-request naming the field of the wrong scheme', () => {
    spec
      .given(opened(impera, openedAt))
      .when({ type: 'ClassifySeverity', ticketId: 't-1', severity: 1, rules: impera }, agent(openedAt))
      .thenThrows('invalid-request', { errors: [{ path: 'severity' }] });
    spec
      .given(opened(intecnia, openedAt))
      .when({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', rules: intecnia }, agent(openedAt))
      .thenThrows('invalid-request', { errors: [{ path: 'priority' }] });
    spec
      .given(opened(intecnia, openedAt))
      .when({ type: 'ClassifySeverity', ticketId: 't-1', severity: 5 as never, rules: intecnia }, agent(openedAt))
      .thenThrows('invalid-request', { errors: [{ path: 'severity' }] });
  });

  it('403 for a customer, 404 for an unknown ticket', () => {
    spec.given(opened(impera, openedAt)).when({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', rules: impera }, customer(openedAt)).thenThrows('forbidden');
    spec.given([]).when({ type: 'ClassifySeverity', ticketId: 't-9', priority: 'high', rules: impera }, agent(openedAt)).thenThrows('not-found');
  });

  it('after the response the classification changes without a new target', () => {
    const given = history(opened(impera, openedAt), [
      { type: 'PostMessage', ticketId: 't-1', messageId: 'm1', body: 'Revisando', visibility: 'public', rules: impera },
      agent(at('2026-03-02T11:00')),
    ]);
    spec
      .given(given)
      .when({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'low', rules: impera }, agent(at('2026-03-02T12:00')))
      .then(([e]) => expect(e.data).toMatchObject({ priority: 'low', sla: null }));
  });
});

describe('AssignTicket', () => {
  it('assigns and records the previous assignee', () => {
    const now = at('2026-03-02T11:00');
    const given = history(opened(impera, openedAt), [{ type: 'AssignTicket', ticketId: 't-1', assigneeId: 'ana', rules: impera }, agent(now)]);
    spec
      .given(given)
      .when({ type: 'AssignTicket', ticketId: 't-1', assigneeId: 'beto', rules: impera }, agent(now, 'sofia'))
      .then([{ type: 'TicketAssigned', data: { ticketId: 't-1', assigneeId: 'beto', previousAssigneeId: 'ana', assignedBy: 'sofia', assignedAt: now } }]);
  });

  it('assigning the current assignee again writes nothing', () => {
    const now = at('2026-03-02T11:00');
    const given = history(opened(impera, openedAt), [{ type: 'AssignTicket', ticketId: 't-1', assigneeId: 'ana', rules: impera }, agent(now)]);
    spec.given(given).when({ type: 'AssignTicket', ticketId: 't-1', assigneeId: 'ana', rules: impera }, agent(now)).then([]);
  });

  it('refuses an empty assignee (400), a customer (403) and an unknown ticket (404)', () => {
    const now = at('2026-03-02T11:00');
    spec.given(opened(impera, openedAt)).when({ type: 'AssignTicket', ticketId: 't-1', assigneeId: '', rules: impera }, agent(now)).thenThrows('invalid-request');
    spec.given(opened(impera, openedAt)).when({ type: 'AssignTicket', ticketId: 't-1', assigneeId: 'x', rules: impera }, customer(now)).thenThrows('forbidden');
    spec.given([]).when({ type: 'AssignTicket', ticketId: 't-1', assigneeId: 'x', rules: impera }, agent(now)).thenThrows('not-found');
  });
});
