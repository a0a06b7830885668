import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconClockHour4, IconFlame, IconMinus, IconPlayerPause } from '@tabler/icons-react';
import type { GradedSla, SlaState } from '../api/views';
import { useI18n } from '../i18n/i18n';
import { useFormat } from '../session/format';
import { darkText } from '../ui/colors';

/** colour AND icon AND word for each state: never colour alone */
export const SLA_LOOK: Record<SlaState, { color: string; Icon: typeof IconClockHour4 }> = {
  'on-track': { color: 'green', Icon: IconClockHour4 },
  'at-risk': { color: 'orange', Icon: IconAlertTriangle },
  breached: { color: 'red', Icon: IconFlame },
  paused: { color: 'gray', Icon: IconPlayerPause },
  met: { color: 'blue', Icon: IconCircleCheck },
  none: { color: 'gray', Icon: IconMinus },
};

/** the state's badge; a pause's reason in the badge, or (`reasonBelow`, narrow columns) as a line under it */
export function SlaBadge({ sla, size = 'md', reasonBelow = false }: { sla: GradedSla; size?: 'sm' | 'md' | 'lg'; reasonBelow?: boolean }) {
  const { t } = useI18n();
  const { color, Icon } = SLA_LOOK[sla.state];
  const word = t(`sla.state.${sla.state}`);
  const reason = sla.state === 'paused' && sla.pausedReason ? t(`sla.paused.${sla.pausedReason}`) : null;
  const badge = (
    <Badge
      color={sla.state === 'breached' ? 'red.9' : color}
      variant={sla.state === 'breached' ? 'filled' : 'light'}
      c={sla.state === 'breached' ? undefined : darkText(color)}
      size={size}
      tt="none"
      radius="sm"
      leftSection={<Icon size={14} stroke={2} aria-hidden="true" />}
      data-sla-state={sla.state}
      style={{ flexShrink: 0, maxWidth: 'none' }}
    >
      {reason && !reasonBelow ? t('sla.pausedWithReason', { reason }) : word}
    </Badge>
  );
  // the clock waits (nights, weekends, the customer) while the ticket is at risk or breached: say so beside it
  const waiting = sla.state !== 'paused' && sla.pausedReason ? t(`sla.paused.${sla.pausedReason}`) : null;
  if (waiting) {
    return (
      <Group gap={4} wrap="nowrap" data-paused-reason={sla.pausedReason}>
        {badge}
        <Tooltip label={t('sla.pausedTooltip', { reason: waiting })} withArrow>
          <span style={{ display: 'inline-flex' }}>
            <IconPlayerPause size={14} aria-hidden="true" />
            <span className="hd-visually-hidden">{t('sla.clockWaiting', { reason: waiting })}</span>
          </span>
        </Tooltip>
      </Group>
    );
  }
  if (reason && reasonBelow) {
    return (
      <Stack gap={0} align="flex-start">
        {badge}
        <Text size="xs" c="dimmed" data-paused-reason={sla.pausedReason}>
          {reason}
        </Text>
      </Stack>
    );
  }
  return reason ? (
    <Tooltip label={t('sla.pausedTooltip', { reason })} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** business time left ("3 h 20 min hábiles") with the wall-clock due instant beside it */
export function SlaTimeLeft({ sla, compact = false }: { sla: GradedSla; compact?: boolean }) {
  const { t } = useI18n();
  const f = useFormat();
  if (sla.state === 'met') {
    return (
      <Text size="sm" c="dimmed">
        {t('sla.respondedAt', { at: f.instant(sla.respondedAt) })}
      </Text>
    );
  }
  if (sla.state === 'none' || !sla.responseDueAt) {
    return (
      <Text size="sm" c="dimmed">
        {sla.state === 'paused' ? t('sla.dueDecidedOnResume') : t('sla.noTarget')}
      </Text>
    );
  }
  const left = sla.businessMinutesLeft;
  // waiting on the customer, the due instant moves by however long the customer takes: say so
  // instead of an instant that will not hold (nights and weekends keep theirs: the calendar knows them)
  const due = sla.state === 'paused' && sla.pausedReason === 'awaiting-customer' ? t('sla.dueDecidedOnResume') : t('sla.dueAt', { at: f.instant(sla.responseDueAt) });
  const leftText = left === null ? null : f.businessLeft(sla.state === 'breached' && left > 0 ? -left : left);
  if (compact) {
    return (
      <Stack gap={0}>
        {leftText && (
          <Text size="sm" fw={600} c={sla.state === 'breached' ? 'red.8' : undefined}>
            {leftText}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {due}
        </Text>
      </Stack>
    );
  }
  return (
    <Group gap="xs" wrap="wrap">
      {leftText && (
        <Text size="sm" fw={600} c={sla.state === 'breached' ? 'red.8' : undefined}>
          {leftText}
        </Text>
      )}
      <Text size="sm" c="dimmed">
        {due}
      </Text>
    </Group>
  );
}
