/**
 * The bell in the header, for everybody signed in (staff and customers' contacts): how many
 * notifications are unread (a number on the bell and in its name, never colour alone), the
 * newest ones with why the person is told, when (company zone) and a link to the ticket or
 * policy; opening one marks it read. New ones arrive through the live stream
 * (`event: notification` refetches ['notifications']) and are announced to screen readers.
 */
import { ActionIcon, Anchor, Badge, Button, Group, Loader, Popover, ScrollArea, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconBell, IconBellRinging, IconCheck, IconChecks, IconCircleFilled, IconSettings } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../shared/i18n/i18n';
import { NOTIFICATION_FRAME, type NotificationFrame } from '../shared/live/live';
import { useFormat } from '../shared/session/format';
import { useMe } from '../shared/session/session';
import { darkText } from '../shared/ui/colors';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { consolePath, useMarkAllRead, useMarkRead, useNotifications, type Notification } from './notifications-api';

function NotificationItem({ n, onOpen }: { n: Notification; onOpen: () => void }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const me = useMe();
  const navigate = useNavigate();
  const markRead = useMarkRead();
  const unread = !n.readAt;
  const path = consolePath(n.link, me);
  const open = () => {
    if (unread) markRead.mutate(n.notificationId);
    if (path) {
      onOpen();
      void navigate(path);
    }
  };
  return (
    <li data-testid="notification" data-notification-id={n.notificationId} data-kind={n.kind} data-read={unread ? 'false' : 'true'} className="hd-notification" style={{ listStyle: 'none' }}>
      <Stack gap={2} py={8} px={4} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group gap={6} wrap="nowrap" align="flex-start">
          {unread ? (
            <Badge size="xs" color="blue" variant="light" c={darkText('blue')} tt="none" leftSection={<IconCircleFilled size={8} aria-hidden="true" />} style={{ flexShrink: 0, marginTop: 2 }}>
              {t('notifications.unread')}
            </Badge>
          ) : (
            <Badge size="xs" color="gray" variant="light" c={darkText('gray')} tt="none" leftSection={<IconCheck size={10} aria-hidden="true" />} style={{ flexShrink: 0, marginTop: 2 }}>
              {t('notifications.read')}
            </Badge>
          )}
          {path ? (
            <Anchor component="button" type="button" onClick={open} fw={unread ? 700 : 400} size="sm" ta="left" c="inherit" style={{ wordBreak: 'break-word' }} data-testid="notification-open">
              {n.title}
            </Anchor>
          ) : (
            <Text fw={unread ? 700 : 400} size="sm" style={{ wordBreak: 'break-word' }}>
              {n.title}
            </Text>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {tx(`notifications.reason.${n.reason}`, n.reason)} · <time dateTime={n.createdAt}>{f.instant(n.createdAt)}</time>
        </Text>
        <Group gap="xs" justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed" data-email-state={n.email.state}>
            {t('notifications.emailState', { state: tx(`notifications.email.${n.email.state}`, n.email.state) })}
          </Text>
          {unread && (
            <Button size="compact-xs" variant="subtle" c={darkText('blue')} onClick={() => markRead.mutate(n.notificationId)} loading={markRead.isPending} aria-label={t('notifications.markReadOf', { title: n.title })} data-testid="notification-mark-read">
              {t('notifications.markRead')}
            </Button>
          )}
        </Group>
        {markRead.error ? <ProblemAlert error={markRead.error} /> : null}
      </Stack>
    </li>
  );
}

export function NotificationBell({ onPreferences }: { onPreferences: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const [opened, setOpened] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const enabled = me.kind !== 'token';
  const query = useNotifications(enabled);
  const markAll = useMarkAllRead();

  // a frame from the live stream: the list refetches (live.tsx), screen readers hear the title
  useEffect(() => {
    const onFrame = (e: Event) => {
      const frame = (e as CustomEvent<NotificationFrame>).detail;
      if (frame?.title) setAnnouncement(t('notifications.new', { title: frame.title }));
    };
    window.addEventListener(NOTIFICATION_FRAME, onFrame);
    return () => window.removeEventListener(NOTIFICATION_FRAME, onFrame);
  }, [t]);

  if (!enabled) return null;
  const page = query.data;
  const unread = page?.unreadCount ?? 0;
  const label = unread > 0 ? t('notifications.bell', { count: unread }) : t('notifications.bellNone');
  const Icon = unread > 0 ? IconBellRinging : IconBell;
  return (
    <>
      <VisuallyHidden role="status" aria-live="polite">
        {announcement}
      </VisuallyHidden>
      <Popover opened={opened} onChange={setOpened} position="bottom-end" withinPortal shadow="md" trapFocus returnFocus>
        <Popover.Target>
          <UnstyledButton
            onClick={() => setOpened((o) => !o)}
            aria-label={label}
            aria-expanded={opened}
            aria-haspopup="dialog"
            data-testid="notification-bell"
            data-unread={unread}
            style={{ display: 'flex', alignItems: 'center', gap: 4, padding: '4px 6px', borderRadius: 6 }}
          >
            <Icon size={22} aria-hidden="true" />
            {unread > 0 && (
              <Badge size="sm" color="red.8" variant="filled" circle={unread < 10} aria-hidden="true" data-testid="notification-count">
                {unread > 99 ? '99+' : unread}
              </Badge>
            )}
          </UnstyledButton>
        </Popover.Target>
        <Popover.Dropdown p="xs" style={{ width: 'min(400px, calc(100vw - 16px))' }} role="dialog" aria-label={t('notifications.title')} data-testid="notification-panel">
          <Group justify="space-between" wrap="nowrap" mb={4}>
            <Text fw={700} component="h2" size="md" m={0}>
              {t('notifications.title')}
            </Text>
            <Text size="sm" c="dimmed" data-testid="notification-unread-count">
              {t('notifications.unreadCount', { count: unread })}
            </Text>
          </Group>
          {query.isPending ? (
            <Group justify="center" py="md" data-loading="true">
              <Loader size="sm" aria-label={t('common.loading')} />
            </Group>
          ) : query.error ? (
            <ProblemAlert error={query.error} />
          ) : page && page.items.length > 0 ? (
            <ScrollArea.Autosize mah="min(420px, 60vh)" type="auto" offsetScrollbars>
              <ul style={{ margin: 0, padding: 0 }} aria-label={t('notifications.listLabel')} data-testid="notification-list">
                {page.items.map((n) => (
                  <NotificationItem key={n.notificationId} n={n} onOpen={() => setOpened(false)} />
                ))}
              </ul>
            </ScrollArea.Autosize>
          ) : (
            <Text size="sm" c="dimmed" py="sm" data-testid="notification-empty">
              {t('notifications.empty')}
            </Text>
          )}
          {markAll.error ? <ProblemAlert error={markAll.error} /> : null}
          <Group justify={unread > 0 ? 'space-between' : 'flex-end'} mt="xs" gap="xs">
            {unread > 0 && (
              <Button
                variant="subtle"
                size="compact-sm"
                c={darkText('blue')}
                leftSection={<IconChecks size={16} aria-hidden="true" />}
                loading={markAll.isPending}
                onClick={() => markAll.mutate()}
                data-testid="notification-mark-all-read"
              >
                {t('notifications.markAllRead')}
              </Button>
            )}
            <Button
              variant="subtle"
              size="compact-sm"
              c={darkText('blue')}
              leftSection={<IconSettings size={16} aria-hidden="true" />}
              onClick={() => {
                setOpened(false);
                onPreferences();
              }}
              data-testid="notification-preferences-open"
            >
              {t('notifications.preferences')}
            </Button>
          </Group>
        </Popover.Dropdown>
      </Popover>
    </>
  );
}

