/**
 * Case replay (auditors, supervisors, agents; customers see the public part of their own):
 * the case's events as a timeline with their correlation and causation links, a step control
 * that moves through them showing the case as it stood at that step and what the step
 * changed, the hash-chain verdict, each quote's authorization with the approver's rights at
 * that time, and the NDJSON export with how to verify it offline.
 */
import { ActionIcon, Alert, Anchor, Button, Code, Grid, Group, List, Paper, Slider, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { IconArrowLeft, IconChevronLeft, IconChevronRight, IconChevronsLeft, IconChevronsRight, IconDownload } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import NoScreen from '../app/NoScreen';
import { api, unwrap } from '../shared/api/client';
import { isProblem } from '../shared/api/problem';
import type { Policy } from '../shared/api/views';
import { useCustomerNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { formatMinor } from '../shared/money';
import { usePersonName } from '../shared/people';
import { useFormat } from '../shared/session/format';
import { isCustomer, isStaff, useMe } from '../shared/session/session';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { VerdictAlert } from '../shared/ui/VerdictAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useNotify } from '../shared/ui/notify';
import { QuoteStateBadge } from './badges';
import { ChainVerdict } from './ChainVerdict';
import { ChangesPanel } from './ChangesPanel';
import { eventName, eventSummary, type Describers } from './describe';
import { exportCase, replayModel, useCaseHistory, type CaseHistory } from './replay-api';
import { ApprovalLine } from '../shared/ui/ApprovalLine';
import { StatePanel } from './StatePanel';
import { Timeline } from './Timeline';
import { ScrollTable } from '../shared/ui/ScrollTable';

function usePolicyNumbers(policyIds: string[]): (policyId: string) => string {
  const results = useQueries({
    queries: policyIds.map((policyId) => ({
      queryKey: ['policy', policyId],
      queryFn: ({ signal }: { signal: AbortSignal }) => unwrap<Policy>(api.GET('/api/policies/{policyId}', { params: { path: { policyId } }, signal })),
      staleTime: 60_000,
      retry: false,
    })),
  });
  const numbers = new Map<string, string>();
  results.forEach((r, i) => {
    if (r.data?.number) numbers.set(policyIds[i], r.data.number);
  });
  return (policyId) => numbers.get(policyId) ?? policyId.slice(0, 8);
}

function StepControl({ step, total, onStep, label }: { step: number; total: number; onStep: (i: number) => void; label: string }) {
  const { t } = useI18n();
  const last = total - 1;
  const buttons: Array<{ key: string; to: number; Icon: typeof IconChevronLeft; label: string; disabled: boolean }> = [
    { key: 'first', to: 0, Icon: IconChevronsLeft, label: t('replay.step.first'), disabled: step === 0 },
    { key: 'prev', to: step - 1, Icon: IconChevronLeft, label: t('replay.step.previous'), disabled: step === 0 },
    { key: 'next', to: step + 1, Icon: IconChevronRight, label: t('replay.step.next'), disabled: step >= last },
    { key: 'last', to: last, Icon: IconChevronsRight, label: t('replay.step.last'), disabled: step >= last },
  ];
  return (
    <Paper withBorder p="sm" radius="sm" component="section" aria-label={t('replay.step.label')} data-testid="replay-step" data-step={step + 1} data-total={total}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text size="sm" fw={600} aria-live="polite" data-testid="replay-step-label">
            {t('replay.step.of', { n: step + 1, total })} · {label}
          </Text>
          <Group gap={4}>
            {buttons.map((b) => (
              <Tooltip key={b.key} label={b.label} withArrow>
                <ActionIcon variant="default" size="lg" onClick={() => onStep(b.to)} disabled={b.disabled} aria-label={b.label} data-testid={`replay-${b.key}`}>
                  <b.Icon size={18} aria-hidden="true" />
                </ActionIcon>
              </Tooltip>
            ))}
          </Group>
        </Group>
        <Slider
          min={1}
          max={Math.max(1, total)}
          step={1}
          value={step + 1}
          onChange={(v) => onStep(v - 1)}
          label={(v) => t('replay.step.short', { n: v })}
          thumbLabel={t('replay.step.slider')}
          thumbValueText={(v: number) => t('replay.step.of', { n: v, total })}
          marks={total <= 40 ? Array.from({ length: total }, (_, i) => ({ value: i + 1 })) : undefined}
          data-testid="replay-slider"
          mb={4}
        />
      </Stack>
    </Paper>
  );
}

function QuoteAuthorizations({ quotes, d, onShow }: { quotes: CaseHistory['quotes']; d: Describers; onShow: (position: number) => void }) {
  const { t, tx, language } = useI18n();
  const f = useFormat();
  if (quotes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('replay.state.noQuotes')}
      </Text>
    );
  }
  return (
    <ScrollTable minWidth={760} label={t('replay.quotes.title')}>
      <Table striped verticalSpacing={4} fz="sm" data-testid="quote-authorizations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('replay.quotes.quote')}</Table.Th>
            <Table.Th>{t('replay.quotes.terms')}</Table.Th>
            <Table.Th>{t('replay.quotes.status')}</Table.Th>
            <Table.Th>{t('replay.quotes.answer')}</Table.Th>
            <Table.Th>{t('replay.quotes.rights')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {quotes.map((q) => (
            <Table.Tr key={q.quoteId} data-quote-id={q.quoteId}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {tx(`quote.kind.${q.terms.kind}`, q.terms.kind)}
                </Text>
                <Text size="xs" c="dimmed">
                  {q.terms.description}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{f.minutes(q.terms.minutes)}</Text>
                {q.terms.amountMinor !== null && (
                  <Text size="xs">
                    {formatMinor(q.terms.amountMinor, q.terms.currency, language)}
                    {q.terms.hourlyRateMinor !== null ? ` · ${t('replay.quotes.rate', { rate: formatMinor(q.terms.hourlyRateMinor, q.terms.currency, language) })}` : ''}
                  </Text>
                )}
                {q.terms.paymentTerms && <Text size="xs">{q.terms.paymentTerms}</Text>}
                <Text size="xs" c="dimmed">
                  {q.terms.kind === 'per-event' ? t(q.terms.purchaseOrderRequired ? 'replay.quotes.poRequired' : 'replay.quotes.poNotRequired') : t('quote.policy')}
                </Text>
              </Table.Td>
              <Table.Td>
                <QuoteStateBadge status={q.status} />
              </Table.Td>
              <Table.Td>
                {q.decision ? (
                  <>
                    <Text size="sm">{t(q.decision.decision === 'accept' ? 'replay.quote.acceptedBy' : 'replay.quote.declinedBy', { by: d.name(q.decision.by), at: f.instant(q.decision.at) })}</Text>
                    {q.decision.purchaseOrder && <Text size="xs">{t('quote.poNumber', { po: q.decision.purchaseOrder })}</Text>}
                    {q.decision.comment && (
                      <Text size="xs" c="dimmed">
                        {q.decision.comment}
                      </Text>
                    )}
                    {q.decision.position > 0 && (
                      <Anchor underline="always" component="button" type="button" size="xs" onClick={() => onShow(q.decision!.position)}>
                        {t('replay.quotes.showStep')}
                      </Anchor>
                    )}
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('replay.quote.pending')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{q.decision ? <ApprovalLine approval={q.decision.approval} /> : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function ExportPanel({ ticketId }: { ticketId: string }) {
  const { t } = useI18n();
  const notify = useNotify();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const file = `case-${ticketId}.ndjson`;
  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap">
        <Button
          leftSection={<IconDownload size={16} aria-hidden="true" />}
          loading={busy}
          data-testid="replay-export"
          onClick={() => {
            setBusy(true);
            setError(null);
            exportCase(ticketId)
              .then((name) => notify(t('replay.export.done', { file: name })))
              .catch(setError)
              .finally(() => setBusy(false));
          }}
        >
          {t('replay.export.button')}
        </Button>
      </Group>
      {error ? <ProblemAlert error={error} /> : null}
      <Text size="sm">{t('replay.export.what')}</Text>
      <Text size="sm" fw={600}>
        {t('replay.export.howTitle')}
      </Text>
      <List size="sm" type="ordered" spacing={2}>
        <List.Item>{t('replay.export.step1')}</List.Item>
        <List.Item>
          {t('replay.export.step2')}
          <Code block mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {`node verify-case-export.mjs ${file}`}
          </Code>
        </List.Item>
        <List.Item>{t('replay.export.step3')}</List.Item>
      </List>
      <Text size="xs" c="dimmed">
        {t('replay.export.caveat')}
      </Text>
    </Stack>
  );
}

export default function CaseReplayScreen() {
  const { ticketId = '' } = useParams();
  return <Replay key={ticketId} ticketId={ticketId} />;
}

function Replay({ ticketId }: { ticketId: string }) {
  const { t, tx, language } = useI18n();
  const f = useFormat();
  const me = useMe();
  const staff = isStaff(me);
  const customerName = useCustomerNames(staff);
  const name = usePersonName();
  const query = useCaseHistory(ticketId);
  const [params, setParams] = useSearchParams();
  const model = useMemo(() => (query.data ? replayModel(query.data) : null), [query.data]);
  const policyIds = useMemo(() => [...new Set((model?.events ?? []).filter((e) => e.streamId.startsWith('policy-')).map((e) => e.streamId.slice('policy-'.length)))], [model]);
  const policyNumber = usePolicyNumbers(policyIds);
  const total = model?.events.length ?? 0;
  const wanted = Number(params.get('step'));
  const step = total === 0 ? 0 : Number.isInteger(wanted) && wanted >= 1 && wanted <= total ? wanted - 1 : total - 1;
  const setStep = useCallback(
    (i: number) => {
      if (total === 0) return;
      const clamped = Math.max(0, Math.min(total - 1, i));
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('step', String(clamped + 1));
          return next;
        },
        { replace: true },
      );
    },
    [setParams, total],
  );
  const showPosition = useCallback((position: number) => {
    const i = model?.byPosition.get(position);
    if (i !== undefined) setStep(i);
  }, [model, setStep]);

  if (query.isPending) return <ScreenLoader />;
  if (query.isError) {
    if (isProblem(query.error, 'not-found')) return <NoScreen notFound />;
    return <ProblemAlert error={query.error} />;
  }
  if (!model || total === 0) return <NoScreen notFound />;
  const d: Describers = { t, tx, language, name, instant: f.instant, date: f.date, policyNumber };
  const event = model.events[step];
  const state = model.states[step];
  const final = model.states[total - 1];
  const breakPosition = model.history.chain.firstBreak?.position ?? null;
  const back = isCustomer(me) ? '/cases' : '/cases';

  return (
    <Stack gap="md" data-testid="replay-screen" data-ticket-id={ticketId}>
      <Anchor underline="always" component={Link} to={back} size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden="true" />
          {t('replay.back')}
        </Group>
      </Anchor>
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {t('replay.kicker', { id: ticketId.slice(0, 8) })}
          {staff && final?.customerId ? ` · ${customerName(final.customerId)}` : ''}
        </Text>
        <Title order={1} size="h3" style={{ overflowWrap: 'anywhere' }}>
          {t('replay.title', { subject: String(final?.subject ?? ticketId) })}
        </Title>
        <Text size="sm" c="dimmed">
          {t('replay.intro', { zone: f.zoneLabel() })}
        </Text>
        {!staff && (
          <VerdictAlert color="blue">
            {t('replay.publicOnly')}
          </VerdictAlert>
        )}
      </Stack>
      <ChainVerdict chain={model.history.chain} eventCount={total} d={d} onShow={showPosition} />
      <StepControl step={step} total={total} onStep={setStep} label={`${eventName(event.type, d)} · ${f.instant(event.occurredAt)}`} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }} order={{ base: 2, md: 1 }}>
          <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="replay-timeline-title">
            <Title order={2} size="h5" mb="xs" id="replay-timeline-title">
              {t('replay.timeline.title', { n: total })}
            </Title>
            <Timeline events={model.events} step={step} onStep={setStep} correlations={model.history.correlations} breakPosition={breakPosition} d={d} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }} order={{ base: 1, md: 2 }}>
          <Stack gap="md">
            <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="replay-changes-title">
              <Title order={2} size="h5" id="replay-changes-title">
                {t('replay.changes.title')}
              </Title>
              <Text size="sm" mb="xs">
                <strong>{eventName(event.type, d)}</strong> — {t('replay.timeline.who', { name: d.name(event.actor), roles: event.actorRoles.map((r) => tx(`role.${r}`, r)).join(', ') || t('replay.timeline.noRole') })}
                {eventSummary(event, d) ? `. ${eventSummary(event, d)}` : ''}
              </Text>
              <ChangesPanel event={event} previousIsNone={step === 0} names={{ person: name, customer: customerName, policy: policyNumber }} />
            </Paper>
            <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="replay-state-title">
              <Title order={2} size="h5" id="replay-state-title" mb="xs">
                {t('replay.state.title', { at: f.instant(event.occurredAt) })}
              </Title>
              <StatePanel state={state} events={model.events} step={step} d={d} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
      <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="replay-quotes-title">
        <Title order={2} size="h5" id="replay-quotes-title" mb="xs">
          {t('replay.quotes.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('replay.quotes.intro')}
        </Text>
        <QuoteAuthorizations quotes={model.history.quotes} d={d} onShow={showPosition} />
      </Paper>
      {staff && (
        <Paper withBorder p="sm" radius="sm" component="section" aria-labelledby="replay-export-title">
          <Title order={2} size="h5" id="replay-export-title" mb="xs">
            {t('replay.export.title')}
          </Title>
          <ExportPanel ticketId={ticketId} />
        </Paper>
      )}
    </Stack>
  );
}
