/**
 * Audit: who accepted or declined which quote, when, with which terms and purchase order and
 * with which rights at that moment (auditors, finance), and the access log (auditors,
 * administrators): sign-ins, failed sign-ins, invitations, role and approver changes. Both
 * filtered by a period in the company's zone and a customer; both downloadable as CSV.
 */
import { Alert, Anchor, Badge, Group, Select, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconInbox, IconKey, IconLock, IconUserCog } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTabParam } from '../shared/ui/tab-param';
import { useCustomerNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { formatMinor } from '../shared/money';
import { usePeople, usePersonName } from '../shared/people';
import { useFormat } from '../shared/session/format';
import { hasRole, useMe } from '../shared/session/session';
import { ApprovalLine } from '../shared/ui/ApprovalLine';
import { PeriodFilter, usePeriodFilters, type PeriodFilters } from '../shared/ui/PeriodFilter';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { darkText } from '../shared/ui/colors';
import { DownloadButton } from '../shared/ui/DownloadButton';
import { useSettings } from '../shared/session/settings';
import { downloadAccessCsv, downloadAuthorizationsCsv, useAccessLog, useAuthorizations, type AccessEntry } from './audit-api';
import { ScrollTable } from '../shared/ui/ScrollTable';
import { LoadMore } from '../shared/ui/LoadMore';

function DecisionBadge({ decision }: { decision: 'accept' | 'decline' | string }) {
  const { t } = useI18n();
  const accept = decision === 'accept';
  const color = accept ? 'green' : 'red';
  const Icon = accept ? IconCircleCheck : IconCircleX;
  return (
    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color={color} variant="light" c={darkText(color)} tt="none" leftSection={<Icon size={14} aria-hidden="true" />} data-decision={decision}>
      {t(accept ? 'audit.decision.accept' : 'audit.decision.decline')}
    </Badge>
  );
}

function Authorizations({ filters }: { filters: PeriodFilters }) {
  const { t, tx, language } = useI18n();
  const f = useFormat();
  const settings = useSettings();
  const customerName = useCustomerNames();
  const name = usePersonName();
  const query = useAuthorizations(filters, settings.timeZone, !filters.invalid);
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed">
          {query.data ? t('audit.authorizations.count', { n: query.data.length }) : ''}
        </Text>
        <DownloadButton label={t('audit.csv')} testId="authorizations-csv" onDownload={() => downloadAuthorizationsCsv(filters, settings.timeZone)} />
      </Group>
      {query.isPending && !filters.invalid && <ScreenLoader />}
      {query.isError && <ProblemAlert error={query.error} />}
      {query.data && query.data.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('audit.authorizations.empty')}
        </Alert>
      )}
      {query.data && query.data.length > 0 && (
        <ScrollTable minWidth={980} label={t('audit.tab.authorizations')}>
          <Table striped verticalSpacing={6} fz="sm" data-testid="authorizations-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.col.at')}</Table.Th>
                <Table.Th>{t('audit.col.decision')}</Table.Th>
                <Table.Th>{t('audit.col.customer')}</Table.Th>
                <Table.Th>{t('audit.col.what')}</Table.Th>
                <Table.Th>{t('audit.col.terms')}</Table.Th>
                <Table.Th>{t('audit.col.purchaseOrder')}</Table.Th>
                <Table.Th>{t('audit.col.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.map((a) => (
                <Table.Tr key={a._id} data-quote-id={a.quoteId} data-decision={a.decision}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.instant(a.at)}</Table.Td>
                  <Table.Td>
                    <DecisionBadge decision={a.decision} />
                  </Table.Td>
                  <Table.Td>{customerName(a.customerId)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {tx(`quote.kind.${a.terms.kind}`, a.terms.kind)}
                      {a.quote.supplementary ? ` · ${t('quote.supplementary')}` : ''}
                    </Text>
                    <Text size="xs">{a.terms.description}</Text>
                    <Anchor underline="always" component={Link} to={`/cases/${a.ticketId}`} size="xs">
                      {t('audit.replayCase', { id: a.ticketId.slice(0, 8) })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{f.minutes(a.terms.minutes)}</Text>
                    {a.terms.amountMinor !== null && <Text size="xs">{formatMinor(a.terms.amountMinor, a.terms.currency, language)}</Text>}
                    {a.terms.hourlyRateMinor !== null && <Text size="xs">{t('replay.quotes.rate', { rate: formatMinor(a.terms.hourlyRateMinor, a.terms.currency, language) })}</Text>}
                    {a.terms.paymentTerms && <Text size="xs">{a.terms.paymentTerms}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {a.purchaseOrder ?? (a.terms.purchaseOrderRequired ? t('audit.poMissing') : '—')}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{name(a.by)}</Text>
                    <ApprovalLine approval={a.approval} />
                    {a.comment && (
                      <Text size="xs" c="dimmed">
                        {t('audit.comment', { comment: a.comment })}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}

const ACTION_LOOK: Record<string, { color: string; Icon: typeof IconKey }> = {
  'sign-in-failed': { color: 'red', Icon: IconLock },
  'signed-in': { color: 'green', Icon: IconKey },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function detailText(e: AccessEntry, tx: (k: string, f: string) => string, name: (id: string | null | undefined) => string): string {
  const d = e.detail as Record<string, unknown>;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === undefined || k === 'userId') continue;
    const value = Array.isArray(v)
      ? v.map((x) => tx(`role.${x}`, String(x))).join(', ')
      : typeof v === 'object'
        ? JSON.stringify(v)
        : typeof v === 'boolean'
          ? tx(v ? 'common.yes' : 'common.no', String(v))
          : k === 'by'
            ? name(String(v))
            : k === 'language'
              ? tx(`language.${v}`, String(v))
              : k === 'method' || k === 'via'
                ? tx(`audit.access.method.${v}`, String(v))
                : UUID.test(String(v))
                  ? String(v).slice(0, 8) // an id: enough of it to tell two apart
                  : String(v);
    parts.push(`${tx(`audit.access.detail.${k}`, k)}: ${value}`);
  }
  return parts.join(' · ');
}

function AccessLog({ filters }: { filters: PeriodFilters }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const settings = useSettings();
  const name = usePersonName();
  const people = usePeople().data ?? [];
  const [userId, setUserId] = useState('');
  const customerPeople = useMemo(() => new Set(people.filter((p) => p.customerId === filters.customerId).map((p) => p.userId)), [people, filters.customerId]);
  const keep = (e: AccessEntry) => !filters.customerId || (e.userId !== null && customerPeople.has(e.userId));
  const access = useAccessLog({ from: filters.from, to: filters.to, userId }, settings.timeZone, !filters.invalid);
  const loaded = access.data?.pages.flatMap((p) => p.items) ?? [];
  const entries = loaded.filter(keep);
  const candidates = filters.customerId ? people.filter((p) => p.customerId === filters.customerId) : people;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="xs" align="flex-end">
        <Select
          label={t('audit.access.person')}
          value={userId || '__all__'}
          onChange={(v) => setUserId(!v || v === '__all__' ? '' : v)}
          allowDeselect={false}
          searchable
          w={{ base: '100%', xs: 300 }}
          data={[{ value: '__all__', label: t('audit.access.anyone') }, ...candidates.map((p) => ({ value: p.userId, label: `${p.name} <${p.email}>` }))]}
          data-testid="access-person"
        />
        <DownloadButton label={t('audit.csv')} testId="access-csv" onDownload={() => downloadAccessCsv({ from: filters.from, to: filters.to, userId }, settings.timeZone, keep)} />
      </Group>
      {filters.customerId && (
        <Text size="xs" c="dimmed">
          {t('audit.access.customerNote')}
        </Text>
      )}
      {access.isPending && !filters.invalid && <ScreenLoader />}
      {access.isError && <ProblemAlert error={access.error} />}
      {access.data && entries.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('audit.access.empty')}
        </Alert>
      )}
      {entries.length > 0 && (
        <ScrollTable minWidth={900} label={t('audit.tab.access')}>
          <Table striped verticalSpacing={6} fz="sm" data-testid="access-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.col.at')}</Table.Th>
                <Table.Th>{t('audit.access.action')}</Table.Th>
                <Table.Th>{t('audit.access.person')}</Table.Th>
                <Table.Th>{t('audit.col.by')}</Table.Th>
                <Table.Th>{t('audit.access.origin')}</Table.Th>
                <Table.Th>{t('audit.access.detail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => {
                const look = ACTION_LOOK[e.action] ?? { color: 'gray', Icon: IconUserCog };
                return (
                  <Table.Tr key={e.entryId} data-action={e.action}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.instant(e.at)}</Table.Td>
                    <Table.Td>
                      <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color={look.color} variant="light" c={darkText(look.color)} tt="none" leftSection={<look.Icon size={14} aria-hidden="true" />}>
                        {tx(`audit.access.action.${e.action}`, e.action)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{e.userId ? name(e.userId) : '—'}</Text>
                      {e.email && (
                        <Text size="xs" c="dimmed">
                          {e.email}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{name(e.by)}</Table.Td>
                    <Table.Td>
                      <Text size="xs">{e.ip ?? '—'}</Text>
                      {e.userAgent && (
                        <Text size="xs" c="dimmed" lineClamp={1} title={e.userAgent} maw={220}>
                          {e.userAgent}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Text size="xs">{detailText(e, tx, name)}</Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <LoadMore query={access} w="fit-content" />
    </Stack>
  );
}

export default function AuditScreen() {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const [filters, update] = usePeriodFilters(2);
  const canAuthorizations = hasRole(me, 'auditor', 'finance');
  const canAccess = hasRole(me, 'auditor', 'admin');
  const tabs = [...(canAuthorizations ? ['authorizations'] : []), ...(canAccess ? ['access'] : [])];
  const [tab, chooseTab] = useTabParam(tabs);
  if (!tab) {
    return (
      <Alert color="gray" variant="light">
        {t('problem.forbidden')}
      </Alert>
    );
  }
  return (
    <Stack gap="md" data-testid="audit-screen">
      <Title order={1} size="h3">
        {t('audit.title')}
      </Title>
      <PeriodFilter filters={filters} update={update} label={t('audit.filters')} />
      <Text size="xs" c="dimmed">
        {t('filters.zoneNote', { zone: f.zoneLabel() })}
      </Text>
      <Tabs
        value={tab}
        onChange={chooseTab}
        keepMounted={false}
      >
        <Tabs.List>
          {canAuthorizations && (
            <Tabs.Tab value="authorizations" data-testid="tab-authorizations">
              {t('audit.tab.authorizations')}
            </Tabs.Tab>
          )}
          {canAccess && (
            <Tabs.Tab value="access" data-testid="tab-access">
              {t('audit.tab.access')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        {canAuthorizations && (
          <Tabs.Panel value="authorizations" pt="sm">
            <Authorizations filters={filters} />
          </Tabs.Panel>
        )}
        {canAccess && (
          <Tabs.Panel value="access" pt="sm">
            <AccessLog filters={filters} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
