/**
 * Webhooks (admins): subscriptions of integrations to event types, with the secret shown once
 * after creation; enable, disable, delete; each subscription's delivery log (every attempt's
 * HTTP status) and the replay of a delivery. States carry an icon and a word besides colour.
 */
import { Anchor, Badge, Button, Checkbox, Code, CopyButton, Drawer, Group, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconCircleCheck, IconCircleX, IconClockHour4, IconCopy, IconPlayerPause, IconPlus, IconRefresh, IconTrash, IconWebhook } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCustomerNames, useCustomers } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { darkText } from '../shared/ui/colors';
import { useOverlayTransition } from '../shared/ui/motion';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { ScrollTable } from '../shared/ui/ScrollTable';
import { VerdictAlert } from '../shared/ui/VerdictAlert';
import { useNotify } from '../shared/ui/notify';
import { CommandModal } from './CommandModal';
import { LoadMore } from '../shared/ui/LoadMore';
import {
  EVENT_TYPE_GROUPS,
  useCreateWebhook,
  useDeleteWebhook,
  useReplay,
  useSetWebhookEnabled,
  useWebhookDeliveries,
  useWebhooks,
  type Attempt,
  type DeliveryState,
  type Webhook,
  type WebhookCreated,
  type WebhookEventType,
} from './notify-admin-api';

const DELIVERY_LOOK: Record<string, { color: string; Icon: typeof IconCircleCheck }> = {
  pending: { color: 'blue', Icon: IconClockHour4 },
  sent: { color: 'green', Icon: IconCircleCheck },
  failed: { color: 'red', Icon: IconCircleX },
};

/** a delivery's state (e-mail or webhook): colour, icon and word */
export function DeliveryStateBadge({ state }: { state: string }) {
  const { tx } = useI18n();
  const look = DELIVERY_LOOK[state] ?? DELIVERY_LOOK.pending;
  return (
    <Badge color={look.color} variant="light" c={darkText(look.color)} tt="none" leftSection={<look.Icon size={14} aria-hidden="true" />} data-delivery-state={state} style={{ minWidth: 'max-content' }}>
      {tx(`delivery.state.${state}`, state)}
    </Badge>
  );
}

/** every attempt of a delivery: when, outcome, the reply code, how long */
export function AttemptsLog({ log, codeLabel }: { log: Attempt[]; codeLabel: string }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  if (log.length === 0) return <Text size="xs" c="dimmed">{t('delivery.noAttempts')}</Text>;
  return (
    <Table fz="xs" withRowBorders={false} verticalSpacing={2} data-testid="attempts-log">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('delivery.attempt')}</Table.Th>
          <Table.Th>{t('delivery.startedAt')}</Table.Th>
          <Table.Th>{t('delivery.outcome')}</Table.Th>
          <Table.Th>{codeLabel}</Table.Th>
          <Table.Th>{t('delivery.response')}</Table.Th>
          <Table.Th>{t('delivery.duration')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {log.map((a) => (
          <Table.Tr key={a.attempt} data-attempt={a.attempt} data-outcome={a.outcome ?? 'in-flight'}>
            <Table.Td>{a.attempt}</Table.Td>
            <Table.Td>{f.instant(a.startedAt)}</Table.Td>
            <Table.Td>{tx(`delivery.outcome.${a.outcome ?? 'in-flight'}`, a.outcome ?? '—')}</Table.Td>
            <Table.Td data-testid="attempt-code">{a.code ?? '—'}</Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>{a.response ?? '—'}</Table.Td>
            <Table.Td>{a.durationMs === null ? '—' : t('delivery.ms', { ms: a.durationMs })}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function WebhookState({ webhook }: { webhook: Webhook }) {
  const { t } = useI18n();
  const enabled = webhook.state === 'enabled';
  const color = enabled ? 'green' : 'gray';
  const Icon = enabled ? IconCircleCheck : IconPlayerPause;
  return (
    <Badge color={color} variant="light" c={darkText(color)} tt="none" leftSection={<Icon size={14} aria-hidden="true" />} data-webhook-state={webhook.state} style={{ minWidth: 'max-content' }}>
      {t(enabled ? 'webhooks.state.enabled' : 'webhooks.state.disabled')}
    </Badge>
  );
}

const eventLabel = (tx: (k: string, f: string) => string, type: string) => tx(`replay.event.${type}`, type);

function CreateWebhookForm({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (w: WebhookCreated) => void }) {
  const { t, tx } = useI18n();
  const create = useCreateWebhook();
  const customers = useCustomers().data ?? [];
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<WebhookEventType[]>([]);
  const [description, setDescription] = useState('');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const toggle = (type: WebhookEventType, on: boolean) => setTypes((prev) => (on ? [...prev, type] : prev.filter((x) => x !== type)));
  return (
    <CommandModal
      opened={opened}
      title={t('webhooks.create')}
      onClose={onClose}
      pending={create.isPending}
      error={create.error}
      submitLabel={t('webhooks.createSubmit')}
      testId="webhook-form"
      onSubmit={() =>
        create.mutate(
          { url: url.trim(), eventTypes: types, ...(description.trim() ? { description: description.trim() } : {}), ...(customerId ? { customerId } : {}) },
          {
            onSuccess: (w) => {
              onCreated(w);
              setUrl('');
              setTypes([]);
              setDescription('');
              setCustomerId(null);
            },
          },
        )
      }
    >
      <TextInput label={t('webhooks.url')} description={t('webhooks.urlHint')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} required type="url" placeholder="https://erp.example.com/helpdesk/events" data-testid="webhook-url" />
      <TextInput label={t('webhooks.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} maxLength={200} data-testid="webhook-description" />
      <Select
        label={t('webhooks.customer')}
        description={t('webhooks.customerHint')}
        value={customerId}
        onChange={setCustomerId}
        clearable
        searchable
        placeholder={t('webhooks.anyCustomer')}
        data={customers.map((c) => ({ value: c.customerId, label: c.name }))}
        comboboxProps={{ withinPortal: true }}
      />
      <Stack gap={4} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }} data-testid="webhook-event-types">
        <Text component="legend" fw={600} size="sm">
          {t('webhooks.eventTypes')} <Text span c="red.8" aria-hidden="true">*</Text>
        </Text>
        <Text size="xs" c="dimmed">
          {t('webhooks.eventTypesHint', { count: types.length })}
        </Text>
        {EVENT_TYPE_GROUPS.map((g) => (
          <Stack key={g.group} gap={2} mt={4}>
            <Text size="sm" fw={600}>
              {t(`webhooks.group.${g.group}`)}
            </Text>
            <Group gap="xs">
              {g.types.map((type) => (
                <Checkbox key={type} size="xs" label={eventLabel(tx, type)} checked={types.includes(type)} onChange={(e) => toggle(type, e.currentTarget.checked)} data-event-type={type} />
              ))}
            </Group>
          </Stack>
        ))}
      </Stack>
    </CommandModal>
  );
}

/** the secret, shown once after creation with a copy button */
function SecretOnce({ created, onClose }: { created: WebhookCreated; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <VerdictAlert color="blue" title={t('webhooks.secretTitle')} withCloseButton onClose={onClose} closeButtonLabel={t('common.close')} data-testid="webhook-secret">
      <Stack gap="xs">
        <Text size="sm">{t('webhooks.secretOnce', { url: created.url })}</Text>
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput label={t('webhooks.secret')} value={created.secret} readOnly style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} data-testid="webhook-secret-value" />
          <CopyButton value={created.secret}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} aria-hidden="true" /> : <IconCopy size={16} aria-hidden="true" />}>
                {t(copied ? 'admin.people.copied' : 'admin.people.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="xs">{t('webhooks.signingHint')}</Text>
      </Stack>
    </VerdictAlert>
  );
}

function DeliveriesDrawer({ webhook, onClose }: { webhook: Webhook | null; onClose: () => void }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const notify = useNotify();
  const transition = useOverlayTransition();
  const [state, setState] = useState<'all' | DeliveryState>('all');
  const deliveries = useWebhookDeliveries(webhook?.webhookId ?? null, state === 'all' ? null : state);
  const replay = useReplay();
  const [open, setOpen] = useState<string | null>(null);
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Drawer
      transitionProps={transition}
      opened={webhook !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={webhook ? t('webhooks.deliveriesTitle', { url: webhook.url }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack gap="sm" data-testid="webhook-deliveries">
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
            data-testid="webhook-delivery-filter"
          />
          <Button variant="default" size="xs" leftSection={<IconRefresh size={14} aria-hidden="true" />} onClick={() => void deliveries.refetch()} loading={deliveries.isFetching} data-testid="webhook-deliveries-refresh">
            {t('delivery.refresh')}
          </Button>
        </Group>
        {replay.error ? <ProblemAlert error={replay.error} /> : null}
        {deliveries.isPending ? (
          <ScreenLoader />
        ) : deliveries.error ? (
          <ProblemAlert error={deliveries.error} />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="webhook-deliveries-empty">
            {t('webhooks.noDeliveries')}
          </Text>
        ) : (
          <ScrollTable minWidth={640} label={t('webhooks.deliveriesTable')}>
            <Table verticalSpacing="xs" data-testid="webhook-deliveries-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('delivery.stateCol')}</Table.Th>
                  <Table.Th>{t('webhooks.lastStatus')}</Table.Th>
                  <Table.Th>{t('webhooks.event')}</Table.Th>
                  <Table.Th>{t('delivery.createdAt')}</Table.Th>
                  <Table.Th>{t('delivery.attempts')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <Fragment key={d.deliveryId}>
                    <Table.Tr data-testid="webhook-delivery" data-delivery-id={d.deliveryId} data-state={d.state} data-event-type={d.eventType}>
                      <Table.Td>
                        <DeliveryStateBadge state={d.state} />
                        {d.state !== 'sent' && d.lastError && (
                          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                            {d.lastError}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td data-testid="delivery-last-status">{d.lastStatus ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{eventLabel(tx, d.eventType)}</Text>
                        <Code fz="xs">{d.eventType}</Code>
                      </Table.Td>
                      <Table.Td>{f.instant(d.createdAt)}</Table.Td>
                      <Table.Td>
                        {d.attempts}
                        {d.replays > 0 ? ` · ${t('webhooks.replays', { count: d.replays })}` : ''}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-xs" variant="subtle" c={darkText('blue')} onClick={() => setOpen(open === d.deliveryId ? null : d.deliveryId)} aria-expanded={open === d.deliveryId} data-testid="delivery-attempts-toggle">
                            {t(open === d.deliveryId ? 'delivery.hideAttempts' : 'delivery.showAttempts')}
                          </Button>
                          {d.state !== 'pending' && webhook?.state === 'enabled' && (
                            <Button
                              size="compact-xs"
                              variant="light"
                              loading={replay.isPending && replay.variables?.deliveryId === d.deliveryId}
                              onClick={() => replay.mutate({ webhookId: d.webhookId, deliveryId: d.deliveryId }, { onSuccess: () => notify(t('webhooks.replayed')) })}
                              aria-label={t('webhooks.replayOf', { event: eventLabel(tx, d.eventType), at: f.instant(d.createdAt) })}
                              data-testid="delivery-replay"
                            >
                              {t('webhooks.replay')}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                    {open === d.deliveryId && (
                      <Table.Tr>
                        <Table.Td colSpan={6}>
                          <Text size="xs" c="dimmed">
                            {t('webhooks.deliveryId')}: <Code fz="xs">{d.deliveryId}</Code>
                          </Text>
                          <AttemptsLog log={d.log} codeLabel={t('webhooks.httpStatus')} />
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
    </Drawer>
  );
}

export function WebhooksTab() {
  const { t, tx } = useI18n();
  const f = useFormat();
  const notify = useNotify();
  const webhooks = useWebhooks();
  const customerName = useCustomerNames();
  const setEnabled = useSetWebhookEnabled();
  const remove = useDeleteWebhook();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('webhook');
  const selected = webhooks.data?.find((w) => w.webhookId === selectedId) ?? null;
  const select = (id: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id) next.set('webhook', id);
        else next.delete('webhook');
        return next;
      },
      { replace: true },
    );

  return (
    <Stack gap="md" data-testid="webhooks-tab">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Stack gap={2} maw={720}>
          <Title order={2} size="h4">
            {t('webhooks.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('webhooks.intro')}
          </Text>
        </Stack>
        <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setCreating(true)} data-testid="webhook-create">
          {t('webhooks.create')}
        </Button>
      </Group>
      {created && <SecretOnce created={created} onClose={() => setCreated(null)} />}
      {setEnabled.error ? <ProblemAlert error={setEnabled.error} /> : null}
      {webhooks.isPending ? (
        <ScreenLoader />
      ) : webhooks.error ? (
        <ProblemAlert error={webhooks.error} />
      ) : webhooks.data.length === 0 ? (
        <Group gap="xs" c="dimmed">
          <IconWebhook size={18} aria-hidden="true" />
          <Text size="sm" data-testid="webhooks-empty">
            {t('webhooks.empty')}
          </Text>
        </Group>
      ) : (
        <ScrollTable minWidth={820} label={t('webhooks.table')}>
          <Table verticalSpacing="sm" data-testid="webhooks-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.url')}</Table.Th>
                <Table.Th>{t('webhooks.stateCol')}</Table.Th>
                <Table.Th>{t('webhooks.eventTypes')}</Table.Th>
                <Table.Th>{t('webhooks.createdAt')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {webhooks.data.map((w) => (
                <Table.Tr key={w.webhookId} data-testid="webhook-row" data-webhook-id={w.webhookId} data-state={w.state}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    <Text size="sm" ff="monospace">
                      {w.url}
                    </Text>
                    {w.description && <Text size="sm">{w.description}</Text>}
                    {w.customerId && (
                      <Text size="xs" c="dimmed">
                        {t('webhooks.onlyCustomer', { customer: customerName(w.customerId) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <WebhookState webhook={w} />
                    {w.consecutiveFailures > 0 && (
                      <Text size="xs" c={darkText('red')}>
                        {t('webhooks.failuresInARow', { count: w.consecutiveFailures })}
                      </Text>
                    )}
                    {w.state === 'disabled' && w.disabledAt && (
                      <Text size="xs" c="dimmed">
                        {t('webhooks.disabledAt', { at: f.instant(w.disabledAt) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{w.eventTypes.map((e) => eventLabel(tx, e)).join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>{f.instant(w.createdAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="light" onClick={() => select(w.webhookId)} aria-label={t('webhooks.deliveriesOf', { url: w.url })} data-testid="webhook-deliveries-open">
                        {t('webhooks.deliveries')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="default"
                        loading={setEnabled.isPending && setEnabled.variables?.webhookId === w.webhookId}
                        onClick={() => setEnabled.mutate({ webhookId: w.webhookId, enabled: w.state !== 'enabled' }, { onSuccess: (x) => notify(t(x.state === 'enabled' ? 'webhooks.enabledDone' : 'webhooks.disabledDone')) })}
                        aria-label={t(w.state === 'enabled' ? 'webhooks.disableOf' : 'webhooks.enableOf', { url: w.url })}
                        data-testid="webhook-toggle"
                      >
                        {t(w.state === 'enabled' ? 'webhooks.disable' : 'webhooks.enable')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" c={darkText('red')} leftSection={<IconTrash size={14} aria-hidden="true" />} onClick={() => setDeleting(w)} aria-label={t('webhooks.deleteOf', { url: w.url })} data-testid="webhook-delete">
                        {t('webhooks.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <CreateWebhookForm
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(w) => {
          setCreating(false);
          setCreated(w);
        }}
      />
      <CommandModal
        opened={deleting !== null}
        title={t('webhooks.deleteTitle')}
        onClose={() => setDeleting(null)}
        pending={remove.isPending}
        error={remove.error}
        submitLabel={t('webhooks.delete')}
        danger
        testId="webhook-delete-form"
        onSubmit={() =>
          deleting &&
          remove.mutate(deleting.webhookId, {
            onSuccess: () => {
              if (selectedId === deleting.webhookId) select(null);
              setDeleting(null);
              notify(t('webhooks.deleted'));
            },
          })
        }
      >
        <Text size="sm">{t('webhooks.deleteConfirm', { url: deleting?.url ?? '' })}</Text>
      </CommandModal>
      <DeliveriesDrawer webhook={selected} onClose={() => select(null)} />
      {selectedId && webhooks.data && !selected && (
        <Text size="sm" c="dimmed">
          {t('webhooks.notFound')}{' '}
          <Anchor component="button" type="button" onClick={() => select(null)}>
            {t('common.close')}
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}
