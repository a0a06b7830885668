/**
 * Notification preferences (GET/PATCH /api/me/notification-preferences), a drawer opened from
 * the user menu or the bell: which kinds reach the person by e-mail (the ones that carry an
 * obligation are shown locked, with why), the language notifications are written in, the
 * daily digest for the non-urgent kinds; and whether this server sends e-mail at all.
 */
import { Alert, Badge, Button, Checkbox, Drawer, Group, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { IconLock, IconMail, IconMailOff } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { LANGUAGES, useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { useMe } from '../shared/session/session';
import { darkText } from '../shared/ui/colors';
import { useOverlayTransition } from '../shared/ui/motion';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { kindsFor, usePreferences, useUpdatePreferences, type NotificationKind, type NotificationPreferences, type PreferencesChange } from './notifications-api';

const ACCOUNT = '__account__';

function PreferencesForm({ prefs, onDone }: { prefs: NotificationPreferences; onDone: () => void }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const me = useMe();
  const update = useUpdatePreferences();
  const kinds = useMemo(() => kindsFor(me), [me]);
  const mandatory = new Set<string>(prefs.mandatoryKinds);
  const digestKinds = new Set<string>(prefs.digestKinds);
  const [email, setEmail] = useState<Record<string, boolean>>(() => ({ ...prefs.email }));
  const [language, setLanguage] = useState<string>(prefs.languageSource === 'preference' ? prefs.language : ACCOUNT);
  const [digest, setDigest] = useState(prefs.dailyDigest);
  const [saved, setSaved] = useState(false);

  useEffect(() => setSaved(false), [email, language, digest]);

  const submit = () => {
    const body: PreferencesChange = {};
    const changed: Record<string, boolean> = {};
    for (const k of kinds) if (!mandatory.has(k) && email[k] !== (prefs.email as Record<string, boolean>)[k]) changed[k] = email[k];
    if (Object.keys(changed).length) body.email = changed as PreferencesChange['email'];
    const wanted = language === ACCOUNT ? null : (language as 'es-MX');
    if (wanted !== (prefs.languageSource === 'preference' ? prefs.language : null)) body.language = wanted;
    if (digest !== prefs.dailyDigest) body.dailyDigest = digest;
    update.mutate(body, { onSuccess: () => setSaved(true) });
  };

  const digestList = kinds.filter((k) => digestKinds.has(k)).map((k) => tx(`notifications.kind.${k}`, k));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-label={t('notifications.preferences')}
      data-testid="notification-preferences"
    >
      <Stack gap="md">
        {prefs.emailEnabled ? (
          <Alert color="green" variant="light" icon={<IconMail aria-hidden="true" />} c={darkText('green')} data-testid="email-enabled" data-email-enabled="true">
            {t('notifications.prefs.emailEnabled')}
          </Alert>
        ) : (
          <Alert color="gray" variant="light" icon={<IconMailOff aria-hidden="true" />} c={darkText('gray')} data-testid="email-enabled" data-email-enabled="false">
            {t('notifications.prefs.emailDisabled')}
          </Alert>
        )}

        <Stack gap={6} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Title order={3} size="h5" component="legend">
            {t('notifications.prefs.byEmail')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('notifications.prefs.byEmailHint')}
          </Text>
          {kinds.map((k: NotificationKind) => {
            const locked = mandatory.has(k);
            return (
              <Group key={k} gap="xs" wrap="nowrap" justify="space-between" data-testid={`pref-${k}`} data-mandatory={locked ? 'true' : 'false'}>
                <Checkbox
                  label={tx(`notifications.kind.${k}`, k)}
                  checked={locked ? true : !!email[k]}
                  disabled={locked}
                  // locked, not faded: it is on, and the badge and the hint say why it cannot change
                  styles={locked ? { label: { color: 'var(--mantine-color-gray-8)' } } : undefined}
                  aria-describedby={locked ? 'mandatory-kinds-hint' : undefined}
                  onChange={(e) => {
                    const checked = e.currentTarget.checked;
                    setEmail((prev) => ({ ...prev, [k]: checked }));
                  }}
                  data-testid={`pref-email-${k}`}
                />
                {locked ? (
                  <Badge size="sm" variant="light" color="gray" c={darkText('gray')} tt="none" leftSection={<IconLock size={12} aria-hidden="true" />} style={{ flexShrink: 0 }}>
                    {t('notifications.prefs.mandatory')}
                  </Badge>
                ) : digest && digestKinds.has(k) && email[k] ? (
                  <Badge size="sm" variant="light" color="blue" c={darkText('blue')} tt="none" style={{ flexShrink: 0 }}>
                    {t('notifications.prefs.inDigest')}
                  </Badge>
                ) : null}
              </Group>
            );
          })}
          <Text size="sm" id="mandatory-kinds-hint" data-testid="mandatory-hint">
            <IconLock size={14} aria-hidden="true" style={{ verticalAlign: 'text-bottom' }} /> {t('notifications.prefs.mandatoryHint')}
          </Text>
        </Stack>

        <Select
          label={t('notifications.prefs.language')}
          value={language}
          onChange={(v) => v && setLanguage(v)}
          allowDeselect={false}
          data={[{ value: ACCOUNT, label: t('notifications.prefs.languageAccount') }, ...LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))]}
          comboboxProps={{ withinPortal: true }}
          data-testid="pref-language"
        />

        <Stack gap={4}>
          <Switch label={t('notifications.prefs.digest')} checked={digest} onChange={(e) => setDigest(e.currentTarget.checked)} data-testid="pref-digest" />
          <Text size="sm" c="dimmed">
            {t('notifications.prefs.digestHint', { hour: String(prefs.digestHour).padStart(2, '0'), zone: prefs.timeZone, kinds: digestList.join(', ') })}
          </Text>
        </Stack>

        {prefs.updatedAt && (
          <Text size="xs" c="dimmed">
            {t('notifications.prefs.updatedAt', { at: f.instant(prefs.updatedAt) })}
          </Text>
        )}
        {update.error ? <ProblemAlert error={update.error} /> : null}
        {saved && (
          <Text size="sm" c={darkText('green')} role="status" data-testid="preferences-saved">
            {t('notifications.prefs.saved')}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" type="button" onClick={onDone}>
            {t('common.close')}
          </Button>
          <Button type="submit" loading={update.isPending} data-testid="preferences-save">
            {t('notifications.prefs.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function PreferencesDrawer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const transition = useOverlayTransition();
  const prefs = usePreferences(opened);
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title={t('notifications.preferences')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      transitionProps={transition}
      data-testid="preferences-drawer"
    >
      {prefs.data ? <PreferencesForm prefs={prefs.data} onDone={onClose} /> : prefs.error ? <ProblemAlert error={prefs.error} /> : <ScreenLoader />}
    </Drawer>
  );
}
