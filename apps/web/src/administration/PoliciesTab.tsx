/**
 * Policies: register one for a customer (plan, start date, minutes when they differ from the
 * plan, products covered) and read each one's certificate number and coverage: minutes
 * purchased, used and left, the facility and on-site allowances, the products, the validity.
 */
import { Alert, Anchor, Button, Drawer, Group, MultiSelect, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconInbox, IconPlus } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useCustomers } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useOverlayTransition } from '../shared/ui/motion';
import { useFormat } from '../shared/session/format';
import { productName, useSettings } from '../shared/session/settings';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useNotify } from '../shared/ui/notify';
import { DATE_RE, todayDate } from '../shared/time/period';
import { PolicyStateBadge } from '../finance/PolicyBalancesPanel';
import { usePolicyBalances } from '../finance/finance-api';
import { CommandModal } from './CommandModal';
import { usePolicyDetail, useRegisterPolicy } from './admin-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

const PLANS = ['basic', 'business', 'business-plus', 'corporate'] as const;

function RegisterForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const notify = useNotify();
  const settings = useSettings();
  const customers = useCustomers().data ?? [];
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [plan, setPlan] = useState<string>('basic');
  const [startsOn, setStartsOn] = useState(todayDate(settings.timeZone));
  const [minutes, setMinutes] = useState('');
  const [products, setProducts] = useState<string[]>([]);
  const register = useRegisterPolicy();
  const planInfo = (id: string) => settings.plans.find((p) => p.id === id);
  const minutesValid = minutes === '' || /^[1-9]\d{0,6}$/.test(minutes);
  return (
    <CommandModal
      opened={opened}
      onClose={onClose}
      title={t('admin.policies.register')}
      submitLabel={t('admin.policies.registerSubmit')}
      pending={register.isPending}
      error={register.error}
      testId="policy-form"
      onSubmit={() =>
        customerId &&
        minutesValid &&
        DATE_RE.test(startsOn) &&
        register.mutate(
          { policyId: crypto.randomUUID(), customerId, plan: plan as 'basic', startsOn, ...(minutes ? { minutes: Number(minutes) } : {}), ...(products.length ? { products } : {}) },
          {
            onSuccess: () => {
              notify(t('admin.policies.registered'));
              onClose();
            },
          },
        )
      }
    >
      <Select label={t('admin.people.customer')} value={customerId} onChange={setCustomerId} required searchable data={customers.map((c) => ({ value: c.customerId, label: c.name }))} />
      <Select
        label={t('admin.policies.plan')}
        value={plan}
        onChange={(v) => v && setPlan(v)}
        allowDeselect={false}
        data={PLANS.map((p) => ({ value: p, label: planInfo(p) ? t('admin.policies.planWithMinutes', { plan: t(`policy.plan.${p}`), minutes: f.minutes(planInfo(p)!.minutes) }) : t(`policy.plan.${p}`) }))}
      />
      <TextInput type="date" label={t('admin.policies.startsOn')} description={t('admin.policies.startsOnHint')} value={startsOn} onChange={(e) => setStartsOn(e.currentTarget.value)} required w={200} />
      <TextInput
        label={t('admin.policies.minutes')}
        description={t('admin.policies.minutesHint')}
        value={minutes}
        onChange={(e) => setMinutes(e.currentTarget.value.replace(/\D/g, ''))}
        inputMode="numeric"
        error={minutesValid ? undefined : t('admin.policies.minutesInvalid')}
        w={200}
      />
      {settings.products.length > 0 && (
        <MultiSelect label={t('admin.policies.products')} value={products} onChange={setProducts} searchable data={settings.products.map((p) => ({ value: p.id, label: p.name }))} />
      )}
    </CommandModal>
  );
}

function Detail({ policyId, onClose }: { policyId: string | null; onClose: () => void }) {
  const transition = useOverlayTransition();
  const { t } = useI18n();
  const f = useFormat();
  const settings = useSettings();
  const policy = usePolicyDetail(policyId);
  const p = policy.data;
  const rows: Array<[string, ReactNode]> = p
    ? [
        [t('admin.policies.certificate'), <strong key="n" data-testid="policy-certificate">{p.number}</strong>],
        [t('admin.policies.plan'), t(`policy.plan.${p.plan}`)],
        [t('finance.balances.statusCol'), <PolicyStateBadge key="s" status={p.status} />],
        [t('policy.purchased'), f.minutes(p.minutesPurchased)],
        [t('policy.used'), f.minutes(p.minutesUsed)],
        [t('policy.left'), f.minutes(p.minutesRemaining)],
        [t('policy.facility'), t('policy.leftOf', { left: f.minutes(p.facilityMinutes - p.facilityMinutesUsed), total: f.minutes(p.facilityMinutes) })],
        [t('policy.onSite'), t('policy.leftOf', { left: f.minutes(p.onSiteMinutes - p.onSiteMinutesUsed), total: f.minutes(p.onSiteMinutes) })],
        [t('admin.policies.products'), p.products.length ? p.products.map((id) => productName(settings, id)).join(', ') : t('admin.policies.allProducts')],
        [t('policy.validity'), t('policy.validRange', { from: f.date(p.validFrom), until: f.date(p.validUntil) })],
        [t('admin.policies.zone'), p.timeZone ? `${f.zoneLabel(null, p.timeZone)} · ${p.timeZone}` : '—'],
        [t('admin.policies.registeredAt'), f.instant(p.registeredAt)],
        [t('admin.policies.deductions'), String(p.deductions.length)],
      ]
    : [];
  return (
    <Drawer transitionProps={transition} opened={policyId !== null} onClose={onClose} position="right" size="lg" title={p ? t('policy.certificate', { number: p.number }) : t('admin.policies.detail')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {policy.isPending && <ScreenLoader />}
      {policy.isError && <ProblemAlert error={policy.error} />}
      {p && (
        <SimpleGrid component="dl" cols={1} spacing={6} m={0} data-testid="policy-detail">
          {rows.map(([k, v]) => (
            <div key={k} style={{ display: 'flex', gap: 12 }}>
              <Text component="dt" size="sm" c="dimmed" miw={170}>
                {k}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {v}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      )}
    </Drawer>
  );
}

export function PoliciesTab() {
  const { t } = useI18n();
  const f = useFormat();
  const [registering, setRegistering] = useState(false);
  const [detail, setDetail] = useState<string | null>(null);
  const balances = usePolicyBalances('', '');
  const items = balances.data ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={2} size="h4">
          {t('admin.policies.title')}
        </Title>
        <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setRegistering(true)} data-testid="policy-register">
          {t('admin.policies.register')}
        </Button>
      </Group>
      {balances.isPending && <ScreenLoader />}
      {balances.isError && <ProblemAlert error={balances.error} />}
      {balances.data && items.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('finance.balances.empty')}
        </Alert>
      )}
      {items.length > 0 && (
        <ScrollTable minWidth={720} label={t('admin.policies.title')}>
          <Table striped verticalSpacing={6} fz="sm" data-testid="policies-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.policies.certificate')}</Table.Th>
                <Table.Th>{t('admin.people.customer')}</Table.Th>
                <Table.Th>{t('admin.policies.plan')}</Table.Th>
                <Table.Th>{t('finance.balances.statusCol')}</Table.Th>
                <Table.Th>{t('finance.balances.balance')}</Table.Th>
                <Table.Th>{t('policy.validity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.policyId} data-policy-id={p.policyId}>
                  <Table.Td>
                    <Anchor underline="always" component="button" type="button" size="sm" onClick={() => setDetail(p.policyId)} data-testid="policy-open">
                      {p.number ?? p.policyId.slice(0, 8)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{p.customerName ?? p.customerId ?? '—'}</Table.Td>
                  <Table.Td>{p.plan ? t(`policy.plan.${p.plan}`) : '—'}</Table.Td>
                  <Table.Td>
                    <PolicyStateBadge status={p.status} />
                  </Table.Td>
                  <Table.Td>{t('policy.leftOf', { left: f.minutes(Math.max(0, p.minutesRemaining)), total: f.minutes(p.minutesPurchased) })}</Table.Td>
                  <Table.Td>{t('policy.validRange', { from: f.date(p.validFrom), until: f.date(p.validUntil) })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <RegisterForm key={registering ? 'open' : 'closed'} opened={registering} onClose={() => setRegistering(false)} />
      <Detail policyId={detail} onClose={() => setDetail(null)} />
    </Stack>
  );
}
