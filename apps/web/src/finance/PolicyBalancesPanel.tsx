/**
 * Policy balances: certificate, plan, status now, minutes used and left, validity and days to
 * expiry, burn rate over the last three months (minutes per month) and the projected
 * exhaustion date, flagged when it falls before the policy expires. A chart of used and
 * remaining hours per policy, with its table.
 */
import { BarChart } from '@mantine/charts';
import { Alert, Badge, Group, Progress, Select, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconClockPause, IconInbox } from '@tabler/icons-react';
import { useState } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { ChartFigure, type FigureTable } from '../shared/charts/ChartFigure';
import { hours } from '../shared/charts/palette';
import { useFormat } from '../shared/session/format';
import { darkText } from '../shared/ui/colors';
import { intlLocale } from '../shared/time/format';
import { formatMonth } from '../shared/time/period';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { usePolicyBalances, type PolicyBalance } from './finance-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

const STATUS: Record<string, { color: string; Icon: typeof IconCircleCheck }> = {
  active: { color: 'green', Icon: IconCircleCheck },
  exhausted: { color: 'red', Icon: IconCircleX },
  expired: { color: 'gray', Icon: IconCircleX },
  'not-started': { color: 'blue', Icon: IconClockPause },
};

export function PolicyStateBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const look = STATUS[status] ?? STATUS.expired;
  return (
    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color={look.color} variant="light" c={darkText(look.color)} tt="none" leftSection={<look.Icon size={14} aria-hidden="true" />} data-policy-status={status}>
      {t(`policy.status.${status as 'active'}`)}
    </Badge>
  );
}

function Exhaustion({ p }: { p: PolicyBalance }) {
  const { t } = useI18n();
  const f = useFormat();
  if (!p.projectedExhaustionOn) {
    return (
      <Text size="xs" c="dimmed">
        {t('finance.balances.noProjection')}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      <Text size="sm" data-testid="projected-exhaustion" data-date={p.projectedExhaustionOn}>
        {f.date(p.projectedExhaustionOn)}
      </Text>
      {p.exhaustsBeforeExpiry && (
        <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color="orange" variant="light" c={darkText('orange')} tt="none" size="sm" leftSection={<IconAlertTriangle size={12} aria-hidden="true" />}>
          {t('finance.balances.beforeExpiry')}
        </Badge>
      )}
    </Stack>
  );
}

function BalancesChart({ items }: { items: PolicyBalance[] }) {
  const { t, language } = useI18n();
  const f = useFormat();
  const used = t('finance.balances.used');
  const left = t('finance.balances.left');
  const label = (p: PolicyBalance) => `${p.customerName ?? p.customerId?.slice(0, 8) ?? ''} · ${p.number ?? p.policyId.slice(0, 8)}`;
  const shown = items.slice(0, 20);
  const data = shown.map((p) => ({ policy: label(p), [used]: hours(p.minutesUsed), [left]: hours(Math.max(0, p.minutesRemaining)) }));
  const number = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 1 });
  const table: FigureTable = {
    columns: [t('finance.balances.policy'), used, left, t('finance.balances.burn')],
    rows: shown.map((p) => ({ key: p.policyId, header: label(p), cells: [f.minutes(p.minutesUsed), f.minutes(Math.max(0, p.minutesRemaining)), t('finance.balances.perMonth', { d: f.minutes(p.burn.minutesPerMonth) })] })),
  };
  return (
    <ChartFigure
      title={t('finance.balances.chartTitle')}
      caption={t('finance.balances.chartCaption')}
      testId="balances-chart"
      table={table}
      empty={items.length === 0 ? t('finance.balances.empty') : null}
      chart={
        <BarChart
          h={Math.max(160, 36 * shown.length + 70)}
          data={data}
          dataKey="policy"
          type="stacked"
          orientation="vertical"
          series={[
            { name: used, color: 'blue.8' },
            { name: left, color: 'teal.3' },
          ]}
          withLegend
          valueFormatter={(v) => `${number.format(v)} h`}
          yAxisProps={{ width: 150, tickFormatter: (v: string) => (v.length > 24 ? `${v.slice(0, 23)}…` : v) }}
        />
      }
    />
  );
}

export function PolicyBalancesPanel({ customerId }: { customerId: string }) {
  const { t, language } = useI18n();
  const f = useFormat();
  const [status, setStatus] = useState('');
  const balances = usePolicyBalances(customerId, status);
  const items = balances.data ?? [];
  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('finance.balances.status')}
          value={status || '__all__'}
          onChange={(v) => setStatus(!v || v === '__all__' ? '' : v)}
          allowDeselect={false}
          w={200}
          data={[
            { value: '__all__', label: t('finance.balances.anyStatus') },
            ...(['active', 'exhausted', 'expired', 'not-started'] as const).map((s) => ({ value: s, label: t(`policy.status.${s}`) })),
          ]}
        />
        <Text size="xs" c="dimmed" maw={560}>
          {t('finance.balances.burnNote')}
        </Text>
      </Group>
      {balances.isPending && <ScreenLoader />}
      {balances.isError && <ProblemAlert error={balances.error} />}
      {balances.data && items.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('finance.balances.empty')}
        </Alert>
      )}
      {items.length > 0 && (
        <>
          <ScrollTable minWidth={1000} label={t('finance.tab.balances')}>
            <Table striped verticalSpacing={6} fz="sm" data-testid="balances-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('finance.balances.policy')}</Table.Th>
                  <Table.Th>{t('finance.balances.statusCol')}</Table.Th>
                  <Table.Th>{t('finance.balances.balance')}</Table.Th>
                  <Table.Th>{t('finance.balances.validity')}</Table.Th>
                  <Table.Th>{t('finance.balances.burn')}</Table.Th>
                  <Table.Th>{t('finance.balances.exhaustion')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((p) => {
                  const share = p.minutesPurchased > 0 ? Math.round((Math.max(0, p.minutesRemaining) / p.minutesPurchased) * 100) : 0;
                  return (
                    <Table.Tr key={p.policyId} data-policy-id={p.policyId} data-minutes-left={p.minutesRemaining}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {p.customerName ?? p.customerId ?? '—'}
                        </Text>
                        <Text size="xs">{t('policy.certificate', { number: p.number ?? '—' })}</Text>
                        {p.plan && (
                          <Text size="xs" c="dimmed">
                            {t(`policy.plan.${p.plan}`)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <PolicyStateBadge status={p.status} />
                      </Table.Td>
                      <Table.Td miw={170}>
                        <Text size="sm">{t('policy.leftOf', { left: f.minutes(Math.max(0, p.minutesRemaining)), total: f.minutes(p.minutesPurchased) })}</Text>
                        <Progress value={share} color={share < 20 ? 'orange' : 'teal'} size="sm" mt={2} aria-label={t('policy.leftShare', { percent: share })} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{t('policy.validRange', { from: f.date(p.validFrom), until: f.date(p.validUntil) })}</Text>
                        <Text size="xs" c={p.daysToExpiry < 0 ? undefined : p.daysToExpiry <= 30 ? 'orange.9' : 'dimmed'}>
                          {p.daysToExpiry < 0 ? t('finance.balances.expiredDays', { n: -p.daysToExpiry }) : t('finance.balances.daysLeft', { n: p.daysToExpiry })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" data-testid="burn-rate" data-minutes-per-month={p.burn.minutesPerMonth}>
                          {t('finance.balances.perMonth', { d: f.minutes(p.burn.minutesPerMonth) })}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {p.burn.months.map((m) => `${formatMonth(m.month, language)}: ${f.minutes(m.minutes)}`).join(' · ') || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Exhaustion p={p} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <BalancesChart items={items} />
        </>
      )}
    </Stack>
  );
}
