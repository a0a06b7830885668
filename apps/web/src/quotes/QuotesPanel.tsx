/**
 * Quotes and estimates of a ticket and their authorization state. Agents issue a per-event
 * quote (minutes, hourly rate, amount, currency, payment terms, purchase order) or a policy
 * estimate (minutes drawn on the customer's policy), and may supersede the pending one.
 * The customer's approvers accept (with the purchase order when required) or decline;
 * other contacts see it pending.
 */
import { Alert, Badge, Button, Checkbox, Group, Modal, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNotify } from '../shared/ui/notify';
import { IconCircleCheck, IconCircleX, IconClockHour4, IconFilePlus, IconLock, IconReplace } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { Quote, TicketDetail } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { useSettings } from '../shared/session/settings';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { minorPerMajor } from '../shared/time/format';
import { useAuthorizeQuote, useTicketCommand } from '../ticket/ticket-api';
import { darkText } from '../shared/ui/colors';

const STATUS_LOOK: Record<Quote['status'], { color: string; Icon: typeof IconClockHour4 }> = {
  pending: { color: 'orange', Icon: IconClockHour4 },
  accepted: { color: 'green', Icon: IconCircleCheck },
  declined: { color: 'red', Icon: IconCircleX },
  superseded: { color: 'gray', Icon: IconReplace },
};

export function QuoteStatusBadge({ status }: { status: Quote['status'] }) {
  const { t } = useI18n();
  const { color, Icon } = STATUS_LOOK[status];
  return (
    <Badge color={color} variant="light" c={darkText(color)} tt="none" leftSection={<Icon size={14} aria-hidden="true" />} data-quote-status={status}>
      {t(`quote.status.${status}`)}
    </Badge>
  );
}

function Terms({ quote }: { quote: Quote }) {
  const { t } = useI18n();
  const f = useFormat();
  const terms = quote.terms;
  const rows: Array<[string, string]> = [[t('quote.minutes'), f.minutes(terms.minutes)]];
  if (terms.kind === 'per-event') {
    rows.push([t('quote.hourlyRate'), f.money(terms.hourlyRateMinor, terms.currency)]);
    rows.push([t('quote.amount'), f.money(terms.amountMinor, terms.currency)]);
    rows.push([t('quote.purchaseOrder'), t(terms.purchaseOrderRequired ? 'quote.poRequired' : 'quote.poNotRequired')]);
  } else {
    rows.push([t('quote.drawnOn'), t('quote.policy')]);
  }
  if (terms.paymentTerms) rows.push([t('quote.paymentTerms'), terms.paymentTerms]);
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} verticalSpacing={2}>
      {rows.map(([k, v]) => (
        <Group key={k} gap={6} wrap="nowrap" align="baseline">
          <Text size="sm" c="dimmed" miw={110}>
            {k}
          </Text>
          <Text size="sm" fw={500}>
            {v}
          </Text>
        </Group>
      ))}
    </SimpleGrid>
  );
}

function AuthorizeForm({ ticket, quote }: { ticket: TicketDetail; quote: Quote }) {
  const notify = useNotify();
  const { t } = useI18n();
  const [purchaseOrder, setPurchaseOrder] = useState('');
  const [comment, setComment] = useState('');
  const authorize = useAuthorizeQuote(ticket.ticketId);
  const needsPo = quote.terms.kind === 'per-event' && quote.terms.purchaseOrderRequired;
  const send = (decision: 'accept' | 'decline') =>
    authorize.mutate(
      { quoteId: quote.quoteId, decision, ...(decision === 'accept' && purchaseOrder.trim() ? { purchaseOrder: purchaseOrder.trim() } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) },
      { onSuccess: () => notify(t(decision === 'accept' ? 'quote.accepted' : 'quote.declined')) },
    );
  return (
    <form onSubmit={(e: FormEvent) => e.preventDefault()} aria-label={t('quote.authorizeForm')}>
      <Stack gap="xs">
        <Text size="sm">{t(quote.terms.kind === 'policy-estimate' ? 'quote.confirmEstimate' : 'quote.confirmQuote')}</Text>
        {needsPo && <TextInput label={t('quote.purchaseOrderNumber')} value={purchaseOrder} onChange={(e) => setPurchaseOrder(e.currentTarget.value)} required maxLength={200} />}
        <Textarea label={t('quote.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={1} maxLength={4000} />
        {authorize.isError && <ProblemAlert error={authorize.error} />}
        <Group gap="xs">
          <Button color="green" leftSection={<IconCircleCheck size={16} aria-hidden="true" />} loading={authorize.isPending && authorize.variables?.decision === 'accept'} disabled={needsPo && !purchaseOrder.trim()} onClick={() => send('accept')} data-testid="quote-accept">
            {t('quote.accept')}
          </Button>
          <Button color="red" variant="light" leftSection={<IconCircleX size={16} aria-hidden="true" />} loading={authorize.isPending && authorize.variables?.decision === 'decline'} onClick={() => send('decline')} data-testid="quote-decline">
            {t('quote.decline')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function QuoteCard({ ticket, quote, audience, approver }: { ticket: TicketDetail; quote: Quote; audience: 'staff' | 'customer'; approver: boolean }) {
  const { t } = useI18n();
  const f = useFormat();
  const open = ticket.status !== 'closed';
  return (
    <Paper withBorder p="sm" radius="sm" data-quote-id={quote.quoteId} component="article" aria-label={t(`quote.kind.${quote.terms.kind}`)}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs">
            <Text fw={600}>{t(`quote.kind.${quote.terms.kind}`)}</Text>
            {quote.supplementary && (
              <Badge variant="outline" color="gray" c={darkText('gray')} tt="none" size="sm">
                {t('quote.supplementary')}
              </Badge>
            )}
          </Group>
          <QuoteStatusBadge status={quote.status} />
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {quote.terms.description}
        </Text>
        <Terms quote={quote} />
        <Text size="xs" c="dimmed">
          {t('quote.issued', { at: f.instant(quote.issuedAt) })}
        </Text>
        {quote.decision && (
          <Text size="sm" data-testid="quote-decision">
            {t(quote.decision.decision === 'accept' ? 'quote.acceptedBy' : 'quote.declinedBy', { at: f.instant(quote.decision.at), by: quote.decision.by })}
            {quote.decision.purchaseOrder ? ` · ${t('quote.poNumber', { po: quote.decision.purchaseOrder })}` : ''}
            {quote.decision.comment ? ` · “${quote.decision.comment}”` : ''}
          </Text>
        )}
        {quote.status === 'pending' && open && audience === 'customer' && (approver ? <AuthorizeForm ticket={ticket} quote={quote} /> : (
          <Alert color="gray" variant="light" icon={<IconLock aria-hidden="true" />} data-testid="quote-needs-approver">
            {t('quote.needsApprover')}
          </Alert>
        ))}
        {quote.status === 'pending' && audience === 'staff' && (
          <Text size="sm" c="dimmed">
            {t('quote.awaitingCustomer')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function IssueQuoteForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const notify = useNotify();
  const { t } = useI18n();
  const f = useFormat();
  const settings = useSettings();
  const pending = ticket.quotes.find((q) => q.status === 'pending') ?? null;
  const hasAuthorization = ticket.authorizations.length > 0;
  const [kind, setKind] = useState<'per-event' | 'policy-estimate'>('policy-estimate');
  const [minutes, setMinutes] = useState<number | string>(60);
  const [rate, setRate] = useState<number | string>('');
  const [amount, setAmount] = useState<number | string>('');
  const [currency, setCurrency] = useState(settings.currency);
  const [paymentTerms, setPaymentTerms] = useState('');
  const [poRequired, setPoRequired] = useState(false);
  const [description, setDescription] = useState('');
  const [supersede, setSupersede] = useState(pending !== null);
  const [supplementary, setSupplementary] = useState(false);
  const issue = useTicketCommand(ticket.ticketId, 'quotes', { version: ticket.version });
  const unit = minorPerMajor(currency || 'MXN');
  const toMinor = (v: number | string) => (v === '' ? undefined : Math.round(Number(v) * unit));
  const rateMinor = toMinor(rate);
  const preview = rateMinor !== undefined && typeof minutes === 'number' ? Math.round((rateMinor * minutes) / 60) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = Number(minutes);
    if (!Number.isInteger(m) || m < 1 || !description.trim()) return;
    issue.mutate(
      {
        kind,
        minutes: m,
        description: description.trim(),
        ...(paymentTerms.trim() ? { paymentTerms: paymentTerms.trim() } : {}),
        ...(kind === 'per-event' ? { hourlyRateMinor: rateMinor, currency, ...(toMinor(amount) !== undefined ? { amountMinor: toMinor(amount) } : {}), purchaseOrderRequired: poRequired } : {}),
        ...(pending && supersede ? { supersedes: pending.quoteId } : {}),
        ...(supplementary ? { supplementary: true } : {}),
      },
      {
        onSuccess: () => {
          notify(t('quote.issuedDone'));
          close();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label={t('quote.issue')}>
      <Stack gap="sm">
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as typeof kind)}
          data={[
            { value: 'policy-estimate', label: t('quote.kind.policy-estimate') },
            { value: 'per-event', label: t('quote.kind.per-event') },
          ]}
          aria-label={t('quote.kindLabel')}
        />
        <NumberInput label={t('quote.minutesLabel')} description={typeof minutes === 'number' ? f.minutes(minutes) : undefined} value={minutes} onChange={setMinutes} min={1} max={100000} step={15} allowDecimal={false} required />
        {kind === 'per-event' && (
          <>
            <Group grow align="flex-start">
              <NumberInput label={t('quote.hourlyRateLabel', { currency })} value={rate} onChange={setRate} min={0} decimalScale={Math.log10(unit)} thousandSeparator="," required />
              <TextInput label={t('quote.currency')} value={currency} onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase().slice(0, 3))} required maxLength={3} w={90} style={{ flexGrow: 0 }} />
            </Group>
            <NumberInput
              label={t('quote.amountLabel', { currency })}
              description={preview !== null ? t('quote.amountDefault', { amount: f.money(preview, currency) }) : undefined}
              value={amount}
              onChange={setAmount}
              min={0}
              decimalScale={Math.log10(unit)}
              thousandSeparator=","
            />
            <Checkbox label={t('quote.poRequiredLabel')} checked={poRequired} onChange={(e) => setPoRequired(e.currentTarget.checked)} />
          </>
        )}
        <Textarea label={t('quote.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} required autosize minRows={3} maxLength={20000} />
        <TextInput label={t('quote.paymentTerms')} value={paymentTerms} onChange={(e) => setPaymentTerms(e.currentTarget.value)} maxLength={2000} />
        {pending && <Checkbox label={t('quote.supersede')} checked={supersede} onChange={(e) => setSupersede(e.currentTarget.checked)} />}
        {hasAuthorization && <Checkbox label={t('quote.supplementaryLabel')} checked={supplementary} onChange={(e) => setSupplementary(e.currentTarget.checked)} />}
        {issue.isError && <ProblemAlert error={issue.error} />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close} type="button">
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={issue.isPending}>
            {t('quote.issueSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function QuotesPanel({ ticket, audience, approver = false }: { ticket: TicketDetail; audience: 'staff' | 'customer'; approver?: boolean }) {
  const { t } = useI18n();
  const [issuing, setIssuing] = useState(false);
  const quotes = [...ticket.quotes].reverse();
  return (
    <Stack gap="sm" data-testid="quotes">
      <Group justify="space-between">
        <Title order={2} size="h5">
          {t('quote.title')}
        </Title>
        {audience === 'staff' && ticket.status !== 'closed' && (
          <Button size="xs" leftSection={<IconFilePlus size={16} aria-hidden="true" />} onClick={() => setIssuing(true)} data-testid="quote-issue">
            {t('quote.issue')}
          </Button>
        )}
      </Group>
      {quotes.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('quote.none')}
        </Text>
      )}
      {quotes.map((q) => (
        <QuoteCard key={q.quoteId} ticket={ticket} quote={q} audience={audience} approver={approver} />
      ))}
      <Modal opened={issuing} onClose={() => setIssuing(false)} title={t('quote.issue')} size="lg" centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        {issuing && <IssueQuoteForm ticket={ticket} close={() => setIssuing(false)} />}
      </Modal>
    </Stack>
  );
}
