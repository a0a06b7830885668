/**
 * People: staff and customers' contacts with their roles, approver rights and status; invite
 * (staff by administrators; contacts also by supervisors), change roles, grant or revoke the
 * right to approve quotes, deactivate and reactivate, send a new invitation link. When the
 * server sends no e-mail it answers the one-time link: it is shown once, to hand over.
 */
import { ActionIcon, Alert, Badge, Button, Checkbox, CopyButton, Group, Menu, SegmentedControl, Select, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconCopy, IconDots, IconInbox, IconMailForward, IconShieldCheck, IconShieldOff, IconUserCheck, IconUserOff, IconUserPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useCustomerNames, useCustomers } from '../shared/directory';
import { LANGUAGES, useI18n } from '../shared/i18n/i18n';
import { usePeople, usePersonName, type Person } from '../shared/people';
import { useFormat } from '../shared/session/format';
import { hasRole, useMe } from '../shared/session/session';
import { useSettings } from '../shared/session/settings';
import { darkText } from '../shared/ui/colors';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { VerdictAlert } from '../shared/ui/VerdictAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useNotify } from '../shared/ui/notify';
import { CommandModal } from './CommandModal';
import { useInvite, useRenewInvitation, useUserCommand, type InvitationAnswer } from './admin-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

const STAFF_ROLES = ['agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;
const ALL = '__all__';

const STATUS_LOOK: Record<string, { color: string; Icon: typeof IconUserCheck }> = {
  invited: { color: 'blue', Icon: IconMailForward },
  active: { color: 'green', Icon: IconUserCheck },
  deactivated: { color: 'gray', Icon: IconUserOff },
};

function PersonStatus({ status }: { status: string }) {
  const { t } = useI18n();
  const look = STATUS_LOOK[status] ?? STATUS_LOOK.deactivated;
  return (
    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color={look.color} variant="light" c={darkText(look.color)} tt="none" leftSection={<look.Icon size={14} aria-hidden="true" />} data-person-status={status}>
      {t(`admin.people.status.${status as 'active'}`)}
    </Badge>
  );
}

/** the one-time link the server answered (no e-mail configured): shown once, with a copy button */
function InvitationLink({ answer, onClose }: { answer: InvitationAnswer; onClose: () => void }) {
  const { t } = useI18n();
  const f = useFormat();
  if (!answer.invitationUrl) {
    return (
      <VerdictAlert color="green" title={t('admin.people.invitedTitle')} withCloseButton onClose={onClose} closeButtonLabel={t('common.close')} data-testid="invitation-sent">
        {t('admin.people.invitationMailed', { at: f.instant(answer.expiresAt) })}
      </VerdictAlert>
    );
  }
  return (
    <VerdictAlert color="blue" title={t('admin.people.linkTitle')} withCloseButton onClose={onClose} closeButtonLabel={t('common.close')} data-testid="invitation-link">
      <Stack gap="xs">
        <Text size="sm">{t('admin.people.linkOnce', { at: f.instant(answer.expiresAt) })}</Text>
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput label={t('admin.people.link')} value={answer.invitationUrl} readOnly style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} data-testid="invitation-url" />
          <CopyButton value={answer.invitationUrl}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} aria-hidden="true" /> : <IconCopy size={16} aria-hidden="true" />}>
                {t(copied ? 'admin.people.copied' : 'admin.people.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </VerdictAlert>
  );
}

function InviteForm({ opened, onClose, onInvited }: { opened: boolean; onClose: () => void; onInvited: (a: InvitationAnswer) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const settings = useSettings();
  const admin = hasRole(me, 'admin');
  const customers = useCustomers().data ?? [];
  const [kind, setKind] = useState<'staff' | 'contact'>(admin ? 'staff' : 'contact');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>(['agent']);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [approver, setApprover] = useState(false);
  const [language, setLanguage] = useState<string>(settings.locale);
  const invite = useInvite();
  const submit = () =>
    invite.mutate(
      kind === 'staff'
        ? { kind, name: name.trim(), email: email.trim(), language: language as 'es-MX', roles: roles as Array<(typeof STAFF_ROLES)[number]> }
        : // a contact without a customer is refused by the server with the field named
          { kind, name: name.trim(), email: email.trim(), language: language as 'es-MX', approver, customerId: customerId ?? '' },
      {
        onSuccess: (a) => {
          onInvited(a);
          setName('');
          setEmail('');
          onClose();
        },
      },
    );
  return (
    <CommandModal opened={opened} onClose={onClose} title={t('admin.people.invite')} onSubmit={submit} pending={invite.isPending} error={invite.error} submitLabel={t('admin.people.inviteSubmit')} testId="invite-form">
      {admin && (
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'staff' | 'contact')}
          aria-label={t('admin.people.kind')}
          data={[
            { value: 'staff', label: t('admin.people.kind.staff') },
            { value: 'contact', label: t('admin.people.kind.contact') },
          ]}
        />
      )}
      <TextInput label={t('admin.people.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={200} />
      <TextInput label={t('admin.people.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required maxLength={320} />
      {kind === 'staff' ? (
        <Checkbox.Group label={t('admin.people.roles')} value={roles} onChange={setRoles} withAsterisk>
          <Group gap="md" mt={4}>
            {STAFF_ROLES.map((r) => (
              <Checkbox key={r} value={r} label={t(`role.${r}`)} />
            ))}
          </Group>
        </Checkbox.Group>
      ) : (
        <>
          <Select label={t('admin.people.customer')} value={customerId} onChange={setCustomerId} required searchable data={customers.map((c) => ({ value: c.customerId, label: c.name }))} />
          <Checkbox label={t('admin.people.approverLabel')} description={t('admin.people.approverHint')} checked={approver} onChange={(e) => setApprover(e.currentTarget.checked)} />
        </>
      )}
      <Select label={t('admin.people.language')} value={language} onChange={(v) => v && setLanguage(v)} allowDeselect={false} data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))} />
    </CommandModal>
  );
}

type Pending = { person: Person; action: 'roles' | 'grant' | 'revoke' | 'deactivate' | 'reactivate' | 'renew' } | null;

function ActionForm({ pending, onClose, onRenewed }: { pending: Pending; onClose: () => void; onRenewed: (a: InvitationAnswer) => void }) {
  const { t } = useI18n();
  const notify = useNotify();
  const command = useUserCommand();
  const renew = useRenewInvitation();
  const [reason, setReason] = useState('');
  const [roles, setRoles] = useState<string[]>(pending?.person.roles ?? []);
  if (!pending) return null;
  const { person, action } = pending;
  const done = (key: 'admin.people.done') => () => {
    notify(t(key));
    setReason('');
    onClose();
  };
  if (action === 'renew') {
    return (
      <CommandModal
        opened
        onClose={onClose}
        title={t('admin.people.renewTitle', { name: person.name })}
        submitLabel={t('admin.people.renew')}
        pending={renew.isPending}
        error={renew.error}
        onSubmit={() =>
          renew.mutate(person.userId, {
            onSuccess: (a) => {
              onRenewed(a);
              onClose();
            },
          })
        }
        testId="renew-form"
      >
        <Text size="sm">{t('admin.people.renewHint')}</Text>
      </CommandModal>
    );
  }
  const titles = {
    roles: t('admin.people.rolesTitle', { name: person.name }),
    grant: t('admin.people.grantTitle', { name: person.name }),
    revoke: t('admin.people.revokeTitle', { name: person.name }),
    deactivate: t('admin.people.deactivateTitle', { name: person.name }),
    reactivate: t('admin.people.reactivateTitle', { name: person.name }),
  } as const;
  const submit = () => {
    const r = reason.trim();
    if (action === 'roles') command.mutate({ userId: person.userId, action: 'roles', body: { roles, reason: r } }, { onSuccess: done('admin.people.done') });
    else if (action === 'grant' || action === 'revoke') command.mutate({ userId: person.userId, action: 'approver', body: { approver: action === 'grant', reason: r } }, { onSuccess: done('admin.people.done') });
    else command.mutate({ userId: person.userId, action: action === 'deactivate' ? 'deactivation' : 'reactivation', body: { reason: r } }, { onSuccess: done('admin.people.done') });
  };
  return (
    <CommandModal opened onClose={onClose} title={titles[action]} submitLabel={titles[action]} pending={command.isPending} error={command.error} onSubmit={submit} testId={`person-${action}-form`} danger={action === 'deactivate' || action === 'revoke'}>
      {action === 'roles' && (
        <Checkbox.Group label={t('admin.people.roles')} value={roles} onChange={setRoles} withAsterisk>
          <Group gap="md" mt={4}>
            {STAFF_ROLES.map((r) => (
              <Checkbox key={r} value={r} label={t(`role.${r}`)} />
            ))}
          </Group>
        </Checkbox.Group>
      )}
      {(action === 'deactivate' || action === 'roles' || action === 'revoke') && (
        <Text size="sm" c="dimmed">
          {t('admin.people.sessionsEnd')}
        </Text>
      )}
      <Textarea label={t('admin.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} maxLength={2000} data-testid="reason" />
    </CommandModal>
  );
}

export function PeopleTab() {
  const { t } = useI18n();
  const f = useFormat();
  const me = useMe();
  const admin = hasRole(me, 'admin');
  const people = usePeople();
  const customerName = useCustomerNames();
  const customers = useCustomers().data ?? [];
  const name = usePersonName();
  const [inviting, setInviting] = useState(false);
  const [answer, setAnswer] = useState<InvitationAnswer | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const [customer, setCustomer] = useState('');
  const [search, setSearch] = useState('');
  const list = useMemo(() => {
    const q = search.trim().toLocaleLowerCase();
    return (people.data ?? [])
      .filter((p) => (!kind || p.kind === kind) && (!status || p.status === status) && (!customer || p.customerId === customer))
      .filter((p) => !q || p.name.toLocaleLowerCase().includes(q) || p.email.toLocaleLowerCase().includes(q))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [people.data, kind, status, customer, search]);
  const canAct = (p: Person) => admin || p.kind === 'contact';
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={2} size="h4">
          {t('admin.people.title')}
        </Title>
        <Button leftSection={<IconUserPlus size={16} aria-hidden="true" />} onClick={() => setInviting(true)} data-testid="invite-open">
          {t('admin.people.invite')}
        </Button>
      </Group>
      {answer && <InvitationLink answer={answer} onClose={() => setAnswer(null)} />}
      <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('admin.people.filters')}>
        <TextInput label={t('admin.people.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={{ base: '100%', xs: 240 }} />
        <Select
          label={t('admin.people.kind')}
          value={kind || ALL}
          onChange={(v) => setKind(!v || v === ALL ? '' : v)}
          allowDeselect={false}
          w={170}
          data={[
            { value: ALL, label: t('admin.people.anyKind') },
            { value: 'staff', label: t('admin.people.kind.staff') },
            { value: 'contact', label: t('admin.people.kind.contact') },
          ]}
        />
        <Select
          label={t('admin.people.statusLabel')}
          value={status || ALL}
          onChange={(v) => setStatus(!v || v === ALL ? '' : v)}
          allowDeselect={false}
          w={170}
          data={[{ value: ALL, label: t('admin.people.anyStatus') }, ...(['invited', 'active', 'deactivated'] as const).map((s) => ({ value: s, label: t(`admin.people.status.${s}`) }))]}
        />
        <Select
          label={t('filters.customer')}
          value={customer || ALL}
          onChange={(v) => setCustomer(!v || v === ALL ? '' : v)}
          allowDeselect={false}
          searchable
          w={{ base: '100%', xs: 240 }}
          data={[{ value: ALL, label: t('filters.anyCustomer') }, ...customers.map((c) => ({ value: c.customerId, label: c.name }))]}
        />
      </Group>
      {people.isPending && <ScreenLoader />}
      {people.isError && <ProblemAlert error={people.error} />}
      {people.data && list.length === 0 && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />}>
          {t('admin.people.empty')}
        </Alert>
      )}
      {list.length > 0 && (
        <ScrollTable minWidth={820} label={t('admin.people.title')}>
          <Table striped verticalSpacing={6} fz="sm" data-testid="people-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.people.name')}</Table.Th>
                <Table.Th>{t('admin.people.roles')}</Table.Th>
                <Table.Th>{t('admin.people.customer')}</Table.Th>
                <Table.Th>{t('admin.people.statusLabel')}</Table.Th>
                <Table.Th>{t('admin.people.since')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('admin.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((p) => (
                <Table.Tr key={p.userId} data-user-id={p.userId} data-email={p.email} data-status={p.status} data-approver={p.approver ? 'true' : 'false'}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {p.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {p.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {p.roles.map((r) => (
                        <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} key={r} size="sm" variant="outline" color="gray" c={darkText('gray')} tt="none">
                          {t(`role.${r as 'agent'}`)}
                        </Badge>
                      ))}
                      {p.kind === 'contact' && (
                        <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }}
                          size="sm"
                          variant="light"
                          color={p.approver ? 'teal' : 'gray'}
                          c={darkText(p.approver ? 'teal' : 'gray')}
                          tt="none"
                          leftSection={p.approver ? <IconShieldCheck size={12} aria-hidden="true" /> : <IconShieldOff size={12} aria-hidden="true" />}
                        >
                          {t(p.approver ? 'admin.people.approver' : 'admin.people.notApprover')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {p.customerId ? (
                      customerName(p.customerId)
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('admin.people.kind.staff')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <PersonStatus status={p.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{p.status === 'invited' ? t('admin.people.invitedAt', { at: f.instant(p.invitedAt), by: name(p.invitedBy) }) : f.instant(p.activatedAt ?? p.invitedAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {canAct(p) && p.userId !== me.id && (
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={t('admin.people.actionsFor', { name: p.name })} data-testid="person-actions">
                            <IconDots size={18} aria-hidden="true" />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {admin && p.kind === 'staff' && <Menu.Item onClick={() => setPending({ person: p, action: 'roles' })}>{t('admin.people.changeRoles')}</Menu.Item>}
                          {p.kind === 'contact' && (
                            <Menu.Item onClick={() => setPending({ person: p, action: p.approver ? 'revoke' : 'grant' })} data-testid="person-approver">
                              {t(p.approver ? 'admin.people.revoke' : 'admin.people.grant')}
                            </Menu.Item>
                          )}
                          {p.status === 'invited' && (
                            <Menu.Item onClick={() => setPending({ person: p, action: 'renew' })} data-testid="person-renew">
                              {t('admin.people.renew')}
                            </Menu.Item>
                          )}
                          {p.status !== 'deactivated' ? (
                            <Menu.Item color="red.8" onClick={() => setPending({ person: p, action: 'deactivate' })} data-testid="person-deactivate">
                              {t('admin.people.deactivate')}
                            </Menu.Item>
                          ) : (
                            <Menu.Item onClick={() => setPending({ person: p, action: 'reactivate' })} data-testid="person-reactivate">
                              {t('admin.people.reactivate')}
                            </Menu.Item>
                          )}
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <InviteForm opened={inviting} onClose={() => setInviting(false)} onInvited={setAnswer} />
      <ActionForm key={pending ? `${pending.person.userId}-${pending.action}` : 'none'} pending={pending} onClose={() => setPending(null)} onRenewed={setAnswer} />
    </Stack>
  );
}
