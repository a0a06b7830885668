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

export function useSettingsQuery(enabled: boolean) {
  return useQuery({
    queryKey: ['settings'],
    enabled,
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
  });
}

const URGENCY: Record<string, number> = { high: 3, medium: 2, low: 1, '1': 4, '2': 3, '3': 2, '4': 1 };

/** the most urgent class first (what lists and forms offer) */
export const byUrgency = (values: Classification[]): Classification[] => [...values].sort((a, b) => (URGENCY[String(b)] ?? 0) - (URGENCY[String(a)] ?? 0));

export function departmentName(settings: Settings, id: string | null): string {
  if (!id) return '—';
  return settings.departments.find((d) => d.id === id)?.name ?? id;
}

export function productName(settings: Settings, id: string | null): string {
  if (!id) return '—';
  return settings.products.find((p) => p.id === id)?.name ?? id;
}
