/**
 * Administration: people and invitations, customers, policies, and the active preset's
 * settings (read-only). Administrators see every tab; supervisors manage customers' contacts
 * and suspensions; everyone signed in may read the settings.
 */
import { Stack, Tabs, Title } from '@mantine/core';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useI18n } from '../shared/i18n/i18n';
import { hasRole, useMe } from '../shared/session/session';
import { CustomersTab } from './CustomersTab';
import { PeopleTab } from './PeopleTab';
import { PoliciesTab } from './PoliciesTab';
import { SettingsTab } from './SettingsTab';
import { EscalationContactsTab } from './EscalationContactsTab';
import { MailDeliveriesTab } from './MailDeliveriesTab';
import { WebhooksTab } from './WebhooksTab';

export default function AdministrationScreen() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { section = '' } = useParams();
  const admin = hasRole(me, 'admin');
  const supervisor = hasRole(me, 'supervisor');
  const sections = [
    ...(admin || supervisor ? ['people', 'customers'] : []),
    ...(admin ? ['policies'] : []),
    // notifications: webhooks and e-mail deliveries (admins), escalation contacts (admins change, supervisors read)
    ...(admin ? ['webhooks', 'deliveries'] : []),
    ...(admin || supervisor ? ['escalation'] : []),
    'settings',
  ];
  if (!sections.includes(section)) return <Navigate to={`/admin/${sections[0]}`} replace />;
  // (the tabs keep their own query, e.g. /admin/webhooks?webhook=<id> opens that subscription's deliveries)
  return (
    <Stack gap="md" data-testid="admin-screen" data-section={section}>
      <Title order={1} size="h3">
        {t('admin.title')}
      </Title>
      <Tabs value={section} onChange={(v) => v && navigate(`/admin/${v}`)} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {sections.map((s) => (
            <Tabs.Tab key={s} value={s} data-testid={`tab-${s}`}>
              {t(`admin.tab.${s as 'people'}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {sections.map((s) => (
          <Tabs.Panel key={s} value={s} pt="md">
            {s === 'people' && <PeopleTab />}
            {s === 'customers' && <CustomersTab />}
            {s === 'policies' && <PoliciesTab />}
            {s === 'settings' && <SettingsTab />}
            {s === 'webhooks' && <WebhooksTab />}
            {s === 'deliveries' && <MailDeliveriesTab />}
            {s === 'escalation' && <EscalationContactsTab />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
