/**
 * The company's settings (GET /api/settings, CONTRACTS.md): name, locale, currency, time zone,
 * calendars, classification scheme, departments, products, escalation levels. Until the
 * endpoint exists on a server (404) the console runs on neutral defaults and says so.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, unwrap } from '../api/client';
import { isProblem } from '../api/problem';
import type { Classification, Settings } from '../api/views';

export type ConsoleSettings = Settings & { fallback: boolean };

export const FALLBACK_SETTINGS: ConsoleSettings = {
  fallback: true,
  company: { name: '' },
  preset: { name: '', version: '', title: '' },
  locale: 'es-MX',
  currency: 'MXN',
  timeZone: 'America/Mexico_City',
  defaultCalendarId: '',
  calendars: [],
  classification: { scheme: 'priority', values: ['high', 'medium', 'low'], default: 'medium' },
  supportLevels: [],
  departments: [],
  products: [],
  plans: [],
  escalationLevels: [],
  followUpMinutes: 40,
  attachments: { maxBytes: 20 * 1024 * 1024 },
};

export const SettingsContext = createContext<ConsoleSettings>(FALLBACK_SETTINGS);

export const useSettings = (): ConsoleSettings => useContext(SettingsContext);

export const settingsQuery = {
  queryKey: ['settings'],
  staleTime: 5 * 60_000,
  queryFn: async (): Promise<ConsoleSettings> => {
      try {
        const settings = await unwrap<Settings>(api.GET('/api/settings'));
        return { ...settings, classification: { ...settings.classification, values: byUrgency(settings.classification.values) }, fallback: false };
      } catch (err) {
        if (isProblem(err) && err.status === 404) return FALLBACK_SETTINGS;
        throw err;
      }
  },
};

export function useSettingsQuery(enabled: boolean) {
  return useQuery({ ...settingsQuery, enabled });
}

const URGENCY: Record<string, number> = { high: 3, medium: 2, low: 1, '1': 4, '2': 3, '3': 2, '4': 1 };

/** the most urgent class first (what lists and forms offer) */
export const byUrgency = (values: Classification[]): Classification[] => [...values].sort((a, b) => (URGENCY[String(b)] ?? 0) - (URGENCY[String(a)] ?? 0));

/** a preset's name as a catalog key's last part: "assigned engineer" -> "assigned-engineer" */
const slug = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * The preset's own names in the user's language. Presets name escalation levels, support levels
 * and products in the domain's words (English: "assigned engineer", "Web hosting"); the catalogs
 * have words for the shipped presets' names, and a name they do not know shows as written.
 */
export function localizeSettings(settings: ConsoleSettings, tx: (key: string, fallback: string) => string): ConsoleSettings {
  return {
    ...settings,
    escalationLevels: settings.escalationLevels.map((l) => ({ ...l, name: escalationLevelName(l.name, tx) })),
    supportLevels: settings.supportLevels.map((l) => ({ ...l, name: tx(`preset.supportLevel.${slug(l.name)}`, l.name) })),
    products: settings.products.map((p) => ({ ...p, name: tx(`preset.product.${p.id}`, p.name) })),
  };
}

/** a calendar of the preset by its name in the user's language ("mx-attention" -> "Horario de atención (México)") */
export const calendarName = (id: string, tx: (key: string, fallback: string) => string): string => tx(`preset.calendar.${id}`, id);

/** an escalation level's name as recorded in an event or sent by a report, in the user's language */
export const escalationLevelName = (name: string | null | undefined, tx: (key: string, fallback: string) => string): string =>
  name ? tx(`preset.escalationLevel.${slug(name)}`, name) : '';

export function departmentName(settings: Settings, id: string | null): string {
  if (!id) return '—';
  return settings.departments.find((d) => d.id === id)?.name ?? id;
}

export function productName(settings: Settings, id: string | null): string {
  if (!id) return '—';
  return settings.products.find((p) => p.id === id)?.name ?? id;
}
