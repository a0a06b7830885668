/**
 * The customer's portal home: the customer's tickets with their status and when a response is
 * due, a button to open a new one, and the policy balance.
 */
import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconInbox, IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { TicketSummary } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { useMe } from '../shared/session/session';
import { gradeQueueItem } from '../shared/sla/grade';
import { SlaBadge, SlaTimeLeft } from '../shared/sla/SlaBadge';
import { useNow } from '../shared/time/now';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { StatusBadge } from '../shared/ui/StatusBadge';
import { PolicySummary } from '../policies/PolicySummary';
import { useMyTickets } from './portal-api';
import { LoadMore } from '../shared/ui/LoadMore';

function TicketCard({ ticket, now }: { ticket: TicketSummary; now: number }) {
  const { t } = useI18n();
  const f = useFormat();
  const sla = gradeQueueItem({ ...ticket, breached: false }, now);
  return (
    <Paper withBorder p="sm" radius="sm" component="li" style={{ listStyle: 'none' }} data-ticket-id={ticket.ticketId}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
          <Text component={Link} to={`/portal/tickets/${ticket.ticketId}`} fw={600} c="blue.8" style={{ overflowWrap: 'anywhere' }}>
            {ticket.subject}
          </Text>
          <StatusBadge status={ticket.status} />
        </Group>
        {ticket.status !== 'closed' && (
          <Group gap="xs" wrap="wrap">
            <SlaBadge sla={sla} size="sm" />
            <SlaTimeLeft sla={sla} />
          </Group>
        )}
        <Text size="xs" c="dimmed">
          {t('ticket.ref', { id: ticket.ticketId.slice(0, 8) })} · {t('ticket.openedAt', { at: f.instant(ticket.openedAt) })}
        </Text>
      </Stack>
    </Paper>
  );
}

export default function PortalHome() {
  const { t } = useI18n();
  const me = useMe();
  const now = useNow();
  const [show, setShow] = useState<'active' | 'closed' | 'all'>('active');
  const tickets = useMyTickets();
  const items = useMemo(() => {
    const all = tickets.data?.pages.flatMap((p) => p.items) ?? [];
    return all.filter((x) => (show === 'all' ? true : show === 'closed' ? x.status === 'closed' : x.status !== 'closed'));
  }, [tickets.data, show]);
  return (
    <Stack gap="md" maw={900} data-testid="portal-home">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={1} size="h3">
          {t('portal.title')}
        </Title>
        <Button component={Link} to="/portal/new" leftSection={<IconPlus size={16} aria-hidden="true" />}>
          {t('portal.newTicket')}
        </Button>
      </Group>
      {me.customerId && <PolicySummary customerId={me.customerId} />}
      <SegmentedControl
        value={show}
        onChange={(v) => setShow(v as typeof show)}
        data={[
          { value: 'active', label: t('portal.filter.active') },
          { value: 'closed', label: t('portal.filter.closed') },
          { value: 'all', label: t('portal.filter.all') },
        ]}
        aria-label={t('portal.filter.label')}
        w="fit-content"
      />
      {tickets.isPending && <ScreenLoader />}
      {tickets.isError && <ProblemAlert error={tickets.error} />}
      {!tickets.isPending && items.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('portal.empty')}
        </Alert>
      )}
      <Stack gap="xs" component="ul" p={0} m={0} aria-label={t('portal.listLabel')} data-testid="portal-tickets">
        {items.map((ticket) => (
          <TicketCard key={ticket.ticketId} ticket={ticket} now={now} />
        ))}
      </Stack>
      <LoadMore query={tickets} w="fit-content" />
      <Text size="xs" c="dimmed">
        {t('portal.channelNote')}
      </Text>
    </Stack>
  );
}
