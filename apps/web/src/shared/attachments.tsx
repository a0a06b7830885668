/**
 * Attachments (CONTRACTS.md): files are uploaded first (POST /api/attachments, multipart field
 * `file`) and the ticket or message names their ids; downloads go through the ticket
 * (GET /api/tickets/{id}/attachments/{attachmentId}), scoped like it.
 */
import { ActionIcon, Anchor, FileButton, Button, Group, List, Stack, Text } from '@mantine/core';
import { IconPaperclip, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { authHeaders, credentials, request } from './api/client';
import type { AttachmentRef } from './api/views';
import { useI18n } from './i18n/i18n';
import { useSettings } from './session/settings';
import { ProblemAlert } from './ui/ProblemAlert';
import { ApiProblem } from './api/problem';

export function formatBytes(n: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${new Intl.NumberFormat(language === 'en' ? 'en-US' : language, { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v)} ${units[u]}`;
}

export async function uploadAttachment(file: File): Promise<AttachmentRef> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request<AttachmentRef>('POST', '/api/attachments', form);
}

/** choose files and upload them; `onChange` gets the uploaded attachments */
export function AttachmentPicker({ value, onChange, disabled }: { value: AttachmentRef[]; onChange: (v: AttachmentRef[]) => void; disabled?: boolean }) {
  const { t, language } = useI18n();
  const settings = useSettings();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const add = async (files: File[]) => {
    setError(null);
    const tooBig = files.find((f) => f.size > settings.attachments.maxBytes);
    if (tooBig) {
      setError(new ApiProblem({ status: 413, code: 'attachment-too-large', detail: tooBig.name, fileName: tooBig.name, maxSize: formatBytes(settings.attachments.maxBytes, language) }));
      return;
    }
    setBusy(true);
    try {
      const uploaded: AttachmentRef[] = [];
      for (const f of files) uploaded.push(await uploadAttachment(f));
      onChange([...value, ...uploaded.filter((u) => !value.some((v) => v.attachmentId === u.attachmentId))]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <FileButton onChange={(files) => void add(files)} multiple disabled={disabled}>
          {(props) => (
            <Button {...props} variant="default" size="xs" loading={busy} leftSection={<IconPaperclip size={14} aria-hidden="true" />}>
              {t('attachments.add')}
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          {t('attachments.limit', { size: formatBytes(settings.attachments.maxBytes, language) })}
        </Text>
      </Group>
      {value.length > 0 && (
        <List size="sm" spacing={2} listStyleType="none">
          {value.map((a) => (
            <List.Item key={a.attachmentId}>
              <Group gap={4} wrap="nowrap">
                <IconPaperclip size={14} aria-hidden="true" />
                <Text size="sm" truncate>
                  {a.fileName} ({formatBytes(a.size, language)})
                </Text>
                <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('attachments.remove', { name: a.fileName })} onClick={() => onChange(value.filter((v) => v.attachmentId !== a.attachmentId))}>
                  <IconX size={14} aria-hidden="true" />
                </ActionIcon>
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {error ? <ProblemAlert error={error} /> : null}
    </Stack>
  );
}

/** links that download through the ticket (a bearer token is sent by fetch when there is no cookie) */
export function AttachmentLinks({ ticketId, attachments }: { ticketId: string; attachments: AttachmentRef[] }) {
  const { t, language } = useI18n();
  if (attachments.length === 0) return null;
  const download = async (e: React.MouseEvent, a: AttachmentRef) => {
    if (!credentials.token) return; // the session cookie goes with a plain link
    e.preventDefault();
    const res = await fetch(hrefOf(ticketId, a), { headers: authHeaders() });
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = a.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <List size="sm" spacing={2} listStyleType="none" aria-label={t('attachments.label')}>
      {attachments.map((a) => (
        <List.Item key={a.attachmentId}>
          <Group gap={4} wrap="nowrap">
            <IconPaperclip size={14} aria-hidden="true" />
            <Anchor href={hrefOf(ticketId, a)} download={a.fileName} onClick={(e) => void download(e, a)} size="sm">
              {a.fileName}
            </Anchor>
            <Text size="xs" c="dimmed">
              {formatBytes(a.size, language)}
            </Text>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}

const hrefOf = (ticketId: string, a: AttachmentRef) => `/api/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(a.attachmentId)}`;
