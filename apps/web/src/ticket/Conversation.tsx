/**
 * The conversation of a ticket: public replies and internal notes (staff only), each with its
 * author, instant and attachments, and the reply form. Customers never see internal notes
 * (the server leaves them out).
 */
import { Badge, Button, Group, Paper, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useNotify } from '../shared/ui/notify';
import { IconLock, IconMessage, IconSend } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { AttachmentLinks, AttachmentPicker } from '../shared/attachments';
import type { AttachmentRef, ConversationItem } from '../shared/api/views';
import { useUserNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { useMe } from '../shared/session/session';
import { useSettings } from '../shared/session/settings';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useConversation, useTicketCommand } from './ticket-api';
import { darkText } from '../shared/ui/colors';

function Message({ item, ticketId, staffView }: { item: ConversationItem; ticketId: string; staffView: boolean }) {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const userName = useUserNames(staffView);
  const internal = item.visibility === 'internal';
  const author = item.authorId === me.id ? t('conversation.you') : (item.authorName ?? (staffView ? userName(item.authorId) : t(`conversation.kind.${item.authorKind}`)));
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      bg={internal ? 'yellow.0' : item.authorKind === 'customer' ? 'gray.0' : undefined}
      data-message-id={item.messageId}
      data-visibility={item.visibility}
      component="article"
      aria-label={t('conversation.messageBy', { author, at: f.instant(item.postedAt) })}
    >
      <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
        <Group gap="xs">
          <Text fw={600} size="sm">
            {author}
          </Text>
          <Badge variant="light" color={item.authorKind === 'customer' ? 'grape' : 'blue'} c={darkText(item.authorKind === 'customer' ? 'grape' : 'blue')} tt="none" size="sm">
            {t(`conversation.kind.${item.authorKind}`)}
          </Badge>
          {internal && (
            <Badge variant="light" color="yellow" c={darkText('yellow')} tt="none" size="sm" leftSection={<IconLock size={12} aria-hidden="true" />}>
              {t('conversation.internal')}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {f.instant(item.postedAt)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {item.body}
      </Text>
      <AttachmentLinks ticketId={ticketId} attachments={item.attachments} />
    </Paper>
  );
}

export function ReplyForm({ ticketId, staffView, disabledReason }: { ticketId: string; staffView: boolean; disabledReason?: string | null }) {
  const notify = useNotify();
  const { t } = useI18n();
  const settings = useSettings();
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [attachments, setAttachments] = useState<AttachmentRef[]>([]);
  const post = useTicketCommand(ticketId, 'messages');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    post.mutate(
      { body: body.trim(), visibility, ...(attachments.length ? { attachments: attachments.map((a) => a.attachmentId) } : {}) },
      {
        onSuccess: () => {
          setBody('');
          setAttachments([]);
          notify(t(visibility === 'internal' ? 'conversation.noteSaved' : 'conversation.sent'));
        },
      },
    );
  };
  if (disabledReason) {
    return (
      <Text size="sm" c="dimmed">
        {disabledReason}
      </Text>
    );
  }
  return (
    <form onSubmit={submit} aria-label={t('conversation.replyForm')}>
      <Stack gap="xs">
        {staffView && (
          <SegmentedControl
            value={visibility}
            onChange={(v) => setVisibility(v as 'public' | 'internal')}
            data={[
              { value: 'public', label: t('conversation.public') },
              { value: 'internal', label: t('conversation.internalNote') },
            ]}
            aria-label={t('conversation.visibility')}
            w="fit-content"
            size="xs"
          />
        )}
        <Textarea
          label={t(visibility === 'internal' ? 'conversation.noteLabel' : 'conversation.replyLabel')}
          description={staffView && visibility === 'public' ? t('conversation.publicHint') : undefined}
          autosize
          minRows={3}
          maxRows={12}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          required
          maxLength={50000}
        />
        {!settings.fallback && <AttachmentPicker value={attachments} onChange={setAttachments} />}
        {post.isError && <ProblemAlert error={post.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={post.isPending} disabled={!body.trim()} leftSection={<IconSend size={16} aria-hidden="true" />} color={visibility === 'internal' ? 'yellow.8' : undefined}>
            {t(visibility === 'internal' ? 'conversation.saveNote' : 'conversation.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ConversationPanel({ ticketId, staffView, replyDisabledReason }: { ticketId: string; staffView: boolean; replyDisabledReason?: string | null }) {
  const { t } = useI18n();
  const conversation = useConversation(ticketId);
  return (
    <Stack gap="sm">
      {conversation.isPending && <ScreenLoader />}
      {conversation.isError && <ProblemAlert error={conversation.error} />}
      {conversation.data && conversation.data.items.length === 0 && (
        <Group gap="xs" c="dimmed">
          <IconMessage size={16} aria-hidden="true" />
          <Text size="sm">{t('conversation.empty')}</Text>
        </Group>
      )}
      <Stack gap="xs" data-testid="conversation">
        {conversation.data?.items.map((item) => <Message key={item.messageId} item={item} ticketId={ticketId} staffView={staffView} />)}
      </Stack>
      <ReplyForm ticketId={ticketId} staffView={staffView} disabledReason={replyDisabledReason} />
    </Stack>
  );
}
