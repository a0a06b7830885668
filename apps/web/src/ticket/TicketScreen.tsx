/**
 * The agent's ticket workspace: header with status, SLA and the decisions; the conversation
 * (public replies and internal notes), the SLA timeline, quotes and the work log in tabs; the
 * case's facts beside them. Everything refreshes live.
 */
import { Alert, Anchor, Badge, Grid, Group, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconMessageQuestion } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import type { TicketDetail } from '../shared/api/views';
import { isProblem } from '../shared/api/problem';
import { useCustomerNames, useUserNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { canWorkTickets, useMe } from '../shared/session/session';
import { departmentName, productName, useSettings } from '../shared/session/settings';
import { gradeTicket } from '../shared/sla/grade';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { StatusBadge } from '../shared/ui/StatusBadge';
import { classificationLabel } from '../shared/ui/labels';
import { QuotesPanel } from '../quotes/QuotesPanel';
import { WorkLogPanel } from '../work-log/WorkLogPanel';
import { ConversationPanel } from './Conversation';
import { SlaSummary, SlaTimelinePanel } from './SlaPanel';
import { TicketActions } from './TicketActions';
import { useTicket } from './ticket-api';
import NoScreen from '../app/NoScreen';
import { darkText } from '../shared/ui/colors';

function Facts({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const f = useFormat();
  const settings = useSettings();
  const customerName = useCustomerNames();
  const userName = useUserNames();
  const level = settings.escalationLevels.find((l) => l.level === ticket.escalationLevel);
  const rows: Array<[string, React.ReactNode]> = [
    [t('ticket.customer'), customerName(ticket.customerId)],
    [t('ticket.department'), departmentName(settings, ticket.department)],
    [t('ticket.product'), productName(settings, ticket.product)],
    [t('ticket.channel'), ticket.channel ? t(`channel.${ticket.channel as 'portal'}`) : '—'],
    [t('ticket.reporter'), ticket.reporterId ? userName(ticket.reporterId) : '—'],
    [t('ticket.classification'), classificationLabel(ticket.classification, t)],
    [t('ticket.assignee'), ticket.assigneeId ? userName(ticket.assigneeId) : t('queue.unassigned')],
    [t('ticket.escalationLevel'), level ? `${ticket.escalationLevel} · ${level.name}` : String(ticket.escalationLevel)],
    [t('ticket.receivedAt'), f.instant(ticket.receivedAt)],
    [t('ticket.lastActivity'), f.instant(ticket.lastActivityAt)],
  ];
  if (ticket.closedAt) rows.push([t('ticket.closedAt'), f.instant(ticket.closedAt)]);
  if (ticket.closeReason) rows.push([t('ticket.closeReason'), t(`closeReason.${ticket.closeReason as 'resolved'}`)]);
  return (
    <SimpleGrid component="dl" cols={2} spacing={6} verticalSpacing={4} m={0} data-testid="ticket-facts">
      {rows.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <Text component="dt" size="sm" c="dimmed">
            {k}
          </Text>
          <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
            {v}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

function History({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const f = useFormat();
  if (ticket.escalations.length === 0 && ticket.contactAttempts.length === 0) return null;
  return (
    <Stack gap={6}>
      {ticket.escalations.length > 0 && (
        <>
          <Title order={3} size="h6">
            {t('ticket.escalations')}
          </Title>
          {ticket.escalations.map((e, i) => (
            <Text size="sm" key={i}>
              {t('ticket.escalationLine', { level: e.level, at: f.instant(e.escalatedAt ?? null), reason: e.reason })}
            </Text>
          ))}
        </>
      )}
      {ticket.contactAttempts.length > 0 && (
        <>
          <Title order={3} size="h6">
            {t('ticket.contactAttempts')}
          </Title>
          {ticket.contactAttempts.map((c, i) => (
            <Text size="sm" key={i}>
              {t('ticket.contactLine', { n: c.attempt, channel: t(`channel.${c.channel}`), at: f.instant(c.attemptedAt), note: c.note })}
            </Text>
          ))}
        </>
      )}
    </Stack>
  );
}

export default function TicketScreen() {
  const { ticketId = '' } = useParams();
  const me = useMe();
  return <TicketWorkspace key={ticketId} ticketId={ticketId} staff={canWorkTickets(me)} />;
}

function TicketWorkspace({ ticketId, staff }: { ticketId: string; staff: boolean }) {
  const { t } = useI18n();
  const f = useFormat();
  const ticketQuery = useTicket(ticketId);
  if (ticketQuery.isPending) return <ScreenLoader />;
  if (ticketQuery.isError) {
    if (isProblem(ticketQuery.error, 'not-found')) return <NoScreen notFound />;
    return <ProblemAlert error={ticketQuery.error} />;
  }
  const ticket = ticketQuery.data;
  const sla = gradeTicket(ticket);
  return (
    <Stack gap="md" data-testid="ticket-screen" data-ticket-id={ticket.ticketId} data-version={ticket.version}>
      <Anchor component={Link} to="/queue" size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden="true" />
          {t('ticket.backToQueue')}
        </Group>
      </Anchor>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <StatusBadge status={ticket.status} />
          <Badge variant="outline" color="gray" c={darkText('gray')} tt="none">
            {classificationLabel(ticket.classification, t)}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('ticket.ref', { id: ticket.ticketId.slice(0, 8) })} · {t('ticket.openedAt', { at: f.instant(ticket.openedAt) })}
          </Text>
        </Group>
        <Title order={1} size="h3" style={{ overflowWrap: 'anywhere' }}>
          {ticket.subject}
        </Title>
      </Stack>
      {staff && <TicketActions ticket={ticket} />}
      {ticket.pendingQuestion && ticket.status === 'awaiting-customer' && (
        <Alert color="violet" variant="light" icon={<IconMessageQuestion aria-hidden="true" />} title={t('ticket.waitingTitle')}>
          {ticket.pendingQuestion}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Tabs defaultValue="conversation" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="conversation">{t('ticket.tab.conversation')}</Tabs.Tab>
              <Tabs.Tab value="sla">{t('ticket.tab.sla')}</Tabs.Tab>
              <Tabs.Tab value="quotes" data-testid="tab-quotes">
                {t('ticket.tab.quotes', { n: ticket.quotes.length })}
              </Tabs.Tab>
              {staff && (
                <Tabs.Tab value="work" data-testid="tab-work">
                  {t('ticket.tab.work', { minutes: f.minutes(ticket.minutesLogged) })}
                </Tabs.Tab>
              )}
            </Tabs.List>
            <Tabs.Panel value="conversation" pt="sm">
              <ConversationPanel ticketId={ticket.ticketId} staffView={staff} replyDisabledReason={ticket.status === 'closed' ? t('conversation.closed') : null} />
            </Tabs.Panel>
            <Tabs.Panel value="sla" pt="sm">
              <SlaTimelinePanel ticketId={ticket.ticketId} />
            </Tabs.Panel>
            <Tabs.Panel value="quotes" pt="sm">
              <QuotesPanel ticket={ticket} audience={staff ? 'staff' : 'customer'} />
            </Tabs.Panel>
            {staff && (
              <Tabs.Panel value="work" pt="sm">
                <WorkLogPanel ticket={ticket} />
              </Tabs.Panel>
            )}
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="sm" component="section" aria-label={t('ticket.responseTarget')}>
              <Title order={2} size="h5" mb="xs">
                {t('ticket.responseTarget')}
              </Title>
              <SlaSummary ticket={ticket} sla={sla} />
            </Paper>
            <Paper withBorder p="md" radius="sm" component="section" aria-label={t('ticket.details')}>
              <Title order={2} size="h5" mb="xs">
                {t('ticket.details')}
              </Title>
              <Facts ticket={ticket} />
            </Paper>
            <History ticket={ticket} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
