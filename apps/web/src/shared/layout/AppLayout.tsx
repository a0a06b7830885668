import { ActionIcon, AppShell, Burger, Group, Menu, NavLink, Stack, Text, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBell, IconBroadcast, IconBroadcastOff, IconFileInvoice, IconLanguage, IconListDetails, IconLogout, IconPlus, IconTicket, IconUserCircle } from '@tabler/icons-react';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { Language } from '../api/views';
import { LANGUAGES, useI18n } from '../i18n/i18n';
import { useLive } from '../live/live';
import { isCustomer, useMe, useSession, canWorkTickets } from '../session/session';
import { oversightItems } from './oversight-nav';
import { useSettings } from '../session/settings';
import { ScreenLoader } from '../ui/ScreenLoader';
import { darkText } from '../ui/colors';
import { NotificationBell } from '../../notifications/NotificationBell';

// the preferences drawer loads the first time it opens
const PreferencesDrawer = lazy(() => import('../../notifications/PreferencesDrawer'));

function LiveIndicator() {
  const { t } = useI18n();
  const { status } = useLive();
  const open = status === 'open';
  const Icon = open ? IconBroadcast : IconBroadcastOff;
  return (
    <Tooltip label={t(`live.${status}.hint`)} withArrow>
      <Group gap={4} c={darkText(open ? 'green' : 'gray')} data-testid="live-indicator" role="status">
        <Icon size={18} aria-hidden="true" />
        <Text size="sm" className="hd-hidden-mobile">
          {t(`live.${status}`)}
        </Text>
      </Group>
    </Tooltip>
  );
}

export function LanguageMenu() {
  const { t, language, setLanguage } = useI18n();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('language.choose', { current: t(`language.${language}`) })}>
          <IconLanguage size={20} aria-hidden="true" />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LANGUAGES.map((l: Language) => (
          <Menu.Item key={l} onClick={() => setLanguage(l)} aria-current={l === language ? 'true' : undefined} fw={l === language ? 700 : undefined}>
            {t(`language.${l}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function UserMenu({ onNotificationPreferences }: { onNotificationPreferences: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const { signOut } = useSession();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('user.menu', { name: me.name })} data-testid="user-menu">
          <Group gap={6}>
            <IconUserCircle size={22} aria-hidden="true" />
            <Text size="sm" visibleFrom="sm" maw={180} truncate>
              {me.name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.roles.map((r) => t(`role.${r as 'agent'}`)).join(', ')}</Menu.Label>
        {me.customerName && <Menu.Label>{me.customerName}</Menu.Label>}
        {me.kind !== 'token' && (
          <Menu.Item leftSection={<IconBell size={16} aria-hidden="true" />} onClick={onNotificationPreferences} data-testid="menu-notification-preferences">
            {t('notifications.preferences')}
          </Menu.Item>
        )}
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden="true" />} onClick={() => void signOut()}>
          {t('user.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const location = useLocation();
  const items: Array<{ to: string; label: string; icon: ReactNode; match: (p: string) => boolean }> = [];
  if (canWorkTickets(me)) {
    items.push({ to: '/queue', label: t('nav.queue'), icon: <IconListDetails size={18} aria-hidden="true" />, match: (p) => p.startsWith('/queue') || p.startsWith('/tickets') });
  }
  if (isCustomer(me)) {
    items.push({ to: '/portal', label: t('nav.myTickets'), icon: <IconTicket size={18} aria-hidden="true" />, match: (p) => p === '/portal' || p.startsWith('/portal/tickets') });
    items.push({ to: '/portal/new', label: t('nav.newTicket'), icon: <IconPlus size={18} aria-hidden="true" />, match: (p) => p === '/portal/new' });
    items.push({ to: '/portal/policies', label: t('nav.policies'), icon: <IconFileInvoice size={18} aria-hidden="true" />, match: (p) => p.startsWith('/portal/policies') });
  }
  items.push(...oversightItems(me, t));
  return (
    <Stack gap={4} component="nav" aria-label={t('nav.label')}>
      {items.map((item) => {
        const active = item.match(location.pathname);
        return (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            leftSection={item.icon}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
            variant="light"
          />
        );
      })}
    </Stack>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const settings = useSettings();
  const [opened, { toggle, close }] = useDisclosure(false);
  // notification preferences: a drawer reachable from the user menu and the bell
  const [preferences, setPreferences] = useState<'never' | 'open' | 'closed'>('never');
  const openPreferences = () => setPreferences('open');
  const company = settings.company.name || t('app.name');
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={{ base: 'xs', sm: 'md' }}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t(opened ? 'nav.close' : 'nav.open')} />
            <Text component={Link} to="/" fw={700} size="lg" truncate c="inherit" td="none">
              {company}
              <VisuallyHidden> — {t('app.name')}</VisuallyHidden>
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LiveIndicator />
            <NotificationBell onPreferences={openPreferences} />
            <LanguageMenu />
            <UserMenu onNotificationPreferences={openPreferences} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Navigation onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<ScreenLoader />}>{children}</Suspense>
      </AppShell.Main>
      {preferences !== 'never' && (
        <Suspense fallback={null}>
          <PreferencesDrawer opened={preferences === 'open'} onClose={() => setPreferences('closed')} />
        </Suspense>
      )}
    </AppShell>
  );
}
