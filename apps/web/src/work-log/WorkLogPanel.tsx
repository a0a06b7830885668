/**
 * Work logged on a ticket. The form shows, for each accepted authorization, the minutes still
 * authorized and, for policy-backed ones, what is left on the policy; it refuses in the form
 * what the server would refuse, with the same reason, and shows the server's answer otherwise.
 */
import { Badge, Button, Group, NumberInput, Paper, Progress, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useNotify } from '../shared/ui/notify';
import { IconClockPlus } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { api, unwrap } from '../shared/api/client';
import { ApiProblem } from '../shared/api/problem';
import type { Authorization, Policy, TicketDetail } from '../shared/api/views';
import { useUserNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { useTicketCommand } from '../ticket/ticket-api';
import { workLogRefusal } from './refusal';
import { darkText } from '../shared/ui/colors';

function usePolicies(ids: string[]) {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['policy', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => unwrap<Policy>(api.GET('/api/policies/{policyId}', { params: { path: { policyId: id } }, signal })),
      staleTime: 5_000,
    })),
  });
  const byId = new Map<string, Policy>();
  results.forEach((r, i) => r.data && byId.set(ids[i], r.data));
  return byId;
}

function AuthorizationRow({ a, policy }: { a: Authorization; policy: Policy | undefined }) {
  const { t } = useI18n();
  const f = useFormat();
  const left = a.minutesAuthorized - a.minutesLogged;
  const used = a.minutesAuthorized > 0 ? Math.round((a.minutesLogged / a.minutesAuthorized) * 100) : 100;
  return (
    <Paper withBorder p="sm" radius="sm" data-authorization-id={a.authorizationId}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text fw={600} size="sm">
            {t(`quote.kind.${a.terms.kind}`)}
          </Text>
          <Text size="sm" data-testid="authorization-left" data-minutes-left={left}>
            {t('workLog.authorizedLeft', { left: f.minutes(left), total: f.minutes(a.minutesAuthorized) })}
          </Text>
        </Group>
        <Progress value={used} color={left === 0 ? 'red' : 'blue'} size="sm" aria-label={t('workLog.authorizedUsed', { percent: used })} />
        {a.policyId && policy && (
          <Group gap="xs" wrap="wrap">
            <Text size="sm" c="dimmed">
              {t('workLog.policy', { number: policy.number })}
            </Text>
            <Text size="sm" fw={500} data-testid="policy-left" data-minutes-left={policy.minutesRemaining}>
              {t('workLog.policyLeft', { left: f.minutes(policy.minutesRemaining), total: f.minutes(policy.minutesPurchased) })}
            </Text>
            <Badge variant="light" color={policy.status === 'active' ? 'green' : 'red'} c={darkText(policy.status === 'active' ? 'green' : 'red')} tt="none" size="sm">
              {t(`policy.status.${policy.status}`)}
            </Badge>
            <Text size="xs" c="dimmed">
              {t('workLog.validUntil', { date: f.date(policy.validUntil) })}
            </Text>
          </Group>
        )}
        {a.terms.kind === 'per-event' && (
          <Text size="xs" c="dimmed">
            {t('workLog.charged', { amount: f.money(a.chargedMinor, a.terms.currency), total: f.money(a.terms.amountMinor, a.terms.currency) })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function WorkLogForm({ ticket, policies }: { ticket: TicketDetail; policies: Map<string, Policy> }) {
  const notify = useNotify();
  const { t } = useI18n();
  const f = useFormat();
  const [minutes, setMinutes] = useState<number | string>(30);
  const [workedOn, setWorkedOn] = useState(f.today());
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<'remote' | 'on-site' | 'facility'>('remote');
  const [authorizationId, setAuthorizationId] = useState<string | null>(null);
  const log = useTicketCommand(ticket.ticketId, 'work-logs');
  const m = typeof minutes === 'number' ? minutes : Number(minutes);
  const refusal = useMemo(
    () => workLogRefusal({ authorizations: ticket.authorizations, chosen: authorizationId, minutes: m, kind, workedOn, policy: (id) => policies.get(id) }),
    [ticket.authorizations, authorizationId, m, kind, workedOn, policies],
  );
  const closed = ticket.status === 'closed';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (refusal || closed || !description.trim() || !Number.isInteger(m) || m < 1) return;
    log.mutate(
      { minutes: m, workedOn, description: description.trim(), kind, ...(authorizationId ? { authorizationId } : {}) },
      {
        onSuccess: () => {
          setDescription('');
          notify(t('workLog.done', { minutes: f.minutes(m) }));
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label={t('workLog.form')} data-testid="work-log-form">
      <Stack gap="sm">
        <Group grow align="flex-start" wrap="wrap">
          <NumberInput
            label={t('workLog.minutes')}
            description={Number.isInteger(m) && m > 0 ? f.minutes(m) : undefined}
            value={minutes}
            onChange={(v) => {
              setMinutes(v);
              log.reset();
            }}
            min={1}
            max={1440}
            step={15}
            allowDecimal={false}
            required
            miw={140}
          />
          <TextInput type="date" label={t('workLog.workedOn')} value={workedOn} onChange={(e) => setWorkedOn(e.currentTarget.value)} required miw={150} />
          <Select
            label={t('workLog.kind')}
            data={(['remote', 'on-site', 'facility'] as const).map((k) => ({ value: k, label: t(`workLog.kind.${k}`) }))}
            value={kind}
            onChange={(v) => setKind((v ?? 'remote') as typeof kind)}
            allowDeselect={false}
            miw={150}
          />
        </Group>
        {ticket.authorizations.length > 1 && (
          <Select
            label={t('workLog.authorization')}
            data={[
              { value: '', label: t('workLog.authorizationAuto') },
              ...ticket.authorizations.map((a) => ({ value: a.authorizationId, label: `${t(`quote.kind.${a.terms.kind}`)} · ${f.minutes(a.minutesAuthorized - a.minutesLogged)}` })),
            ]}
            value={authorizationId ?? ''}
            onChange={(v) => setAuthorizationId(v || null)}
            allowDeselect={false}
          />
        )}
        <Textarea label={t('workLog.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} required autosize minRows={2} maxLength={5000} />
        {refusal && !closed && <ProblemAlert error={new ApiProblem(refusal)} />}
        {log.isError && <ProblemAlert error={log.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={log.isPending} disabled={!!refusal || closed || !description.trim()} leftSection={<IconClockPlus size={16} aria-hidden="true" />} data-testid="work-log-submit">
            {t('workLog.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function WorkLogPanel({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const f = useFormat();
  const userName = useUserNames();
  const policyIds = [...new Set(ticket.authorizations.map((a) => a.policyId).filter((p): p is string => !!p))];
  const policies = usePolicies(policyIds);
  const logs = [...ticket.workLogs].sort((a, b) => (a.loggedAt < b.loggedAt ? 1 : -1));
  return (
    <Stack gap="sm" data-testid="work-log">
      <Title order={2} size="h5">
        {t('workLog.title')}
      </Title>
      {ticket.authorizations.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('workLog.noAuthorization')}
        </Text>
      ) : (
        ticket.authorizations.map((a) => <AuthorizationRow key={a.authorizationId} a={a} policy={a.policyId ? policies.get(a.policyId) : undefined} />)
      )}
      <WorkLogForm ticket={ticket} policies={policies} />
      {logs.length > 0 && (
        <Table.ScrollContainer minWidth={520}>
          <Table striped verticalSpacing={4} data-testid="work-log-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('workLog.col.date')}</Table.Th>
                <Table.Th>{t('workLog.col.minutes')}</Table.Th>
                <Table.Th>{t('workLog.col.kind')}</Table.Th>
                <Table.Th>{t('workLog.col.engineer')}</Table.Th>
                <Table.Th>{t('workLog.col.description')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {logs.map((w) => (
                <Table.Tr key={w.entryId}>
                  <Table.Td>{f.date(w.workedOn)}</Table.Td>
                  <Table.Td>{f.minutes(w.minutes)}</Table.Td>
                  <Table.Td>{t(`workLog.kind.${w.kind}`)}</Table.Td>
                  <Table.Td>{userName(w.engineerId)}</Table.Td>
                  <Table.Td>{w.description}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
