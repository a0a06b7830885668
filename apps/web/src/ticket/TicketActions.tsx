/**
 * The decisions an agent takes on a ticket, each in a small form: classify (with the guidance
 * of the preset's scheme), assign, escalate with a reason, ask the customer (pauses the clock),
 * record a contact attempt, close with a reason and resolution, reopen. Each form shows the
 * server's refusal in the user's language.
 */
import { Button, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNotify } from '../shared/ui/notify';
import {
  IconArrowBigUpLines,
  IconDoorExit,
  IconHourglass,
  IconPhoneCall,
  IconRefresh,
  IconTag,
  IconUserCheck,
} from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Classification, TicketDetail } from '../shared/api/views';
import { useStaffUsers } from '../shared/directory';
import { useI18n, type MessageKey } from '../shared/i18n/i18n';
import { useMe } from '../shared/session/session';
import { useSettings } from '../shared/session/settings';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { classificationLabel } from '../shared/ui/labels';
import { useTicketCommand } from './ticket-api';

type Action = 'classify' | 'assign' | 'escalate' | 'await' | 'contact' | 'close' | 'reopen';

function CommandForm({
  title,
  onSubmit,
  pending,
  error,
  submitLabel,
  children,
  onCancel,
}: {
  title: string;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  children: ReactNode;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
      aria-label={title}
    >
      <Stack gap="sm">
        {children}
        {error ? <ProblemAlert error={error} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel} type="button">
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function useDone(close: () => void) {
  const notify = useNotify();
  const { t } = useI18n();
  return (key: MessageKey) => () => {
    notify(t(key));
    close();
  };
}

const schemeValues = (ticket: TicketDetail, settingsValues: Classification[]): Classification[] =>
  ticket.scheme === 'severity' ? [1, 2, 3, 4] : ticket.scheme === 'priority' ? ['high', 'medium', 'low'] : settingsValues;

function ClassifyForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const { t, tx } = useI18n();
  const settings = useSettings();
  const values = schemeValues(ticket, settings.classification.values);
  const [value, setValue] = useState<string>(ticket.classification !== null ? String(ticket.classification) : '');
  const [reason, setReason] = useState('');
  const cmd = useTicketCommand(ticket.ticketId, 'classification', { version: ticket.version });
  const done = useDone(close);
  const severity = ticket.scheme === 'severity' || /^[1-4]$/.test(value);
  return (
    <CommandForm
      title={t('actions.classify')}
      submitLabel={t('actions.classify.submit')}
      pending={cmd.isPending}
      error={cmd.error}
      onCancel={close}
      onSubmit={() =>
        value &&
        cmd.mutate(
          { ...(severity ? { severity: Number(value) as 1 } : { priority: value as 'low' }), ...(reason.trim() ? { reason: reason.trim() } : {}) },
          { onSuccess: done('actions.classify.done') },
        )
      }
    >
      <Select
        label={t(severity ? 'actions.classify.severity' : 'actions.classify.priority')}
        data={values.map((v) => ({ value: String(v), label: classificationLabel(v, t) }))}
        value={value || null}
        onChange={(v) => setValue(v ?? '')}
        required
        allowDeselect={false}
        data-testid="classify-value"
      />
      {value && (
        <Text size="sm" c="dimmed">
          {tx(`classification.help.${value}`, '')}
        </Text>
      )}
      <Textarea label={t('actions.classify.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
    </CommandForm>
  );
}

function AssignForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const staff = (useStaffUsers().data ?? []).filter((u) => u.roles.some((r) => r === 'agent' || r === 'supervisor'));
  const [assignee, setAssignee] = useState(ticket.assigneeId ?? me.id);
  const cmd = useTicketCommand(ticket.ticketId, 'assignment', { version: ticket.version });
  const done = useDone(close);
  const options = [{ value: me.id, label: t('actions.assign.me', { name: me.name }) }, ...staff.filter((u) => u.userId !== me.id).map((u) => ({ value: u.userId, label: u.name }))];
  return (
    <CommandForm
      title={t('actions.assign')}
      submitLabel={t('actions.assign.submit')}
      pending={cmd.isPending}
      error={cmd.error}
      onCancel={close}
      onSubmit={() => assignee.trim() && cmd.mutate({ assigneeId: assignee.trim() }, { onSuccess: done('actions.assign.done') })}
    >
      {staff.length > 0 ? (
        <Select label={t('actions.assign.assignee')} data={options} value={assignee} onChange={(v) => setAssignee(v ?? me.id)} searchable required allowDeselect={false} />
      ) : (
        <>
          <TextInput label={t('actions.assign.assigneeId')} description={t('actions.assign.assigneeIdHint')} value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} required maxLength={100} />
          <Button variant="subtle" size="xs" w="fit-content" onClick={() => setAssignee(me.id)} type="button">
            {t('actions.assign.toMe')}
          </Button>
        </>
      )}
    </CommandForm>
  );
}

function EscalateForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const { t } = useI18n();
  const settings = useSettings();
  const [reason, setReason] = useState('');
  const [raise, setRaise] = useState<string | null>(null);
  const cmd = useTicketCommand(ticket.ticketId, 'escalations', { version: ticket.version });
  const done = useDone(close);
  const next = settings.escalationLevels.find((l) => l.level === ticket.escalationLevel + 1);
  const values = schemeValues(ticket, settings.classification.values);
  return (
    <CommandForm
      title={t('actions.escalate')}
      submitLabel={t('actions.escalate.submit')}
      pending={cmd.isPending}
      error={cmd.error}
      onCancel={close}
      onSubmit={() =>
        reason.trim() &&
        cmd.mutate(
          { reason: reason.trim(), ...(raise ? { raisePriorityTo: (/^[1-4]$/.test(raise) ? Number(raise) : raise) as 'high' } : {}) },
          { onSuccess: done('actions.escalate.done') },
        )
      }
    >
      {next && <Text size="sm">{t('actions.escalate.nextLevel', { level: next.level, name: next.name })}</Text>}
      <Textarea label={t('actions.escalate.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} maxLength={4000} />
      <Select
        label={t('actions.escalate.raise')}
        description={t('actions.escalate.raiseHint')}
        data={values.map((v) => ({ value: String(v), label: classificationLabel(v, t) }))}
        value={raise}
        onChange={setRaise}
        clearable
      />
    </CommandForm>
  );
}

function AwaitForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const { t } = useI18n();
  const [question, setQuestion] = useState('');
  const cmd = useTicketCommand(ticket.ticketId, 'awaiting-customer', { version: ticket.version });
  const done = useDone(close);
  return (
    <CommandForm
      title={t('actions.await')}
      submitLabel={t('actions.await.submit')}
      pending={cmd.isPending}
      error={cmd.error}
      onCancel={close}
      onSubmit={() => question.trim() && cmd.mutate({ question: question.trim() }, { onSuccess: done('actions.await.done') })}
    >
      <Text size="sm" c="dimmed">
        {t('actions.await.hint')}
      </Text>
      <Textarea label={t('actions.await.question')} value={question} onChange={(e) => setQuestion(e.currentTarget.value)} required autosize minRows={3} maxLength={20000} />
    </CommandForm>
  );
}

function ContactForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<'phone' | 'email'>('phone');
  const [note, setNote] = useState('');
  const [closeAfter, setCloseAfter] = useState('');
  const cmd = useTicketCommand(ticket.ticketId, 'contact-attempts');
  const done = useDone(close);
  return (
    <CommandForm
      title={t('actions.contact')}
      submitLabel={t('actions.contact.submit')}
      pending={cmd.isPending}
      error={cmd.error}
      onCancel={close}
      onSubmit={() => note.trim() && cmd.mutate({ channel, note: note.trim(), ...(closeAfter ? { closeAfter } : {}) }, { onSuccess: done('actions.contact.done') })}
    >
      <Text size="sm" c="dimmed">
        {t('actions.contact.count', { n: ticket.contactAttempts.length })}
      </Text>
      <SegmentedControl
        value={channel}
        onChange={(v) => setChannel(v as 'phone' | 'email')}
        data={[
          { value: 'phone', label: t('channel.phone') },
          { value: 'email', label: t('channel.email') },
        ]}
        aria-label={t('actions.contact.channel')}
        w="fit-content"
      />
      <Textarea label={t('actions.contact.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} required autosize minRows={2} maxLength={4000} />
      <TextInput type="date" label={t('actions.contact.closeAfter')} description={t('actions.contact.closeAfterHint')} value={closeAfter} onChange={(e) => setCloseAfter(e.currentTarget.value)} />
    </CommandForm>
  );
}

const CLOSE_REASONS = ['resolved', 'no-customer-response', 'out-of-scope', 'duplicate', 'declined'] as const;

function CloseForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState<(typeof CLOSE_REASONS)[number]>('resolved');
  const [resolution, setResolution] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const cmd = useTicketCommand(ticket.ticketId, 'close', { version: ticket.version });
  const done = useDone(close);
  return (
    <CommandForm
      title={t('actions.close')}
      submitLabel={t('actions.close.submit')}
      pending={cmd.isPending}
      error={cmd.error}
      onCancel={close}
      onSubmit={() =>
        resolution.trim() &&
        cmd.mutate({ reason, resolution: resolution.trim(), ...(reason === 'duplicate' && duplicateOf.trim() ? { duplicateOf: duplicateOf.trim() } : {}) }, { onSuccess: done('actions.close.done') })
      }
    >
      <Select
        label={t('actions.close.reason')}
        data={CLOSE_REASONS.map((r) => ({ value: r, label: t(`closeReason.${r}`) }))}
        value={reason}
        onChange={(v) => setReason((v ?? 'resolved') as (typeof CLOSE_REASONS)[number])}
        allowDeselect={false}
        required
      />
      <Textarea label={t('actions.close.resolution')} value={resolution} onChange={(e) => setResolution(e.currentTarget.value)} required autosize minRows={3} maxLength={20000} />
      {reason === 'duplicate' && <TextInput label={t('actions.close.duplicateOf')} value={duplicateOf} onChange={(e) => setDuplicateOf(e.currentTarget.value)} required />}
    </CommandForm>
  );
}

export function ReopenForm({ ticket, close }: { ticket: TicketDetail; close: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const cmd = useTicketCommand(ticket.ticketId, 'reopen');
  const done = useDone(close);
  return (
    <CommandForm
      title={t('actions.reopen')}
      submitLabel={t('actions.reopen.submit')}
      pending={cmd.isPending}
      error={cmd.error}
      onCancel={close}
      onSubmit={() => reason.trim() && cmd.mutate({ reason: reason.trim() }, { onSuccess: done('actions.reopen.done') })}
    >
      <Textarea label={t('actions.reopen.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} maxLength={4000} />
    </CommandForm>
  );
}

const FORMS: Record<Action, (p: { ticket: TicketDetail; close: () => void }) => ReactNode> = {
  classify: ClassifyForm,
  assign: AssignForm,
  escalate: EscalateForm,
  await: AwaitForm,
  contact: ContactForm,
  close: CloseForm,
  reopen: ReopenForm,
};

const TITLES: Record<Action, MessageKey> = {
  classify: 'actions.classify',
  assign: 'actions.assign',
  escalate: 'actions.escalate',
  await: 'actions.await',
  contact: 'actions.contact',
  close: 'actions.close',
  reopen: 'actions.reopen',
};

export function TicketActions({ ticket }: { ticket: TicketDetail }) {
  const { t } = useI18n();
  const [action, setAction] = useState<Action | null>(null);
  const closed = ticket.status === 'closed';
  const buttons: Array<{ action: Action; icon: ReactNode; show: boolean }> = [
    { action: 'classify', icon: <IconTag size={16} aria-hidden="true" />, show: !closed },
    { action: 'assign', icon: <IconUserCheck size={16} aria-hidden="true" />, show: !closed },
    { action: 'escalate', icon: <IconArrowBigUpLines size={16} aria-hidden="true" />, show: !closed },
    { action: 'await', icon: <IconHourglass size={16} aria-hidden="true" />, show: !closed },
    { action: 'contact', icon: <IconPhoneCall size={16} aria-hidden="true" />, show: !closed },
    { action: 'close', icon: <IconDoorExit size={16} aria-hidden="true" />, show: !closed },
    { action: 'reopen', icon: <IconRefresh size={16} aria-hidden="true" />, show: closed },
  ];
  const Form = action ? FORMS[action] : null;
  return (
    <>
      <Group gap="xs" wrap="wrap" role="toolbar" aria-label={t('actions.label')}>
        {buttons
          .filter((b) => b.show)
          .map((b) => (
            <Button key={b.action} variant={b.action === 'close' ? 'light' : 'default'} size="xs" leftSection={b.icon} onClick={() => setAction(b.action)} data-action={b.action}>
              {t(TITLES[b.action])}
            </Button>
          ))}
      </Group>
      <Modal opened={action !== null} onClose={() => setAction(null)} title={action ? t(TITLES[action]) : ''} size="lg" centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        {Form && action && <Form key={action} ticket={ticket} close={() => setAction(null)} />}
      </Modal>
    </>
  );
}
