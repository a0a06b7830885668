/**
 * The case's events as a timeline: who (name and role then), when (company zone), what, and
 * the links between them drawn in the gutter: a solid bracket joins the events one request
 * made (correlation), a dashed arrow goes from an event to what it caused (causation: the
 * scheduler's breach from the target it checked, a repaired work log from its deduction). The
 * same links are written out in each row, for screen readers and keyboard users (buttons that
 * move the replay to the linked event). Events after the current step are dimmed.
 */
import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconArrowBackUp, IconLink, IconShieldX } from '@tabler/icons-react';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../shared/i18n/i18n';
import { darkText } from '../shared/ui/colors';
import { eventName, eventSummary, streamLabel, type Describers } from './describe';
import type { CaseEvent, CaseHistory } from './replay-api';

const GUTTER = 44;
const DOT_X = 34;
const LANE_X = 10;

interface Geometry {
  height: number;
  y: Map<number, number>;
}

function roleWords(roles: string[], tx: Describers['tx']): string {
  return roles.map((r) => tx(`role.${r}`, r)).join(', ');
}

export function Timeline({
  events,
  step,
  onStep,
  correlations,
  breakPosition,
  d,
}: {
  events: CaseEvent[];
  step: number;
  onStep: (index: number) => void;
  correlations: CaseHistory['correlations'];
  breakPosition: number | null;
  d: Describers;
}) {
  const { t } = useI18n();
  const listRef = useRef<HTMLDivElement | null>(null);
  const rows = useRef(new Map<number, HTMLLIElement>());
  const [geometry, setGeometry] = useState<Geometry>({ height: 0, y: new Map() });
  const indexOf = useMemo(() => new Map(events.map((e, i) => [e.position, i])), [events]);
  const groupOf = useMemo(() => {
    const m = new Map<number, number[]>();
    for (const g of correlations) for (const p of g.positions) m.set(p, g.positions);
    return m;
  }, [correlations]);
  const causedBy = useMemo(() => {
    // effects of each event (reverse links), for the row of the cause
    const m = new Map<number, number[]>();
    for (const e of events) {
      if (e.causedByPosition !== null && indexOf.has(e.causedByPosition)) m.set(e.causedByPosition, [...(m.get(e.causedByPosition) ?? []), e.position]);
    }
    return m;
  }, [events, indexOf]);

  const measure = useCallback(() => {
    const list = listRef.current;
    if (!list) return;
    const y = new Map<number, number>();
    for (const [position, el] of rows.current) y.set(position, el.offsetTop + 14);
    setGeometry({ height: list.scrollHeight, y });
  }, []);

  useLayoutEffect(() => {
    measure();
    const list = listRef.current;
    if (!list || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => measure());
    ro.observe(list);
    return () => ro.disconnect();
  }, [measure, events]);

  const label = (position: number) => {
    const i = indexOf.get(position);
    return i === undefined ? `#${position}` : t('replay.links.eventRef', { position, name: eventName(events[i].type, d) });
  };

  return (
    <div style={{ position: 'relative' }}>
      <svg width={GUTTER} height={geometry.height} style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible' }} aria-hidden="true" focusable="false" data-testid="timeline-links">
        <defs>
          <marker id="hd-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" fill="var(--mantine-color-blue-8)" />
          </marker>
        </defs>
        {correlations.map((g) => {
          const ys = g.positions.map((p) => geometry.y.get(p)).filter((v): v is number => v !== undefined);
          if (ys.length < 2) return null;
          const top = Math.min(...ys);
          const bottom = Math.max(...ys);
          return (
            <g key={g.correlationId} data-correlation={g.correlationId}>
              <line x1={LANE_X} x2={LANE_X} y1={top} y2={bottom} stroke="var(--mantine-color-gray-7)" strokeWidth={2} />
              {ys.map((y) => (
                <line key={y} x1={LANE_X} x2={DOT_X - 5} y1={y} y2={y} stroke="var(--mantine-color-gray-7)" strokeWidth={2} />
              ))}
            </g>
          );
        })}
        {events.map((e) => {
          if (e.causedByPosition === null) return null;
          const from = geometry.y.get(e.causedByPosition);
          const to = geometry.y.get(e.position);
          if (from === undefined || to === undefined) return null;
          const bulge = Math.min(DOT_X - 2, 8 + Math.abs(to - from) / 12);
          return (
            <path
              key={`c-${e.position}`}
              d={`M${DOT_X - 4},${from} C${DOT_X - bulge},${from} ${DOT_X - bulge},${to} ${DOT_X - 6},${to}`}
              fill="none"
              stroke="var(--mantine-color-blue-8)"
              strokeWidth={1.5}
              strokeDasharray="4 3"
              markerEnd="url(#hd-arrow)"
              data-causation={`${e.causedByPosition}->${e.position}`}
            />
          );
        })}
        {events.map((e, i) => {
          const y = geometry.y.get(e.position);
          if (y === undefined) return null;
          const current = i === step;
          return <circle key={`d-${e.position}`} cx={DOT_X} cy={y} r={current ? 6 : 4} fill={i <= step ? 'var(--mantine-color-blue-8)' : 'var(--mantine-color-gray-5)'} stroke="white" strokeWidth={1.5} />;
        })}
      </svg>
      <Stack component="ol" gap={0} ref={listRef} style={{ listStyle: 'none', margin: 0, padding: 0, paddingLeft: GUTTER + 4 }} aria-label={t('replay.timeline.label')} data-testid="replay-timeline">
        {events.map((e, i) => {
          const current = i === step;
          const future = i > step;
          const group = groupOf.get(e.position)?.filter((p) => p !== e.position) ?? [];
          const effects = causedBy.get(e.position) ?? [];
          const broken = breakPosition === e.position;
          const summary = eventSummary(e, d);
          return (
            <li
              key={e.position}
              ref={(el) => {
                if (el) rows.current.set(e.position, el);
                else rows.current.delete(e.position);
              }}
              data-position={e.position}
              data-type={e.type}
              data-stream={e.streamId}
              data-version={e.version}
              data-current={current ? 'true' : undefined}
              aria-current={current ? 'step' : undefined}
              style={{
                padding: '6px 8px',
                borderRadius: 4,
                borderLeft: `3px solid ${current ? 'var(--mantine-color-blue-8)' : 'transparent'}`,
                background: current ? 'var(--mantine-color-blue-light)' : future ? 'var(--mantine-color-gray-0)' : undefined,
              }}
            >
              <Group gap={6} wrap="wrap" align="baseline">
                <UnstyledButton onClick={() => onStep(i)} data-testid="replay-go" aria-label={t('replay.timeline.goTo', { n: i + 1, name: eventName(e.type, d) })}>
                  <Text span fw={700} size="sm" td={current ? undefined : 'underline'}>
                    {eventName(e.type, d)}
                  </Text>
                </UnstyledButton>
                <Text span size="xs" c="dimmed">
                  #{e.position} · {d.instant(e.occurredAt)}
                </Text>
                {!e.streamId.startsWith('ticket-') && (
                  <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} size="sm" variant="outline" color="grape" c={darkText('grape')} tt="none">
                    {streamLabel(e.streamId, d)}
                  </Badge>
                )}
                {broken && (
                  <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} size="sm" color="red.9" variant="filled" tt="none" leftSection={<IconShieldX size={12} aria-hidden="true" />} data-testid="timeline-break">
                    {t('replay.timeline.broken')}
                  </Badge>
                )}
                {future && (
                  <Text span size="xs" c="dimmed" fs="italic">
                    {t('replay.timeline.future')}
                  </Text>
                )}
              </Group>
              <Text size="sm">
                {t('replay.timeline.who', { name: d.name(e.actor), roles: e.actorRoles.length ? roleWords(e.actorRoles, d.tx) : t('replay.timeline.noRole') })}
              </Text>
              {summary && (
                <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {summary}
                </Text>
              )}
              {(e.causedByPosition !== null || effects.length > 0 || group.length > 0) && (
                <Group gap={6} wrap="wrap" mt={2}>
                  {e.causedByPosition !== null && (
                    <LinkButton icon="cause" text={t('replay.links.causedBy', { event: label(e.causedByPosition) })} onClick={() => indexOf.has(e.causedByPosition!) && onStep(indexOf.get(e.causedByPosition!)!)} disabled={!indexOf.has(e.causedByPosition)} />
                  )}
                  {effects.map((p) => (
                    <LinkButton key={`e${p}`} icon="cause" text={t('replay.links.caused', { event: label(p) })} onClick={() => onStep(indexOf.get(p)!)} />
                  ))}
                  {group.length > 0 && (
                    <LinkButton icon="same" text={t('replay.links.sameRequest', { events: group.map((p) => `#${p}`).join(', ') })} onClick={() => onStep(indexOf.get(group[0])!)} />
                  )}
                </Group>
              )}
            </li>
          );
        })}
      </Stack>
      <Group gap="md" mt="xs" pl={4} wrap="wrap" aria-hidden="true">
        <Group gap={4}>
          <svg width="26" height="10">
            <line x1="0" x2="26" y1="5" y2="5" stroke="var(--mantine-color-gray-7)" strokeWidth="2" />
          </svg>
          <Text size="xs" c="dimmed">
            {t('replay.links.legendCorrelation')}
          </Text>
        </Group>
        <Group gap={4}>
          <svg width="26" height="10">
            <line x1="0" x2="22" y1="5" y2="5" stroke="var(--mantine-color-blue-8)" strokeWidth="1.5" strokeDasharray="4 3" />
            <path d="M20,1 L26,5 L20,9 z" fill="var(--mantine-color-blue-8)" />
          </svg>
          <Text size="xs" c="dimmed">
            {t('replay.links.legendCausation')}
          </Text>
        </Group>
      </Group>
    </div>
  );
}

function LinkButton({ text, onClick, icon, disabled = false }: { text: string; onClick: () => void; icon: 'cause' | 'same'; disabled?: boolean }) {
  const Icon = icon === 'cause' ? IconArrowBackUp : IconLink;
  return (
    <UnstyledButton onClick={onClick} disabled={disabled} data-link={icon} style={{ fontSize: 'var(--mantine-font-size-xs)', color: disabled ? undefined : darkText('blue'), textDecoration: 'underline' }}>
      <Group gap={2} wrap="nowrap">
        <Icon size={12} aria-hidden="true" />
        <span>{text}</span>
      </Group>
    </UnstyledButton>
  );
}
