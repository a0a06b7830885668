import { createTicketRules, createTicketDecider, slaSnapshot, ticketDecider, TicketEvent, ticketStreamId } from '../../src/tickets';
import { loadPreset, parsePreset } from '../../src/presets';
import { fold } from '../../src/shared';
import { deciderSpecification } from '../decider-specification';
import * as fs from 'fs';
import * as path from 'path';
import { agent, at, customer, history, impera, intecnia, msOf, opened, stateOf } from './fixtures';

const mon9 = at('2026-03-02T09:00');

describe('ticketDecider composition', () => {
  it('stream id', () => {
    expect(ticketStreamId('abc')).toBe('ticket-abc');
  });

  it('createTicketDecider binds the rules: handlers send commands without them', () => {
    const decider = createTicketDecider(intecnia);
    const spec = deciderSpecification(decider);
    spec
      .given([])
      .when(
        { type: 'OpenTicket', ticketId: 't-1', customerId: 'acme', department: 'support', subject: 's', description: 'd', reportedPriority: 2, facts: { customer: { exists: true } } },
        customer(mon9),
      )
      .then((events) => expect(events[0].data).toMatchObject({ severity: 2, sla: { targetMinutes: 600, presetName: 'intecnia' } }));
    spec
      .given(ticketDecider.decide({ type: 'OpenTicket', ticketId: 't-1', customerId: 'acme', department: 'support', subject: 's', description: 'd', facts: { customer: { exists: true } }, rules: intecnia }, ticketDecider.initialState(), agent(mon9)))
      .when({ type: 'ClassifySeverity', ticketId: 't-1', severity: 2 }, agent(mon9))
      .then((events) => expect(events.map((x) => x.type)).toEqual(['TicketClassified']));
  });

  it('delegates billing commands to the billing decider and folds billing events into state.billing', () => {
    const given = opened(impera, mon9);
    const quote = {
      type: 'IssueQuote' as const,
      quoteId: 'q1',
      kind: 'per-event' as const,
      minutes: 60,
      hourlyRateMinor: 85000,
      currency: 'MXN',
      description: 'Restaurar respaldo',
      facts: {},
    };
    const events = ticketDecider.decide(quote, stateOf(given), agent(at('2026-03-02T10:00')));
    expect(events.map((e) => e.type)).toEqual(['QuoteIssued']);
    const state = stateOf([...given, ...events]);
    expect(Object.keys(state.billing.quotes)).toEqual(['q1']);
    expect(state.status).toBe('open');
    // billing on an unknown ticket is 404, and customers of another company do not see it
    deciderSpecification(ticketDecider).given([]).when(quote, agent(mon9)).thenThrows('not-found');
    deciderSpecification(ticketDecider)
      .given(given)
      .when({ type: 'AuthorizeService', quoteId: 'q1', decision: 'accept' }, customer(mon9, 'globex'))
      .thenThrows('not-found');
  });

  it('replay never recomputes the past: a later preset version with other targets leaves recorded facts as they were', () => {
    const events = opened(impera, mon9, { reportedPriority: 'high' });
    const raw = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../config/presets/impera.json'), 'utf8'));
    raw.version = '2027.1';
    raw.responseTargets.high = { minutes: 60 };
    const newer = createTicketRules(parsePreset(raw));
    const state = fold(ticketDecider.evolve, ticketDecider.initialState(), events);
    expect(state.sla).toMatchObject({ targetMinutes: 1440, presetVersion: '2026.1', dueAt: at('2026-03-03T09:00') });
    // a new target set under the newer preset records the newer version
    const [reclassified] = ticketDecider.decide({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'low', rules: newer }, state, agent(mon9));
    const [back] = ticketDecider.decide({ type: 'ClassifySeverity', ticketId: 't-1', priority: 'high', rules: newer }, stateOf([...events, reclassified]), agent(mon9));
    expect(back.data).toMatchObject({ sla: { targetMinutes: 60, presetVersion: '2027.1' } });
  });
});

describe('slaSnapshot', () => {
  const cal = intecnia.calendar('mx-split-day');
  // severity 1 opened Mon 09:00: warning Mon 17:00, due Mon 19:00
  const sev1 = (): TicketEvent[] => opened(intecnia, mon9, { reportedPriority: 1 });

  it('a running clock: elapsed, remaining, not at risk, within hours', () => {
    const snap = slaSnapshot(stateOf(sev1()), msOf(at('2026-03-02T12:00')), cal);
    expect(snap).toEqual({
      cycle: 1,
      targetId: '1.0',
      targetMinutes: 480,
      warningMinutes: 360,
      calendarId: 'mx-split-day',
      mode: 'business-hours',
      startedAt: mon9,
      dueAt: at('2026-03-02T19:00'),
      warningAt: at('2026-03-02T17:00'),
      respondedAt: null,
      elapsedBusinessMinutes: 180,
      remainingBusinessMinutes: 300,
      paused: false,
      atRisk: false,
      breached: false,
      met: null,
      withinCalendarHours: true,
      presetVersion: '2026.1',
    });
    expect(slaSnapshot(stateOf(sev1()), msOf(at('2026-03-02T15:00')), cal)).toMatchObject({ elapsedBusinessMinutes: 300, withinCalendarHours: false });
  });

  it('at risk after the warning point, breached after the due instant', () => {
    expect(slaSnapshot(stateOf(sev1()), msOf(at('2026-03-02T17:30')), cal)).toMatchObject({ atRisk: true, breached: false, remainingBusinessMinutes: 90 });
    expect(slaSnapshot(stateOf(sev1()), msOf(at('2026-03-02T19:00')), cal)).toMatchObject({ atRisk: true, breached: false, remainingBusinessMinutes: 0 });
    expect(slaSnapshot(stateOf(sev1()), msOf(at('2026-03-03T09:30')), cal)).toMatchObject({ atRisk: false, breached: true, elapsedBusinessMinutes: 510, remainingBusinessMinutes: 0 });
  });

  it('paused while awaiting the customer: elapsed stops', () => {
    const events = history(sev1(), [{ type: 'RequestCustomerInfo', ticketId: 't-1', question: '¿?', rules: intecnia }, agent(at('2026-03-02T10:00'))]);
    expect(slaSnapshot(stateOf(events), msOf(at('2026-03-04T10:00')), cal)).toMatchObject({ paused: true, elapsedBusinessMinutes: 60, breached: false, atRisk: false });
  });

  it('answered: the clock stops at the response and met is reported', () => {
    const events = history(sev1(), [{ type: 'PostMessage', ticketId: 't-1', messageId: 'm', body: 'hola', visibility: 'public', rules: intecnia }, agent(at('2026-03-02T11:00'))]);
    expect(slaSnapshot(stateOf(events), msOf(at('2026-03-05T11:00')), cal)).toMatchObject({ met: true, breached: false, atRisk: false, elapsedBusinessMinutes: 120, respondedAt: at('2026-03-02T11:00') });
    const late = history(sev1(), [{ type: 'PostMessage', ticketId: 't-1', messageId: 'm', body: 'hola', visibility: 'public', rules: intecnia }, agent(at('2026-03-03T10:00'))]);
    expect(slaSnapshot(stateOf(late), msOf(at('2026-03-05T11:00')), cal)).toMatchObject({ met: false, breached: true, elapsedBusinessMinutes: 540 });
  });

  it('null for a ticket never opened', () => {
    expect(slaSnapshot(ticketDecider.initialState(), 0, cal)).toBeNull();
  });
});

describe('loadPreset feeds the rules', () => {
  it('createTicketRules builds every calendar of every preset', () => {
    for (const name of ['impera', 'intecnia', 'soporte-niveles']) {
      const rules = createTicketRules(loadPreset(name));
      for (const id of Object.keys(rules.preset.calendars)) expect(rules.calendar(id).spec.id).toBe(id);
      expect(() => rules.calendar('nope')).toThrow(/no calendar 'nope'/);
    }
  });
});
