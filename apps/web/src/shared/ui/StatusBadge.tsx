import { Badge } from '@mantine/core';
import { IconCircleDot, IconCircleCheck, IconMessageQuestion } from '@tabler/icons-react';
import type { TicketStatus } from '../api/views';
import { useI18n } from '../i18n/i18n';
import { darkText } from './colors';

const LOOK: Record<TicketStatus, { color: string; Icon: typeof IconCircleDot }> = {
  open: { color: 'blue', Icon: IconCircleDot },
  'awaiting-customer': { color: 'violet', Icon: IconMessageQuestion },
  closed: { color: 'gray', Icon: IconCircleCheck },
};

/** a ticket's status: colour, icon and word */
export function StatusBadge({ status }: { status: TicketStatus | null }) {
  const { t } = useI18n();
  if (!status) return null;
  const { color, Icon } = LOOK[status];
  return (
    <Badge color={color} variant="light" c={darkText(color)} tt="none" radius="sm" leftSection={<Icon size={14} aria-hidden="true" />} data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}
