import { ApprovalRecord, BillingQuote, TicketEvent, TicketState, evolve, initialState, fold } from '@helpdesk/domain';
import { EventStore, GENESIS_HASH, StoredEvent, eventHash, verifyChain } from '@helpdesk/event-store';
import { ReadStore } from '@helpdesk/read-store';
import { StatePatch, stateDiff } from './state-diff';

export interface HistoryEntry {
  position: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
  actor: string;
  /** the actor's roles when the event was recorded (empty for events recorded before roles were kept) */
  actorRoles: string[];
  correlationId: string;
  causationId: string | null;
  /** the event named by causationId, when it belongs to this case: its global position */
  causedByPosition: number | null;
  hash: string | null;
  prevHash: string | null;
  /**
   * with `changes`: what this event changed in the case's folded state, as JSON Patch operations
   * from the state after the previous ticket event (the first from `baseState`); empty for
   * events of other streams (a policy deduction), which change the policy, not the case state
   */
  changes?: StatePatch[];
}

/** One line of an NDJSON case export: the stored event whole, so its hash can be recomputed offline. */
export interface ExportedEvent {
  streamId: string;
  version: string;
  position: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface CaseHistoryOptions {
  /** only events recorded up to this instant (inclusive) */
  asOf?: string;
  /** only ticket events up to this stream version (inclusive), and other streams' events recorded before the last of them */
  asOfVersion?: number;
  correlationId?: string;
  /** customers: public history only (internal messages left out) */
  publicOnly?: boolean;
  /** give each event the changes it made to the folded state (see HistoryEntry.changes) */
  changes?: boolean;
}

export interface CaseHistory {
  ticketId: string;
  events: HistoryEntry[];
  /** the same events as stored (for exports) */
  raw: StoredEvent[];
  /**
   * the case folded from the ticket's events in the window, with the command side's own evolve
   * (publicOnly: from the public ones, so internal messages leave no trace in it either)
   */
  state: TicketState | null;
  /**
   * chain check, as stored and whole (not only the window), of the ticket stream and of every
   * other stream an event of the case lives in (the policies its minutes were deducted from)
   */
  chain: CaseChain;
  /** groups of two or more returned events made by one request (or one scheduler pass), by correlation id */
  correlations: Array<{ correlationId: string; positions: number[] }>;
  /** with `changes`: the state the first event's changes apply to (the domain's initial state) */
  baseState: TicketState | null;
  /** every quote of the case as it stood at the end of the window, with the answer and the answering person's recorded rights */
  quotes: CaseQuote[];
}

/** A quote of the case and, once answered, who answered with which rights then (the `approval` the answer recorded). */
export interface CaseQuote extends Omit<BillingQuote, 'decision'> {
  decision:
    | (NonNullable<BillingQuote['decision']> & {
        /** global position of the ServiceAuthorized / QuoteDeclined */
        position: number;
        /** the answering person's rights at that instant; null for answers recorded before people were users */
        approval: ApprovalRecord | null;
      })
    | null;
}

export interface CaseChain {
  intact: boolean;
  firstBreak: { streamId: string; version: number; position: number; eventId: string; reason: string } | null;
  /** the streams checked, the ticket's first */
  streams: string[];
}

export function toHistoryEntry(e: StoredEvent, positionOf: (eventId: string) => number | null = () => null): HistoryEntry {
  const causationId = (e.metadata.causationId as string | null) ?? null;
  const roles = e.metadata.actorRoles;
  return {
    position: Number(e.position),
    streamId: e.streamId,
    version: Number(e.version),
    eventId: e.id,
    type: e.type,
    data: e.data,
    occurredAt: String(e.metadata.occurredAt),
    actor: String(e.metadata.actor),
    actorRoles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
    correlationId: String(e.metadata.correlationId),
    causationId,
    causedByPosition: causationId === null ? null : positionOf(causationId),
    hash: (e.metadata.hash as string | undefined) ?? null,
    prevHash: (e.metadata.prevHash as string | undefined) ?? null,
  };
}

const isInternal = (e: StoredEvent) =>
  (e.type === 'MessagePosted' && (e.data as { visibility?: string }).visibility === 'internal') ||
  (e.data as { visibility?: string }).visibility === 'internal';

/**
 * Every event of a case in global order: the ticket's stream plus the events of other
 * streams made for it (policy deductions, found through the case-links view), with the
 * state of the case at any past moment folded by the same evolve the commands use.
 * Returns null when the ticket does not exist.
 */
export async function caseHistory(
  events: EventStore,
  views: ReadStore,
  ticketId: string,
  options: CaseHistoryOptions = {},
): Promise<CaseHistory | null> {
  const ticketEvents = await events.readStream(`ticket-${ticketId}`);
  if (ticketEvents.length === 0) return null;
  const ticketStream = `ticket-${ticketId}`;
  // links found by the case-links view; the events themselves come from the event store
  const links = await views.find<{ _id: string; streamId: string; version: number; eventId?: string }>('case_events', {
    filter: { ticketId },
    limit: 100_000,
  });
  const otherStreams = [...new Set(links.map((l) => l.streamId))].filter((s) => s !== ticketStream).sort();
  let chainBreak = verifyChain(ticketEvents);
  const linked: StoredEvent[] = [];
  for (const streamId of otherStreams) {
    const stream = await events.readStream(streamId);
    chainBreak ??= verifyChain(stream);
    for (const l of links.filter((x) => x.streamId === streamId)) {
      const e = stream.find((x) => Number(x.version) === l.version);
      if (e && (l.eventId === undefined || e.id === l.eventId)) {
        linked.push(e);
      } else {
        // the linked event is not at its version: show it where it is, if anywhere, and say so
        const found = l.eventId === undefined ? undefined : stream.find((x) => x.id === l.eventId);
        chainBreak ??= {
          streamId,
          version: BigInt(l.version),
          position: found?.position ?? 0n,
          eventId: l.eventId ?? '',
          reason: `the event of this case recorded at ${streamId}@${l.version} is not there (removed or moved)`,
        };
        if (found) linked.push(found);
      }
    }
  }

  let window = ticketEvents;
  if (options.asOfVersion !== undefined) window = window.filter((e) => Number(e.version) <= options.asOfVersion!);
  if (options.asOf !== undefined) {
    const limit = Date.parse(options.asOf);
    window = window.filter((e) => Date.parse(String(e.metadata.occurredAt)) <= limit);
  }
  const visible = options.publicOnly ? window.filter((e) => !isInternal(e)) : window;
  let state: TicketState | null = null;
  const changes = new Map<string, StatePatch[]>();
  if (window.length) {
    if (options.changes) {
      let current = initialState();
      for (const e of visible) {
        const next = evolve(current, { type: e.type, data: e.data } as TicketEvent);
        changes.set(e.id, stateDiff(current, next));
        current = next;
      }
      state = current;
    } else {
      state = fold(evolve, initialState(), visible.map((e) => ({ type: e.type, data: e.data }) as TicketEvent));
    }
  }

  let all = [...window, ...linked].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  if (options.asOf !== undefined) {
    const limit = Date.parse(options.asOf);
    all = all.filter((e) => Date.parse(String(e.metadata.occurredAt)) <= limit);
  }
  if (options.asOfVersion !== undefined) {
    const lastPos = window.length ? window[window.length - 1].position : 0n;
    all = all.filter((e) => e.streamId === `ticket-${ticketId}` || e.position <= lastPos);
  }
  if (options.correlationId) all = all.filter((e) => e.metadata.correlationId === options.correlationId);
  if (options.publicOnly) all = all.filter((e) => !isInternal(e));

  // causation and correlation links between the events of the case
  const positions = new Map<string, number>();
  for (const e of [...ticketEvents, ...linked]) positions.set(e.id, Number(e.position));
  const entries = all.map((e) => {
    const entry = toHistoryEntry(e, (id) => positions.get(id) ?? null);
    if (options.changes) entry.changes = changes.get(e.id) ?? [];
    return entry;
  });
  const groups = new Map<string, number[]>();
  for (const e of entries) {
    const g = groups.get(e.correlationId);
    if (g) g.push(e.position);
    else groups.set(e.correlationId, [e.position]);
  }
  const correlations = [...groups].filter(([, p]) => p.length > 1).map(([correlationId, p]) => ({ correlationId, positions: p }));

  // each quote with its answer and the rights the answer recorded
  const answers = new Map<string, { position: number; approval: ApprovalRecord | null }>();
  for (const e of visible) {
    if (e.type !== 'ServiceAuthorized' && e.type !== 'QuoteDeclined') continue;
    const d = e.data as { quoteId: string; approval?: ApprovalRecord };
    answers.set(d.quoteId, { position: Number(e.position), approval: d.approval ?? null });
  }
  const quotes: CaseQuote[] = state
    ? state.billing.quoteOrder.map((id) => {
        const q = state!.billing.quotes[id];
        const answer = answers.get(id);
        return { ...q, decision: q.decision ? { ...q.decision, position: answer?.position ?? 0, approval: answer?.approval ?? null } : null };
      })
    : [];

  return {
    ticketId,
    events: entries,
    raw: all,
    quotes,
    correlations,
    baseState: options.changes ? initialState() : null,
    state,
    chain: {
      intact: chainBreak === null,
      firstBreak: chainBreak
        ? {
            streamId: chainBreak.streamId,
            version: Number(chainBreak.version),
            position: Number(chainBreak.position),
            eventId: chainBreak.eventId,
            reason: chainBreak.reason,
          }
        : null,
      streams: [ticketStream, ...otherStreams],
    },
  };
}

export function toExportedEvent(e: StoredEvent): ExportedEvent {
  return { streamId: e.streamId, version: e.version.toString(), position: e.position.toString(), id: e.id, type: e.type, data: e.data, metadata: e.metadata };
}

/**
 * Offline check of an export: every event's hash matches its content and its prevHash, and
 * within each stream consecutive versions chain (the ticket stream from its first event).
 * Returns the problems found; an empty list means the export is intact.
 */
export function verifyExport(lines: ExportedEvent[]): string[] {
  const problems: string[] = [];
  const last = new Map<string, { version: bigint; hash: string }>();
  for (const l of lines) {
    const version = BigInt(l.version);
    const prevHash = String(l.metadata.prevHash ?? '');
    const recomputed = eventHash(prevHash, l.streamId, version, l as unknown as Parameters<typeof eventHash>[3]);
    if (recomputed !== l.metadata.hash) problems.push(`${l.streamId}@${l.version}: hash does not match the content`);
    const before = last.get(l.streamId);
    if (before && before.version + 1n === version && before.hash !== prevHash) {
      problems.push(`${l.streamId}@${l.version}: prevHash does not match the previous event`);
    }
    if (!before && l.streamId.startsWith('ticket-') && (version !== 0n || prevHash !== GENESIS_HASH)) {
      problems.push(`${l.streamId}: the export does not start at the ticket's first event`);
    }
    if (before && l.streamId.startsWith('ticket-') && before.version + 1n !== version) {
      problems.push(`${l.streamId}@${l.version}: a ticket event is missing before it`);
    }
    last.set(l.streamId, { version, hash: String(l.metadata.hash) });
  }
  return problems;
}
