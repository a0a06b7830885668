import '@mantine/charts/styles.css';
import { AreaChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { DateTime } from 'luxon';
import type { Policy } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { intlLocale } from '../shared/time/format';

/**
 * Minutes left on the policy over its validity: the balance after each deduction, beside a
 * straight line from everything purchased on the first day to nothing on the last.
 */
export function BurnDown({ policy }: { policy: Policy }) {
  const { t, language } = useI18n();
  const f = useFormat();
  const zone = policy.timeZone || f.zone;
  const start = DateTime.fromISO(policy.validFrom, { zone }).startOf('day');
  const end = DateTime.fromISO(policy.validUntil, { zone }).endOf('day');
  const span = Math.max(1, end.toMillis() - start.toMillis());
  const ideal = (ms: number) => Math.max(0, Math.round((policy.minutesPurchased * (1 - (ms - start.toMillis()) / span)) / 6) / 10);
  const label = (dt: DateTime) => dt.setLocale(intlLocale(language)).toLocaleString({ day: 'numeric', month: 'short' });
  const points = [{ at: start, left: policy.minutesPurchased }];
  for (const d of [...policy.deductions].sort((a, b) => (a.deductedAt < b.deductedAt ? -1 : 1))) {
    points.push({ at: DateTime.fromISO(d.deductedAt, { zone }), left: d.minutesRemaining });
  }
  const today = DateTime.now().setZone(zone);
  if (today < end && points[points.length - 1].at < today) points.push({ at: today, left: policy.minutesRemaining });
  const balance = t('policy.chart.balance');
  const pace = t('policy.chart.pace');
  const data = points.map((p) => ({ date: label(p.at), [balance]: Math.round(p.left / 6) / 10, [pace]: ideal(p.at.toMillis()) }));
  data.push({ date: label(end), [balance]: null as unknown as number, [pace]: 0 });
  return (
    <figure style={{ margin: 0 }} aria-label={t('policy.chart.label', { number: policy.number })}>
      <AreaChart
        h={220}
        data={data}
        dataKey="date"
        series={[
          { name: balance, color: 'blue.7' },
          { name: pace, color: 'gray.5', strokeDasharray: '5 5' },
        ]}
        curveType="stepAfter"
        withDots={false}
        withLegend
        connectNulls={false}
        unit=" h"
        valueFormatter={(v) => new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 1 }).format(v)}
        fillOpacity={0.15}
      />
      <Text component="figcaption" size="xs" c="dimmed">
        {t('policy.chart.caption')}
      </Text>
    </figure>
  );
}
