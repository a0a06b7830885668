import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconClockHour4, IconFlame, IconPlayerPause } from '@tabler/icons-react';
import { useI18n } from '../shared/i18n/i18n';
import { darkText } from '../shared/ui/colors';

/** an open ticket's state on the dashboard: colour, icon and word (never colour alone) */
export const NOW_LOOK: Record<string, { color: string; chart: string; Icon: typeof IconFlame }> = {
  breached: { color: 'red', chart: 'red.9', Icon: IconFlame },
  'at-risk': { color: 'orange', chart: 'orange.6', Icon: IconAlertTriangle },
  'on-track': { color: 'teal', chart: 'teal.8', Icon: IconClockHour4 },
  paused: { color: 'gray', chart: 'gray.5', Icon: IconPlayerPause },
  responded: { color: 'blue', chart: 'blue.8', Icon: IconCircleCheck },
};

export const NOW_STATES = ['breached', 'at-risk', 'on-track', 'paused', 'responded'] as const;
export type NowState = (typeof NOW_STATES)[number];

export function NowStateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  const look = NOW_LOOK[state] ?? NOW_LOOK.paused;
  return (
    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }}
      color={state === 'breached' ? 'red.9' : look.color}
      variant={state === 'breached' ? 'filled' : 'light'}
      c={state === 'breached' ? undefined : darkText(look.color)}
      tt="none"
      leftSection={<look.Icon size={14} aria-hidden="true" />}
      data-now-state={state}
    >
      {t(`dashboard.state.${state as NowState}`)}
    </Badge>
  );
}
