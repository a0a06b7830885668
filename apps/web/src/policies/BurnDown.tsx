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
  // months with their year: a policy's validity spans two calendar years
  const label = (dt: DateTime) => dt.setLocale(intlLocale(language)).toLocaleString({ month: 'short', year: '2-digit' });
  const balance = t('policy.chart.balance');
  const pace = t('policy.chart.pace');
  const hours = (minutes: number) => Math.round(minutes / 6) / 10;
  // a time axis: deductions sit where they happened, however many fall on one day; the balance
  // drops straight down at each deduction (two points at the same instant) and the even pace is
  // one straight line from everything purchased to nothing
  const data: Array<Record<string, number | null>> = [{ at: start.toMillis(), [balance]: hours(policy.minutesPurchased), [pace]: ideal(start.toMillis()) }];
  let left = policy.minutesPurchased;
  for (const d of [...policy.deductions].sort((a, b) => (a.deductedAt < b.deductedAt ? -1 : 1))) {
    const at = Math.max(start.toMillis(), DateTime.fromISO(d.deductedAt, { zone }).toMillis());
    data.push({ at, [balance]: hours(left), [pace]: ideal(at) });
    left = d.minutesRemaining;
    data.push({ at, [balance]: hours(left), [pace]: ideal(at) });
  }
  const today = DateTime.now().setZone(zone);
  if (today < end && data[data.length - 1].at! < today.toMillis()) data.push({ at: today.toMillis(), [balance]: hours(policy.minutesRemaining), [pace]: ideal(today.toMillis()) });
  data.push({ at: end.toMillis(), [balance]: null, [pace]: 0 });
  const monthTicks: number[] = [];
  for (let m = start.startOf('month').plus({ months: 1 }); m < end; m = m.plus({ months: 2 })) monthTicks.push(m.toMillis());
  return (
    <figure style={{ margin: 0 }} aria-label={t('policy.chart.label', { number: policy.number })}>
      <AreaChart
        h={220}
        data={data}
        dataKey="at"
        xAxisProps={{ type: 'number', scale: 'time', domain: [start.toMillis(), end.toMillis()], ticks: monthTicks, tickFormatter: (ms: number) => label(DateTime.fromMillis(ms, { zone })) }}
        tooltipProps={{ labelFormatter: (ms: unknown) => f.instant(DateTime.fromMillis(Number(ms), { zone }).toISO()) }}
        series={[
          { name: balance, color: 'blue.7' },
          { name: pace, color: 'gray.5', strokeDasharray: '5 5' },
        ]}
        curveType="linear"
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
