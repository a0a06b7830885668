/**
 * E-mail deliveries (admins): each notification or daily digest sent by e-mail, filtered by
 * state, with every attempt's SMTP reply, why one failed, and a retry of a failed one (the
 * same Message-ID: the receiving side de-duplicates on it).
 */
import { Button, Code, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { usePersonName } from '../shared/people';
import { useFormat } from '../shared/session/format';
import { darkText } from '../shared/ui/colors';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { ScrollTable } from '../shared/ui/ScrollTable';
import { useNotify } from '../shared/ui/notify';
import { useMailDeliveries, useRetryMail, type DeliveryState } from './notify-admin-api';
import { AttemptsLog, DeliveryStateBadge } from './WebhooksTab';
import { LoadMore } from '../shared/ui/LoadMore';

export function MailDeliveriesTab() {
  const { t, tx } = useI18n();
  const f = useFormat();
  const notify = useNotify();
  const name = usePersonName();
  const [state, setState] = useState<'all' | DeliveryState>('all');
  const deliveries = useMailDeliveries(state === 'all' ? null : state);
  const retry = useRetryMail();
  const [open, setOpen] = useState<string | null>(null);
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md" data-testid="mail-deliveries-tab">
      <Stack gap={2} maw={720}>
        <Title order={2} size="h4">
          {t('mail.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('mail.intro')}
        </Text>
      </Stack>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <SegmentedControl
          value={state}
          onChange={(v) => setState(v as typeof state)}
          aria-label={t('delivery.stateFilter')}
          data={[
            { value: 'all', label: t('delivery.all') },
            { value: 'pending', label: t('delivery.state.pending') },
            { value: 'sent', label: t('delivery.state.sent') },
            { value: 'failed', label: t('delivery.state.failed') },
          ]}
          data-testid="mail-delivery-filter"
        />
        <Button variant="default" size="xs" leftSection={<IconRefresh size={14} aria-hidden="true" />} onClick={() => void deliveries.refetch()} loading={deliveries.isFetching}>
          {t('delivery.refresh')}
        </Button>
      </Group>
      {retry.error ? <ProblemAlert error={retry.error} /> : null}
      {deliveries.isPending ? (
        <ScreenLoader />
      ) : deliveries.error ? (
        <ProblemAlert error={deliveries.error} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="mail-deliveries-empty">
          {t('mail.empty')}
        </Text>
      ) : (
        <ScrollTable minWidth={860} label={t('mail.table')}>
          <Table verticalSpacing="xs" data-testid="mail-deliveries-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('delivery.stateCol')}</Table.Th>
                <Table.Th>{t('mail.to')}</Table.Th>
                <Table.Th>{t('mail.kind')}</Table.Th>
                <Table.Th>{t('delivery.createdAt')}</Table.Th>
                <Table.Th>{t('delivery.attempts')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => (
                <Fragment key={d.deliveryId}>
                  <Table.Tr data-testid="mail-delivery" data-delivery-id={d.deliveryId} data-state={d.state} data-kind={d.kind}>
                    <Table.Td>
                      <DeliveryStateBadge state={d.state} />
                      {d.state === 'sent' && d.sentAt && (
                        <Text size="xs" c="dimmed">
                          {f.instant(d.sentAt)}
                        </Text>
                      )}
                      {d.state === 'pending' && d.attempts > 0 && (
                        <Text size="xs" c="dimmed">
                          {t('mail.nextAttempt', { at: f.instant(d.nextAttemptAt) })}
                        </Text>
                      )}
                      {d.state !== 'sent' && (d.failureReason || d.lastError) && (
                        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }} data-testid="mail-failure">
                          {d.failureReason ?? d.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      <Text size="sm">{name(d.recipientId)}</Text>
                      <Text size="xs" c="dimmed">
                        {d.to}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {d.type === 'digest' ? t('mail.digest', { date: f.date(d.digestDate) }) : tx(`notifications.kind.${d.kind}`, d.kind)}
                    </Table.Td>
                    <Table.Td>{f.instant(d.createdAt)}</Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="subtle" c={darkText('blue')} onClick={() => setOpen(open === d.deliveryId ? null : d.deliveryId)} aria-expanded={open === d.deliveryId} data-testid="delivery-attempts-toggle">
                          {t(open === d.deliveryId ? 'delivery.hideAttempts' : 'delivery.showAttempts')}
                        </Button>
                        {d.state === 'failed' && (
                          <Button
                            size="compact-xs"
                            variant="light"
                            loading={retry.isPending && retry.variables === d.deliveryId}
                            onClick={() => retry.mutate(d.deliveryId, { onSuccess: () => notify(t('mail.retried')) })}
                            aria-label={t('mail.retryOf', { to: d.to })}
                            data-testid="mail-retry"
                          >
                            {t('mail.retry')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                  {open === d.deliveryId && (
                    <Table.Tr>
                      <Table.Td colSpan={6}>
                        <Text size="xs" c="dimmed">
                          {t('mail.messageId')}: <Code fz="xs">{d.messageId}</Code>
                        </Text>
                        <AttemptsLog log={d.log} codeLabel={t('mail.smtpCode')} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <LoadMore query={deliveries} />
    </Stack>
  );
}
