/**
 * Live updates: the server's event stream (GET /api/events/stream, CONTRACTS.md) read with
 * fetch, so the same code sends the bearer token (token mode) or the session cookie, and resumes
 * with Last-Event-ID after a drop. Each `change` names the ticket, policy, customer or user
 * whose views changed; the matching queries refetch (the stream carries ids, never content),
 * except rows a feature patches itself (the queue: patchTicketRowsLive).
 * The app root carries data-live="open" while the stream is open (the browser tests wait for it).
 * Without the endpoint (404) the open screens are refreshed every 15 s instead.
 */
import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { authHeaders } from '../api/client';

export type LiveStatus = 'off' | 'connecting' | 'open' | 'reconnecting' | 'unavailable';

export interface Change {
  position: number;
  type: string;
  streamId: string;
  ticketId: string | null;
  customerId: string | null;
  policyId: string | null;
  userId: string | null;
}

/**
 * `event: notification` (docs/notes/notify.md): a notification for the signed-in person. It
 * refetches ['notifications'] and is re-dispatched on `window` under this name, so the bell can
 * announce it; it has no id (it does not move the resume position).
 */
export const NOTIFICATION_FRAME = 'helpdesk:notification';
export interface NotificationFrame {
  notificationId: string;
  kind: string;
  title: string;
  link: string | null;
  ticketId: string | null;
  policyId: string | null;
  createdAt: string;
}

const LiveContext = createContext<{ status: LiveStatus; position: number | null }>({ status: 'off', position: null });
export const useLive = () => useContext(LiveContext);

const POLL_MS = 15_000;

/**
 * One run at a time per key: what arrives while a run is going is gathered into exactly one
 * more run after it (nothing is lost, bursts do not pile up requests).
 */
class OneAtATime<T> {
  private pending = new Map<string, T[]>();
  private running = new Set<string>();

  submit(key: string, items: T[], run: (items: T[]) => Promise<unknown>): void {
    const waiting = this.pending.get(key);
    if (waiting) waiting.push(...items);
    else this.pending.set(key, [...items]);
    if (!this.running.has(key)) void this.drain(key, run);
  }

  private async drain(key: string, run: (items: T[]) => Promise<unknown>): Promise<void> {
    this.running.add(key);
    try {
      for (let items = this.pending.get(key); items; items = this.pending.get(key)) {
        this.pending.delete(key);
        await run(items);
      }
    } finally {
      this.running.delete(key);
    }
  }
}

/** refetches the active queries under a key, one refetch at a time */
class Refetcher {
  private readonly runs = new OneAtATime<never>();
  constructor(private readonly client: QueryClient) {}

  refetch(key: QueryKey): void {
    void this.client.invalidateQueries({ queryKey: key, refetchType: 'none' });
    this.runs.submit(JSON.stringify(key), [], () => this.client.refetchQueries({ queryKey: key, type: 'active' }, { cancelRefetch: false }).catch(() => undefined));
  }
}

/**
 * A screen that holds many rows of tickets (the queue, 10,000 of them once scrolled through)
 * keeps them current itself: given the tickets that changed, it asks for just those and puts
 * them in place, instead of every page it holds being fetched again for each change. Registered
 * by the feature under its queries' first key part.
 */
export type TicketRowsPatcher = (client: QueryClient, ticketIds: string[]) => Promise<void>;
const rowPatchers = new Map<string, TicketRowsPatcher>();
export function patchTicketRowsLive(keyPrefix: string, patcher: TicketRowsPatcher): void {
  rowPatchers.set(keyPrefix, patcher);
}

/** patches the rows under a key prefix, one patch at a time (the tickets changing meanwhile go together into the next one); a failed patch refetches */
class RowPatchRunner {
  private readonly runs = new OneAtATime<string>();
  constructor(
    private readonly client: QueryClient,
    private readonly refetcher: Refetcher,
  ) {}

  changed(prefix: string, ticketId: string): void {
    this.runs.submit(prefix, [ticketId], (ids) => rowPatchers.get(prefix)!(this.client, [...new Set(ids)]).catch(() => this.refetcher.refetch([prefix])));
  }
}

export function keysFor(change: Change): QueryKey[] {
  const keys: QueryKey[] = [];
  if (change.ticketId) {
    keys.push(['queue'], ['tickets'], ['ticket', change.ticketId], ['conversation', change.ticketId], ['sla-timeline', change.ticketId], ['history', change.ticketId]);
  }
  if (change.policyId) keys.push(['policy', change.policyId], ['policies']);
  if (change.customerId && change.streamId.startsWith('customer-')) keys.push(['customers'], ['customer', change.customerId]);
  if (change.userId) keys.push(['users']);
  // part 2: the dashboard, finance and audit figures follow tickets and policies (the reconciliation only runs when asked)
  if (change.ticketId || change.policyId) keys.push(['dashboard'], ['finance'], ['audit']);
  return keys;
}

function parseBlock(block: string): { id?: string; event: string; data: string } | null {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  return data.length || event !== 'message' ? { id, event, data: data.join('\n') } : null;
}

export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('off');
  const [position, setPosition] = useState<number | null>(null);
  const refetcher = useRef<Refetcher | null>(null);
  if (!refetcher.current) refetcher.current = new Refetcher(client);
  const patcher = useRef<RowPatchRunner | null>(null);
  if (!patcher.current) patcher.current = new RowPatchRunner(client, refetcher.current);

  useEffect(() => {
    if (!enabled) {
      setStatus('off');
      return;
    }
    const abort = new AbortController();
    let lastEventId: string | null = null;
    let connectedOnce = false;
    let poll: ReturnType<typeof setInterval> | null = null;
    const refresh = () => {
      for (const key of [['queue'], ['tickets'], ['ticket'], ['conversation'], ['sla-timeline'], ['policies'], ['policy'], ['notifications']] as QueryKey[]) refetcher.current!.refetch(key);
    };

    const run = async () => {
      let attempt = 0;
      while (!abort.signal.aborted) {
        setStatus(attempt === 0 ? 'connecting' : 'reconnecting');
        try {
          const headers: Record<string, string> = { Accept: 'text/event-stream', ...authHeaders() };
          if (lastEventId) headers['Last-Event-ID'] = lastEventId;
          const res = await fetch('/api/events/stream', { headers, credentials: 'same-origin', cache: 'no-store', signal: abort.signal });
          if (res.status === 404) {
            setStatus('unavailable');
            poll = setInterval(refresh, POLL_MS);
            return;
          }
          if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let cut: RegExpExecArray | null;
            const boundary = /\r?\n\r?\n/g;
            let start = 0;
            while ((cut = boundary.exec(buffer)) !== null) {
              const message = parseBlock(buffer.slice(start, cut.index));
              start = cut.index + cut[0].length;
              if (!message) continue;
              if (message.event === 'ready') {
                attempt = 0;
                setStatus('open');
                try {
                  const ready = JSON.parse(message.data) as { position?: number };
                  if (typeof ready.position === 'number') setPosition(ready.position);
                } catch {
                  // a ready without a body still means open
                }
                // a first connection needs nothing; after a drop without an id, changes may be missed
                if (connectedOnce && !lastEventId) refresh();
                connectedOnce = true;
              } else if (message.event === 'reset') {
                // too far behind to replay: start again from now and read everything afresh
                try {
                  const reset = JSON.parse(message.data) as { position?: number };
                  if (typeof reset.position === 'number') {
                    lastEventId = String(reset.position);
                    setPosition(reset.position);
                  }
                } catch {
                  lastEventId = null;
                }
                refresh();
              } else if (message.event === 'notification') {
                refetcher.current!.refetch(['notifications']);
                try {
                  window.dispatchEvent(new CustomEvent<NotificationFrame>(NOTIFICATION_FRAME, { detail: JSON.parse(message.data) as NotificationFrame }));
                } catch {
                  // the list refetches all the same
                }
              } else if (message.event === 'change') {
                if (message.id) lastEventId = message.id;
                try {
                  const change = JSON.parse(message.data) as Change;
                  setPosition(change.position);
                  for (const key of keysFor(change)) {
                    if (change.ticketId && key.length === 1 && rowPatchers.has(String(key[0]))) patcher.current!.changed(String(key[0]), change.ticketId);
                    else refetcher.current!.refetch(key);
                  }
                } catch {
                  // not ours to interpret
                }
              }
            }
            buffer = buffer.slice(start);
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        attempt += 1;
        await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5))));
      }
    };
    void run();
    return () => {
      abort.abort();
      if (poll) clearInterval(poll);
    };
  }, [enabled, client]);

  return <LiveContext.Provider value={{ status, position }}>{children}</LiveContext.Provider>;
}
