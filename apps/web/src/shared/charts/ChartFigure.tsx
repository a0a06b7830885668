/**
 * A chart that every reader can use: a title, a switch between the chart and its table (the
 * same figures, with the drill-down buttons when the chart has them), a caption, and while the
 * chart shows, the table for screen readers (visually hidden, without controls). Charts never
 * say anything by colour alone: series are named in the legend, the tooltip and the table.
 */
import '@mantine/charts/styles.css';
import { Group, Paper, SegmentedControl, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconChartBar, IconTable } from '@tabler/icons-react';
import { useId, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { ScrollTable } from '../ui/ScrollTable';

export interface FigureTable {
  /** column headers; the first column names the rows */
  columns: string[];
  rows: Array<{ key: string; header: string; cells: ReactNode[]; plain?: string[] }>;
  /** an optional last row (totals) */
  footer?: { header: string; cells: ReactNode[]; plain?: string[] };
}

function TableOf({ table, caption, interactive, testId }: { table: FigureTable; caption: string; interactive: boolean; testId?: string }) {
  const body = (
      <Table striped withTableBorder verticalSpacing={4} fz="sm" data-testid={interactive ? testId : undefined}>
        {!interactive && <caption>{caption}</caption>}
        <Table.Thead>
          <Table.Tr>
            {table.columns.map((c, i) => (
              <Table.Th key={i} scope="col" ta={i === 0 ? undefined : 'right'}>
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((r) => (
            <Table.Tr key={r.key} data-row={r.key}>
              <Table.Th scope="row" fw={500}>
                {r.header}
              </Table.Th>
              {(interactive ? r.cells : (r.plain ?? r.cells)).map((c, i) => (
                <Table.Td key={i} ta="right">
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {table.footer && (
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row">{table.footer.header}</Table.Th>
              {(interactive ? table.footer.cells : (table.footer.plain ?? table.footer.cells)).map((c, i) => (
                <Table.Td key={i} ta="right" fw={700}>
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
  );
  // the screen readers' copy (visually hidden) is not a scroll region: nothing in it takes the focus
  return interactive ? (
    <ScrollTable minWidth={Math.min(900, 140 + table.columns.length * 90)} label={caption}>
      {body}
    </ScrollTable>
  ) : (
    body
  );
}

export function ChartFigure({
  title,
  caption,
  chart,
  table,
  empty,
  testId,
  actions,
  defaultView = 'chart',
}: {
  title: string;
  caption: string;
  chart: ReactNode;
  table: FigureTable;
  /** shown instead of chart and table when there is nothing to draw */
  empty?: string | null;
  testId?: string;
  actions?: ReactNode;
  defaultView?: 'chart' | 'table';
}) {
  const { t } = useI18n();
  const [view, setView] = useState<'chart' | 'table'>(defaultView);
  const titleId = useId();
  return (
    <Paper withBorder p={{ base: 'xs', sm: 'md' }} radius="sm" component="figure" m={0} aria-labelledby={titleId} data-testid={testId} data-view={view}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={2} size="h5" id={titleId}>
            {title}
          </Title>
          <Group gap="xs" wrap="wrap">
            {actions}
            {!empty && (
              <SegmentedControl
                size="xs"
                value={view}
                onChange={(v) => setView(v as 'chart' | 'table')}
                aria-label={t('chart.viewLabel', { title })}
                data={[
                  {
                    value: 'chart',
                    label: (
                      <Group gap={4} wrap="nowrap">
                        <IconChartBar size={14} aria-hidden="true" />
                        <span>{t('chart.showChart')}</span>
                      </Group>
                    ),
                  },
                  {
                    value: 'table',
                    label: (
                      <Group gap={4} wrap="nowrap">
                        <IconTable size={14} aria-hidden="true" />
                        <span>{t('chart.showTable')}</span>
                      </Group>
                    ),
                  },
                ]}
              />
            )}
          </Group>
        </Group>
        {empty ? (
          <Text size="sm" c="dimmed" data-empty="true">
            {empty}
          </Text>
        ) : view === 'chart' ? (
          <>
            <div data-chart="true">{chart}</div>
            <VisuallyHidden>
              <TableOf table={table} caption={`${title}. ${caption}`} interactive={false} />
            </VisuallyHidden>
          </>
        ) : (
          <TableOf table={table} caption={title} interactive testId={testId ? `${testId}-table` : undefined} />
        )}
        <Text component="figcaption" size="xs" c="dimmed">
          {caption}
        </Text>
      </Stack>
    </Paper>
  );
}
