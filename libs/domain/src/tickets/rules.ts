/**
 * TicketRules: the preset in force plus its business calendars, built once at start-up
 * (`createTicketRules(loadPreset(name))`) and handed to every ticket decision.
 *
 * How it reaches the decider: `createTicketDecider(rules)` returns a Decider whose
 * commands need no rules (the usual way for handlers); `ticketDecider` itself takes
 * `rules` as a field of every lifecycle command (see commands.ts).
 */
import { BusinessCalendar } from '@helpdesk/calendar';
import { Classification, Preset, ResolvedResponseTarget, responseTargetFor } from '../presets';

export interface TicketRules {
  readonly preset: Preset;
  /** the business calendar by id; throws for an unknown id */
  calendar(calendarId: string): BusinessCalendar;
  hasCalendar(calendarId: string): boolean;
  /** the response target for a classification and support level (optionally on a customer's own calendar) */
  targetFor(classification: Classification, supportLevel: number | null, calendarId?: string | null): ResolvedResponseTarget;
}

export function createTicketRules(preset: Preset): TicketRules {
  const calendars = new Map<string, BusinessCalendar>();
  for (const [id, spec] of Object.entries(preset.calendars)) calendars.set(id, new BusinessCalendar(spec));
  const calendar = (id: string) => {
    const c = calendars.get(id);
    if (!c) throw new Error(`preset ${preset.name} ${preset.version} has no calendar '${id}'`);
    return c;
  };
  return {
    preset,
    calendar,
    hasCalendar: (id) => calendars.has(id),
    targetFor(classification, supportLevel, calendarId) {
      const t = responseTargetFor(preset, { classification, supportLevel });
      if (!calendarId || calendarId === t.calendarId) return t;
      const spec = calendar(calendarId).spec;
      return { ...t, calendarId, mode: spec.mode, zone: spec.zone };
    },
  };
}
