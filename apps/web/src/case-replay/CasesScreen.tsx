/**
 * The cases to replay: the newest tickets (customers: their own), filtered by status and
 * customer, or one ticket by its id. Each opens the case replay.
 */
import { Alert, Anchor, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconHistory, IconInbox } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCustomerNames, useCustomers } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { isStaff, useMe } from '../shared/session/session';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { StatusBadge } from '../shared/ui/StatusBadge';
import { useCaseList } from './replay-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

const ALL = '__all__';

export default function CasesScreen() {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const staff = isStaff(me);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const customerId = params.get('customer') ?? '';
  const customers = useCustomers(staff).data ?? [];
  const customerName = useCustomerNames(staff);
  const list = useCaseList({ status, customerId: staff ? customerId : '' });
  const [ticketId, setTicketId] = useState('');
  const set = (k: string, v: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (!v || v === ALL) next.delete(k);
        else next.set(k, v);
        return next;
      },
      { replace: true },
    );
  const go = (e: FormEvent) => {
    e.preventDefault();
    const id = ticketId.trim();
    if (id) navigate(`/cases/${encodeURIComponent(id)}`);
  };
  return (
    <Stack gap="md" data-testid="cases-screen">
      <Title order={1} size="h3">
        {t('cases.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t(staff ? 'cases.intro' : 'cases.introCustomer')}
      </Text>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <form onSubmit={go} aria-label={t('cases.byId')} style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
          <TextInput label={t('cases.ticketId')} value={ticketId} onChange={(e) => setTicketId(e.currentTarget.value)} w={{ base: '100%', xs: 320 }} maxLength={100} data-testid="cases-ticket-id" />
          <Button type="submit" variant="light" leftSection={<IconHistory size={16} aria-hidden="true" />}>
            {t('cases.open')}
          </Button>
        </form>
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('cases.filters')}>
        <Select
          label={t('cases.status')}
          value={status || ALL}
          onChange={(v) => set('status', v)}
          allowDeselect={false}
          w={200}
          data={[
            { value: ALL, label: t('cases.anyStatus') },
            { value: 'open', label: t('status.open') },
            { value: 'awaiting-customer', label: t('status.awaiting-customer') },
            { value: 'closed', label: t('status.closed') },
          ]}
        />
        {staff && customers.length > 0 && (
          <Select
            label={t('filters.customer')}
            value={customerId || ALL}
            onChange={(v) => set('customer', v)}
            allowDeselect={false}
            searchable
            w={260}
            data={[{ value: ALL, label: t('filters.anyCustomer') }, ...customers.map((c) => ({ value: c.customerId, label: c.name }))]}
          />
        )}
      </Group>
      {list.isPending && <ScreenLoader />}
      {list.isError && <ProblemAlert error={list.error} />}
      {list.data && list.data.items.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('cases.empty')}
        </Alert>
      )}
      {list.data && list.data.items.length > 0 && (
        <ScrollTable minWidth={560} label={t('cases.title')}>
          <Table striped highlightOnHover verticalSpacing={6} data-testid="cases-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('queue.col.subject')}</Table.Th>
                {staff && <Table.Th>{t('ticket.customer')}</Table.Th>}
                <Table.Th>{t('queue.col.status')}</Table.Th>
                <Table.Th>{t('cases.openedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((c) => (
                <Table.Tr key={c.ticketId} data-ticket-id={c.ticketId}>
                  <Table.Td>
                    <Anchor underline="always" component={Link} to={`/cases/${c.ticketId}`} size="sm" fw={500}>
                      {c.subject ?? c.ticketId}
                    </Anchor>
                  </Table.Td>
                  {staff && <Table.Td>{customerName(c.customerId)}</Table.Td>}
                  <Table.Td>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>{f.instant(c.openedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {list.data?.nextCursor && (
        <Text size="xs" c="dimmed">
          {t('cases.more')}
        </Text>
      )}
    </Stack>
  );
}
