/**
 * The filters the audit and finance screens share: a period of dates (in the company's zone,
 * kept in the URL) and a customer. Native date inputs: labelled, keyboard-friendly, and the
 * browser's own picker on phones.
 */
import { Group, Select, TextInput } from '@mantine/core';
import { useCallback, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useCustomers } from '../directory';
import { useI18n } from '../i18n/i18n';
import { useSettings } from '../session/settings';
import { DATE_RE, monthsAgoStart, todayDate } from '../time/period';

const ALL = '__all__';

export interface PeriodFilters {
  from: string;
  to: string;
  customerId: string;
  /** from is after to */
  invalid: boolean;
}

/** the period and customer in the URL (?from&to&customer), by default the last `monthsBack` months through today */
export function usePeriodFilters(monthsBack = 2): [PeriodFilters, (patch: Partial<Record<'from' | 'to' | 'customer', string | null>>) => void] {
  const settings = useSettings();
  const [params, setParams] = useSearchParams();
  const filters = useMemo<PeriodFilters>(() => {
    const fromParam = params.get('from');
    const toParam = params.get('to');
    const from = fromParam && DATE_RE.test(fromParam) ? fromParam : monthsAgoStart(settings.timeZone, monthsBack);
    const to = toParam && DATE_RE.test(toParam) ? toParam : todayDate(settings.timeZone);
    return { from, to, customerId: params.get('customer') ?? '', invalid: from > to };
  }, [params, settings.timeZone, monthsBack]);
  const update = useCallback(
    (patch: Partial<Record<'from' | 'to' | 'customer', string | null>>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (!v || v === ALL) next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [filters, update];
}

export function PeriodFilter({
  filters,
  update,
  withCustomer = true,
  label,
  children,
}: {
  filters: PeriodFilters;
  update: (patch: Partial<Record<'from' | 'to' | 'customer', string | null>>) => void;
  withCustomer?: boolean;
  label: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const customers = useCustomers(withCustomer).data ?? [];
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={label}>
      <TextInput
        type="date"
        label={t('filters.from')}
        value={filters.from}
        onChange={(e) => DATE_RE.test(e.currentTarget.value) && update({ from: e.currentTarget.value })}
        error={filters.invalid ? t('filters.fromAfterTo') : undefined}
        w={170}
        data-testid="filter-from"
      />
      <TextInput type="date" label={t('filters.to')} value={filters.to} onChange={(e) => DATE_RE.test(e.currentTarget.value) && update({ to: e.currentTarget.value })} w={170} data-testid="filter-to" />
      {withCustomer && (
        <Select
          label={t('filters.customer')}
          value={filters.customerId || ALL}
          onChange={(v) => update({ customer: v })}
          allowDeselect={false}
          searchable
          w={{ base: '100%', xs: 260 }}
          data={[{ value: ALL, label: t('filters.anyCustomer') }, ...customers.map((c) => ({ value: c.customerId, label: c.name }))]}
          data-testid="filter-customer"
        />
      )}
      {children}
    </Group>
  );
}
