/**
 * Ask for a follow-up (seed 002): not before 40 minutes (the company's setting) since the ticket
 * was opened or since the last follow-up. The button says when it becomes possible; the server
 * decides (422 follow-up-too-early names the instant) and the button then shows that instant.
 */
import { Button, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useNotify } from '../shared/ui/notify';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBellRinging } from '@tabler/icons-react';
import { useState } from 'react';
import { request } from '../shared/api/client';
import { isProblem } from '../shared/api/problem';
import type { TicketDetail } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { useSettings } from '../shared/session/settings';
import { useNow } from '../shared/time/now';
import { ProblemAlert } from '../shared/ui/ProblemAlert';

type WithFollowUps = TicketDetail & { lastFollowUpAt?: string | null; followUps?: Array<{ requestedAt?: string; at?: string }> };

export function followUpAvailableAt(ticket: WithFollowUps, minutes: number, refusedUntil: string | null): number {
  const last = ticket.lastFollowUpAt ?? ticket.followUps?.map((x) => x.requestedAt ?? x.at).filter(Boolean).sort().pop() ?? null;
  const from = Math.max(Date.parse(ticket.openedAt ?? ticket.receivedAt ?? '1970-01-01T00:00:00Z'), last ? Date.parse(last) : 0);
  const earliest = from + minutes * 60_000;
  return refusedUntil ? Math.max(earliest, Date.parse(refusedUntil)) : earliest;
}

export function FollowUp({ ticket }: { ticket: TicketDetail }) {
  const notify = useNotify();
  const { t } = useI18n();
  const f = useFormat();
  const settings = useSettings();
  const qc = useQueryClient();
  const now = useNow(15_000);
  const [note, setNote] = useState('');
  const [availableAt, setAvailableAt] = useState<string | null>(null);
  const ask = useMutation({
    mutationFn: () => request('POST', `/api/tickets/${encodeURIComponent(ticket.ticketId)}/follow-ups`, note.trim() ? { note: note.trim() } : {}),
    onSuccess: async () => {
      setNote('');
      setAvailableAt(new Date(Date.now() + settings.followUpMinutes * 60_000).toISOString());
      notify(t('followUp.done'));
      await qc.invalidateQueries({ queryKey: ['ticket', ticket.ticketId] });
      await qc.invalidateQueries({ queryKey: ['conversation', ticket.ticketId] });
    },
    onError: (err) => {
      if (isProblem(err, 'follow-up-too-early') && typeof err.problem.availableAt === 'string') setAvailableAt(err.problem.availableAt);
    },
  });
  if (ticket.status === 'closed') return null;
  const at = followUpAvailableAt(ticket, settings.followUpMinutes, availableAt);
  const early = now < at;
  const atText = f.instant(new Date(at).toISOString());
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('followUp.title')}>
      <Stack gap="xs">
        <Text fw={600}>{t('followUp.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('followUp.rule', { minutes: settings.followUpMinutes })}
        </Text>
        <TextInput label={t('followUp.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} disabled={early} />
        <Button
          onClick={() => ask.mutate()}
          loading={ask.isPending}
          disabled={early}
          leftSection={<IconBellRinging size={16} aria-hidden="true" />}
          variant="light"
          maw="100%"
          h="auto"
          py={6}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
          data-testid="follow-up"
          data-available-at={new Date(at).toISOString()}
        >
          {early ? t('followUp.availableAt', { at: atText }) : t('followUp.ask')}
        </Button>
        {ask.isError && !isProblem(ask.error, 'follow-up-too-early') && <ProblemAlert error={ask.error} />}
      </Stack>
    </Paper>
  );
}
