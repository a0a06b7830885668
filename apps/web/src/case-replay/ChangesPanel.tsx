/**
 * What changed from the step before: the event's changes to the folded state, each as a field
 * (its path in words) with the value before and after. Events of other streams (a policy
 * deduction) change nothing in the ticket's state: their recorded facts are listed instead.
 */
import { Badge, Stack, Table, Text } from '@mantine/core';
import { DateTime } from 'luxon';
import { useI18n } from '../shared/i18n/i18n';
import { useFormat } from '../shared/session/format';
import { darkText } from '../shared/ui/colors';
import { pointerTokens, type PatchOp } from './json-patch';
import type { CaseEvent } from './replay-api';
import { ScrollTable } from '../shared/ui/ScrollTable';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** fields that hold a person's id (reporterId, engineerId, loggedBy, authorizedBy, …) */
const PERSON_FIELD = /^(reporterId|assigneeId|engineerId|actorId|authorId|userId)$|By$/;

/** ids made readable: people and customers by name, policies by certificate number */
export interface ReplayNames {
  person: (id: string) => string;
  customer: (id: string) => string;
  policy: (id: string) => string;
}

/** a recorded value in words; `field` (the last part of its path) says what kind of value it is */
function useValueText(names: ReplayNames) {
  const { t, tx } = useI18n();
  const f = useFormat();
  return (v: unknown, field?: string): string => {
    if (v === undefined) return '—';
    if (v === null) return '—';
    if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
    if (typeof v === 'string') {
      if (field && PERSON_FIELD.test(field)) return names.person(v);
      if (field === 'customerId') return names.customer(v);
      if (field === 'policyId') return names.policy(v);
      if ((field === 'ticketId' || field === 'duplicateOf') && UUID.test(v)) return t('ticket.ref', { id: v.slice(0, 8) });
      if (field === 'status' || field === 'decision') return tx(`status.${v}`, tx(`quote.status.${v}`, v));
      if (field === 'kind') return tx(`workLog.kind.${v}`, tx(`quote.kind.${v}`, v));
      if (field === 'channel') return tx(`channel.${v}`, v);
      if (field === 'closeReason') return tx(`closeReason.${v}`, v);
      if (field === 'priority' || field === 'classification') return tx(`priority.${v}`, v);
      if (ISO_INSTANT.test(v) && DateTime.fromISO(v).isValid) return f.instant(v);
      if (ISO_DATE.test(v)) return f.date(v);
      // any other id: its first characters, enough to tell two apart
      if (UUID.test(v)) return v.slice(0, 8);
      return v;
    }
    if (typeof v === 'number') return String(v);
    const json = JSON.stringify(v);
    return json.length > 200 ? `${json.slice(0, 200)}…` : json;
  };
}

/** the last field name of a JSON pointer ("/billing/workLogs/<id>/kind" -> "kind") */
const lastField = (path: string): string | undefined => pointerTokens(path).filter((x) => !/^\d+$/.test(x)).pop();

export function pathWords(path: string, tx: (key: string, fallback: string) => string): string {
  return pointerTokens(path)
    .map((token) => (/^\d+$/.test(token) ? `#${Number(token) + 1}` : UUID.test(token) ? token.slice(0, 8) : tx(`replay.field.${token}`, token)))
    .join(' › ');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const escapeToken = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** one row per leaf: an added or removed object is listed field by field (at most `limit` rows) */
export function leafChanges(changes: PatchOp[], limit = 60): PatchOp[] {
  const out: PatchOp[] = [];
  const walk = (op: string, path: string, value: unknown, old: unknown, depth: number) => {
    if (out.length >= limit) return;
    const objects = op === 'add' ? isPlainObject(value) : op === 'remove' ? isPlainObject(old) : isPlainObject(value) || isPlainObject(old);
    if (depth < 4 && objects) {
      const after = isPlainObject(value) ? value : {};
      const before = isPlainObject(old) ? old : {};
      for (const k of new Set([...Object.keys(op === 'remove' ? {} : after), ...Object.keys(op === 'add' ? {} : before)])) {
        const v = op === 'remove' ? undefined : after[k];
        const o = op === 'add' ? undefined : before[k];
        if (JSON.stringify(v) === JSON.stringify(o)) continue;
        walk(o === undefined ? 'add' : v === undefined ? 'remove' : 'replace', `${path}/${escapeToken(k)}`, v, o, depth + 1);
      }
      return;
    }
    out.push({ op, path, value, old });
  };
  for (const c of changes) walk(c.op, c.path, c.value, c.old, 0);
  return out;
}

const OP_LOOK: Record<string, { color: string; key: 'replay.changes.add' | 'replay.changes.replace' | 'replay.changes.remove' }> = {
  add: { color: 'green', key: 'replay.changes.add' },
  replace: { color: 'blue', key: 'replay.changes.replace' },
  remove: { color: 'red', key: 'replay.changes.remove' },
};

export function ChangesPanel({ event, previousIsNone, names }: { event: CaseEvent; previousIsNone: boolean; names: ReplayNames }) {
  const { t, tx } = useI18n();
  const text = useValueText(names);
  const changes = leafChanges((event.changes ?? []) as PatchOp[]);
  if (!event.streamId.startsWith('ticket-')) {
    const entries = Object.entries(event.data as Record<string, unknown>);
    return (
      <Stack gap={4} data-testid="replay-changes" data-count={0}>
        <Text size="sm" c="dimmed">
          {t('replay.changes.otherStream')}
        </Text>
        <Table verticalSpacing={2} fz="sm">
          <Table.Tbody>
            {entries.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th scope="row" fw={500} c="dimmed">
                  {tx(`replay.field.${k}`, k)}
                </Table.Th>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{text(v, k)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    );
  }
  if (changes.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="replay-changes" data-count={0}>
        {t('replay.changes.none')}
      </Text>
    );
  }
  return (
    <Stack gap={4} data-testid="replay-changes" data-count={changes.length}>
      {previousIsNone && (
        <Text size="sm" c="dimmed">
          {t('replay.changes.first')}
        </Text>
      )}
      <ScrollTable minWidth={300} label={t('replay.changes.title')}>
        <Table verticalSpacing={2} fz="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('replay.changes.field')}</Table.Th>
              <Table.Th>{t('replay.changes.before')}</Table.Th>
              <Table.Th>{t('replay.changes.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((c, i) => {
              const look = OP_LOOK[c.op] ?? OP_LOOK.replace;
              return (
                <Table.Tr key={i} data-op={c.op} data-path={c.path}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Badge style={{ flexShrink: 0, maxWidth: 'none', minWidth: 'max-content' }} size="xs" variant="light" color={look.color} c={darkText(look.color)} tt="none" mr={4}>
                      {t(look.key)}
                    </Badge>
                    {pathWords(c.path, tx)}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{c.op === 'add' ? '—' : text(c.old, lastField(c.path))}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{c.op === 'remove' ? '—' : text(c.value, lastField(c.path))}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}
