import { ticketDecider } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, customer, history, intecnia, opened, scheduler, stateOf } from './fixtures';

const spec = deciderSpecification(ticketDecider);
// intecnia severity 3: 12 business hours; opened Monday 09:00 -> due Tuesday 13:00 (Mon 8 h + Tue 4 h)
const openedAt = at('2026-03-02T09:00');
const openSev3 = () => opened(intecnia, openedAt, { reportedPriority: 3 });
const msg = (messageId: string, visibility: 'public' | 'internal', body = 'texto') =>
  ({ type: 'PostMessage', ticketId: 't-1', messageId, body, visibility, rules: intecnia }) as const;

describe('PostMessage', () => {
  it('the first public staff message is the response, met when before the due instant', () => {
    const now = at('2026-03-02T15:00');
    spec
      .given(openSev3())
      .when(msg('m1', 'public', 'Estamos revisando'), agent(now))
      .then([
        {
          type: 'MessagePosted',
          data: { ticketId: 't-1', messageId: 'm1', body: 'Estamos revisando', visibility: 'public', authorId: 'ana', authorRole: 'staff', attachments: [], postedAt: now },
        },
        {
          type: 'ResponseRecorded',
          data: {
            ticketId: 't-1',
            cycle: 1,
            targetId: '1.0',
            messageId: 'm1',
            respondedBy: 'ana',
            respondedAt: now,
            dueAt: at('2026-03-03T13:00'),
            targetMinutes: 720,
            elapsedBusinessMinutes: 300,
            met: true,
          },
        },
      ]);
  });

  it('a response after the due instant is recorded as not met', () => {
    spec
      .given(openSev3())
      .when(msg('m1', 'public'), agent(at('2026-03-03T13:01')))
      .then(([, r]) => expect(r.data).toMatchObject({ met: false, elapsedBusinessMinutes: 721 }));
  });

  it('a response exactly at the due instant is met', () => {
    spec
      .given(openSev3())
      .when(msg('m1', 'public'), agent(at('2026-03-03T13:00')))
      .then(([, r]) => expect(r.data).toMatchObject({ met: true }));
  });

  it('internal notes and later public messages are not responses', () => {
    spec.given(openSev3()).when(msg('m1', 'internal'), agent(at('2026-03-02T10:00'))).then((events) => expect(events.map((e) => e.type)).toEqual(['MessagePosted']));
    const answered = history(openSev3(), [msg('m1', 'public'), agent(at('2026-03-02T10:00'))]);
    spec.given(answered).when(msg('m2', 'public'), agent(at('2026-03-02T11:00'))).then((events) => expect(events.map((e) => e.type)).toEqual(['MessagePosted']));
  });

  it('a customer message on an open ticket is only a message', () => {
    spec
      .given(openSev3())
      .when(msg('m1', 'public'), customer(at('2026-03-02T10:00')))
      .then((events) => {
        expect(events.map((e) => e.type)).toEqual(['MessagePosted']);
        expect(events[0].data).toMatchObject({ authorRole: 'customer', authorId: 'carla' });
      });
  });

  it('403 forbidden: customers cannot post internal messages', () => {
    spec.given(openSev3()).when(msg('m1', 'internal'), customer(at('2026-03-02T10:00'))).thenThrows('forbidden');
  });

  it('404 for a customer of another company or an unknown ticket; 409 id-reused for a repeated message id', () => {
    spec.given(openSev3()).when(msg('m1', 'public'), customer(at('2026-03-02T10:00'), 'globex')).thenThrows('not-found');
    spec.given([]).when(msg('m1', 'public'), agent(at('2026-03-02T10:00'))).thenThrows('not-found');
    const given = history(openSev3(), [msg('m1', 'internal'), agent(at('2026-03-02T10:00'))]);
    spec.given(given).when(msg('m1', 'public'), agent(at('2026-03-02T10:05'))).thenThrows('id-reused');
  });

  it('400 for an empty body or an unknown visibility; the scheduler cannot post', () => {
    spec.given(openSev3()).when(msg('m1', 'public', ''), agent(at('2026-03-02T10:00'))).thenThrows('invalid-request');
    spec.given(openSev3()).when({ ...msg('m1', 'public'), visibility: 'secret' as never }, agent(at('2026-03-02T10:00'))).thenThrows('invalid-request');
    spec.given(openSev3()).when(msg('m1', 'public'), scheduler(at('2026-03-02T10:00'))).thenThrows('forbidden');
  });
});

describe('RequestCustomerInfo and resuming the clock', () => {
  const ask = { type: 'RequestCustomerInfo', ticketId: 't-1', question: '¿Nos comparte el acceso por TeamViewer?', rules: intecnia } as const;

  it('pauses the clock and awaits the customer', () => {
    const now = at('2026-03-02T11:00');
    const events = spec
      .given(openSev3())
      .when(ask, agent(now))
      .then([
        {
          type: 'CustomerInfoRequested',
          data: { ticketId: 't-1', question: '¿Nos comparte el acceso por TeamViewer?', requestedBy: 'ana', requestedAt: now, clockPaused: true, cycle: 1 },
        },
      ]);
    const state = stateOf([...openSev3(), ...events]);
    expect(state.status).toBe('awaiting-customer');
    expect(state.pendingQuestion).toBe('¿Nos comparte el acceso por TeamViewer?');
    expect(state.sla?.pauses).toEqual([{ from: now, to: null }]);
  });

  it('a follow-up question while waiting does not open a second pause', () => {
    const given = history(openSev3(), [ask, agent(at('2026-03-02T11:00'))]);
    spec.given(given).when({ ...ask, question: '¿Y la contraseña?' }, agent(at('2026-03-02T12:00'))).then(([e]) => expect(e.data).toMatchObject({ clockPaused: false }));
  });

  it('the customer answer resumes the clock: the due instant moves by the business time paused', () => {
    // paused Mon 11:00 (120 min elapsed), answer Tue 10:00: paused Mon 11-14, 16-19, Tue 9-10 = 420 business min.
    // old due Tue 13:00 + 420 business min = Wed 12:00
    const given = history(openSev3(), [ask, agent(at('2026-03-02T11:00'))]);
    const now = at('2026-03-03T10:00');
    spec
      .given(given)
      .when(msg('m2', 'public', 'Listo, ahí está el acceso'), customer(now))
      .then(([posted, resumed]) => {
        expect(posted.type).toBe('MessagePosted');
        expect(resumed).toEqual({
          type: 'ClockResumed',
          data: {
            ticketId: 't-1',
            cycle: 1,
            targetId: '1.0',
            cause: 'customer-message',
            messageId: 'm2',
            pausedAt: at('2026-03-02T11:00'),
            resumedAt: now,
            pausedBusinessMinutes: 420,
            elapsedBusinessMinutes: 120,
            previousDueAt: at('2026-03-03T13:00'),
            dueAt: at('2026-03-04T12:00'),
            warningAt: at('2026-03-03T19:00'), // 540 - 120 = 420: Tue 10-14, 16-19
          },
        });
        const state = stateOf([...given, posted, resumed]);
        expect(state.status).toBe('open');
        expect(state.sla?.pauses).toEqual([{ from: at('2026-03-02T11:00'), to: now }]);
        expect(state.sla?.dueAt).toBe(at('2026-03-04T12:00'));
      });
  });

  it('a staff response while the clock is paused is met by elapsed business time', () => {
    const given = history(openSev3(), [ask, agent(at('2026-03-02T11:00'))]);
    // days later in wall time, but only 120 business minutes elapsed
    spec
      .given(given)
      .when(msg('m2', 'public'), agent(at('2026-03-05T10:00')))
      .then(([, r]) => expect(r.data).toMatchObject({ met: true, elapsedBusinessMinutes: 120 }));
  });

  it('refusals: customer 403, closed 409, empty question 400', () => {
    spec.given(openSev3()).when(ask, customer(at('2026-03-02T11:00'))).thenThrows('forbidden');
    spec.given(openSev3()).when({ ...ask, question: ' ' }, agent(at('2026-03-02T11:00'))).thenThrows('invalid-request');
    const closed = history(openSev3(), [{ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'ok', rules: intecnia }, agent(at('2026-03-02T10:00'))]);
    spec.given(closed).when(ask, agent(at('2026-03-02T11:00'))).thenThrows('ticket-closed');
  });

  it('a classification while paused records the target; due instants are decided on resuming', () => {
    const given = history(
      openSev3(),
      [ask, agent(at('2026-03-02T11:00'))],
      [{ type: 'ClassifySeverity', ticketId: 't-1', severity: 1, rules: intecnia }, agent(at('2026-03-02T12:00'))],
    );
    const state = stateOf(given);
    expect(state.sla).toMatchObject({ targetMinutes: 480, dueAt: null, warningAt: null, elapsedBusinessMinutes: 120 });
    // answer Tuesday 09:00: 360 min remain -> Tue 09-14 (300) + 16:00-17:00
    spec
      .given(given)
      .when(msg('m2', 'public'), customer(at('2026-03-03T09:00')))
      .then(([, resumed]) => expect(resumed.data).toMatchObject({ previousDueAt: null, dueAt: at('2026-03-03T17:00'), elapsedBusinessMinutes: 120 }));
  });
});
