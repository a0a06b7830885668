import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatBusinessLeft, formatDate, formatInstant, formatMinutes, formatMoney, todayIn, zoneAbbreviation, zoneLabel } from '../time/format';
import { useSettings } from './settings';

/** formatters bound to the user's language and the company's time zone (GET /api/settings) */
export function useFormat() {
  const { language, t } = useI18n();
  const settings = useSettings();
  const zone = settings.timeZone;
  return useMemo(
    () => ({
      zone,
      language,
      instant: (iso: string | null | undefined) => formatInstant(iso, zone, language),
      instantShort: (iso: string | null | undefined) => formatInstant(iso, zone, language, { weekday: false }),
      date: (d: string | null | undefined) => formatDate(d, language),
      minutes: (m: number) => formatMinutes(m, t),
      businessLeft: (m: number) => formatBusinessLeft(m, t),
      money: (minor: number | null | undefined, currency?: string | null) => formatMoney(minor, currency ?? settings.currency, language),
      today: () => todayIn(zone),
      zoneName: (iso?: string | null) => zoneAbbreviation(zone, language, iso),
      /** the company's zone as people say it ("hora estándar central (UTC-06:00)") */
      zoneLabel: (iso?: string | null, other?: string | null) => zoneLabel(other || zone, language, iso),
    }),
    [zone, language, t, settings.currency],
  );
}
