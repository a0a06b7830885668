/**
 * A customer's view of one ticket: status and when a response is due, the team's question
 * when it waits on the customer, the public conversation and the reply form, quotes to
 * authorize (approvers) or see pending, a follow-up request, escalation and reopening.
 */
import { Alert, Anchor, Button, Collapse, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useNotify } from '../shared/ui/notify';
import { IconArrowBigUpLines, IconArrowLeft, IconMessageQuestion } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import NoScreen from '../app/NoScreen';
import { isProblem } from '../shared/api/problem';
import type { TicketDetail } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { useMe } from '../shared/session/session';
import { gradeTicket } from '../shared/sla/grade';
import { SlaTimeLeft } from '../shared/sla/SlaBadge';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { StatusBadge } from '../shared/ui/StatusBadge';
import { QuotesPanel } from '../quotes/QuotesPanel';
import { ConversationPanel } from '../ticket/Conversation';
import { ReopenForm } from '../ticket/TicketActions';
import { useTicket, useTicketCommand } from '../ticket/ticket-api';
import { FollowUp } from './FollowUp';

function ResponseLine({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const sla = gradeTicket(ticket);
  if (ticket.status === 'closed') return null;
  if (sla.state === 'paused' && sla.pausedReason === 'awaiting-customer') {
    return <Text size="sm">{t('portal.waitingOnYou')}</Text>;
  }
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {t(sla.state === 'met' ? 'portal.responded' : 'portal.responseDue')}
      </Text>
      <SlaTimeLeft sla={sla} />
    </Stack>
  );
}

function EscalateRequest({ ticket }: { ticket: TicketDetail }) {
  const notify = useNotify();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const cmd = useTicketCommand(ticket.ticketId, 'escalations');
  if (ticket.status === 'closed') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    cmd.mutate(
      { reason: reason.trim() },
      {
        onSuccess: () => {
          setReason('');
          setOpen(false);
          notify(t('portal.escalated'));
        },
      },
    );
  };
  return (
    <Stack gap="xs">
      <Button variant="subtle" size="xs" w="fit-content" leftSection={<IconArrowBigUpLines size={14} aria-hidden="true" />} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {t('portal.escalate')}
      </Button>
      <Collapse expanded={open}>
        <form onSubmit={submit} aria-label={t('portal.escalate')}>
          <Stack gap="xs">
            <Textarea label={t('actions.escalate.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} maxLength={4000} />
            {cmd.isError && <ProblemAlert error={cmd.error} />}
            <Button type="submit" size="xs" loading={cmd.isPending} w="fit-content">
              {t('actions.escalate.submit')}
            </Button>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

export default function PortalTicketScreen() {
  const { ticketId = '' } = useParams();
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const query = useTicket(ticketId);
  const [reopening, setReopening] = useState(false);
  if (query.isPending) return <ScreenLoader />;
  if (query.isError) return isProblem(query.error, 'not-found') ? <NoScreen notFound /> : <ProblemAlert error={query.error} />;
  const ticket = query.data;
  return (
    <Stack gap="md" maw={900} data-testid="portal-ticket" data-ticket-id={ticket.ticketId}>
      <Anchor component={Link} to="/portal" size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden="true" />
          {t('portal.back')}
        </Group>
      </Anchor>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <StatusBadge status={ticket.status} />
          <Text size="xs" c="dimmed">
            {t('ticket.ref', { id: ticket.ticketId.slice(0, 8) })} · {t('ticket.openedAt', { at: f.instant(ticket.openedAt) })}
          </Text>
        </Group>
        <Title order={1} size="h3" style={{ overflowWrap: 'anywhere' }}>
          {ticket.subject}
        </Title>
        <ResponseLine ticket={ticket} />
      </Stack>
      {ticket.pendingQuestion && ticket.status === 'awaiting-customer' && (
        <Alert color="violet" variant="light" icon={<IconMessageQuestion aria-hidden="true" />} title={t('portal.questionTitle')}>
          {ticket.pendingQuestion}
        </Alert>
      )}
      {ticket.quotes.length > 0 && (
        <Paper withBorder p="md" radius="sm" component="section" aria-label={t('quote.title')}>
          <QuotesPanel ticket={ticket} audience="customer" approver={me.approver} />
        </Paper>
      )}
      <Paper withBorder p="md" radius="sm" component="section" aria-label={t('ticket.tab.conversation')}>
        <Title order={2} size="h5" mb="sm">
          {t('ticket.tab.conversation')}
        </Title>
        <ConversationPanel ticketId={ticket.ticketId} staffView={false} replyDisabledReason={ticket.status === 'closed' ? t('portal.closedReply') : null} />
      </Paper>
      {ticket.status === 'closed' ? (
        <Paper withBorder p="md" radius="sm" component="section" aria-label={t('actions.reopen')}>
          <Stack gap="xs">
            {ticket.resolution && (
              <Text size="sm">
                <b>{t('portal.resolution')}</b> {ticket.resolution}
              </Text>
            )}
            {reopening ? (
              <ReopenForm ticket={ticket} close={() => setReopening(false)} />
            ) : (
              <Button variant="light" w="fit-content" onClick={() => setReopening(true)}>
                {t('portal.reopen')}
              </Button>
            )}
          </Stack>
        </Paper>
      ) : (
        <>
          <FollowUp ticket={ticket} />
          <EscalateRequest ticket={ticket} />
        </>
      )}
    </Stack>
  );
}
