import { LifecycleCommand, ticketDecider, TicketEvent } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, customer, history, impera, opened, scheduler, stateOf, supervisor } from './fixtures';

const spec = deciderSpecification(ticketDecider);
const mon9 = at('2026-03-02T09:00');
const ask = { type: 'RequestCustomerInfo', ticketId: 't-1', question: '¿Qué dominio falla?', rules: impera } as const;
const attempt = (note: string, extra: Partial<Extract<LifecycleCommand, { type: 'RecordContactAttempt' }>> = {}) =>
  ({ type: 'RecordContactAttempt', ticketId: 't-1', channel: 'phone', note, rules: impera, ...extra }) as const;
const closeNoResponse = { type: 'CloseTicket', ticketId: 't-1', reason: 'no-customer-response', resolution: 'Sin respuesta del cliente', rules: impera } as const;

/** asked Monday, attempts Mon, Tue, Wed 11:00 (each announcing the default 2 business days) */
const threeAttempts = (): TicketEvent[] =>
  history(
    opened(impera, mon9),
    [ask, agent(at('2026-03-02T10:00'))],
    [attempt('1'), agent(at('2026-03-02T11:00'))],
    [attempt('2', { channel: 'email' }), agent(at('2026-03-03T11:00'))],
    [attempt('3'), agent(at('2026-03-04T11:00'))],
  );

describe('RecordContactAttempt', () => {
  it('records the attempt, its local business day and the announced wait (default: 2 business days)', () => {
    const now = at('2026-03-02T11:00');
    spec
      .given(history(opened(impera, mon9), [ask, agent(at('2026-03-02T10:00'))]))
      .when(attempt('Llamada sin respuesta'), agent(now))
      .then([
        {
          type: 'ContactAttemptRecorded',
          data: {
            ticketId: 't-1',
            attempt: 1,
            channel: 'phone',
            note: 'Llamada sin respuesta',
            attemptedBy: 'ana',
            attemptedAt: now,
            localDate: '2026-03-02',
            businessDay: true,
            calendarId: 'mx-attention',
            // Tuesday and Wednesday waited: may close from Thursday 00:00
            closeAfter: at('2026-03-05T00:00'),
          },
        },
      ]);
  });

  it('a wait in business days skips holidays: 1 business day from Friday 2026-11-13 is Tuesday 17 (Monday 16 is a holiday)', () => {
    spec
      .given(opened(impera, at('2026-11-13T09:00')))
      .when(attempt('x', { closeAfter: { businessDays: 1 } }), agent(at('2026-11-13T12:00')))
      .then(([e]) => expect(e.data).toMatchObject({ closeAfter: at('2026-11-18T00:00') }));
  });

  it('a wait given as a date runs through that local date; an instant is taken as is', () => {
    spec.given(opened(impera, mon9)).when(attempt('x', { closeAfter: '2026-03-10' }), agent(at('2026-03-02T12:00'))).then(([e]) => expect(e.data).toMatchObject({ closeAfter: at('2026-03-11T00:00') }));
    spec
      .given(opened(impera, mon9))
      .when(attempt('x', { closeAfter: '2026-03-06T18:00:00-06:00' }), agent(at('2026-03-02T12:00')))
      .then(([e]) => expect(e.data).toMatchObject({ closeAfter: at('2026-03-06T18:00') }));
  });

  it('an attempt on a Saturday is recorded as not a business day', () => {
    spec.given(opened(impera, mon9)).when(attempt('x'), agent(at('2026-03-07T10:00'))).then(([e]) => expect(e.data).toMatchObject({ localDate: '2026-03-07', businessDay: false }));
  });

  it('400 for a wait in the past or malformed, an unknown channel or no note; 403 for a customer; 409 when closed', () => {
    const now = at('2026-03-02T12:00');
    spec.given(opened(impera, mon9)).when(attempt('x', { closeAfter: '2026-03-01' }), agent(now)).thenThrows('in-the-past');
    spec.given(opened(impera, mon9)).when(attempt('x', { closeAfter: at('2026-03-02T11:00') }), agent(now)).thenThrows('in-the-past');
    spec.given(opened(impera, mon9)).when(attempt('x', { closeAfter: 'next week' }), agent(now)).thenThrows('invalid-request');
    spec.given(opened(impera, mon9)).when(attempt('x', { closeAfter: { businessDays: -1 } }), agent(now)).thenThrows('invalid-request');
    spec.given(opened(impera, mon9)).when(attempt('x', { channel: 'whatsapp' as never }), agent(now)).thenThrows('invalid-request');
    spec.given(opened(impera, mon9)).when(attempt(''), agent(now)).thenThrows('invalid-request');
    spec.given(opened(impera, mon9)).when(attempt('x'), customer(now)).thenThrows('forbidden');
    const closed = history(opened(impera, mon9), [{ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'ok', rules: impera }, agent(now)]);
    spec.given(closed).when(attempt('x'), agent(now)).thenThrows('ticket-closed');
  });
});

describe('CloseTicket', () => {
  it('closes as resolved with the resolution', () => {
    const now = at('2026-03-02T13:00');
    spec
      .given(opened(impera, mon9))
      .when({ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'Se reinició el servicio', rules: impera }, agent(now))
      .then([
        {
          type: 'TicketClosed',
          data: { ticketId: 't-1', reason: 'resolved', resolution: 'Se reinició el servicio', duplicateOf: null, closedBy: 'ana', closedAt: now, automatic: false, cycle: 1 },
        },
      ]);
  });

  it('no-customer-response after three attempts on three business days and the announced wait', () => {
    // the last attempt (Wednesday) announced Thursday and Friday: closing possible from Saturday 00:00
    spec
      .given(threeAttempts())
      .when(closeNoResponse, agent(at('2026-03-09T10:00')))
      .then(([e]) => expect(e.data).toMatchObject({ reason: 'no-customer-response', automatic: false }));
  });

  it('422 contact-attempts-required: too few attempts, two on the same day, or the wait not over', () => {
    const two = history(opened(impera, mon9), [ask, agent(at('2026-03-02T10:00'))], [attempt('1'), agent(at('2026-03-02T11:00'))], [attempt('2'), agent(at('2026-03-03T11:00'))]);
    spec.given(two).when(closeNoResponse, agent(at('2026-03-20T10:00'))).thenThrows('contact-attempts-required', { attempts: 2, businessDays: 2, required: 3 });
    const sameDay = history(two, [attempt('3'), agent(at('2026-03-03T17:00'))]);
    spec.given(sameDay).when(closeNoResponse, agent(at('2026-03-20T10:00'))).thenThrows('contact-attempts-required', { attempts: 3, businessDays: 2 });
    spec.given(threeAttempts()).when(closeNoResponse, agent(at('2026-03-06T23:59'))).thenThrows('contact-attempts-required', { closeAfter: at('2026-03-07T00:00') });
  });

  it('attempts on days off do not count', () => {
    const weekend = history(
      opened(impera, at('2026-11-13T09:00')),
      [attempt('fri'), agent(at('2026-11-13T10:00'))],
      [attempt('sat'), agent(at('2026-11-14T10:00'))],
      [attempt('holiday'), agent(at('2026-11-16T10:00'))],
    );
    spec.given(weekend).when(closeNoResponse, agent(at('2026-12-01T10:00'))).thenThrows('contact-attempts-required', { attempts: 3, businessDays: 1 });
  });

  it('a customer answer starts the attempts over', () => {
    const answered = history(threeAttempts(), [{ type: 'PostMessage', ticketId: 't-1', messageId: 'c1', body: 'Es midominio.mx', visibility: 'public', rules: impera }, customer(at('2026-03-05T09:00'))]);
    expect(stateOf(answered).contactAttempts).toEqual([]);
    spec.given(answered).when(closeNoResponse, agent(at('2026-03-09T10:00'))).thenThrows('contact-attempts-required');
  });

  it('duplicate needs duplicateOf (not itself); other reasons do not take it', () => {
    const now = at('2026-03-02T13:00');
    spec
      .given(opened(impera, mon9))
      .when({ type: 'CloseTicket', ticketId: 't-1', reason: 'duplicate', resolution: 'Mismo tema', duplicateOf: 't-0', rules: impera }, agent(now))
      .then(([e]) => expect(e.data).toMatchObject({ reason: 'duplicate', duplicateOf: 't-0' }));
    spec.given(opened(impera, mon9)).when({ type: 'CloseTicket', ticketId: 't-1', reason: 'duplicate', resolution: 'x', rules: impera }, agent(now)).thenThrows('invalid-request', { errors: [{ path: 'duplicateOf' }] });
    spec.given(opened(impera, mon9)).when({ type: 'CloseTicket', ticketId: 't-1', reason: 'duplicate', resolution: 'x', duplicateOf: 't-1', rules: impera }, agent(now)).thenThrows('duplicate-of-itself', { errors: [{ path: 'duplicateOf' }] });
    spec.given(opened(impera, mon9)).when({ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'x', duplicateOf: 't-0', rules: impera }, agent(now)).thenThrows('invalid-request');
  });

  it('out-of-scope and declined are reasons; an unknown reason or no resolution is 400', () => {
    const now = at('2026-03-02T13:00');
    for (const reason of ['out-of-scope', 'declined'] as const)
      spec.given(opened(impera, mon9)).when({ type: 'CloseTicket', ticketId: 't-1', reason, resolution: 'Desarrollo no incluido', rules: impera }, supervisor(now)).then(([e]) => expect(e.data).toMatchObject({ reason }));
    spec.given(opened(impera, mon9)).when({ type: 'CloseTicket', ticketId: 't-1', reason: 'bored' as never, resolution: 'x', rules: impera }, agent(now)).thenThrows('invalid-request');
    spec.given(opened(impera, mon9)).when({ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: '', rules: impera }, agent(now)).thenThrows('invalid-request');
  });

  it('409 ticket-closed for a closed ticket, 403 for a customer, 404 for an unknown ticket', () => {
    const now = at('2026-03-02T13:00');
    const close = { type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'ok', rules: impera } as const;
    spec.given(history(opened(impera, mon9), [close, agent(now)])).when(close, agent(now)).thenThrows('ticket-closed');
    spec.given(opened(impera, mon9)).when(close, customer(now)).thenThrows('forbidden');
    spec.given([]).when(close, agent(now)).thenThrows('not-found');
  });
});

describe('CloseForNoCustomerResponse (scheduler)', () => {
  const cmd = { type: 'CloseForNoCustomerResponse', ticketId: 't-1', rules: impera } as const;

  it('closes once the attempts and the announced wait are done', () => {
    const now = at('2026-03-07T00:00');
    spec
      .given(threeAttempts())
      .when(cmd, scheduler(now))
      .then([
        {
          type: 'TicketClosed',
          data: {
            ticketId: 't-1',
            reason: 'no-customer-response',
            resolution: 'Closed without customer response after 3 contact attempts (3 required) and the announced wait.',
            duplicateOf: null,
            closedBy: 'scheduler',
            closedAt: now,
            automatic: true,
            cycle: 1,
          },
        },
      ]);
  });

  it('writes nothing before the wait is over or when the ticket no longer awaits the customer', () => {
    spec.given(threeAttempts()).when(cmd, scheduler(at('2026-03-06T12:00'))).then([]);
    const answered = history(threeAttempts(), [{ type: 'PostMessage', ticketId: 't-1', messageId: 'c1', body: 'ok', visibility: 'public', rules: impera }, customer(at('2026-03-05T09:00'))]);
    spec.given(answered).when(cmd, scheduler(at('2026-03-09T00:00'))).then([]);
  });

  it('only the scheduler (403); a closed ticket (409)', () => {
    spec.given(threeAttempts()).when(cmd, agent(at('2026-03-09T00:00'))).thenThrows('forbidden');
    const closed = history(threeAttempts(), [cmd, scheduler(at('2026-03-09T00:00'))]);
    expect(stateOf(closed).status).toBe('closed');
    spec.given(closed).when(cmd, scheduler(at('2026-03-10T00:00'))).thenThrows('ticket-closed');
  });
});

describe('ReopenTicket', () => {
  const closedTicket = () =>
    history(
      opened(impera, mon9, { reportedPriority: 'high' }),
      [{ type: 'PostMessage', ticketId: 't-1', messageId: 'm1', body: 'Resuelto', visibility: 'public', rules: impera }, agent(at('2026-03-02T10:00'))],
      [{ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'Se reinició', rules: impera }, agent(at('2026-03-02T10:05'))],
    );

  it('the customer of the ticket reopens it: a new response cycle with a fresh target from now', () => {
    const now = at('2026-03-03T08:00');
    const events = spec
      .given(closedTicket())
      .when({ type: 'ReopenTicket', ticketId: 't-1', reason: 'Volvió a fallar', rules: impera }, customer(now))
      .then([
        {
          type: 'TicketReopened',
          data: {
            ticketId: 't-1',
            reason: 'Volvió a fallar',
            reopenedBy: 'carla',
            reopenedByRole: 'customer',
            reopenedAt: now,
            sla: {
              cycle: 2,
              revision: 0,
              targetId: '2.0',
              reason: 'reopened',
              classification: 'high',
              supportLevel: null,
              targetMinutes: 1440,
              warningMinutes: 1080,
              calendarId: 'mx-attention',
              mode: 'business-days',
              zone: 'America/Mexico_City',
              startedAt: now,
              setAt: now,
              elapsedBusinessMinutes: 0,
              dueAt: at('2026-03-04T08:00'),
              warningAt: at('2026-03-04T02:00'),
              presetName: 'impera',
              presetVersion: '2026.1',
            },
          },
        },
      ]);
    const state = stateOf([...closedTicket(), ...events]);
    expect(state).toMatchObject({ status: 'open', reopenCount: 1, closedAt: null, closeReason: null });
    expect(state.previousCycles).toHaveLength(1);
    expect(state.previousCycles[0]).toMatchObject({ cycle: 1, met: true, respondedAt: at('2026-03-02T10:00') });
    expect(state.sla).toMatchObject({ cycle: 2, respondedAt: null, met: null, pauses: [] });
  });

  it('staff may reopen too', () => {
    spec
      .given(closedTicket())
      .when({ type: 'ReopenTicket', ticketId: 't-1', reason: 'Cerrado por error', rules: impera }, agent(at('2026-03-03T08:00')))
      .then(([e]) => expect(e.data).toMatchObject({ reopenedByRole: 'staff' }));
  });

  it('404 for another customer, 409 ticket-not-closed for an open ticket, 400 without a reason', () => {
    const now = at('2026-03-03T08:00');
    spec.given(closedTicket()).when({ type: 'ReopenTicket', ticketId: 't-1', reason: 'x', rules: impera }, customer(now, 'globex')).thenThrows('not-found');
    spec.given(opened(impera, mon9)).when({ type: 'ReopenTicket', ticketId: 't-1', reason: 'x', rules: impera }, customer(now)).thenThrows('ticket-not-closed');
    spec.given(closedTicket()).when({ type: 'ReopenTicket', ticketId: 't-1', reason: '', rules: impera }, customer(now)).thenThrows('invalid-request');
    spec.given([]).when({ type: 'ReopenTicket', ticketId: 't-1', reason: 'x', rules: impera }, customer(now)).thenThrows('not-found');
  });
});

describe('a closed ticket refuses every lifecycle command but reopening (409 ticket-closed)', () => {
  const now = at('2026-03-02T12:00');
  const closed = () => history(opened(impera, mon9), [{ type: 'CloseTicket', ticketId: 't-1', reason: 'resolved', resolution: 'ok', rules: impera }, agent(at('2026-03-02T11:00'))]);
  const commands: Array<[string, LifecycleCommand, ReturnType<typeof agent>]> = [
    ['ClassifySeverity', { type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', rules: impera }, agent(now)],
    ['AssignTicket', { type: 'AssignTicket', ticketId: 't-1', assigneeId: 'beto', rules: impera }, agent(now)],
    ['PostMessage (customer)', { type: 'PostMessage', ticketId: 't-1', messageId: 'm9', body: 'hola', visibility: 'public', rules: impera }, customer(now)],
    ['PostMessage (staff)', { type: 'PostMessage', ticketId: 't-1', messageId: 'm9', body: 'hola', visibility: 'internal', rules: impera }, agent(now)],
    ['Escalate', { type: 'Escalate', ticketId: 't-1', reason: 'x', rules: impera }, customer(now)],
    ['RequestCustomerInfo', ask, agent(now)],
    ['RecordContactAttempt', attempt('x'), agent(now)],
    ['RecordSlaBreach', { type: 'RecordSlaBreach', ticketId: 't-1', targetId: '1.0', rules: impera }, scheduler(now)],
  ];
  it.each(commands)('%s', (_name, command, context) => {
    spec.given(closed()).when(command, context).thenThrows('ticket-closed');
  });
});
