/**
 * Live updates (GET /api/events/stream): every API instance follows the event log itself
 * (a subscription to $all from the head when it starts) and pushes each change to the
 * connected clients only once the read models include its position, so a client that
 * refetches on a change reads it. Works the same with the in-process projector (embedded
 * default) and with PROJECTOR=external / EVENT_STORE=eventstoredb: the read position comes
 * from ReadPosition (the projector's notifications, or its checkpoints polled).
 *
 * Changes carry ids only (clients refetch). Customers receive only changes of their own
 * customer's ticket, policy and customer streams; an internal note reaches them as a bare
 * `TicketChanged` of their ticket. Resuming after a position (Last-Event-ID) replays from the
 * log. A client that does not read fast enough is dropped once it has more than a bounded
 * amount of frames waiting (it reconnects with Last-Event-ID and is replayed from the log),
 * so a slow client never grows memory without bound.
 */
import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'http';
import type { Actor } from '@helpdesk/domain';
import { EventStore, StoredEvent, Subscription } from '@helpdesk/event-store';
import { ReadStore } from '@helpdesk/read-store';
import { ReadPosition } from '../infrastructure/read-position';

export interface Change {
  position: number;
  type: string;
  streamId: string;
  ticketId: string | null;
  customerId: string | null;
  policyId: string | null;
  userId: string | null;
}

/** a change and what decides who sees it */
interface ScopedChange {
  change: Change;
  /** customers may see it (a ticket, policy or customer stream of their customer) */
  customerVisible: boolean;
  /** an internal note: customers see only that their ticket changed */
  internal: boolean;
}

export interface LiveUpdatesOptions {
  heartbeatMs: number;
  /** frames a client may have waiting before it is dropped */
  maxPendingFrames?: number;
  /** bytes a client may have waiting before it is dropped */
  maxPendingBytes?: number;
  /** at most this many events are read from the log to resume one client */
  maxReplayEvents?: number;
  /** how many ticket/policy -> customer entries are cached */
  cacheSize?: number;
  log?: (message: string) => void;
}

/** how long the credential a stream was opened with holds */
export interface StreamCredential {
  /** checked at every heartbeat: true ends the stream (the token expired, the session reached its absolute end) */
  ended?: () => boolean;
  /**
   * asked at every heartbeat, and at once when the log records that the person signed out or
   * had their sessions revoked (deactivation, roles, approver right, password, MFA): false ends
   * the stream
   */
  stillValid?: () => Promise<boolean>;
  /** what the answer of stillValid depends on (the session id): asked once per round for every stream of it */
  key?: string;
}

/** access-log events after which the streams of the person they name are checked at once */
const REVOCATIONS = new Set(['SignedOut', 'SessionsRevoked']);

interface Client {
  actor: Actor;
  credential: StreamCredential;
  customerId: string | null;
  staff: boolean;
  res: ServerResponse;
  /** changes at or below this position were seen already (Last-Event-ID beyond the head) */
  after: bigint;
  /** frames waiting: while the socket is full, or while the client is being replayed */
  pending: string[];
  pendingBytes: number;
  blocked: boolean;
  replaying: boolean;
  closed: boolean;
}

export class ReadModelBehindError extends Error {
  constructor(readonly position: bigint) {
    super(`the read models have not reached position ${position} yet`);
    this.name = 'ReadModelBehindError';
  }
}

const TICKET = 'ticket-';
const POLICY = 'policy-';
const CUSTOMER = 'customer-';
const USER = 'user-';

export class LiveUpdates {
  private readonly logger = new Logger('live');
  private readonly clients = new Set<Client>();
  private readonly customerOfTicket = new Map<string, string>();
  private readonly customerOfPolicy = new Map<string, string>();
  private subscription: Subscription | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = true;
  private failures = 0;
  /** the last position dispatched: the views include it */
  private dispatched = 0n;
  private initial: Promise<void> | null = null;
  private readonly maxPendingFrames: number;
  private readonly maxPendingBytes: number;
  private readonly maxReplayEvents: number;
  private readonly cacheSize: number;
  /** counters for tests and benchmarks */
  readonly stats = { dispatched: 0, dropped: 0, replayed: 0, connected: 0 };

  constructor(
    private readonly events: EventStore,
    private readonly views: ReadStore,
    private readonly readPosition: ReadPosition,
    private readonly options: LiveUpdatesOptions,
  ) {
    this.maxPendingFrames = options.maxPendingFrames ?? 2_000;
    this.maxPendingBytes = options.maxPendingBytes ?? 1024 * 1024;
    this.maxReplayEvents = options.maxReplayEvents ?? 50_000;
    this.cacheSize = options.cacheSize ?? 100_000;
  }

  /** subscribes to $all from the head; changes are dispatched once the views include them */
  async start(): Promise<void> {
    this.stopped = false;
    const head = await this.events.headPosition();
    this.dispatched = head;
    this.initial = this.waitIncluded(head);
    this.initial.catch(() => undefined);
    this.subscribe();
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref?.();
  }

  /** resolves once the views include what the stream starts from; rejects after `timeoutMs` */
  async ready(timeoutMs: number): Promise<void> {
    if (!this.initial) throw new Error('live updates are not running');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ReadModelBehindError(this.dispatched)), timeoutMs);
    });
    try {
      await Promise.race([this.initial, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** the position the views include and every client's stream starts from */
  get position(): bigint {
    return this.dispatched;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private subscribe(): void {
    if (this.stopped) return;
    const sub = this.events.subscribeToAll((page) => this.handlePage(page), { after: this.dispatched, batchSize: 500 });
    this.subscription = sub;
    sub.done.then(
      () => undefined,
      (err) => {
        if (this.subscription !== sub || this.stopped) return;
        this.subscription = null;
        this.failures++;
        const delay = Math.min(10_000, 100 * 2 ** Math.min(this.failures - 1, 7));
        (this.options.log ?? ((m: string) => this.logger.warn(m)))(`live updates: ${(err as Error)?.message ?? err}; resubscribing in ${delay} ms`);
        setTimeout(() => this.subscribe(), delay).unref?.();
      },
    );
  }

  /** waits (in slices, so that stopping ends it) until the views include `position` */
  private async waitIncluded(position: bigint): Promise<void> {
    while (!this.stopped) {
      if (await this.readPosition.waitFor(position, 1_000)) return;
    }
    throw new Error('live updates stopped');
  }

  private async handlePage(page: StoredEvent[]): Promise<void> {
    if (this.stopped || page.length === 0) return;
    const fresh = page.filter((e) => e.position > this.dispatched);
    if (fresh.length === 0) return;
    await this.waitIncluded(fresh[fresh.length - 1].position);
    // the changes of the page first (lookups may wait), then advance and send in one go, so a
    // client registering meanwhile starts exactly between two dispatched positions
    const scoped = this.clients.size > 0 ? await Promise.all(fresh.map((e) => this.scopedChange(e))) : null;
    for (let i = 0; i < fresh.length; i++) {
      this.dispatched = fresh[i].position;
      if (scoped) this.dispatch(scoped[i]);
    }
    this.failures = 0;
    // a sign-out or a revocation (recorded by this instance or another): that person's streams are checked now
    if (this.clients.size > 0) {
      const people = new Set<string>();
      for (const e of fresh) {
        const userId = (e.data as { userId?: unknown }).userId;
        if (REVOCATIONS.has(e.type) && typeof userId === 'string') people.add(userId);
      }
      if (people.size > 0) void this.revalidate((c) => people.has(c.actor.id));
    }
  }

  /** ids of the change, with the customer it belongs to (cached; looked up in the views when not in the event) */
  private async scopedChange(e: StoredEvent): Promise<ScopedChange> {
    const data = e.data as Record<string, unknown>;
    const change: Change = { position: Number(e.position), type: e.type, streamId: e.streamId, ticketId: null, customerId: null, policyId: null, userId: null };
    let customerVisible = false;
    if (e.streamId.startsWith(TICKET)) {
      const ticketId = e.streamId.slice(TICKET.length);
      change.ticketId = ticketId;
      change.customerId = await this.customerOf(this.customerOfTicket, ticketId, typeof data.customerId === 'string' ? data.customerId : null, 'tickets', e.streamId);
      customerVisible = true;
    } else if (e.streamId.startsWith(POLICY)) {
      const policyId = e.streamId.slice(POLICY.length);
      change.policyId = policyId;
      change.customerId = await this.customerOf(this.customerOfPolicy, policyId, typeof data.customerId === 'string' ? data.customerId : null, 'policies', e.streamId);
      if (typeof data.ticketId === 'string') change.ticketId = data.ticketId;
      customerVisible = true;
    } else if (e.streamId.startsWith(CUSTOMER)) {
      change.customerId = e.streamId.slice(CUSTOMER.length);
      customerVisible = true;
    } else if (e.streamId.startsWith(USER)) {
      change.userId = e.streamId.slice(USER.length);
    }
    const internal = data.visibility === 'internal';
    return { change, customerVisible, internal };
  }

  private async customerOf(cache: Map<string, string>, id: string, inEvent: string | null, collection: 'tickets' | 'policies', streamId: string): Promise<string | null> {
    if (inEvent) {
      this.remember(cache, id, inEvent);
      return inEvent;
    }
    const known = cache.get(id);
    if (known) return known;
    let found: string | null = null;
    try {
      const doc = await this.views.get<{ _id: string; customerId?: unknown }>(collection, id);
      if (typeof doc?.customerId === 'string') found = doc.customerId;
      if (!found) {
        // not in the view (yet): the stream's first event names the customer
        const [first] = await this.events.readStream(streamId, { maxCount: 1 });
        const c = (first?.data as { customerId?: unknown } | undefined)?.customerId;
        if (typeof c === 'string') found = c;
      }
    } catch (err) {
      (this.options.log ?? ((m: string) => this.logger.warn(m)))(`live updates: no customer for ${streamId}: ${(err as Error).message}`);
    }
    if (found) this.remember(cache, id, found);
    return found;
  }

  private remember(cache: Map<string, string>, id: string, customerId: string): void {
    if (cache.has(id)) return;
    if (cache.size >= this.cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(id, customerId);
  }

  /** the frame this client receives for a change, or null when it may not see it */
  private frameFor(client: Client, s: ScopedChange): string | null {
    if (BigInt(s.change.position) <= client.after) return null;
    if (!client.staff) {
      if (!s.customerVisible || !client.customerId || s.change.customerId !== client.customerId) return null;
      if (s.internal) return frame({ ...s.change, type: 'TicketChanged' });
    }
    return frame(s.change);
  }

  private dispatch(s: ScopedChange): void {
    this.stats.dispatched++;
    for (const client of this.clients) {
      const f = this.frameFor(client, s);
      if (f) this.send(client, f);
    }
  }

  /** writes a frame, or keeps it while the socket is full or the client is being replayed; drops a client too far behind */
  private send(client: Client, text: string, optional = false): void {
    if (client.closed) return;
    if (client.blocked || client.replaying) {
      if (optional) return;
      client.pending.push(text);
      client.pendingBytes += text.length;
      if (client.pending.length > this.maxPendingFrames || client.pendingBytes > this.maxPendingBytes) this.drop(client, 'too slow');
      return;
    }
    if (!client.res.write(text)) {
      client.blocked = true;
      client.res.once('drain', () => {
        client.blocked = false;
        this.flush(client);
      });
    }
  }

  private flush(client: Client): void {
    while (!client.closed && !client.blocked && !client.replaying && client.pending.length > 0) {
      const text = client.pending.shift()!;
      client.pendingBytes -= text.length;
      this.send(client, text);
    }
  }

  private drop(client: Client, why: string): void {
    this.stats.dropped++;
    this.logger.warn(`live updates: dropping a client of ${client.actor.id} (${why}); it resumes with Last-Event-ID`);
    this.remove(client);
    client.res.destroy();
  }

  private remove(client: Client): void {
    client.closed = true;
    client.pending = [];
    client.pendingBytes = 0;
    this.clients.delete(client);
  }

  /** a heartbeat's check of every stream is still running (the next heartbeat skips its own) */
  private revalidating = false;

  private beat(): void {
    for (const client of [...this.clients]) {
      if (client.credential.ended?.()) this.endClient(client);
      else this.send(client, ': hb\n\n', true);
    }
    if (this.revalidating) return;
    this.revalidating = true;
    void this.revalidate(() => true).finally(() => {
      this.revalidating = false;
    });
  }

  /**
   * ends the streams (of those `which` selects) whose session was signed out, revoked or timed
   * out; each session is asked once however many streams it has open
   */
  private async revalidate(which: (client: Client) => boolean): Promise<void> {
    const answers = new Map<string, Promise<boolean>>();
    for (const client of [...this.clients]) {
      const check = client.credential.stillValid;
      if (!check || client.closed || !which(client)) continue;
      const key = client.credential.key;
      let answer = key ? answers.get(key) : undefined;
      if (!answer) {
        // the store could not answer: keep the stream, ask again next time
        answer = check().catch(() => true);
        if (key) answers.set(key, answer);
      }
      if (!(await answer)) this.endClient(client);
    }
  }

  private endClient(client: Client): void {
    if (client.closed) return;
    this.remove(client);
    client.res.end();
  }

  /**
   * Starts streaming to a response (headers written here): `ready` with the position the views
   * include, then, when resuming, the changes after `lastEventId` read from the log, then live
   * changes. Returns when the replay is done.
   */
  async connect(res: ServerResponse, actor: Actor, lastEventId: bigint | null, credential: StreamCredential = {}): Promise<void> {
    const staff = actor.roles.some((r) => r !== 'customer');
    const client: Client = {
      actor,
      credential,
      customerId: staff ? null : (actor.customerId ?? null),
      staff,
      res,
      after: lastEventId ?? 0n,
      pending: [],
      pendingBytes: 0,
      blocked: false,
      replaying: lastEventId !== null && lastEventId < this.dispatched,
      closed: false,
    };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    // registered and positioned in one synchronous step: nothing dispatched is missed or repeated
    const from = this.dispatched;
    this.clients.add(client);
    this.stats.connected++;
    res.on('close', () => this.remove(client));
    res.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ position: Number(from) })}\n\n`);
    if (!client.replaying) return;
    try {
      await this.replay(client, lastEventId!, from);
    } catch (err) {
      this.logger.warn(`live updates: replay for ${actor.id} failed: ${(err as Error).message}`);
      if (!client.closed) {
        this.remove(client);
        res.end();
      }
      return;
    }
    client.replaying = false;
    this.flush(client);
  }

  /** the client's changes in (after, upTo] from the log; `reset` when more than maxReplayEvents would be read */
  private async replay(client: Client, after: bigint, upTo: bigint): Promise<void> {
    let cursor = after;
    let read = 0;
    while (cursor < upTo && !client.closed) {
      const page = await this.events.readAll({ after: cursor, maxCount: 500 });
      if (page.length === 0) break;
      for (const e of page) {
        if (e.position > upTo) {
          cursor = upTo;
          break;
        }
        cursor = e.position;
        if (++read > this.maxReplayEvents) {
          // too far behind: the client refetches everything and goes on live
          client.res.write(`event: reset\ndata: ${JSON.stringify({ position: Number(upTo) })}\n\n`);
          return;
        }
        const f = this.frameFor(client, await this.scopedChange(e));
        if (f) {
          this.stats.replayed++;
          if (!client.res.write(f)) await drainOrClose(client.res);
        }
      }
    }
  }

  /**
   * Pushes an event of another kind (e.g. `notification`) to the open streams whose principal
   * matches, through the same bounded queues. No id: it is not a log position and is not
   * replayed on resume. Answers how many streams it was sent to.
   */
  sendTo(match: (actor: Actor) => boolean, event: string, data: unknown): number {
    if (!/^[a-z][a-z0-9-]*$/.test(event) || event === 'change' || event === 'ready' || event === 'reset') throw new TypeError(`not an event name for sendTo: ${event}`);
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    let sent = 0;
    for (const client of this.clients) {
      if (client.closed || !match(client.actor)) continue;
      this.send(client, text);
      sent++;
    }
    return sent;
  }

  /** ends every open stream (clients reconnect with Last-Event-ID, to this instance or another) */
  endStreams(): void {
    for (const client of [...this.clients]) this.endClient(client);
  }

  /** ends every stream and stops following the log */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.endStreams();
    const sub = this.subscription;
    this.subscription = null;
    await sub?.close();
  }
}

/** resolves when the response can take more, or has closed */
const drainOrClose = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });

const frame = (change: Change) => `id: ${change.position}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`;
