/**
 * The agents' queue: open work in response-deadline order with the graded SLA state of each
 * ticket (colour, icon and word), business time left and the due instant; filters kept in the
 * URL; virtual scrolling over pages loaded as the list scrolls (smooth at 10,000 tickets);
 * keyboard: ↓/j and ↑/k move, Home/End, PageUp/PageDown, Enter opens. Updates live.
 */
import { Alert, Box, Chip, Group, Loader, Select, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { IconInbox } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { QueueItem } from '../shared/api/views';
import { useCustomerNames, useStaffUsers, useUserNames } from '../shared/directory';
import { useI18n } from '../shared/i18n/i18n';
import { useMe } from '../shared/session/session';
import { departmentName, useSettings } from '../shared/session/settings';
import { gradeQueueItem } from '../shared/sla/grade';
import { SlaBadge, SlaTimeLeft } from '../shared/sla/SlaBadge';
import { useNow } from '../shared/time/now';
import { ProblemAlert } from '../shared/ui/ProblemAlert';
import { StatusBadge } from '../shared/ui/StatusBadge';
import { classificationLabel } from '../shared/ui/labels';
import { filtersFromParams, queueQuery, type QueueFilters } from './queue-query';

const ALL = '__all__';

function useFilters(meId: string): [QueueFilters, (patch: Record<string, string | null>) => void, URLSearchParams] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<QueueFilters>(() => filtersFromParams(params, meId)!, [params, meId]);
  const update = useCallback(
    (patch: Record<string, string | null>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === '' || v === ALL) next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [filters, update, params];
}

function Filters({ params, update }: { params: URLSearchParams; update: (patch: Record<string, string | null>) => void }) {
  const { t } = useI18n();
  const settings = useSettings();
  const me = useMe();
  const userName = useUserNames();
  const staff = useStaffUsers().data ?? [];
  const assigneeOptions = [
    { value: ALL, label: t('queue.filter.anyone') },
    { value: 'me', label: t('queue.filter.me') },
    ...staff.filter((u) => u.userId !== me.id && u.roles.some((r) => r === 'agent' || r === 'supervisor')).map((u) => ({ value: u.userId, label: u.name })),
  ];
  const current = params.get('assignee');
  if (current && current !== 'me' && !assigneeOptions.some((o) => o.value === current)) assigneeOptions.push({ value: current, label: userName(current) });
  const classificationOptions = [
    { value: ALL, label: t('queue.filter.anyClassification') },
    ...settings.classification.values.map((v) => ({ value: String(v), label: classificationLabel(v, t) })),
  ];
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('queue.filter.label')}>
      {settings.departments.length > 0 && (
        <Select
          label={t('queue.filter.department')}
          data={[{ value: ALL, label: t('queue.filter.anyDepartment') }, ...settings.departments.map((d) => ({ value: d.id, label: d.name }))]}
          value={params.get('department') ?? ALL}
          onChange={(v) => update({ department: v })}
          allowDeselect={false}
          w={{ base: '100%', xs: 240 }}
          size="sm"
        />
      )}
      <Select
        label={t('queue.filter.assignee')}
        data={assigneeOptions}
        value={current ?? ALL}
        onChange={(v) => update({ assignee: v })}
        allowDeselect={false}
        w={{ base: '48%', xs: 170 }}
        size="sm"
        data-testid="filter-assignee"
      />
      <Select
        label={t('queue.filter.classification')}
        data={classificationOptions}
        value={params.get('classification') ?? ALL}
        onChange={(v) => update({ classification: v })}
        allowDeselect={false}
        w={{ base: '48%', xs: 170 }}
        size="sm"
      />
      <Group gap="xs" pb={4}>
        <Chip checked={params.get('breached') === '1'} onChange={(on) => update({ breached: on ? '1' : null })} color="red" variant="outline" size="sm">
          {t('queue.filter.breached')}
        </Chip>
        <Chip checked={params.get('waiting') === '1'} onChange={(on) => update({ waiting: on ? '1' : null })} color="violet" variant="outline" size="sm">
          {t('queue.filter.waiting')}
        </Chip>
      </Group>
    </Group>
  );
}

/**
 * The columns the screen's width leaves room for (Mantine's sm, md and lg breakpoints). Each
 * row renders only its own layout's cells: hiding the others with CSS would still render every
 * badge and due instant three times over.
 */
type QueueWidth = 'phone' | 'sm' | 'md' | 'lg';
function useQueueWidth(): QueueWidth {
  const sm = useMediaQuery('(min-width: 48em)', undefined, { getInitialValueInEffect: false });
  const md = useMediaQuery('(min-width: 62em)', undefined, { getInitialValueInEffect: false });
  const lg = useMediaQuery('(min-width: 75em)', undefined, { getInitialValueInEffect: false });
  return lg ? 'lg' : md ? 'md' : sm ? 'sm' : 'phone';
}
/** rows PageUp and PageDown move by */
const PAGE_STEP = 10;

function QueueRow({
  item,
  index,
  active,
  now,
  customerName,
  assigneeName,
  measure,
  onOpen,
  onFocusRow,
  width,
}: {
  item: QueueItem;
  index: number;
  active: boolean;
  now: number;
  customerName: string;
  assigneeName: string;
  measure: (el: HTMLTableRowElement | null) => void;
  onOpen: (id: string) => void;
  onFocusRow: (id: string) => void;
  width: QueueWidth;
}) {
  const { t } = useI18n();
  const settings = useSettings();
  const sla = gradeQueueItem(item, now);
  return (
    <Table.Tr
      ref={measure}
      data-index={index}
      data-ticket-id={item.ticketId}
      data-active={active ? 'true' : undefined}
      tabIndex={active ? 0 : -1}
      onClick={() => onOpen(item.ticketId)}
      onFocus={() => onFocusRow(item.ticketId)}
      className="hd-queue-row"
    >
      {width !== 'phone' && (
        <Table.Td>
          <Stack gap={4} align="flex-start">
            <SlaBadge sla={sla} size="sm" reasonBelow />
            {width === 'sm' && <SlaTimeLeft sla={sla} compact />}
          </Stack>
        </Table.Td>
      )}
      {(width === 'md' || width === 'lg') && (
        <Table.Td>
          <SlaTimeLeft sla={sla} compact />
        </Table.Td>
      )}
      <Table.Td>
        <Text component={Link} to={`/tickets/${item.ticketId}`} fw={600} size="sm" lineClamp={2} c="inherit" td="none" tabIndex={-1} onClick={(e) => e.stopPropagation()}>
          {item.subject ?? item.ticketId}
        </Text>
        {width === 'phone' && (
          <Group gap={6} my={4} wrap="wrap">
            <SlaBadge sla={sla} size="sm" />
            <SlaTimeLeft sla={sla} compact />
          </Group>
        )}
        <Text size="xs" c="dimmed" lineClamp={2}>
          {customerName}
          {width !== 'lg' && (
            <>
              {' · '}
              {classificationLabel(item.classification, t)}
              {' · '}
              {item.assigneeId ? assigneeName : t('queue.unassigned')}
            </>
          )}
        </Text>
      </Table.Td>
      {width === 'lg' && (
        <>
          <Table.Td>
            <Text size="sm">{departmentName(settings, item.department)}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{classificationLabel(item.classification, t)}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm" c={item.assigneeId ? undefined : 'dimmed'}>
              {item.assigneeId ? assigneeName : t('queue.unassigned')}
            </Text>
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            <StatusBadge status={item.status} />
          </Table.Td>
        </>
      )}
    </Table.Tr>
  );
}

export default function QueueScreen() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const [filters, update, params] = useFilters(me.id);
  const query = useInfiniteQuery(queueQuery(filters));
  const now = useNow();
  const width = useQueueWidth();
  const columns = { phone: 1, sm: 2, md: 3, lg: 7 }[width];
  const customerName = useCustomerNames();
  const userName = useUserNames();
  // a row patched in while a page was on its way may come twice: once is enough
  const rows = useMemo(() => {
    const seen = new Set<string>();
    return (query.data?.pages ?? []).flatMap((p) => p.items).filter((i) => !seen.has(i.ticketId) && seen.add(i.ticketId));
  }, [query.data]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const activeIndex = Math.max(0, activeId ? rows.findIndex((r) => r.ticketId === activeId) : 0);
  const scrollRef = useRef<HTMLDivElement>(null);
  /** the row the keyboard moved to before it was rendered: focused as soon as it is */
  const pendingFocus = useRef<number | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length + (query.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 6,
    getItemKey: (i) => rows[i]?.ticketId ?? `more-${i}`,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems[virtualItems.length - 1]?.index ?? 0;

  useEffect(() => {
    if (query.hasNextPage && !query.isFetchingNextPage && lastVisible >= rows.length - 1) void query.fetchNextPage();
  }, [lastVisible, rows.length, query.hasNextPage, query.isFetchingNextPage, query.fetchNextPage]); // eslint-disable-line react-hooks/exhaustive-deps

  // a row far away renders only after the scroll reaches it (estimated heights are corrected as
  // rows are measured): the focus waits for it however many renders that takes
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`);
    if (!el) return;
    pendingFocus.current = null;
    el.focus();
  }, [virtualItems]);

  const open = useCallback((id: string) => navigate(`/tickets/${id}`), [navigate]);

  const move = (to: number) => {
    if (rows.length === 0) return;
    const index = Math.max(0, Math.min(rows.length - 1, to));
    setActiveId(rows[index].ticketId);
    const rendered = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`);
    if (rendered) {
      pendingFocus.current = null;
      rendered.focus(); // the browser scrolls it into view
    } else {
      pendingFocus.current = index;
      virtualizer.scrollToIndex(index, { align: 'auto' });
    }
  };

  const onKey = (e: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean; target: EventTarget | null; preventDefault(): void }) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        move(activeIndex + 1);
        break;
      case 'ArrowUp':
      case 'k':
        move(activeIndex - 1);
        break;
      case 'PageDown':
        move(activeIndex + PAGE_STEP);
        break;
      case 'PageUp':
        move(activeIndex - PAGE_STEP);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter':
        if (rows[activeIndex]) open(rows[activeIndex].ticketId);
        break;
      default:
        return;
    }
    e.preventDefault();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => onKey(e);

  // the focused row leaves the DOM when it scrolls out of the rendered window (the browser then
  // focuses the page's body): the keys go on working from where the agent was
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  const activeIdRef = useRef(activeId);
  activeIdRef.current = activeId;
  useEffect(() => {
    const fromBody = (e: globalThis.KeyboardEvent) => {
      if (e.target === document.body && activeIdRef.current !== null) onKeyRef.current(e);
    };
    document.addEventListener('keydown', fromBody);
    return () => document.removeEventListener('keydown', fromBody);
  }, []);
  const paddingTop = virtualItems.length ? virtualItems[0].start : 0;
  const paddingBottom = virtualItems.length ? virtualizer.getTotalSize() - virtualItems[virtualItems.length - 1].end : 0;
  const count = rows.length;

  return (
    <Stack gap="sm" h="calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--app-shell-padding, 16px))" data-testid="queue-screen">
      <Group justify="space-between" align="baseline" wrap="wrap" gap="xs">
        <Title order={1} size="h3">
          {t('queue.title')}
        </Title>
        <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="queue-count" data-count={count}>
          {query.isPending ? t('common.loading') : query.hasNextPage ? t('queue.countMore', { n: count }) : t('queue.count', { n: count })}
        </Text>
      </Group>
      <Filters params={params} update={update} />
      <Text size="xs" c="dimmed" visibleFrom="sm" id="queue-keys">
        {t('queue.keyboardHint')}
      </Text>
      {query.isError && <ProblemAlert error={query.error} />}
      {!query.isPending && count === 0 && !query.isError && (
        <Alert color="gray" variant="light" icon={<IconInbox aria-hidden="true" />} data-testid="queue-empty">
          {t('queue.empty')}
        </Alert>
      )}
      <Box
        ref={scrollRef}
        onKeyDown={onKeyDown}
        style={{ flex: 1, minHeight: 240, overflow: 'auto', position: 'relative', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}
        data-testid="queue-scroll"
      >
        <Table stickyHeader highlightOnHover verticalSpacing={6} aria-describedby="queue-keys" aria-rowcount={count} data-testid="queue-table">
          <caption>
            <VisuallyHidden>{t('queue.caption')}</VisuallyHidden>
          </caption>
          <Table.Thead>
            <Table.Tr>
              {width !== 'phone' && <Table.Th w={150}>{t('queue.col.sla')}</Table.Th>}
              {(width === 'md' || width === 'lg') && <Table.Th>{t('queue.col.timeLeft')}</Table.Th>}
              <Table.Th>{t('queue.col.subject')}</Table.Th>
              {width === 'lg' && (
                <>
                  <Table.Th>{t('queue.col.department')}</Table.Th>
                  <Table.Th>{t('queue.col.classification')}</Table.Th>
                  <Table.Th>{t('queue.col.assignee')}</Table.Th>
                  <Table.Th w="1%">{t('queue.col.status')}</Table.Th>
                </>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {paddingTop > 0 && (
              <tr aria-hidden="true" style={{ height: paddingTop }}>
                <td colSpan={columns} />
              </tr>
            )}
            {virtualItems.map((v) => {
              const item = rows[v.index];
              if (!item) {
                return (
                  <tr key={v.key} data-index={v.index} ref={virtualizer.measureElement}>
                    <td colSpan={columns}>
                      <Group justify="center" p="xs" data-loading="true">
                        <Loader size="sm" aria-hidden="true" />
                        <VisuallyHidden>{t('queue.loadingMore')}</VisuallyHidden>
                      </Group>
                    </td>
                  </tr>
                );
              }
              return (
                <QueueRow
                  key={v.key}
                  item={item}
                  index={v.index}
                  active={v.index === activeIndex}
                  now={now}
                  customerName={customerName(item.customerId)}
                  assigneeName={item.assigneeId === me.id ? t('queue.you') : userName(item.assigneeId)}
                  measure={virtualizer.measureElement}
                  onOpen={open}
                  onFocusRow={setActiveId}
                  width={width}
                />
              );
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true" style={{ height: paddingBottom }}>
                <td colSpan={columns} />
              </tr>
            )}
          </Table.Tbody>
        </Table>
      </Box>
    </Stack>
  );
}
