/**
 * The customer's policies: plan, certificate number, validity, minutes purchased, used and
 * left, a burn-down chart over the validity, a warning when less than 20% is left, the
 * facility and on-site allowances, and every deduction with its ticket.
 */
import { Alert, Anchor, Badge, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconClockPause, IconInbox } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Policy } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { isCustomer, useMe } from '../shared/session/session';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { BurnDown } from './BurnDown';
import { LowBalanceWarning } from './PolicySummary';
import { LOW_BALANCE_SHARE, shareLeft, useCustomerPolicies } from './policy-api';
import { darkText } from '../shared/ui/colors';

const STATUS: Record<Policy['status'], { color: string; Icon: typeof IconCircleCheck }> = {
  active: { color: 'green', Icon: IconCircleCheck },
  exhausted: { color: 'red', Icon: IconCircleX },
  expired: { color: 'gray', Icon: IconCircleX },
  'not-started': { color: 'blue', Icon: IconClockPause },
};

export function PolicyStatusBadge({ status }: { status: Policy['status'] }) {
  const { t } = useI18n();
  const { color, Icon } = STATUS[status];
  return (
    <Badge color={color} variant="light" c={darkText(color)} tt="none" leftSection={<Icon size={14} aria-hidden="true" />} data-policy-status={status}>
      {t(`policy.status.${status}`)}
    </Badge>
  );
}

function PolicyCard({ policy }: { policy: Policy }) {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const left = Math.round(shareLeft(policy) * 100);
  const figures: Array<[string, string]> = [
    [t('policy.purchased'), f.minutes(policy.minutesPurchased)],
    [t('policy.used'), f.minutes(policy.minutesUsed)],
    [t('policy.left'), f.minutes(policy.minutesRemaining)],
    [t('policy.validity'), t('policy.validRange', { from: f.date(policy.validFrom), until: f.date(policy.validUntil) })],
  ];
  if (policy.facilityMinutes > 0) figures.push([t('policy.facility'), t('policy.leftOf', { left: f.minutes(policy.facilityMinutes - policy.facilityMinutesUsed), total: f.minutes(policy.facilityMinutes) })]);
  if (policy.onSiteMinutes > 0) figures.push([t('policy.onSite'), t('policy.leftOf', { left: f.minutes(policy.onSiteMinutes - policy.onSiteMinutesUsed), total: f.minutes(policy.onSiteMinutes) })]);
  const deductions = [...policy.deductions].sort((a, b) => (a.deductedAt < b.deductedAt ? 1 : -1));
  return (
    <Paper withBorder p="md" radius="sm" component="article" aria-label={t('policy.cardLabel', { number: policy.number })} data-policy-id={policy.policyId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <div>
            <Title order={2} size="h4">
              {t(`policy.plan.${policy.plan}`)}
            </Title>
            <Text size="sm" c="dimmed">
              {t('policy.certificate', { number: policy.number })}
            </Text>
          </div>
          <PolicyStatusBadge status={policy.status} />
        </Group>
        <Stack gap={4}>
          <Group justify="space-between" wrap="wrap">
            <Text fw={600} size="lg" data-testid="policy-balance" data-minutes-left={policy.minutesRemaining}>
              {t('policy.leftOf', { left: f.minutes(policy.minutesRemaining), total: f.minutes(policy.minutesPurchased) })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('policy.expires', { date: f.date(policy.validUntil) })}
            </Text>
          </Group>
          <Progress value={left} color={left < LOW_BALANCE_SHARE * 100 ? 'orange' : 'green'} size="md" aria-label={t('policy.leftShare', { percent: left })} />
        </Stack>
        <LowBalanceWarning policy={policy} />
        <SimpleGrid component="dl" cols={{ base: 1, xs: 2 }} spacing={4} verticalSpacing={2} m={0}>
          {figures.map(([k, v]) => (
            <div key={k} style={{ display: 'flex', gap: 8 }}>
              <Text component="dt" size="sm" c="dimmed" miw={120}>
                {k}
              </Text>
              <Text component="dd" size="sm" m={0} fw={500}>
                {v}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <BurnDown policy={policy} />
        <Title order={3} size="h6">
          {t('policy.deductions')}
        </Title>
        {deductions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('policy.noDeductions')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table striped verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('workLog.col.date')}</Table.Th>
                  <Table.Th>{t('workLog.col.minutes')}</Table.Th>
                  <Table.Th>{t('policy.col.ticket')}</Table.Th>
                  <Table.Th>{t('workLog.col.description')}</Table.Th>
                  <Table.Th>{t('policy.col.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {deductions.map((d) => (
                  <Table.Tr key={d.entryId}>
                    <Table.Td>{f.date(d.workedOn)}</Table.Td>
                    <Table.Td>{f.minutes(d.minutes)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={isCustomer(me) ? `/portal/tickets/${d.ticketId}` : `/tickets/${d.ticketId}`} size="sm">
                        {d.ticketId.slice(0, 8)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{d.description}</Table.Td>
                    <Table.Td>{f.minutes(d.minutesRemaining)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

export default function PoliciesScreen() {
  const { t } = useI18n();
  const me = useMe();
  const policies = useCustomerPolicies(me.customerId);
  return (
    <Stack gap="md" maw={900} data-testid="policies-screen">
      <Title order={1} size="h3">
        {t('policy.title')}
      </Title>
      {!me.customerId && <Alert color="gray">{t('policy.noCustomer')}</Alert>}
      {policies.isPending && me.customerId && <ScreenLoader />}
      {policies.isError && <ProblemAlert error={policies.error} />}
      {policies.data && policies.data.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('policy.none')}
        </Alert>
      )}
      {policies.data?.map((p) => <PolicyCard key={p.policyId} policy={p} />)}
    </Stack>
  );
}
