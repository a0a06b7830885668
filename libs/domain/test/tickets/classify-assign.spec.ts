import { ticketDecider } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, customer, history, impera, intecnia, opened } from './fixtures';

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

  it('the same classification again writes nothing', () => {
    spec.given(opened(impera, openedAt)).when({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'medium', rules: impera }, agent(openedAt)).then([]);
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
