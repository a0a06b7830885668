import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DateTime } from 'luxon';
import { createTicketRules, loadPreset, parsePreset, ticketDecider } from '@helpdesk/domain';
import type { DecisionContext, TicketCommand, TicketCommandInput, TicketEvent } from '@helpdesk/domain';
import type { StoredEvent } from '@helpdesk/event-store';
import { recordedCalendars, slaTimeline } from '../src/sla-timeline';

const MX = 'America/Mexico_City';
const at = (wall: string) => DateTime.fromISO(wall, { zone: MX }).toUTC().toISO() as string;
const agent = (now: string): DecisionContext => ({ now, actor: { id: 'ana', roles: ['agent'] } });
const intecnia = createTicketRules(loadPreset('intecnia'));

/** runs commands through the decider and stores the events as the event store would */
function record(steps: Array<[TicketCommandInput, DecisionContext]>): StoredEvent[] {
  const events: TicketEvent[] = [];
  const stored: StoredEvent[] = [];
  for (const [command, ctx] of steps) {
    const state = events.reduce(ticketDecider.evolve, ticketDecider.initialState());
    for (const e of ticketDecider.decide({ ...command, rules: intecnia } as TicketCommand, state, ctx)) {
      events.push(e);
      stored.push({ id: randomUUID(), type: e.type, data: e.data as Record<string, unknown>, streamId: 'ticket-t-1', version: BigInt(stored.length), position: BigInt(stored.length + 1), metadata: { actor: 'ana', occurredAt: ctx.now, correlationId: 'c', causationId: null, schemaVersion: 1 } });
    }
  }
  return stored;
}

describe('slaTimeline reads the recorded facts, never today\'s preset', () => {
  const events = record([
    [{ type: 'OpenTicket', ticketId: 't-1', customerId: 'acme', department: 'support', subject: 's', description: 'd', reportedPriority: 1, facts: { customer: { exists: true } } }, agent(at('2026-03-02T13:00'))],
  ]);
  const kinds = (tl: ReturnType<typeof slaTimeline>) => tl.entries.map((e) => [DateTime.fromISO(e.at, { zone: MX }).toFormat("ccc HH:mm"), e.kind]);

  it('with the preset in force: the lunch gap and the night, the recorded due instant', () => {
    const tl = slaTimeline(events, at('2026-03-03T10:00'), recordedCalendars(intecnia));
    expect(kinds(tl)).toEqual([
      ['Mon 13:00', 'started'],
      ['Mon 14:00', 'outside-business-hours'],
      ['Mon 16:00', 'business-hours'],
      ['Mon 19:00', 'outside-business-hours'],
      ['Tue 09:00', 'business-hours'],
    ]);
    expect(tl.responseDueAt).toBe(at('2026-03-03T13:00'));
    expect(tl.businessMinutesElapsed).toBe(300);
  });

  it('a later preset that counts business days, with other targets: the timeline keeps the recorded mode, targets and instants', () => {
    const raw = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../config/presets/intecnia.json'), 'utf8'));
    raw.version = '2027.1';
    raw.calendars['mx-split-day'].mode = 'business-days';
    raw.responseTargets['1'] = { minutes: 60 };
    const newer = createTicketRules(parsePreset(raw));
    const tl = slaTimeline(events, at('2026-03-03T10:00'), recordedCalendars(newer));
    expect(kinds(tl)).toEqual(kinds(slaTimeline(events, at('2026-03-03T10:00'), recordedCalendars(intecnia))));
    expect(tl).toMatchObject({ responseDueAt: at('2026-03-03T13:00'), businessMinutesElapsed: 300, businessMinutesLeft: 180, state: 'on-track' });
    expect(tl.calendar).toEqual({ id: 'mx-split-day', zone: MX, mode: 'business-hours', known: true, presetVersion: '2026.1' });
    expect(tl.entries[0].detail).toMatchObject({ targetMinutes: 480, presetVersion: '2026.1' });
  });

  it('a calendar the preset no longer has: recorded entries only, said so', () => {
    const raw = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../config/presets/intecnia.json'), 'utf8'));
    raw.calendars = { other: raw.calendars['mx-split-day'] };
    raw.calendarId = 'other';
    raw.contactAttempts.calendarId = 'other';
    const tl = slaTimeline(events, at('2026-03-03T10:00'), recordedCalendars(createTicketRules(parsePreset(raw))));
    expect(tl.entries.map((e) => e.kind)).toEqual(['started']);
    expect(tl.calendar).toMatchObject({ id: 'mx-split-day', known: false });
    expect(tl.responseDueAt).toBe(at('2026-03-03T13:00'));
  });
});
