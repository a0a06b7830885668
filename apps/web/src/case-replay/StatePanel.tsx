/**
 * The case as it stood at the chosen step (the folded state): status, classification,
 * assignment, escalation, response target, the open question, closing, and each quote with
 * its answer and the answering person's rights at that moment (as the answer recorded them).
 * The whole state is there too, as JSON, for whoever wants every field.
 */
import { Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { formatMinor } from '../shared/money';
import { StatusBadge } from '../shared/ui/StatusBadge';
import { classificationLabel } from '../shared/ui/labels';
import { QuoteStateBadge } from './badges';
import type { Describers } from './describe';
import { ApprovalLine } from '../shared/ui/ApprovalLine';
import { answerOf, type Approval, type CaseEvent, type FoldedState } from './replay-api';

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, xs: 2 }} spacing={6} verticalSpacing={2} m={0}>
      {rows.map(([k, v]) => (
        <div key={k} style={{ display: 'flex', gap: 8, minWidth: 0 }}>
          <Text component="dt" size="sm" c="dimmed" miw={120}>
            {k}
          </Text>
          <Text component="dd" size="sm" m={0} fw={500} style={{ overflowWrap: 'anywhere' }}>
            {v}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

export function StatePanel({ state, events, step, d }: { state: FoldedState; events: CaseEvent[]; step: number; d: Describers }) {
  const { t, tx, language } = useI18n();
  const f = useFormat();
  if (!state || !state.ticketId) {
    return (
      <Text size="sm" c="dimmed">
        {t('replay.state.notYet')}
      </Text>
    );
  }
  const sla = state.sla as FoldedState | null;
  const level = state.escalationLevel ?? 0;
  const rows: Array<[string, ReactNode]> = [
    [t('replay.state.status'), <StatusBadge key="s" status={state.status} />],
    [t('ticket.classification'), classificationLabel(state.severity ?? state.priority ?? null, t)],
    [t('ticket.assignee'), state.assigneeId ? d.name(state.assigneeId) : t('queue.unassigned')],
    [t('ticket.escalationLevel'), String(level)],
    [t('replay.state.messages'), String(state.messageCount ?? 0)],
  ];
  if (sla) {
    rows.push([t('replay.state.target'), f.minutes(Number(sla.targetMinutes ?? 0))]);
    rows.push([t('replay.state.due'), sla.dueAt ? f.instant(sla.dueAt) : t('replay.state.duePaused')]);
    rows.push([
      t('replay.state.response'),
      sla.respondedAt ? t(sla.met === false ? 'replay.state.respondedLate' : 'replay.state.respondedAt', { at: f.instant(sla.respondedAt) }) : sla.breachRecorded ? t('replay.state.breached') : t('replay.state.notResponded'),
    ]);
  }
  if (state.pendingQuestion) rows.push([t('replay.state.question'), state.pendingQuestion]);
  if (state.closedAt) {
    rows.push([t('ticket.closedAt'), f.instant(state.closedAt)]);
    rows.push([t('ticket.closeReason'), tx(`closeReason.${state.closeReason}`, String(state.closeReason ?? '—'))]);
  }
  const billing = (state.billing ?? {}) as FoldedState;
  const quoteIds: string[] = billing.quoteOrder ?? [];
  const workLogs = Object.values((billing.workLogs ?? {}) as Record<string, FoldedState>);
  const minutesLogged = workLogs.reduce((s, w) => s + Number(w.minutes ?? 0), 0);
  rows.push([t('replay.state.workLogged'), t('replay.state.workLoggedValue', { n: workLogs.length, minutes: f.minutes(minutesLogged) })]);

  return (
    <Stack gap="sm" data-testid="replay-state" data-status={state.status ?? ''}>
      <Facts rows={rows} />
      <Title order={3} size="h6">
        {t('replay.state.quotes')}
      </Title>
      {quoteIds.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('replay.state.noQuotes')}
        </Text>
      ) : (
        quoteIds.map((id) => {
          const q = (billing.quotes ?? {})[id] as FoldedState;
          if (!q) return null;
          const terms = (q.terms ?? {}) as FoldedState;
          const answer = answerOf(events, id, step);
          const approval = (answer?.data as { approval?: Approval } | undefined)?.approval ?? null;
          return (
            <Paper key={id} withBorder p="xs" radius="sm" data-testid="replay-quote" data-quote-id={id}>
              <Stack gap={4}>
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Text size="sm" fw={600}>
                    {tx(`quote.kind.${terms.kind}`, String(terms.kind))}
                  </Text>
                  <QuoteStateBadge status={q.status} />
                </Group>
                <Text size="sm">{terms.description}</Text>
                <Text size="xs" c="dimmed">
                  {[
                    f.minutes(Number(terms.minutes ?? 0)),
                    terms.amountMinor !== null && terms.amountMinor !== undefined ? formatMinor(terms.amountMinor, terms.currency, language) : null,
                    t('replay.quote.issued', { at: f.instant(q.issuedAt), by: d.name(q.issuedBy) }),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
                {q.decision ? (
                  <>
                    <Text size="sm" data-testid="replay-quote-decision">
                      {t(q.decision.decision === 'accept' ? 'replay.quote.acceptedBy' : 'replay.quote.declinedBy', { by: d.name(q.decision.by), at: f.instant(q.decision.at) })}
                      {q.decision.purchaseOrder ? ` · ${t('quote.poNumber', { po: q.decision.purchaseOrder })}` : ''}
                    </Text>
                    <ApprovalLine approval={approval} />
                  </>
                ) : (
                  q.status === 'pending' && (
                    <Text size="sm" c="dimmed" data-testid="replay-quote-decision">
                      {t('replay.quote.pending')}
                    </Text>
                  )
                )}
              </Stack>
            </Paper>
          );
        })
      )}
      <details>
        <summary style={{ cursor: 'pointer', fontSize: 'var(--mantine-font-size-sm)' }}>{t('replay.state.json')}</summary>
        <Code block mah={360} style={{ overflow: 'auto', fontSize: 11 }}>
          {JSON.stringify(state, null, 2)}
        </Code>
      </details>
    </Stack>
  );
}
