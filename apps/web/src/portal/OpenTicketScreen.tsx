/**
 * A customer's contact opens a ticket: department, product, a concrete subject, the
 * description, steps to reproduce and the error text, the reported priority and attachments.
 * One ticket per topic: a duplicate is refused with a link to the open one.
 */
import { Anchor, Button, Group, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useNotify } from '../shared/ui/notify';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconSend } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { AttachmentPicker } from '../shared/attachments';
import { api, unwrap, type PostBody } from '../shared/api/client';
import { isProblem } from '../shared/api/problem';
import type { AttachmentRef, CommandAnswer } from '../shared/api/views';
import { useI18n } from '../shared/i18n/i18n';
import { useSettings } from '../shared/session/settings';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { classificationLabel } from '../shared/ui/labels';

export default function OpenTicketScreen() {
  const notify = useNotify();
  const { t } = useI18n();
  const settings = useSettings();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [department, setDepartment] = useState<string>(settings.departments[0]?.id ?? '');
  const [product, setProduct] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [steps, setSteps] = useState('');
  const [errorText, setErrorText] = useState('');
  const [priority, setPriority] = useState<string | null>(null);
  const [attachments, setAttachments] = useState<AttachmentRef[]>([]);
  const today = new Date().toISOString().slice(0, 10);

  const open = useMutation({
    mutationFn: (body: PostBody<'/api/tickets'>) => unwrap<CommandAnswer & { ticketId: string }>(api.POST('/api/tickets', { body })),
    onSuccess: async (answer) => {
      await qc.invalidateQueries({ queryKey: ['tickets'] });
      notify(t('openTicket.done'));
      navigate(`/portal/tickets/${answer.ticketId}`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!department.trim() || !subject.trim() || !description.trim()) return;
    open.mutate({
      department: department.trim(),
      subject: subject.trim(),
      description: description.trim(),
      ...(steps.trim() ? { stepsToReproduce: steps.trim() } : {}),
      ...(errorText.trim() ? { errorText: errorText.trim() } : {}),
      ...(product ? { product } : {}),
      ...(priority ? { reportedPriority: (/^[1-4]$/.test(priority) ? Number(priority) : priority) as 'high' } : {}),
      ...(attachments.length ? { attachments: attachments.map((a) => a.attachmentId) } : {}),
      channel: 'portal',
    });
  };

  const duplicate = isProblem(open.error, 'duplicate-ticket') ? String(open.error.problem.existingTicketId ?? '') : null;
  return (
    <Stack gap="md" maw={760} data-testid="open-ticket">
      <Title order={1} size="h3">
        {t('openTicket.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('openTicket.intro')}
      </Text>
      <Paper withBorder p="md" radius="sm">
        <form onSubmit={submit} aria-label={t('openTicket.title')} noValidate>
          <Stack gap="sm">
            {settings.departments.length > 0 ? (
              <Select
                label={t('openTicket.department')}
                data={settings.departments.map((d) => ({ value: d.id, label: d.name }))}
                value={department || null}
                onChange={(v) => setDepartment(v ?? '')}
                required
                allowDeselect={false}
              />
            ) : (
              <TextInput label={t('openTicket.department')} value={department} onChange={(e) => setDepartment(e.currentTarget.value)} required maxLength={100} />
            )}
            {settings.products.length > 0 ? (
              <Select
                label={t('openTicket.product')}
                data={settings.products.map((p) => ({
                  value: p.id,
                  label: p.endOfLife && p.endOfLife < today ? t('openTicket.productEndOfLife', { name: p.name }) : p.name,
                  disabled: !!p.endOfLife && p.endOfLife < today,
                }))}
                value={product}
                onChange={setProduct}
                clearable
              />
            ) : (
              <TextInput label={t('openTicket.product')} value={product ?? ''} onChange={(e) => setProduct(e.currentTarget.value || null)} maxLength={200} />
            )}
            <TextInput label={t('openTicket.subject')} description={t('openTicket.subjectHint')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} required maxLength={300} />
            <Textarea label={t('openTicket.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} required autosize minRows={4} maxLength={20000} />
            <Textarea label={t('openTicket.steps')} value={steps} onChange={(e) => setSteps(e.currentTarget.value)} autosize minRows={2} maxLength={20000} />
            <Textarea label={t('openTicket.errorText')} value={errorText} onChange={(e) => setErrorText(e.currentTarget.value)} autosize minRows={2} maxLength={20000} />
            <Select
              label={t('openTicket.priority')}
              description={t('openTicket.priorityHint')}
              data={settings.classification.values.map((v) => ({ value: String(v), label: classificationLabel(v, t) }))}
              value={priority}
              onChange={setPriority}
              clearable
            />
            {!settings.fallback && <AttachmentPicker value={attachments} onChange={setAttachments} />}
            {open.isError && <ProblemAlert error={open.error} />}
            {duplicate && (
              <Anchor component={Link} to={`/portal/tickets/${duplicate}`}>
                {t('openTicket.seeExisting')}
              </Anchor>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={open.isPending} disabled={!subject.trim() || !description.trim() || !department.trim()} leftSection={<IconSend size={16} aria-hidden="true" />}>
                {t('openTicket.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
