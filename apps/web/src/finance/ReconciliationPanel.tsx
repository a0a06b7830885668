/**
 * The reconciliation verdict: what `npm run reconcile` runs, through the API (every policy's
 * minutes and the period's billed minutes recomputed from the event log and compared with the
 * read models). Green only when there is no difference; otherwise every difference is listed
 * with what the log says and what the read model says. It reads the whole log: it runs when
 * the tab opens and when asked again, never on a timer.
 */
import { Anchor, Badge, Button, Code, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh, IconScale, IconScaleOutline } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCustomerNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { darkText } from '../shared/ui/colors';
import type { PeriodFilters } from '../shared/ui/PeriodFilter';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { VerdictAlert } from '../shared/ui/VerdictAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useReconciliation, type Difference, type Reconciliation } from './finance-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

function value(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  const json = JSON.stringify(v);
  return json.length > 240 ? `${json.slice(0, 240)}…` : json;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** for two objects (totals), only the fields that differ: "minutes: 45" against "minutes: 50" */
function sides(d: Difference): [string, string] {
  if (isObject(d.expected) && isObject(d.actual)) {
    const keys = [...new Set([...Object.keys(d.expected), ...Object.keys(d.actual)])].filter((k) => JSON.stringify(d.expected && (d.expected as Record<string, unknown>)[k]) !== JSON.stringify((d.actual as Record<string, unknown>)[k]));
    const side = (o: Record<string, unknown>) => keys.map((k) => `${k}: ${value(o[k])}`).join(', ');
    if (keys.length > 0) return [side(d.expected), side(d.actual)];
  }
  return [value(d.expected), value(d.actual)];
}

function Subject({ d }: { d: Difference }) {
  const { t } = useI18n();
  const customerName = useCustomerNames();
  if (d.kind.startsWith('billed-row') || d.kind === 'deduction-without-work-log') {
    const [ticketId, entryId] = d.id.split('/');
    if (ticketId && entryId) {
      return (
        <Stack gap={0}>
          <Anchor underline="always" component={Link} to={`/cases/${ticketId}`} size="sm">
            {t('audit.replayCase', { id: ticketId.slice(0, 8) })}
          </Anchor>
          <Text size="xs" c="dimmed">
            {t('finance.reconciliation.entry', { id: entryId })}
          </Text>
        </Stack>
      );
    }
  }
  return (
    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
      {d.kind.startsWith('policy') ? t('finance.reconciliation.policyId', { id: d.id }) : t('finance.reconciliation.customerId', { id: d.id === '(none)' ? '—' : customerName(d.id) })}
    </Text>
  );
}

function Verdict({ report }: { report: Reconciliation }) {
  const { t } = useI18n();
  const green = report.ok && report.differenceCount === 0;
  if (green) {
    return (
      <VerdictAlert color="green" icon={<IconScale aria-hidden="true" />} title={t('finance.reconciliation.okTitle')} data-testid="reconciliation-verdict" data-ok="true" role="status">
        {t('finance.reconciliation.ok', { policies: report.policies.length, rows: report.billed.rows })}
      </VerdictAlert>
    );
  }
  return (
    <VerdictAlert color="red" icon={<IconScaleOutline aria-hidden="true" />} title={t('finance.reconciliation.differencesTitle', { n: report.differenceCount })} data-testid="reconciliation-verdict" data-ok="false" data-differences={report.differenceCount} role="alert">
      {t('finance.reconciliation.differences')}
      {report.truncated && <Text size="sm">{t('finance.reconciliation.truncated', { shown: report.differences.length, n: report.differenceCount })}</Text>}
    </VerdictAlert>
  );
}

export function ReconciliationPanel({ filters }: { filters: PeriodFilters }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const [run, setRun] = useState(1);
  const report = useReconciliation({ from: filters.from, to: filters.to }, filters.invalid ? 0 : run);
  const data = report.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" maw={720}>
          {t('finance.reconciliation.intro')}
        </Text>
        <Button leftSection={<IconRefresh size={16} aria-hidden="true" />} onClick={() => setRun((n) => n + 1)} loading={report.isFetching} data-testid="reconciliation-run">
          {t('finance.reconciliation.run')}
        </Button>
      </Group>
      {report.isFetching && !data && <ScreenLoader />}
      {report.isError && <ProblemAlert error={report.error} />}
      {data && (
        <>
          <Verdict report={data} />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="xs">
            <Text size="sm">
              <Text span c="dimmed">
                {t('finance.reconciliation.ranAt')}:{' '}
              </Text>
              {f.instant(data.startedAt)}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('finance.reconciliation.head')}:{' '}
              </Text>
              {data.head}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('finance.reconciliation.checkpoints')}:{' '}
              </Text>
              {t('finance.reconciliation.checkpointsValue', { policies: data.checkpoints.policies, billing: data.checkpoints.billing })}
            </Text>
            <Text size="sm">
              <Text span c="dimmed">
                {t('finance.reconciliation.duration')}:{' '}
              </Text>
              {t('finance.reconciliation.ms', { ms: data.durationMs })}
            </Text>
          </SimpleGrid>
          {data.lag > 0 && (
            <VerdictAlert color="yellow">
              {t('finance.reconciliation.lag', { n: data.lag })}
            </VerdictAlert>
          )}
          {data.differences.length > 0 && (
            <ScrollTable minWidth={760} label={t('finance.tab.reconciliation')}>
              <Table striped verticalSpacing={6} fz="sm" data-testid="reconciliation-differences">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('finance.reconciliation.kind')}</Table.Th>
                    <Table.Th>{t('finance.reconciliation.subject')}</Table.Th>
                    <Table.Th>{t('finance.reconciliation.field')}</Table.Th>
                    <Table.Th>{t('finance.reconciliation.expected')}</Table.Th>
                    <Table.Th>{t('finance.reconciliation.actual')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.differences.map((d, i) => {
                    const [expected, actual] = sides(d);
                    return (
                    <Table.Tr key={`${d.kind}|${d.id}|${d.field}|${i}`} data-kind={d.kind} data-id={d.id} data-field={d.field ?? ''}>
                      <Table.Td miw={170}>
                        <Group gap={4} wrap="nowrap" align="flex-start">
                          <IconAlertTriangle size={16} color={darkText('red')} aria-hidden="true" style={{ flexShrink: 0, marginTop: 2 }} />
                          <Text size="sm" c={darkText('red')} fw={600}>
                            {tx(`finance.reconciliation.kind.${d.kind}`, d.kind)}
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Subject d={d} />
                      </Table.Td>
                      <Table.Td>{d.field ? tx(`finance.reconciliation.fieldName.${d.field}`, d.field) : '—'}</Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        <Code>{expected}</Code>
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        <Code>{actual}</Code>
                      </Table.Td>
                    </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          <Text size="xs" c="dimmed">
            {t('finance.reconciliation.cli', { from: filters.from, to: filters.to })}
          </Text>
        </>
      )}
    </Stack>
  );
}
