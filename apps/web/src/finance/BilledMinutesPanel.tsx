/**
 * Billed minutes by customer, policy and month: totals, a bar chart stacked by customer per
 * month (with its table), the full table (customer and policy by month, with totals), and the
 * API's CSV of every row, saved as the API sends it.
 */
import { BarChart } from '@mantine/charts';
import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { useI18n } from '../shared/i18n/i18n';
import { formatByCurrency } from '../shared/money';
import { ChartFigure, type FigureTable } from '../shared/charts/ChartFigure';
import { OTHER_COLOR, SERIES_COLORS, hours } from '../shared/charts/palette';
import { useFormat } from '../shared/session/format';
import { intlLocale } from '../shared/time/format';
import { formatMonth } from '../shared/time/period';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import type { PeriodFilters } from '../shared/ui/PeriodFilter';
import { DownloadButton } from '../shared/ui/DownloadButton';
import { downloadBilledCsv, useBilledSummary, type BilledSummary } from './finance-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

const MAX_SERIES = 8;

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="sm" radius="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

function useCustomerLabel() {
  const { t } = useI18n();
  return (c: { customerId: string | null; customerName: string | null }) => c.customerName ?? (c.customerId ? c.customerId.slice(0, 8) : t('finance.noCustomer'));
}

function ByMonthChart({ summary }: { summary: BilledSummary }) {
  const { t, language } = useI18n();
  const f = useFormat();
  const customerLabel = useCustomerLabel();
  const customers = [...summary.totals.byCustomer].sort((a, b) => b.minutes - a.minutes);
  const shown = customers.slice(0, MAX_SERIES);
  const others = customers.slice(MAX_SERIES);
  const otherLabel = t('finance.billed.others', { n: others.length });
  const series = [
    ...shown.map((c, i) => ({ name: customerLabel(c), color: SERIES_COLORS[i % SERIES_COLORS.length], id: c.customerId })),
    ...(others.length ? [{ name: otherLabel, color: OTHER_COLOR, id: '__others__' }] : []),
  ];
  const shownIds = new Set(shown.map((c) => c.customerId));
  const minutesOf = (month: string, id: string | null | '__others__') =>
    summary.rows.filter((r) => r.month === month && (id === '__others__' ? !shownIds.has(r.customerId) : r.customerId === id)).reduce((s, r) => s + r.minutes, 0);
  const data = summary.months.map((m) => {
    const row: Record<string, string | number> = { month: formatMonth(m, language) };
    for (const s of series) row[s.name] = hours(minutesOf(m, s.id));
    return row;
  });
  const monthTotal = (m: string) => summary.totals.byMonth.find((x) => x.month === m)?.minutes ?? 0;
  const table: FigureTable = {
    columns: [t('finance.billed.customer'), ...summary.months.map((m) => formatMonth(m, language)), t('finance.total')],
    rows: series.map((s) => {
      const cells = summary.months.map((m) => f.minutes(minutesOf(m, s.id)));
      const total = summary.months.reduce((sum, m) => sum + minutesOf(m, s.id), 0);
      return { key: String(s.id), header: s.name, cells: [...cells, f.minutes(total)] };
    }),
    footer: { header: t('finance.total'), cells: [...summary.months.map((m) => f.minutes(monthTotal(m))), f.minutes(summary.totals.minutes)] },
  };
  const number = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 1 });
  return (
    <ChartFigure
      title={t('finance.billed.chartTitle')}
      caption={t('finance.billed.chartCaption')}
      testId="billed-chart"
      empty={summary.rows.length === 0 ? t('finance.billed.empty') : null}
      table={table}
      chart={
        <BarChart
          h={300}
          data={data}
          dataKey="month"
          type="stacked"
          series={series.map(({ name, color }) => ({ name, color }))}
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          unit=" h"
          valueFormatter={(v) => number.format(v)}
          yAxisLabel={t('finance.billed.axisHours')}
          maxBarWidth={56}
        />
      }
    />
  );
}

function DetailTable({ summary }: { summary: BilledSummary }) {
  const { t, language } = useI18n();
  const f = useFormat();
  const customerLabel = useCustomerLabel();
  // one line per customer and policy (or per-event work), months as columns
  const lines = new Map<string, { customer: string; policy: string; byMonth: Map<string, number>; total: number; charge: Record<string, number> }>();
  for (const r of summary.rows) {
    const key = `${r.customerId ?? ''}|${r.policyId ?? ''}`;
    let line = lines.get(key);
    if (!line) {
      line = { customer: customerLabel(r), policy: r.policyId ? (r.policyNumber ?? r.policyId.slice(0, 8)) : t('finance.billed.perEvent'), byMonth: new Map(), total: 0, charge: {} };
      lines.set(key, line);
    }
    line.byMonth.set(r.month, (line.byMonth.get(r.month) ?? 0) + r.minutes);
    line.total += r.minutes;
    for (const [c, v] of Object.entries(r.chargeMinor ?? {})) line.charge[c] = (line.charge[c] ?? 0) + v;
  }
  const sorted = [...lines.values()].sort((a, b) => a.customer.localeCompare(b.customer) || a.policy.localeCompare(b.policy));
  return (
    <ScrollTable minWidth={Math.max(640, 320 + summary.months.length * 90)} label={t('finance.billed.tableTitle')}>
      <Table striped withTableBorder verticalSpacing={4} fz="sm" data-testid="billed-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('finance.billed.customer')}</Table.Th>
            <Table.Th scope="col">{t('finance.billed.policy')}</Table.Th>
            {summary.months.map((m) => (
              <Table.Th scope="col" key={m} ta="right">
                {formatMonth(m, language)}
              </Table.Th>
            ))}
            <Table.Th scope="col" ta="right">
              {t('finance.total')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('finance.billed.charges')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((l) => (
            <Table.Tr key={`${l.customer}|${l.policy}`}>
              <Table.Th scope="row" fw={500}>
                {l.customer}
              </Table.Th>
              <Table.Td>{l.policy}</Table.Td>
              {summary.months.map((m) => (
                <Table.Td key={m} ta="right">
                  {l.byMonth.has(m) ? f.minutes(l.byMonth.get(m)!) : '—'}
                </Table.Td>
              ))}
              <Table.Td ta="right" fw={600} data-minutes={l.total}>
                {f.minutes(l.total)}
              </Table.Td>
              <Table.Td ta="right">{formatByCurrency(l.charge, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={2}>
              {t('finance.total')}
            </Table.Th>
            {summary.months.map((m) => (
              <Table.Td key={m} ta="right" fw={700}>
                {f.minutes(summary.totals.byMonth.find((x) => x.month === m)?.minutes ?? 0)}
              </Table.Td>
            ))}
            <Table.Td ta="right" fw={700} data-testid="billed-total" data-minutes={summary.totals.minutes}>
              {f.minutes(summary.totals.minutes)}
            </Table.Td>
            <Table.Td ta="right" fw={700}>
              {formatByCurrency(summary.totals.chargeMinor, language)}
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </ScrollTable>
  );
}

export function BilledMinutesPanel({ filters }: { filters: PeriodFilters }) {
  const { t, language } = useI18n();
  const f = useFormat();
  const summary = useBilledSummary(filters, !filters.invalid);
  const data = summary.data;
  const policyMinutes = data?.totals.byMonth.reduce((s, m) => s + m.policyMinutes, 0) ?? 0;
  const perEventMinutes = data?.totals.byMonth.reduce((s, m) => s + m.perEventMinutes, 0) ?? 0;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed">
          {t('finance.billed.intro')}
        </Text>
        <DownloadButton label={t('finance.billed.csv')} testId="billed-csv" onDownload={() => downloadBilledCsv(filters)} />
      </Group>
      {summary.isPending && !filters.invalid && <ScreenLoader />}
      {summary.isError && <ProblemAlert error={summary.error} />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
            <Figure label={t('finance.billed.totalMinutes')} value={f.minutes(data.totals.minutes)} testId="billed-total-minutes" />
            <Figure label={t('finance.billed.policyMinutes')} value={f.minutes(policyMinutes)} />
            <Figure label={t('finance.billed.perEventMinutes')} value={f.minutes(perEventMinutes)} />
            <Figure label={t('finance.billed.charges')} value={formatByCurrency(data.totals.chargeMinor, language)} />
          </SimpleGrid>
          <ByMonthChart summary={data} />
          {data.rows.length === 0 ? (
            <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
              {t('finance.billed.empty')}
            </Alert>
          ) : (
            <Paper withBorder p={{ base: 'xs', sm: 'md' }} radius="sm" component="section" aria-labelledby="billed-detail-title">
              <Text fw={600} id="billed-detail-title" mb="xs" component="h2" size="md">
                {t('finance.billed.tableTitle')}
              </Text>
              <DetailTable summary={data} />
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
