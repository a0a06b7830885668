import { Alert, Anchor, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Policy } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { darkText } from '../shared/ui/colors';
import { LOW_BALANCE_SHARE, shareLeft, useCustomerPolicies } from './policy-api';

export function LowBalanceWarning({ policy }: { policy: Policy }) {
  const { t } = useI18n();
  const f = useFormat();
  if (policy.status !== 'active' || shareLeft(policy) >= LOW_BALANCE_SHARE) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle aria-hidden="true" />}
      title={t('policy.lowTitle')}
      styles={{ title: { color: darkText('orange') }, icon: { color: darkText('orange') } }}
      data-testid="policy-low"
    >
      {t('policy.low', { left: f.minutes(policy.minutesRemaining), percent: Math.round(shareLeft(policy) * 100) })}
    </Alert>
  );
}

/** the customer's active policies in one line each: minutes left of purchased, expiry */
export function PolicySummary({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const policies = useCustomerPolicies(customerId);
  const active = (policies.data ?? []).filter((p) => p.status === 'active');
  if (!policies.data || policies.data.length === 0) return null;
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('policy.summary')}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={600}>{t('policy.summary')}</Text>
          <Anchor component={Link} to="/portal/policies" size="sm">
            {t('policy.seeAll')}
          </Anchor>
        </Group>
        {active.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('policy.noneActive')}
          </Text>
        )}
        {active.map((p) => {
          const left = Math.round(shareLeft(p) * 100);
          return (
            <Stack key={p.policyId} gap={4} data-policy-id={p.policyId}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Text size="sm">
                  {p.number} · {t(`policy.plan.${p.plan}`)}
                </Text>
                <Text size="sm" fw={600} data-testid="policy-balance" data-minutes-left={p.minutesRemaining}>
                  {t('policy.leftOf', { left: f.minutes(p.minutesRemaining), total: f.minutes(p.minutesPurchased) })}
                </Text>
              </Group>
              <Progress value={left} color={left < LOW_BALANCE_SHARE * 100 ? 'orange' : 'green'} size="sm" aria-label={t('policy.leftShare', { percent: left })} />
              <LowBalanceWarning policy={p} />
            </Stack>
          );
        })}
      </Stack>
    </Paper>
  );
}
