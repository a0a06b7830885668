/**
 * Per-event charges of the period: each work log charged to an accepted per-event quote, its
 * amount in the quote's currency (exact minor units formatted for the user's language), with
 * the quote's rate, amount, payment terms and purchase order; totals by currency and customer.
 */
import { Alert, Anchor, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useI18n } from '../shared/i18n/i18n';
import { formatByCurrency, formatMinor } from '../shared/money';
import { usePersonName } from '../shared/people';
import { useFormat } from '../shared/session/format';
import type { PeriodFilters } from '../shared/ui/PeriodFilter';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useCharges } from './finance-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

export function ChargesPanel({ filters }: { filters: PeriodFilters }) {
  const { t, tx, language } = useI18n();
  const f = useFormat();
  const name = usePersonName();
  const charges = useCharges(filters, !filters.invalid);
  const data = charges.data;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('finance.charges.intro')}
      </Text>
      {charges.isPending && !filters.invalid && <ScreenLoader />}
      {charges.isError && <ProblemAlert error={charges.error} />}
      {data && data.items.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('finance.charges.empty')}
        </Alert>
      )}
      {data && data.items.length > 0 && (
        <>
          <Group gap="sm" wrap="wrap">
            <Paper withBorder p="sm" radius="sm">
              <Text size="xs" c="dimmed">
                {t('finance.charges.total')}
              </Text>
              <Text fw={700} size="lg" data-testid="charges-total">
                {formatByCurrency(data.totals.chargeMinor, language)}
              </Text>
            </Paper>
            <Paper withBorder p="sm" radius="sm">
              <Text size="xs" c="dimmed">
                {t('finance.charges.minutes')}
              </Text>
              <Text fw={700} size="lg">
                {f.minutes(data.totals.minutes)}
              </Text>
            </Paper>
          </Group>
          <ScrollTable minWidth={1000} label={t('finance.tab.charges')}>
            <Table striped verticalSpacing={6} fz="sm" data-testid="charges-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('finance.charges.workedOn')}</Table.Th>
                  <Table.Th>{t('finance.billed.customer')}</Table.Th>
                  <Table.Th>{t('finance.charges.work')}</Table.Th>
                  <Table.Th ta="right">{t('finance.charges.minutes')}</Table.Th>
                  <Table.Th ta="right">{t('finance.charges.charge')}</Table.Th>
                  <Table.Th>{t('finance.charges.quote')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((c) => (
                  <Table.Tr key={c.entryId} data-entry-id={c.entryId} data-charge-minor={c.chargeMinor} data-currency={c.currency}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.date(c.workedOn)}</Table.Td>
                    <Table.Td>{c.customerName ?? c.customerId ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.description}</Text>
                      <Text size="xs" c="dimmed">
                        {name(c.engineerId)} · {tx(`workLog.kind.${c.kind}`, c.kind)} ·{' '}
                        <Anchor underline="always" component={Link} to={`/cases/${c.ticketId}`} size="xs">
                          {t('audit.replayCase', { id: c.ticketId.slice(0, 8) })}
                        </Anchor>
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{f.minutes(c.minutes)}</Table.Td>
                    <Table.Td ta="right" fw={600} data-testid="charge-amount">
                      {formatMinor(c.chargeMinor, c.currency, language)}
                    </Table.Td>
                    <Table.Td>
                      {c.quote ? (
                        <>
                          <Text size="xs">
                            {[
                              c.quote.amountMinor !== null ? t('finance.charges.quoted', { amount: formatMinor(c.quote.amountMinor, c.quote.currency, language), minutes: f.minutes(c.quote.minutes) }) : f.minutes(c.quote.minutes),
                              c.quote.hourlyRateMinor !== null ? t('replay.quotes.rate', { rate: formatMinor(c.quote.hourlyRateMinor, c.quote.currency, language) }) : null,
                            ]
                              .filter(Boolean)
                              .join(' · ')}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {[c.quote.paymentTerms, c.quote.purchaseOrder ? t('quote.poNumber', { po: c.quote.purchaseOrder }) : null].filter(Boolean).join(' · ') || '—'}
                          </Text>
                        </>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Table withTableBorder captionSide="top" verticalSpacing={4} fz="sm" maw={640} data-testid="charges-by-customer">
            <caption style={{ textAlign: 'left', fontWeight: 600 }}>{t('finance.charges.byCustomer')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('finance.billed.customer')}</Table.Th>
                <Table.Th ta="right">{t('finance.charges.minutes')}</Table.Th>
                <Table.Th ta="right">{t('finance.charges.charge')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.totals.byCustomer.map((c) => (
                <Table.Tr key={c.customerId ?? ''}>
                  <Table.Td>{c.customerName ?? c.customerId ?? '—'}</Table.Td>
                  <Table.Td ta="right">{f.minutes(c.minutes)}</Table.Td>
                  <Table.Td ta="right">{formatByCurrency(c.chargeMinor, language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
