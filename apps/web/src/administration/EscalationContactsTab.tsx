/**
 * Escalation contacts (admins; supervisors read): who is told when a response target is missed
 * and the case reaches each level of the preset's escalation chain. Level 1 is the assigned
 * engineer; a level without people falls back to the supervisors (said in words).
 */
import { Button, Group, MultiSelect, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useStaffUsers } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { usePersonName } from '../shared/people';
import { useFormat } from '../shared/session/format';
import { hasRole, useMe } from '../shared/session/session';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useNotify } from '../shared/ui/notify';
import { useEscalationContacts, useSetEscalationContacts } from './notify-admin-api';

export function EscalationContactsTab() {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const notify = useNotify();
  const name = usePersonName();
  const admin = hasRole(me, 'admin');
  const contacts = useEscalationContacts();
  const staff = useStaffUsers().data ?? [];
  const save = useSetEscalationContacts();
  const [levels, setLevels] = useState<Record<number, string[]>>({});
  useEffect(() => {
    if (contacts.data) setLevels(Object.fromEntries(contacts.data.levels.map((l) => [l.level, l.userIds])));
  }, [contacts.data]);

  if (contacts.isPending) return <ScreenLoader />;
  if (contacts.error) return <ProblemAlert error={contacts.error} />;
  const options = staff.filter((s) => s.kind === 'staff').map((s) => ({ value: s.userId, label: s.name }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          contacts.data.levels.map((l) => ({ level: l.level, userIds: levels[l.level] ?? [] })),
          { onSuccess: () => notify(t('escalation.saved')) },
        );
      }}
      aria-label={t('escalation.title')}
      data-testid="escalation-contacts"
    >
      <Stack gap="md" maw={720}>
        <Stack gap={2}>
          <Title order={2} size="h4">
            {t('escalation.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('escalation.intro')}
          </Text>
        </Stack>
        {contacts.data.levels.length === 0 && <Text size="sm">{t('escalation.noLevels')}</Text>}
        {contacts.data.levels.map((l) => {
          const chosen = levels[l.level] ?? [];
          return (
            <Stack key={l.level} gap={2} data-testid={`escalation-level-${l.level}`}>
              <MultiSelect
                label={t('escalation.level', { level: l.level, name: l.name })}
                data={[...options, ...chosen.filter((id) => !options.some((o) => o.value === id)).map((id) => ({ value: id, label: name(id) }))]}
                value={chosen}
                onChange={(v) => setLevels((prev) => ({ ...prev, [l.level]: v }))}
                searchable
                disabled={!admin}
                placeholder={chosen.length === 0 ? t('escalation.fallback') : undefined}
                comboboxProps={{ withinPortal: true }}
              />
              {chosen.length === 0 && (
                <Text size="xs" c="dimmed">
                  {t('escalation.fallbackHint')}
                </Text>
              )}
            </Stack>
          );
        })}
        {contacts.data.updatedAt && (
          <Text size="xs" c="dimmed">
            {t('escalation.updated', { at: f.instant(contacts.data.updatedAt), who: name(contacts.data.updatedBy) })}
          </Text>
        )}
        {save.error ? <ProblemAlert error={save.error} /> : null}
        {admin && contacts.data.levels.length > 0 && (
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="escalation-save">
              {t('escalation.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
