import { gradeSla, slaSnapshot, ticketDecider } from '../../src/tickets';
import { agent, at, customer, history, intecnia, msOf, opened, stateOf } from './fixtures';

/** intecnia: Mon-Fri 09:00-14:00 and 16:00-19:00 Mexico City; severity 1 = 480 min, warning 360. */
const mon9 = at('2026-03-02T09:00');
const grade = (events: ReturnType<typeof opened>, nowLocal: string) => {
  const state = stateOf(events);
  return gradeSla(slaSnapshot(state, msOf(at(nowLocal)), intecnia.calendar(state.sla!.calendarId)), state.status);
};

describe('gradeSla: the graded state of a response cycle', () => {
  const sev1 = opened(intecnia, mon9, { reportedPriority: 1 });

  it('on-track, at-risk inside the warning window, breached past due', () => {
    expect(grade(sev1, '2026-03-02T10:00')).toEqual({ state: 'on-track', pausedReason: null });
    expect(grade(sev1, '2026-03-02T18:00')).toEqual({ state: 'at-risk', pausedReason: null }); // 300 + 120 = 420 >= 360
    expect(grade(sev1, '2026-03-03T09:30')).toEqual({ state: 'breached', pausedReason: null });
  });

  it('outside the working ranges the clock is not counting: paused with that reason, or at-risk / breached naming it', () => {
    expect(grade(sev1, '2026-03-02T15:00')).toEqual({ state: 'paused', pausedReason: 'outside-business-hours' }); // lunch gap, 300 elapsed
    expect(grade(sev1, '2026-03-02T20:00')).toEqual({ state: 'breached', pausedReason: 'outside-business-hours' }); // 480 used up at 19:00
    const sev2 = opened(intecnia, mon9, { reportedPriority: 2 }); // 600 min, warning 450
    expect(grade(sev2, '2026-03-02T20:00')).toEqual({ state: 'at-risk', pausedReason: 'outside-business-hours' }); // 480 elapsed
    expect(grade(sev1, '2026-03-07T12:00')).toEqual({ state: 'breached', pausedReason: 'outside-business-hours' }); // Saturday
  });

  it('awaiting the customer: paused with that reason; the customer answering resumes the clock', () => {
    const asked = history(sev1, [{ type: 'RequestCustomerInfo', ticketId: 't-1', question: '¿Versión?', rules: intecnia }, agent(at('2026-03-02T10:00'))]);
    expect(grade(asked, '2026-03-02T12:00')).toEqual({ state: 'paused', pausedReason: 'awaiting-customer' });
    expect(grade(asked, '2026-03-02T15:00')).toEqual({ state: 'paused', pausedReason: 'awaiting-customer' });
    const answered = history(asked, [
      { type: 'PostMessage', ticketId: 't-1', messageId: 'm1', body: 'La 2.1', visibility: 'public', rules: intecnia },
      customer(at('2026-03-03T09:00')),
    ]);
    expect(grade(answered, '2026-03-03T10:00')).toEqual({ state: 'on-track', pausedReason: null });
  });

  it('answered: met within the target, breached when late; closed unanswered: none, or breached if it was', () => {
    const respond = (events: ReturnType<typeof opened>, local: string) =>
      history(events, [{ type: 'PostMessage', ticketId: 't-1', messageId: `m-${local}`, body: 'Hola', visibility: 'public', rules: intecnia }, agent(at(local))]);
    expect(grade(respond(sev1, '2026-03-02T11:00'), '2026-03-09T11:00')).toEqual({ state: 'met', pausedReason: null });
    expect(grade(respond(sev1, '2026-03-03T11:00'), '2026-03-09T11:00')).toEqual({ state: 'breached', pausedReason: null });
    const close = (events: ReturnType<typeof opened>, local: string) =>
      history(events, [{ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'ok', rules: intecnia }, agent(at(local))]);
    expect(grade(close(sev1, '2026-03-02T11:00'), '2026-03-09T11:00')).toEqual({ state: 'none', pausedReason: null });
    expect(grade(close(sev1, '2026-03-03T11:00'), '2026-03-09T11:00')).toEqual({ state: 'breached', pausedReason: null });
    expect(gradeSla(null, null)).toEqual({ state: 'none', pausedReason: null });
    expect(ticketDecider.initialState().sla).toBeNull();
  });
});
