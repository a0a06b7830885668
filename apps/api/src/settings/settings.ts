import { DateTime } from 'luxon';
import { BusinessCalendar, WEEKDAYS, Weekday, WorkingRange } from '@helpdesk/calendar';
import { POLICY_PLANS, PLAN_TERMS, Preset, classificationKeys, supportLevelFor } from '@helpdesk/domain';

export interface SettingsCalendar {
  id: string;
  zone: string;
  mode: 'business-hours' | 'business-days';
  week: Record<Weekday, WorkingRange[]>;
  holidays: Array<{ date: string; name: string }>;
}

export interface Settings {
  company: { name: string };
  preset: { name: string; version: string; title: string };
  locale: string;
  currency: string;
  timeZone: string;
  defaultCalendarId: string;
  calendars: SettingsCalendar[];
  classification: { scheme: 'priority' | 'severity'; values: Array<string | number>; default: string | number };
  supportLevels: Array<{ level: number; name: string; calendarId: string; responseTargets: Record<string, { minutes: number; warningMinutes: number }> }>;
  departments: Array<{ id: string; name: string }>;
  products: Array<{ id: string; name: string; endOfLife: string | null }>;
  plans: Array<{ id: string; minutes: number; facilityMinutes: number; onSiteMinutes: number }>;
  escalationLevels: Array<{ level: number; name: string }>;
  followUpMinutes: number;
  attachments: { maxBytes: number };
}

/**
 * GET /api/settings: what the console needs to know about the deployment. Holidays are the
 * calendar rules expanded for the current year and the next, "current" read in each
 * calendar's own zone at `nowMs`.
 */
export function settingsOf(preset: Preset, calendar: (id: string) => BusinessCalendar, nowMs: number, attachmentsMaxBytes: number): Settings {
  const defaultLevel = supportLevelFor(preset, null);
  const defaultCalendar = preset.calendars[defaultLevel.calendarId];
  const calendars = Object.values(preset.calendars).map((spec): SettingsCalendar => {
    const year = DateTime.fromMillis(nowMs, { zone: spec.zone }).year;
    const cal = calendar(spec.id);
    const week = {} as Record<Weekday, WorkingRange[]>;
    for (const day of WEEKDAYS) week[day] = (spec.week[day] ?? []).map((r) => ({ start: r.start, end: r.end }));
    return { id: spec.id, zone: spec.zone, mode: spec.mode, week, holidays: [...cal.holidaysOf(year), ...cal.holidaysOf(year + 1)] };
  });
  return {
    company: { name: preset.company.name },
    preset: { name: preset.name, version: preset.version, title: preset.title },
    locale: preset.locale,
    currency: preset.currency,
    timeZone: defaultCalendar.zone,
    defaultCalendarId: defaultCalendar.id,
    calendars,
    classification: {
      scheme: preset.scheme,
      values: preset.scheme === 'priority' ? classificationKeys('priority') : classificationKeys('severity').map(Number),
      default: preset.defaultClassification,
    },
    supportLevels: preset.supportLevels.map((l) => ({
      level: l.level,
      name: l.name,
      calendarId: l.calendarId,
      responseTargets: Object.fromEntries(Object.entries(l.responseTargets).map(([k, t]) => [k, { minutes: t.minutes, warningMinutes: t.warningMinutes }])),
    })),
    departments: preset.departments.map((d) => ({ id: d.id, name: d.name })),
    products: preset.products.map((p) => ({ id: p.id, name: p.name, endOfLife: p.endOfLife })),
    plans: POLICY_PLANS.map((id) => ({ id, ...PLAN_TERMS[id] })),
    escalationLevels: preset.escalation.levels.map((l) => ({ level: l.level, name: l.name })),
    followUpMinutes: preset.followUpMinutes,
    attachments: { maxBytes: attachmentsMaxBytes },
  };
}
