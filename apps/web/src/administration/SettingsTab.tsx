/**
 * The active preset's settings, read-only (GET /api/settings): the company, the preset and its
 * version, language, currency and time zone, the classification scheme, support levels and
 * their response targets, calendars (working hours and holidays), departments, products,
 * plans, escalation levels and limits.
 */
import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { calendarName, useSettings } from '../shared/session/settings';
import { classificationLabel } from '../shared/ui/labels';
import { VerdictAlert } from '../shared/ui/VerdictAlert';
import { ScrollTable } from '../shared/ui/ScrollTable';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p={{ base: 'xs', sm: 'md' }} radius="sm" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function SettingsTab() {
  const { t, tx } = useI18n();
  const f = useFormat();
  const s = useSettings();
  const facts: Array<[string, string]> = [
    [t('admin.settings.company'), s.company.name || '—'],
    [t('admin.settings.preset'), `${s.preset.title || s.preset.name} (${s.preset.name} ${s.preset.version})`],
    [t('admin.settings.locale'), tx(`language.${s.locale}`, s.locale)],
    [t('admin.settings.currency'), s.currency],
    [t('admin.settings.timeZone'), `${f.zoneLabel()} · ${s.timeZone}`],
    [t('admin.settings.scheme'), t(s.classification.scheme === 'severity' ? 'admin.settings.scheme.severity' : 'admin.settings.scheme.priority')],
    [t('admin.settings.defaultClass'), classificationLabel(s.classification.default, t)],
    [t('admin.settings.followUp'), f.minutes(s.followUpMinutes)],
    [t('admin.settings.attachments'), t('admin.settings.megabytes', { n: Math.round(s.attachments.maxBytes / 1024 / 1024) })],
  ];
  return (
    <Stack gap="md" data-testid="settings-tab">
      <Title order={2} size="h4">
        {t('admin.settings.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('admin.settings.readOnly')}
      </Text>
      {s.fallback && <VerdictAlert color="yellow">{t('admin.settings.fallback')}</VerdictAlert>}
      <Section title={t('admin.settings.general')}>
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing={6} m={0}>
          {facts.map(([k, v]) => (
            <div key={k} style={{ display: 'flex', gap: 12 }}>
              <Text component="dt" size="sm" c="dimmed" miw={170}>
                {k}
              </Text>
              <Text component="dd" size="sm" m={0} fw={500}>
                {v}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      </Section>
      <Section title={t('admin.settings.targets')}>
        {s.supportLevels.length === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <ScrollTable minWidth={520} label={t('admin.settings.targets')}>
            <Table striped fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.settings.level')}</Table.Th>
                  <Table.Th>{t('admin.settings.calendar')}</Table.Th>
                  {s.classification.values.map((v) => (
                    <Table.Th key={String(v)}>{classificationLabel(v, t)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.supportLevels.map((l) => (
                  <Table.Tr key={l.level}>
                    <Table.Td>{t('admin.customers.levelName', { level: l.level, name: l.name })}</Table.Td>
                    <Table.Td>{calendarName(l.calendarId, tx)}</Table.Td>
                    {s.classification.values.map((v) => {
                      const target = l.responseTargets[String(v)];
                      return <Table.Td key={String(v)}>{target ? t('admin.settings.target', { minutes: f.minutes(target.minutes), warning: f.minutes(target.warningMinutes) }) : '—'}</Table.Td>;
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Section>
      <Section title={t('admin.settings.calendars')}>
        <Stack gap="md">
          {s.calendars.map((c) => (
            <Stack key={c.id} gap={4}>
              <Group gap="xs">
                <Text fw={600} size="sm">
                  {calendarName(c.id, tx)}
                </Text>
                <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} variant="outline" color="gray" tt="none">
                  {c.zone}
                </Badge>
                <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} variant="outline" color="gray" tt="none">
                  {tx(`admin.settings.mode.${c.mode}`, c.mode)}
                </Badge>
              </Group>
              <Table fz="sm" verticalSpacing={2} maw={520}>
                <Table.Tbody>
                  {DAYS.map((d) => (
                    <Table.Tr key={d}>
                      <Table.Th scope="row" fw={500} w={140}>
                        {t(`admin.settings.day.${d}`)}
                      </Table.Th>
                      <Table.Td>{(c.week[d] ?? []).map((r) => `${r.start}–${r.end}`).join(', ') || t('admin.settings.closed')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="sm" fw={500}>
                {t('admin.settings.holidays', { n: c.holidays.length })}
              </Text>
              <Text size="xs" c="dimmed">
                {c.holidays.map((h) => `${f.date(h.date)}: ${h.name}`).join(' · ') || '—'}
              </Text>
            </Stack>
          ))}
        </Stack>
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title={t('admin.settings.departments')}>
          <Text size="sm">{s.departments.map((d) => d.name).join(', ') || '—'}</Text>
        </Section>
        <Section title={t('admin.settings.escalationLevels')}>
          <Text size="sm">{s.escalationLevels.map((l) => t('admin.customers.levelName', { level: l.level, name: l.name })).join(' · ') || '—'}</Text>
        </Section>
        <Section title={t('admin.settings.products')}>
          <Stack gap={2}>
            {s.products.map((p) => (
              <Text size="sm" key={p.id}>
                {p.name}
                {p.endOfLife ? ` — ${t('admin.settings.endOfLife', { date: f.date(p.endOfLife) })}` : ''}
              </Text>
            ))}
            {s.products.length === 0 && <Text size="sm">—</Text>}
          </Stack>
        </Section>
        <Section title={t('admin.settings.plans')}>
          <ScrollTable minWidth={420} label={t('admin.settings.plans')}>
            <Table fz="sm" verticalSpacing={2}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.policies.plan')}</Table.Th>
                  <Table.Th>{t('policy.purchased')}</Table.Th>
                  <Table.Th>{t('policy.facility')}</Table.Th>
                  <Table.Th>{t('policy.onSite')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.plans.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{tx(`policy.plan.${p.id}`, p.id)}</Table.Td>
                    <Table.Td>{f.minutes(p.minutes)}</Table.Td>
                    <Table.Td>{f.minutes(p.facilityMinutes)}</Table.Td>
                    <Table.Td>{f.minutes(p.onSiteMinutes)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
