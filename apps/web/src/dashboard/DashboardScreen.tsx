/**
 * The supervisor's dashboard: open tickets breached now and at risk in the next 4 business
 * hours, response targets met and missed per month and per classification (counts and
 * percentages), workload per agent, escalations per level. Every bar and every figure opens
 * the tickets behind it (the drill-down counts the same tickets the chart counts).
 */
import { BarChart } from '@mantine/charts';
import { Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Language } from '../shared/api/views';
import { useI18n, type Translate } from '../shared/i18n/i18n';
import { ChartFigure, type FigureTable } from '../shared/charts/ChartFigure';
import { SERIES_COLORS } from '../shared/charts/palette';
import { usePersonName } from '../shared/people';
import { escalationLevelName, useSettings } from '../shared/session/settings';
import { darkText } from '../shared/ui/colors';
import { classificationLabel } from '../shared/ui/labels';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { intlLocale } from '../shared/time/format';
import { MONTH_RE, currentMonth, formatMonth, monthsAgoStart } from '../shared/time/period';
import { DrillDown } from './DrillDown';
import { NOW_LOOK, NOW_STATES, type NowState } from './NowStateBadge';
import {
  WITHIN_BUSINESS_MINUTES,
  useEscalations,
  useResponseTargets,
  useSlaNow,
  useWorkload,
  type Drill,
  type Escalations,
  type ResponseTargets,
  type Workload,
} from './dashboard-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

type Open = (drill: Drill) => void;

/** a count that opens the tickets behind it */
function DrillButton({ n, label, onOpen, testId }: { n: number; label: string; onOpen: () => void; testId?: string }) {
  if (n === 0) return <span data-count={0}>0</span>;
  return (
    <UnstyledButton
      onClick={onOpen}
      aria-label={label}
      data-count={n}
      data-testid={testId ?? 'drill-cell'}
      style={{ color: 'var(--mantine-color-blue-8)', textDecoration: 'underline', fontWeight: 600, fontSize: 'inherit' }}
    >
      {n}
    </UnstyledButton>
  );
}

const percent = (v: number | null | undefined, language: Language) =>
  v === null || v === undefined ? '—' : `${new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 1 }).format(v)} %`;

function NowCards({ open }: { open: Open }) {
  const { t } = useI18n();
  const now = useSlaNow();
  const counts = now.data?.counts;
  const value: Record<NowState, number> = counts
    ? { breached: counts.breached, 'at-risk': counts.atRisk, 'on-track': counts.onTrack, paused: counts.paused, responded: counts.responded }
    : { breached: 0, 'at-risk': 0, 'on-track': 0, paused: 0, responded: 0 };
  return (
    <Stack gap="xs">
      {now.isError && <ProblemAlert error={now.error} />}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" data-testid="now-cards">
        {NOW_STATES.map((s) => {
          const look = NOW_LOOK[s];
          const n = value[s];
          const title = t(`dashboard.now.${s}`, { hours: WITHIN_BUSINESS_MINUTES / 60 });
          return (
            <Paper
              key={s}
              withBorder
              p="sm"
              radius="sm"
              component="button"
              type="button"
              onClick={() => open({ chart: 'sla-now', query: { state: s, withinBusinessMinutes: WITHIN_BUSINESS_MINUTES }, title })}
              disabled={!counts}
              style={{ textAlign: 'left', cursor: 'pointer', borderLeft: `4px solid var(--mantine-color-${look.color}-${s === 'breached' ? 9 : 7})` }}
              data-testid={`now-${s}`}
              data-count={counts ? n : ''}
            >
              <Group gap={6} wrap="nowrap">
                <look.Icon size={18} aria-hidden="true" color={darkText(look.color)} />
                <Text size="sm" c={darkText(look.color)} fw={600}>
                  {title}
                </Text>
              </Group>
              <Text fw={700} fz={28} lh={1.2}>
                {counts ? n : '…'}
              </Text>
              <VisuallyHidden>{t('dashboard.now.show')}</VisuallyHidden>
            </Paper>
          );
        })}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('dashboard.now.note', { hours: WITHIN_BUSINESS_MINUTES / 60 })}
      </Text>
    </Stack>
  );
}

function ResponseByMonth({ data, open, t, language }: { data: ResponseTargets; open: Open; t: Translate; language: Language }) {
  const met = t('dashboard.met');
  const missed = t('dashboard.missed');
  const rows = data.months.map((m) => ({ month: formatMonth(m.month, language), monthKey: m.month, [met]: m.met, [missed]: m.missed }));
  const drill = (month: string, outcome: 'met' | 'missed' | null, label: string) =>
    open({ chart: 'response-targets', query: { month, ...(outcome ? { outcome } : {}) }, title: label });
  const table: FigureTable = {
    columns: [t('dashboard.month'), met, missed, t('dashboard.total'), t('dashboard.metPercent')],
    rows: data.months.map((m) => {
      const month = formatMonth(m.month, language, true);
      return {
        key: m.month,
        header: month,
        cells: [
          <DrillButton key="met" n={m.met} label={t('dashboard.drillLabel', { what: `${met}, ${month}`, n: m.met })} onOpen={() => drill(m.month, 'met', `${met} · ${month}`)} />,
          <DrillButton key="missed" n={m.missed} label={t('dashboard.drillLabel', { what: `${missed}, ${month}`, n: m.missed })} onOpen={() => drill(m.month, 'missed', `${missed} · ${month}`)} />,
          <DrillButton key="total" n={m.total} label={t('dashboard.drillLabel', { what: month, n: m.total })} onOpen={() => drill(m.month, null, month)} />,
          percent(m.metPercent, language),
        ],
        plain: [String(m.met), String(m.missed), String(m.total), percent(m.metPercent, language)],
      };
    }),
    footer: {
      header: t('dashboard.total'),
      cells: [String(data.totals.met), String(data.totals.missed), String(data.totals.total), percent(data.totals.metPercent, language)],
    },
  };
  return (
    <ChartFigure
      title={t('dashboard.responseByMonth.title')}
      caption={t('dashboard.responseByMonth.caption')}
      testId="response-by-month"
      empty={data.months.length === 0 ? t('dashboard.responseByMonth.empty') : null}
      table={table}
      chart={
        <BarChart
          h={280}
          data={rows}
          dataKey="month"
          type="stacked"
          series={[
            { name: met, color: 'teal.8' },
            { name: missed, color: 'red.8' },
          ]}
          withLegend
          maxBarWidth={64}
          yAxisLabel={t('dashboard.responses')}
          yAxisProps={{ allowDecimals: false }}
          barProps={(series) => ({
            cursor: 'pointer',
            onClick: (bar: { payload?: { monthKey?: string; month?: string } }) => {
              const p = bar?.payload;
              if (p?.monthKey) drill(p.monthKey, series.name === met ? 'met' : 'missed', `${series.name} · ${p.month}`);
            },
          })}
        />
      }
    />
  );
}

function ResponseByClassification({ data, open, t, language, range }: { data: ResponseTargets; open: Open; t: Translate; language: Language; range: { from: string; to: string } }) {
  const met = t('dashboard.met');
  const missed = t('dashboard.missed');
  const classes = data.totals.byClassification;
  const rows = classes.map((c) => ({ classification: classificationLabel(c.classification as 'low', t), key: c.classification, [met]: c.met, [missed]: c.missed }));
  const drill = (classification: string, outcome: 'met' | 'missed' | null, month: string | null, label: string) =>
    open({ chart: 'response-targets', query: { ...(month ? { month } : range), classification: classification as 'low', ...(outcome ? { outcome } : {}) }, title: label });
  const table: FigureTable = {
    columns: [t('dashboard.classification'), met, missed, t('dashboard.total'), t('dashboard.metPercent')],
    rows: classes.map((c) => {
      const label = classificationLabel(c.classification as 'low', t);
      return {
        key: c.classification,
        header: label,
        cells: [
          <DrillButton key="met" n={c.met} label={t('dashboard.drillLabel', { what: `${met}, ${label}`, n: c.met })} onOpen={() => drill(c.classification, 'met', null, `${met} · ${label}`)} />,
          <DrillButton key="missed" n={c.missed} label={t('dashboard.drillLabel', { what: `${missed}, ${label}`, n: c.missed })} onOpen={() => drill(c.classification, 'missed', null, `${missed} · ${label}`)} />,
          String(c.total),
          percent(c.metPercent, language),
        ],
        plain: [String(c.met), String(c.missed), String(c.total), percent(c.metPercent, language)],
      };
    }),
  };
  return (
    <Stack gap="md">
      <ChartFigure
        title={t('dashboard.responseByClass.title')}
        caption={t('dashboard.responseByClass.caption')}
        testId="response-by-class"
        empty={classes.length === 0 ? t('dashboard.responseByMonth.empty') : null}
        table={table}
        chart={
          <BarChart
            h={240}
            data={rows}
            dataKey="classification"
            type="stacked"
            series={[
              { name: met, color: 'teal.8' },
              { name: missed, color: 'red.8' },
            ]}
            withLegend
            maxBarWidth={64}
            yAxisLabel={t('dashboard.responses')}
            yAxisProps={{ allowDecimals: false }}
            barProps={(series) => ({
              cursor: 'pointer',
              onClick: (bar: { payload?: { key?: string; classification?: string } }) => {
                const p = bar?.payload;
                if (p?.key) drill(p.key, series.name === met ? 'met' : 'missed', null, `${series.name} · ${p.classification}`);
              },
            })}
          />
        }
      />
      {data.months.length > 0 && classes.length > 0 && (
        <Paper withBorder p={{ base: 'xs', sm: 'md' }} radius="sm" component="section" aria-labelledby="matrix-title">
          <Title order={2} size="h5" id="matrix-title" mb="xs">
            {t('dashboard.matrix.title')}
          </Title>
          <ScrollTable minWidth={200 + classes.length * 150} label={t('dashboard.matrix.title')}>
            <Table striped withTableBorder verticalSpacing={4} fz="sm" data-testid="response-matrix">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('dashboard.month')}</Table.Th>
                  {classes.map((c) => (
                    <Table.Th scope="col" key={c.classification} ta="right">
                      {classificationLabel(c.classification as 'low', t)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.months.map((m) => {
                  const month = formatMonth(m.month, language, true);
                  return (
                    <Table.Tr key={m.month}>
                      <Table.Th scope="row" fw={500}>
                        {month}
                      </Table.Th>
                      {classes.map((c) => {
                        const cell = m.byClassification.find((x) => x.classification === c.classification);
                        const label = classificationLabel(c.classification as 'low', t);
                        if (!cell || cell.total === 0) {
                          return (
                            <Table.Td key={c.classification} ta="right" c="dimmed">
                              —
                            </Table.Td>
                          );
                        }
                        return (
                          <Table.Td key={c.classification} ta="right">
                            <Group gap={4} justify="flex-end" wrap="nowrap">
                              <DrillButton n={cell.met} label={t('dashboard.drillLabel', { what: `${met}, ${label}, ${month}`, n: cell.met })} onOpen={() => drill(c.classification, 'met', m.month, `${met} · ${label} · ${month}`)} />
                              <Text span size="xs" c="dimmed">
                                {t('dashboard.matrix.of', { total: cell.total })}
                              </Text>
                              <Text span size="xs">
                                ({percent(cell.metPercent, language)})
                              </Text>
                            </Group>
                            {cell.missed > 0 && (
                              <Group gap={4} justify="flex-end" wrap="nowrap">
                                <Text span size="xs" c="red.9">
                                  {t('dashboard.matrix.missed')}
                                </Text>
                                <DrillButton n={cell.missed} label={t('dashboard.drillLabel', { what: `${missed}, ${label}, ${month}`, n: cell.missed })} onOpen={() => drill(c.classification, 'missed', m.month, `${missed} · ${label} · ${month}`)} />
                              </Group>
                            )}
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Text size="xs" c="dimmed" mt={4}>
            {t('dashboard.matrix.caption')}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}

function WorkloadChart({ data, open }: { data: Workload; open: Open }) {
  const { t } = useI18n();
  const name = usePersonName();
  const names = NOW_STATES.map((s) => t(`dashboard.state.${s}`));
  const rowsOf = [...data.agents, ...(data.unassigned.open > 0 ? [data.unassigned] : [])];
  const label = (agentId: string | null) => (agentId ? name(agentId) : t('queue.unassigned'));
  const countOf = (r: Workload['agents'][number], s: NowState) => (s === 'breached' ? r.breached : s === 'at-risk' ? r.atRisk : s === 'on-track' ? r.onTrack : s === 'paused' ? r.paused : r.responded);
  const chartRows = rowsOf.map((r) => {
    const row: Record<string, string | number | null> = { agent: label(r.agentId), agentId: r.agentId };
    NOW_STATES.forEach((s, i) => (row[names[i]] = countOf(r, s)));
    return row;
  });
  const drill = (agentId: string | null, s: NowState, title: string) =>
    open({ chart: 'sla-now', query: { state: s, withinBusinessMinutes: WITHIN_BUSINESS_MINUTES, ...(agentId ? { assigneeId: agentId } : { unassigned: true }) }, title });
  const table: FigureTable = {
    columns: [t('dashboard.workload.agent'), ...names, t('dashboard.workload.open')],
    rows: rowsOf.map((r) => ({
      key: r.agentId ?? '__unassigned__',
      header: label(r.agentId),
      cells: [
        ...NOW_STATES.map((s, i) => (
          <DrillButton key={s} n={countOf(r, s)} label={t('dashboard.drillLabel', { what: `${names[i]}, ${label(r.agentId)}`, n: countOf(r, s) })} onOpen={() => drill(r.agentId, s, `${names[i]} · ${label(r.agentId)}`)} />
        )),
        String(r.open),
      ],
      plain: [...NOW_STATES.map((s) => String(countOf(r, s))), String(r.open)],
    })),
    footer: {
      header: t('dashboard.total'),
      cells: [String(data.totals.breached), String(data.totals.atRisk), String(data.totals.onTrack), String(data.totals.paused), String(data.totals.responded), String(data.totals.open)],
    },
  };
  return (
    <ChartFigure
      title={t('dashboard.workload.title')}
      caption={t('dashboard.workload.caption', { hours: WITHIN_BUSINESS_MINUTES / 60 })}
      testId="workload"
      empty={rowsOf.length === 0 ? t('dashboard.workload.empty') : null}
      table={table}
      chart={
        <BarChart
          h={Math.max(180, 44 * rowsOf.length + 80)}
          data={chartRows}
          dataKey="agent"
          type="stacked"
          orientation="vertical"
          series={NOW_STATES.map((s, i) => ({ name: names[i], color: NOW_LOOK[s].chart }))}
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          yAxisProps={{ width: 150 }}
          xAxisProps={{ allowDecimals: false }}
          barProps={(series) => ({
            cursor: 'pointer',
            onClick: (bar: { payload?: { agentId?: string | null; agent?: string } }) => {
              const p = bar?.payload;
              const i = names.indexOf(series.name);
              if (p && i >= 0) drill(p.agentId ?? null, NOW_STATES[i], `${series.name} · ${p.agent}`);
            },
          })}
        />
      }
    />
  );
}

function EscalationsChart({ data, open, language }: { data: Escalations; open: Open; language: Language }) {
  const { t, tx } = useI18n();
  const settings = useSettings();
  const levels = [...new Set([...data.totals.levels.map((l) => l.level), ...settings.escalationLevels.map((l) => l.level).filter((l) => l > 0)])].sort((a, b) => a - b);
  const levelName = (level: number) => settings.escalationLevels.find((l) => l.level === level)?.name ?? escalationLevelName(data.totals.levels.find((l) => l.level === level)?.levelName, tx);
  const seriesName = (level: number) => t('dashboard.levelName', { level, name: levelName(level) });
  const rows = data.months.map((m) => {
    const row: Record<string, string | number> = { month: formatMonth(m.month, language), monthKey: m.month };
    for (const l of levels) row[seriesName(l)] = m.levels.find((x) => x.level === l)?.count ?? 0;
    return row;
  });
  const drill = (month: string, level: number | null, title: string) => open({ chart: 'escalations', query: { month, ...(level !== null ? { level } : {}) }, title });
  const table: FigureTable = {
    columns: [t('dashboard.month'), ...levels.map(seriesName), t('dashboard.total')],
    rows: data.months.map((m) => {
      const month = formatMonth(m.month, language, true);
      return {
        key: m.month,
        header: month,
        cells: [
          ...levels.map((l) => {
            const fig = m.levels.find((x) => x.level === l);
            const n = fig?.count ?? 0;
            return (
              <span key={l}>
                <DrillButton n={n} label={t('dashboard.drillLabel', { what: `${seriesName(l)}, ${month}`, n })} onOpen={() => drill(m.month, l, `${seriesName(l)} · ${month}`)} />
                {fig && fig.automatic > 0 ? (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    {t('dashboard.escalations.automatic', { n: fig.automatic })}
                  </Text>
                ) : null}
              </span>
            );
          }),
          <DrillButton key="total" n={m.total} label={t('dashboard.drillLabel', { what: month, n: m.total })} onOpen={() => drill(m.month, null, month)} />,
        ],
        plain: [...levels.map((l) => String(m.levels.find((x) => x.level === l)?.count ?? 0)), String(m.total)],
      };
    }),
    footer: { header: t('dashboard.total'), cells: [...levels.map((l) => String(data.totals.levels.find((x) => x.level === l)?.count ?? 0)), String(data.totals.total)] },
  };
  return (
    <ChartFigure
      title={t('dashboard.escalations.title')}
      caption={t('dashboard.escalations.caption')}
      testId="escalations"
      empty={data.months.length === 0 ? t('dashboard.escalations.empty') : null}
      table={table}
      chart={
        <BarChart
          h={260}
          data={rows}
          dataKey="month"
          type="stacked"
          series={levels.map((l, i) => ({ name: seriesName(l), color: SERIES_COLORS[(i + 2) % SERIES_COLORS.length] }))}
          withLegend
          maxBarWidth={64}
          yAxisLabel={t('dashboard.escalations.axis')}
          yAxisProps={{ allowDecimals: false }}
          barProps={(series) => ({
            cursor: 'pointer',
            onClick: (bar: { payload?: { monthKey?: string; month?: string } }) => {
              const p = bar?.payload;
              const l = levels.find((x) => seriesName(x) === series.name);
              if (p?.monthKey && l !== undefined) drill(p.monthKey, l, `${series.name} · ${p.month}`);
            },
          })}
        />
      }
    />
  );
}

export default function DashboardScreen() {
  const { t, language } = useI18n();
  const settings = useSettings();
  const [params, setParams] = useSearchParams();
  const [drill, setDrill] = useState<Drill | null>(null);
  const range = useMemo(() => {
    const from = params.get('from');
    const to = params.get('to');
    return {
      from: from && MONTH_RE.test(from) ? from : monthsAgoStart(settings.timeZone, 5).slice(0, 7),
      to: to && MONTH_RE.test(to) ? to : currentMonth(settings.timeZone),
    };
  }, [params, settings.timeZone]);
  const invalid = range.from > range.to;
  const targets = useResponseTargets(range);
  const escalations = useEscalations(range);
  const workload = useWorkload();
  const set = (k: 'from' | 'to', v: string) =>
    MONTH_RE.test(v) &&
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(k, v);
        return next;
      },
      { replace: true },
    );
  return (
    <Stack gap="md" data-testid="dashboard-screen">
      <Title order={1} size="h3">
        {t('dashboard.title')}
      </Title>
      <section aria-labelledby="now-title">
        <Title order={2} size="h4" id="now-title" mb="xs">
          {t('dashboard.now.title')}
        </Title>
        <NowCards open={setDrill} />
      </section>
      {workload.isPending && <ScreenLoader />}
      {workload.isError && <ProblemAlert error={workload.error} />}
      {workload.data && <WorkloadChart data={workload.data} open={setDrill} />}
      <section aria-labelledby="history-title">
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm" mb="xs">
          <Title order={2} size="h4" id="history-title">
            {t('dashboard.history.title')}
          </Title>
          <Group gap="sm" wrap="wrap" role="search" aria-label={t('dashboard.history.filters')}>
            <TextInput type="month" label={t('dashboard.fromMonth')} value={range.from} onChange={(e) => set('from', e.currentTarget.value)} w={170} error={invalid ? t('filters.fromAfterTo') : undefined} />
            <TextInput type="month" label={t('dashboard.toMonth')} value={range.to} onChange={(e) => set('to', e.currentTarget.value)} w={170} />
          </Group>
        </Group>
        <Stack gap="md">
          {(targets.isPending || escalations.isPending) && !invalid && <ScreenLoader />}
          {targets.isError && <ProblemAlert error={targets.error} />}
          {escalations.isError && <ProblemAlert error={escalations.error} />}
          {targets.data && (
            <>
              <ResponseByMonth data={targets.data} open={setDrill} t={t} language={language} />
              <ResponseByClassification data={targets.data} open={setDrill} t={t} language={language} range={range} />
            </>
          )}
          {escalations.data && <EscalationsChart data={escalations.data} open={setDrill} language={language} />}
          <Text size="xs" c="dimmed">
            {t('dashboard.history.note')}
          </Text>
        </Stack>
      </section>
      <DrillDown drill={drill} onClose={() => setDrill(null)} />
    </Stack>
  );
}
