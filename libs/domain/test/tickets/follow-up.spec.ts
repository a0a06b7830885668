import { followUpAvailableAt, ticketDecider } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, customer, history, impera, opened, scheduler, stateOf } from './fixtures';

/** seed 002 rule 6: no chasing a ticket until 40 minutes have passed (since opening or the last follow-up) */
const spec = deciderSpecification(ticketDecider);
const mon9 = at('2026-03-02T09:00');
const followUp = (note?: string) => ({ type: 'RequestFollowUp', ticketId: 't-1', ...(note !== undefined ? { note } : {}), rules: impera }) as const;

describe('RequestFollowUp', () => {
  it('given a ticket opened 40 minutes ago, when its customer asks for a follow-up, then it is recorded with what the wait was counted from', () => {
    spec
      .given(opened(impera, mon9))
      .when(followUp('¿Alguna novedad?'), customer(at('2026-03-02T09:40')))
      .then([
        {
          type: 'FollowUpRequested',
          data: {
            ticketId: 't-1',
            sequence: 1,
            note: '¿Alguna novedad?',
            requestedBy: 'carla',
            requestedAt: at('2026-03-02T09:40'),
            minimumIntervalMinutes: 40,
            since: 'opened',
            sinceAt: mon9,
          },
        },
      ]);
  });

  it('given a ticket opened 39 minutes ago, then 422 follow-up-too-early naming when it becomes possible; nothing is recorded', () => {
    spec
      .given(opened(impera, mon9))
      .when(followUp(), customer(at('2026-03-02T09:39')))
      .thenThrows('follow-up-too-early', { availableAt: at('2026-03-02T09:40'), minimumIntervalMinutes: 40 });
  });

  it('given a follow-up at 09:40, a second one waits 40 minutes from it (10:20), and counts on', () => {
    const first = history(opened(impera, mon9), [followUp(), customer(at('2026-03-02T09:40'))]);
    spec.given(first).when(followUp(), customer(at('2026-03-02T10:19:59'))).thenThrows('follow-up-too-early', { availableAt: at('2026-03-02T10:20') });
    spec
      .given(first)
      .when(followUp(), customer(at('2026-03-02T10:20')))
      .then((events) => expect(events[0].data).toMatchObject({ sequence: 2, note: null, since: 'follow-up', sinceAt: at('2026-03-02T09:40') }));
    const state = stateOf(first);
    expect([state.followUpCount, state.lastFollowUpAt, state.lastActivityAt]).toEqual([1, at('2026-03-02T09:40'), at('2026-03-02T09:40')]);
    expect(followUpAvailableAt(state, 40)).toBe(at('2026-03-02T10:20'));
  });

  it('only the ticket\'s customer asks: staff and the scheduler get 403, another customer 404', () => {
    const now = at('2026-03-02T11:00');
    spec.given(opened(impera, mon9)).when(followUp(), agent(now)).thenThrows('forbidden');
    spec.given(opened(impera, mon9)).when(followUp(), scheduler(now)).thenThrows('forbidden');
    spec.given(opened(impera, mon9)).when(followUp(), customer(now, 'globex', 'gina')).thenThrows('not-found');
    spec.given([]).when(followUp(), customer(now)).thenThrows('not-found');
  });

  it('a closed ticket: 409 ticket-closed; a note over 2000 characters: 400', () => {
    const closed = history(opened(impera, mon9), [{ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'ok', rules: impera }, agent(at('2026-03-02T10:00'))]);
    spec.given(closed).when(followUp(), customer(at('2026-03-02T11:00'))).thenThrows('ticket-closed');
    spec.given(opened(impera, mon9)).when(followUp('x'.repeat(2001)), customer(at('2026-03-02T11:00'))).thenThrows('invalid-request');
  });

  it('a state stored before follow-ups existed (no count, no last instant) counts from the opening', () => {
    const { followUpCount: _c, lastFollowUpAt: _l, ...old } = stateOf(opened(impera, mon9));
    const events = ticketDecider.decide(followUp(), old as never, customer(at('2026-03-02T09:45')));
    expect(events[0].data).toMatchObject({ sequence: 1, since: 'opened' });
    expect(ticketDecider.evolve(old as never, events[0]).followUpCount).toBe(1);
  });
});
