import { Badge } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconClockHour4, IconReplace } from '@tabler/icons-react';
import { useI18n } from '../shared/i18n/i18n';
import { darkText } from '../shared/ui/colors';

type QuoteStatus = 'pending' | 'accepted' | 'declined' | 'superseded';

const QUOTE_LOOK: Record<QuoteStatus, { color: string; Icon: typeof IconClockHour4 }> = {
  pending: { color: 'orange', Icon: IconClockHour4 },
  accepted: { color: 'green', Icon: IconCircleCheck },
  declined: { color: 'red', Icon: IconCircleX },
  superseded: { color: 'gray', Icon: IconReplace },
};

/** a quote's status at a step: colour, icon and word */
export function QuoteStateBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const look = QUOTE_LOOK[status as QuoteStatus] ?? QUOTE_LOOK.superseded;
  return (
    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} color={look.color} variant="light" c={darkText(look.color)} tt="none" leftSection={<look.Icon size={14} aria-hidden="true" />} data-quote-status={status}>
      {t(`quote.status.${status as QuoteStatus}`)}
    </Badge>
  );
}
