/**
 * Customers: register one (name, support level under a preset with levels, calendar), change
 * its support level with a reason (administrators), suspend support (reason, detail, until)
 * and lift a suspension with a reason (supervisors, administrators), and read its history:
 * who registered, suspended, reinstated or changed the level, when and why.
 */
import { ActionIcon, Alert, Badge, Button, Drawer, Group, Menu, NumberInput, Select, Stack, Table, Text, TextInput, Textarea, Timeline, Title, VisuallyHidden } from '@mantine/core';
import { IconBan, IconBuildingStore, IconCircleCheck, IconDots, IconInbox, IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { useOverlayTransition } from '../shared/ui/motion';
import { usePersonName } from '../shared/people';
import { useFormat } from '../shared/session/format';
import { hasRole, useMe } from '../shared/session/session';
import { calendarName, useSettings } from '../shared/session/settings';
import { darkText } from '../shared/ui/colors';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useNotify } from '../shared/ui/notify';
import { DATE_RE } from '../shared/time/period';
import { CommandModal } from './CommandModal';
import { useChangeSupportLevel, useCustomerHistory, useCustomerRecords, useRegisterCustomer, useReinstate, useSuspend, type CustomerRecord } from './admin-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

const SUSPENSION_REASONS = ['abusive-language', 'pressure', 'false-report', 'other'] as const;

function SuspensionBadge({ c }: { c: CustomerRecord }) {
  const { t } = useI18n();
  if (!c.suspended) {
    return (
      <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color="green" variant="light" c={darkText('green')} tt="none" leftSection={<IconCircleCheck size={14} aria-hidden="true" />} data-suspended="false">
        {t('admin.customers.supported')}
      </Badge>
    );
  }
  return (
    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color="red" variant="light" c={darkText('red')} tt="none" leftSection={<IconBan size={14} aria-hidden="true" />} data-suspended="true">
      {t('admin.customers.suspended')}
    </Badge>
  );
}

function RegisterForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, tx } = useI18n();
  const notify = useNotify();
  const settings = useSettings();
  const [name, setName] = useState('');
  const [level, setLevel] = useState<string | null>(settings.supportLevels[0] ? String(settings.supportLevels[0].level) : null);
  const [calendar, setCalendar] = useState<string | null>(null);
  const register = useRegisterCustomer();
  return (
    <CommandModal
      opened={opened}
      onClose={onClose}
      title={t('admin.customers.register')}
      submitLabel={t('admin.customers.registerSubmit')}
      pending={register.isPending}
      error={register.error}
      testId="customer-form"
      onSubmit={() =>
        register.mutate(
          { customerId: crypto.randomUUID(), name: name.trim(), ...(settings.supportLevels.length && level ? { supportLevel: Number(level) } : {}), ...(calendar ? { calendar } : {}) },
          {
            onSuccess: () => {
              notify(t('admin.customers.registered', { name: name.trim() }));
              setName('');
              onClose();
            },
          },
        )
      }
    >
      <TextInput label={t('admin.customers.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={200} />
      {settings.supportLevels.length > 0 && (
        <Select
          label={t('admin.customers.supportLevel')}
          value={level}
          onChange={setLevel}
          allowDeselect={false}
          data={settings.supportLevels.map((l) => ({ value: String(l.level), label: t('admin.customers.levelName', { level: l.level, name: l.name }) }))}
        />
      )}
      {settings.calendars.length > 1 && (
        <Select
          label={t('admin.customers.calendar')}
          description={t('admin.customers.calendarHint')}
          value={calendar}
          onChange={setCalendar}
          clearable
          data={settings.calendars.map((c) => ({ value: c.id, label: `${calendarName(c.id, tx)} (${c.zone})` }))}
        />
      )}
    </CommandModal>
  );
}

type Pending = { customer: CustomerRecord; action: 'level' | 'suspend' | 'reinstate' } | null;

function ActionForm({ pending, onClose }: { pending: Pending; onClose: () => void }) {
  const { t } = useI18n();
  const notify = useNotify();
  const settings = useSettings();
  const suspend = useSuspend();
  const reinstate = useReinstate();
  const level = useChangeSupportLevel();
  const [reason, setReason] = useState('');
  const [suspensionReason, setSuspensionReason] = useState<string>('other');
  const [until, setUntil] = useState('');
  const [newLevel, setNewLevel] = useState<string | null>(pending?.customer.supportLevel ? String(pending.customer.supportLevel) : null);
  if (!pending) return null;
  const { customer, action } = pending;
  const done = () => {
    notify(t('admin.customers.done'));
    onClose();
  };
  if (action === 'suspend') {
    return (
      <CommandModal
        opened
        onClose={onClose}
        title={t('admin.customers.suspendTitle', { name: customer.name })}
        submitLabel={t('admin.customers.suspend')}
        pending={suspend.isPending}
        error={suspend.error}
        danger
        testId="suspend-form"
        onSubmit={() =>
          suspend.mutate(
            { customerId: customer.customerId, body: { reason: suspensionReason as 'other', detail: reason.trim(), ...(until && DATE_RE.test(until) ? { until } : {}) } },
            { onSuccess: done },
          )
        }
      >
        <Select label={t('admin.customers.suspensionReason')} value={suspensionReason} onChange={(v) => v && setSuspensionReason(v)} allowDeselect={false} data={SUSPENSION_REASONS.map((r) => ({ value: r, label: t(`admin.customers.reason.${r}`) }))} />
        <Textarea label={t('admin.customers.detail')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} maxLength={4000} />
        <TextInput type="date" label={t('admin.customers.until')} description={t('admin.customers.untilHint')} value={until} onChange={(e) => setUntil(e.currentTarget.value)} w={200} />
      </CommandModal>
    );
  }
  if (action === 'reinstate') {
    return (
      <CommandModal
        opened
        onClose={onClose}
        title={t('admin.customers.reinstateTitle', { name: customer.name })}
        submitLabel={t('admin.customers.reinstate')}
        pending={reinstate.isPending}
        error={reinstate.error}
        testId="reinstate-form"
        onSubmit={() => reinstate.mutate({ customerId: customer.customerId, reason: reason.trim() }, { onSuccess: done })}
      >
        <Textarea label={t('admin.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} maxLength={4000} />
      </CommandModal>
    );
  }
  return (
    <CommandModal
      opened
      onClose={onClose}
      title={t('admin.customers.levelTitle', { name: customer.name })}
      submitLabel={t('admin.customers.changeLevel')}
      pending={level.isPending}
      error={level.error}
      testId="level-form"
      onSubmit={() => newLevel && level.mutate({ customerId: customer.customerId, supportLevel: Number(newLevel) as 1, reason: reason.trim() }, { onSuccess: done })}
    >
      <Select
        label={t('admin.customers.supportLevel')}
        value={newLevel}
        onChange={setNewLevel}
        allowDeselect={false}
        required
        data={settings.supportLevels.map((l) => ({ value: String(l.level), label: t('admin.customers.levelName', { level: l.level, name: l.name }) }))}
      />
      <Textarea label={t('admin.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} maxLength={2000} />
    </CommandModal>
  );
}

function HistoryDrawer({ customer, onClose }: { customer: CustomerRecord | null; onClose: () => void }) {
  const transition = useOverlayTransition();
  const { t, tx } = useI18n();
  const f = useFormat();
  const name = usePersonName();
  const history = useCustomerHistory(customer?.customerId ?? null);
  return (
    <Drawer transitionProps={transition} opened={customer !== null} onClose={onClose} position="right" size="lg" title={customer ? t('admin.customers.historyTitle', { name: customer.name }) : ''} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {history.isPending && <ScreenLoader />}
      {history.isError && <ProblemAlert error={history.error} />}
      {history.data && (
        <Timeline bulletSize={14} lineWidth={2} data-testid="customer-history">
          {history.data.events.map((e) => {
            const d = e.data as Record<string, unknown>;
            const facts = [
              d.supportLevel !== undefined && d.supportLevel !== null ? t('admin.customers.levelFact', { level: String(d.supportLevel) }) : null,
              typeof d.reason === 'string' ? tx(`admin.customers.reason.${d.reason}`, d.reason) : null,
              typeof d.detail === 'string' ? d.detail : null,
              typeof d.until === 'string' ? t('admin.customers.untilFact', { until: d.until }) : null,
            ].filter(Boolean);
            return (
              <Timeline.Item key={e.position} title={tx(`admin.customers.event.${e.type}`, e.type)}>
                <Text size="xs" c="dimmed">
                  {f.instant(e.occurredAt)} · {name(e.actor)}
                  {e.actorRoles.length ? ` (${e.actorRoles.map((r) => tx(`role.${r}`, r)).join(', ')})` : ''}
                </Text>
                {facts.length > 0 && <Text size="sm">{facts.join(' · ')}</Text>}
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Drawer>
  );
}

export function CustomersTab() {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const settings = useSettings();
  const admin = hasRole(me, 'admin');
  const customers = useCustomerRecords();
  const [registering, setRegistering] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [historyOf, setHistoryOf] = useState<CustomerRecord | null>(null);
  const [search, setSearch] = useState('');
  const levels = settings.supportLevels.length > 0;
  const list = useMemo(() => {
    const q = search.trim().toLocaleLowerCase();
    return (customers.data ?? []).filter((c) => !q || c.name.toLocaleLowerCase().includes(q));
  }, [customers.data, search]);
  const levelName = (level: number | null) => {
    if (level === null) return '—';
    const l = settings.supportLevels.find((x) => x.level === level);
    return l ? t('admin.customers.levelName', { level, name: l.name }) : String(level);
  };
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={2} size="h4">
          {t('admin.customers.title')}
        </Title>
        {admin && (
          <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setRegistering(true)} data-testid="customer-register">
            {t('admin.customers.register')}
          </Button>
        )}
      </Group>
      <TextInput label={t('admin.customers.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={{ base: '100%', xs: 300 }} />
      {customers.isPending && <ScreenLoader />}
      {customers.isError && <ProblemAlert error={customers.error} />}
      {customers.data && list.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('admin.customers.empty')}
        </Alert>
      )}
      {list.length > 0 && (
        <ScrollTable minWidth={760} label={t('admin.customers.title')}>
          <Table striped verticalSpacing={6} fz="sm" data-testid="customers-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.customers.name')}</Table.Th>
                {levels && <Table.Th>{t('admin.customers.supportLevel')}</Table.Th>}
                <Table.Th>{t('admin.customers.support')}</Table.Th>
                <Table.Th>{t('admin.customers.registeredAt')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('admin.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((c) => (
                <Table.Tr key={c.customerId} data-customer-id={c.customerId} data-name={c.name}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <IconBuildingStore size={16} aria-hidden="true" />
                      <Text size="sm" fw={500}>
                        {c.name}
                      </Text>
                    </Group>
                  </Table.Td>
                  {levels && <Table.Td data-support-level={c.supportLevel ?? ''}>{levelName(c.supportLevel)}</Table.Td>}
                  <Table.Td>
                    <SuspensionBadge c={c} />
                    {c.suspended && c.suspension && (
                      <Text size="xs" c="dimmed">
                        {t(`admin.customers.reason.${c.suspension.reason as 'other'}`)}
                        {c.suspension.endsAt ? ` · ${t('admin.customers.untilFact', { until: f.instant(c.suspension.endsAt) })}` : ` · ${t('admin.customers.permanent')}`}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{f.instant(c.registeredAt)}</Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" aria-label={t('admin.customers.actionsFor', { name: c.name })} data-testid="customer-actions">
                          <IconDots size={18} aria-hidden="true" />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item onClick={() => setHistoryOf(c)} data-testid="customer-history-open">
                          {t('admin.customers.history')}
                        </Menu.Item>
                        {admin && levels && (
                          <Menu.Item onClick={() => setPending({ customer: c, action: 'level' })} data-testid="customer-level">
                            {t('admin.customers.changeLevel')}
                          </Menu.Item>
                        )}
                        {c.suspended ? (
                          <Menu.Item onClick={() => setPending({ customer: c, action: 'reinstate' })} data-testid="customer-reinstate">
                            {t('admin.customers.reinstate')}
                          </Menu.Item>
                        ) : (
                          <Menu.Item color="red.8" onClick={() => setPending({ customer: c, action: 'suspend' })} data-testid="customer-suspend">
                            {t('admin.customers.suspend')}
                          </Menu.Item>
                        )}
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <RegisterForm opened={registering} onClose={() => setRegistering(false)} />
      <ActionForm key={pending ? `${pending.customer.customerId}-${pending.action}` : 'none'} pending={pending} onClose={() => setPending(null)} />
      <HistoryDrawer customer={historyOf} onClose={() => setHistoryOf(null)} />
    </Stack>
  );
}
