/**
 * What is behind a bar or a cell: the tickets the server counts for it (the drill-down query
 * with the same filter as the chart), with the count it answers, each linked to its ticket.
 */
import { Anchor, Badge, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconCircleCheck, IconCircleX, IconRobot, IconUser } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useCustomerNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useOverlayTransition } from '../shared/ui/motion';
import { usePersonName } from '../shared/people';
import { useFormat } from '../shared/session/format';
import { canWorkTickets, useMe } from '../shared/session/session';
import { darkText } from '../shared/ui/colors';
import { classificationLabel } from '../shared/ui/labels';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useDrill, type Drill, type DrillPage } from './dashboard-api';
import { NowStateBadge } from './NowStateBadge';
import { ScrollTable } from '../shared/ui/ScrollTable';
import { LoadMore } from '../shared/ui/LoadMore';

function TicketLink({ ticketId, subject }: { ticketId: string; subject: string | null }) {
  const me = useMe();
  const { t } = useI18n();
  const work = canWorkTickets(me);
  return (
    <Stack gap={0}>
      <Anchor underline="always" component={Link} to={work ? `/tickets/${ticketId}` : `/cases/${ticketId}`} size="sm" fw={500} data-testid="drill-ticket" data-ticket-id={ticketId}>
        {subject ?? ticketId}
      </Anchor>
      {work && (
        <Anchor underline="always" component={Link} to={`/cases/${ticketId}`} size="xs">
          {t('dashboard.drill.replay')}
        </Anchor>
      )}
    </Stack>
  );
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useI18n();
  const met = outcome === 'met';
  const color = met ? 'green' : 'red';
  const Icon = met ? IconCircleCheck : IconCircleX;
  return (
    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color={color} variant="light" c={darkText(color)} tt="none" leftSection={<Icon size={14} aria-hidden="true" />}>
      {t(met ? 'dashboard.met' : 'dashboard.missed')}
    </Badge>
  );
}

function Rows({ pages }: { pages: DrillPage[] }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const customerName = useCustomerNames();
  const name = usePersonName();
  const chart = pages[0]?.chart;
  if (chart === 'response-targets') {
    const items = pages.flatMap((p) => (p.chart === 'response-targets' ? p.items : []));
    return (
      <ScrollTable minWidth={640} label={t('dashboard.drill.list')}>
        <Table striped verticalSpacing={6} fz="sm" data-testid="drill-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard.drill.ticket')}</Table.Th>
              <Table.Th>{t('dashboard.drill.outcome')}</Table.Th>
              <Table.Th>{t('dashboard.drill.decided')}</Table.Th>
              <Table.Th>{t('dashboard.drill.target')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={`${i.ticketId}|${i.cycle}`} data-ticket-id={i.ticketId}>
                <Table.Td>
                  <TicketLink ticketId={i.ticketId} subject={i.subject} />
                  <Text size="xs" c="dimmed">
                    {customerName(i.customerId)} · {classificationLabel(i.classification as 'low', t)}
                    {i.cycle > 1 ? ` · ${t('dashboard.drill.cycle', { n: i.cycle })}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <OutcomeBadge outcome={i.outcome} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{f.instant(i.decidedAt)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(i.decidedBy === 'breach' ? 'dashboard.drill.byBreach' : 'dashboard.drill.byResponse')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{f.minutes(i.targetMinutes)}</Text>
                  <Text size="xs" c="dimmed">
                    {t('dashboard.drill.due', { at: f.instant(i.dueAt) })}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    );
  }
  if (chart === 'escalations') {
    const items = pages.flatMap((p) => (p.chart === 'escalations' ? p.items : []));
    return (
      <ScrollTable minWidth={640} label={t('dashboard.drill.list')}>
        <Table striped verticalSpacing={6} fz="sm" data-testid="drill-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dashboard.drill.ticket')}</Table.Th>
              <Table.Th>{t('dashboard.drill.level')}</Table.Th>
              <Table.Th>{t('dashboard.drill.requestedBy')}</Table.Th>
              <Table.Th>{t('dashboard.drill.when')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={`${i.ticketId}|${i.version}`} data-ticket-id={i.ticketId}>
                <Table.Td>
                  <TicketLink ticketId={i.ticketId} subject={i.subject} />
                  <Text size="xs" c="dimmed">
                    {customerName(i.customerId)}
                  </Text>
                </Table.Td>
                <Table.Td>{t('dashboard.levelName', { level: i.level, name: i.levelName })}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {i.automatic ? <IconRobot size={14} aria-hidden="true" /> : <IconUser size={14} aria-hidden="true" />}
                    <Text size="sm">{i.automatic ? t('dashboard.drill.automatic') : `${name(i.requestedBy)} (${tx(`role.${i.requestedByRole}`, i.requestedByRole)})`}</Text>
                  </Group>
                </Table.Td>
                <Table.Td>{f.instant(i.escalatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    );
  }
  const items = pages.flatMap((p) => (p.chart === 'sla-now' ? p.items : []));
  return (
    <ScrollTable minWidth={640} label={t('dashboard.drill.list')}>
      <Table striped verticalSpacing={6} fz="sm" data-testid="drill-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('dashboard.drill.ticket')}</Table.Th>
            <Table.Th>{t('dashboard.drill.state')}</Table.Th>
            <Table.Th>{t('dashboard.drill.due')}</Table.Th>
            <Table.Th>{t('dashboard.drill.assignee')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.ticketId} data-ticket-id={i.ticketId}>
              <Table.Td>
                <TicketLink ticketId={i.ticketId} subject={i.subject} />
                <Text size="xs" c="dimmed">
                  {customerName(i.customerId)} · {classificationLabel(i.classification as 'low' | null, t)}
                </Text>
              </Table.Td>
              <Table.Td>
                <NowStateBadge state={i.state} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{f.instant(i.responseDueAt)}</Text>
                {i.businessMinutesOverdue !== null ? (
                  <Text size="xs" c="red.9">
                    {f.businessLeft(-i.businessMinutesOverdue)}
                  </Text>
                ) : i.businessMinutesLeft !== null ? (
                  <Text size="xs" c="dimmed">
                    {f.businessLeft(i.businessMinutesLeft)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{i.assigneeId ? name(i.assigneeId) : t('queue.unassigned')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

export function DrillDown({ drill, onClose }: { drill: Drill | null; onClose: () => void }) {
  const transition = useOverlayTransition();
  const { t } = useI18n();
  const phone = useMediaQuery('(max-width: 48em)');
  const query = useDrill(drill);
  const pages = query.data?.pages ?? [];
  const total = pages[0]?.total ?? null;
  const listed = pages.reduce((s, p) => s + p.items.length, 0);
  return (
    <Drawer transitionProps={transition} opened={drill !== null} onClose={onClose} position="right" size={phone ? '100%' : 'xl'} title={drill?.title ?? ''} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="sm" data-testid="drilldown" data-total={total ?? ''} data-listed={listed}>
        {query.isPending && <ScreenLoader />}
        {query.isError && <ProblemAlert error={query.error} />}
        {total !== null && (
          <Text size="sm" fw={600} data-testid="drill-total">
            {t('dashboard.drill.count', { n: total })}
          </Text>
        )}
        {pages.length > 0 && listed > 0 && <Rows pages={pages} />}
        {total === 0 && (
          <Text size="sm" c="dimmed">
            {t('dashboard.drill.none')}
          </Text>
        )}
        <LoadMore query={query} w="fit-content" />
      </Stack>
    </Drawer>
  );
}
