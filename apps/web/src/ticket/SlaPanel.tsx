/**
 * The response target of the case: its graded state, business time left and due instant, the
 * share of the target used, and the SLA timeline computed by the server from the recorded facts
 * (clock started, paused with its reason, business-hours gaps, warning, breach, retarget).
 */
import { Alert, Group, Paper, Progress, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconClockPause,
  IconClockPlay,
  IconFlame,
  IconMessageCheck,
  IconMoon,
  IconPlayerPause,
  IconPlayerPlay,
  IconRefresh,
  IconSun,
} from '@tabler/icons-react';
import type { Classification, GradedSla, SlaTimelineKind, TicketDetail } from '../shared/api/views';
import { classificationLabel } from '../shared/ui/labels';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { SLA_LOOK, SlaBadge, SlaTimeLeft } from '../shared/sla/SlaBadge';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { ScreenLoader } from '../shared/ui/ScreenLoader';
import { useSlaTimeline } from './ticket-api';

const ICONS: Record<SlaTimelineKind, typeof IconClockPlay> = {
  started: IconClockPlay,
  paused: IconPlayerPause,
  resumed: IconPlayerPlay,
  warning: IconAlertTriangle,
  breached: IconFlame,
  retargeted: IconRefresh,
  responded: IconMessageCheck,
  'outside-business-hours': IconMoon,
  'business-hours': IconSun,
};

export function SlaSummary({ ticket, sla }: { ticket: TicketDetail; sla: GradedSla }) {
  const { t } = useI18n();
  const f = useFormat();
  const s = ticket.sla;
  const target = s?.targetMinutes ?? null;
  const elapsed = sla.businessMinutesElapsed ?? s?.businessMinutesElapsed ?? null;
  const used = target && elapsed !== null ? Math.min(100, Math.round((elapsed / target) * 100)) : null;
  return (
    <Stack gap="xs" data-testid="sla-summary">
      <Group gap="xs" wrap="wrap">
        <SlaBadge sla={sla} size="lg" />
      </Group>
      <SlaTimeLeft sla={sla} />
      {used !== null && (
        <Progress
          value={used}
          color={SLA_LOOK[sla.state].color}
          size="sm"
          aria-label={t('sla.usedShare', { percent: used })}
        />
      )}
      {s && (
        <SimpleGrid cols={2} spacing={4} verticalSpacing={2}>
          <Text size="xs" c="dimmed">
            {t('sla.target')}
          </Text>
          <Text size="xs">{t('sla.businessDuration', { d: f.minutes(s.targetMinutes) })}</Text>
          <Text size="xs" c="dimmed">
            {t('sla.elapsed')}
          </Text>
          <Text size="xs">{elapsed === null ? '—' : t('sla.businessDuration', { d: f.minutes(elapsed) })}</Text>
          <Text size="xs" c="dimmed">
            {t('sla.warningFrom')}
          </Text>
          <Text size="xs">{f.instant(s.warningAt)}</Text>
          <Text size="xs" c="dimmed">
            {t('sla.startedAt')}
          </Text>
          <Text size="xs">{f.instant(s.startedAt)}</Text>
          <Text size="xs" c="dimmed">
            {t('sla.cycle')}
          </Text>
          <Text size="xs">{s.cycle}</Text>
        </SimpleGrid>
      )}
      <Text size="xs" c="dimmed">
        {t('sla.zoneNote', { zone: f.zoneLabel() })}
      </Text>
    </Stack>
  );
}

/** the facts of an entry worth reading: the target set, the new due instant, met or late, recorded when */
function EntryDetail({ kind, detail }: { kind: SlaTimelineKind; detail: Record<string, unknown> | string | null }) {
  const { t } = useI18n();
  const f = useFormat();
  if (!detail) return null;
  if (typeof detail === 'string') {
    return (
      <Text size="sm" c="dimmed">
        {detail}
      </Text>
    );
  }
  const str = (k: string) => (typeof detail[k] === 'string' ? (detail[k] as string) : null);
  const num = (k: string) => (typeof detail[k] === 'number' ? (detail[k] as number) : null);
  const lines: string[] = [];
  if ((kind === 'started' || kind === 'retargeted') && num('targetMinutes') !== null) {
    const classification = detail.classification as Classification | undefined;
    const target = t('sla.businessDuration', { d: f.minutes(num('targetMinutes')!) });
    const what = classification !== undefined && classification !== null ? `${target} · ${classificationLabel(classification, t)}` : target;
    lines.push(str('dueAt') ? t('slaTimeline.detail.target', { target: what, due: f.instant(str('dueAt')) }) : t('slaTimeline.detail.targetPaused', { target: what }));
  }
  if (kind === 'retargeted' && num('level') !== null) lines.push(t('slaTimeline.detail.level', { level: num('level')! }));
  if (kind === 'resumed' && num('pausedBusinessMinutes') !== null) {
    lines.push(t('slaTimeline.detail.resumed', { paused: t('sla.businessDuration', { d: f.minutes(num('pausedBusinessMinutes')!) }), due: f.instant(str('dueAt')) }));
  }
  if (kind === 'responded' && typeof detail.met === 'boolean') lines.push(t(detail.met ? 'slaTimeline.detail.met' : 'slaTimeline.detail.late'));
  if ((kind === 'warning' || kind === 'breached') && detail.recorded === true && str('recordedAt')) lines.push(t('slaTimeline.detail.recorded', { at: f.instant(str('recordedAt')) }));
  if (kind === 'paused' && str('closeReason')) lines.push(t(`closeReason.${str('closeReason') as 'resolved'}`));
  if (lines.length === 0) return null;
  return (
    <>
      {lines.map((l) => (
        <Text key={l} size="sm" c="dimmed">
          {l}
        </Text>
      ))}
    </>
  );
}

export function SlaTimelinePanel({ ticketId }: { ticketId: string }) {
  const { t, tx } = useI18n();
  const f = useFormat();
  const timeline = useSlaTimeline(ticketId);
  if (timeline.isPending) return <ScreenLoader />;
  if (timeline.isError) return <ProblemAlert error={timeline.error} />;
  if (timeline.data === null) {
    return (
      <Alert color="gray" variant="light" icon={<IconClockPause aria-hidden="true" />}>
        {t('slaTimeline.unavailable')}
      </Alert>
    );
  }
  const entries = timeline.data.entries;
  return (
    <Paper withBorder p="md" radius="sm">
      <Title order={2} size="h5" mb="sm">
        {t('slaTimeline.title')}
      </Title>
      <Timeline bulletSize={26} lineWidth={2} active={entries.length - 1} data-testid="sla-timeline">
        {entries.map((e, i) => {
          const Icon = ICONS[e.kind] ?? IconClockPlay;
          const color = e.kind === 'breached' ? 'red' : e.kind === 'warning' ? 'orange' : e.kind === 'paused' || e.kind === 'outside-business-hours' ? 'gray' : 'blue';
          return (
            <Timeline.Item
              key={`${e.at}-${e.kind}-${i}`}
              bullet={<Icon size={14} aria-hidden="true" />}
              color={color}
              title={tx(`slaTimeline.kind.${e.kind}`, e.kind)}
              data-kind={e.kind}
            >
              <Text size="xs" c="dimmed">
                {f.instant(e.at)}
              </Text>
              {e.reason && (
                <Text size="sm">{tx(`slaTimeline.reason.${e.reason}`, e.reason)}</Text>
              )}
              <EntryDetail kind={e.kind} detail={e.detail} />
            </Timeline.Item>
          );
        })}
      </Timeline>
    </Paper>
  );
}
