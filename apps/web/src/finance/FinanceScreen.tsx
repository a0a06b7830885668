/**
 * Finance (finance and auditors): billed minutes by customer, policy and month with the API's
 * CSV; policy balances with burn rate and projected exhaustion; per-event charges; the
 * reconciliation verdict. One period and customer filter for all of them (kept in the URL).
 */
import { Alert, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTabParam } from '../shared/ui/tab-param';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { hasRole, useMe } from '../shared/session/session';
import { PeriodFilter, usePeriodFilters } from '../shared/ui/PeriodFilter';
import { BilledMinutesPanel } from './BilledMinutesPanel';
import { ChargesPanel } from './ChargesPanel';
import { PolicyBalancesPanel } from './PolicyBalancesPanel';
import { ReconciliationPanel } from './ReconciliationPanel';

const TABS = ['billed', 'balances', 'charges', 'reconciliation'] as const;

export default function FinanceScreen() {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const [filters, update] = usePeriodFilters(5);
  const allowed = hasRole(me, 'finance', 'auditor');
  const [tab, chooseTab] = useTabParam(TABS);
  if (!allowed) {
    return (
      <Alert color="gray" variant="light">
        {t('problem.forbidden')}
      </Alert>
    );
  }
  return (
    <Stack gap="md" data-testid="finance-screen">
      <Title order={1} size="h3">
        {t('finance.title')}
      </Title>
      <PeriodFilter filters={filters} update={update} label={t('finance.filters')} />
      <Text size="xs" c="dimmed">
        {t('finance.periodNote', { zone: f.zoneLabel() })}
      </Text>
      <Tabs
        value={tab}
        onChange={chooseTab}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k} data-testid={`tab-${k}`}>
              {t(`finance.tab.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="billed" pt="sm">
          <BilledMinutesPanel filters={filters} />
        </Tabs.Panel>
        <Tabs.Panel value="balances" pt="sm">
          <PolicyBalancesPanel customerId={filters.customerId} />
        </Tabs.Panel>
        <Tabs.Panel value="charges" pt="sm">
          <ChargesPanel filters={filters} />
        </Tabs.Panel>
        <Tabs.Panel value="reconciliation" pt="sm">
          <ReconciliationPanel filters={filters} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
