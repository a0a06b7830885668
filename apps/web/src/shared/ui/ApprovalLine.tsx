import { Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';

/** the answering person's rights at the moment of a quote's answer, as the answer recorded them */
export interface ApprovalRecord {
  principal: 'user' | 'token' | string;
  userId: string;
  roles: string[];
  customerId: string | null;
  approver: boolean;
  userVersion: number | null;
}

export function ApprovalLine({ approval }: { approval: ApprovalRecord | null | undefined }) {
  const { t, tx } = useI18n();
  if (!approval) {
    return (
      <Text size="xs" c="dimmed" data-testid="approval" data-approver="unknown">
        {t('replay.approval.none')}
      </Text>
    );
  }
  const roles = approval.roles.map((r) => tx(`role.${r}`, r)).join(', ') || '—';
  return (
    <Text size="xs" data-testid="approval" data-approver={approval.approver ? 'true' : 'false'}>
      {t(approval.approver ? 'replay.approval.approver' : 'replay.approval.notApprover', { roles })}{' '}
      {approval.principal === 'token'
        ? t('replay.approval.token')
        : approval.userVersion !== null && approval.userVersion !== undefined
          ? t('replay.approval.userVersion', { version: approval.userVersion })
          : ''}
    </Text>
  );
}
