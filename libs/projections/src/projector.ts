import { EventStore, StoredEvent, Subscription } from '@helpdesk/event-store';
import { CheckpointMovedError, ReadStore } from '@helpdesk/read-store';
import { BatchApplier, CollectionNamer, Projection, liveNames } from './projection';

export interface ProjectorOptions {
  batchSize?: number;
  /** first and longest wait before resubscribing after a failure */
  backoffMs?: { initial: number; max: number };
  log?: (message: string) => void;
  names?: CollectionNamer;
}

interface Runner {
  projection: Projection;
  applier: BatchApplier;
  checkpoint: bigint;
  lastError: string | null;
}

/**
 * Runs every projection from its own stored checkpoint over ONE subscription to $all (catch
 * up, then live) starting at the lowest checkpoint: each page is read and parsed once, and
 * each projection applies the events past its own checkpoint and writes them with its
 * checkpoint. A failure (store down, subscription dropped, checkpoint moved by a rebuild)
 * resubscribes from the stored checkpoints with exponential backoff. The EventStoreDB client
 * reconnects its channel but not a subscription, so this loop is what keeps projections going.
 */
export class Projector {
  private readonly runners: Runner[];
  private stopped = true;
  private subscription: Subscription | null = null;
  private failures = 0;
  private readonly waiters = new Set<() => void>();
  private readonly batchSize: number;
  private readonly backoff: { initial: number; max: number };
  private readonly log: (m: string) => void;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadStore,
    projections: Projection[],
    options: ProjectorOptions = {},
  ) {
    const names = options.names ?? liveNames;
    this.batchSize = options.batchSize ?? 1000;
    this.backoff = options.backoffMs ?? { initial: 100, max: 10_000 };
    this.log = options.log ?? (() => undefined);
    this.runners = projections.map((projection) => ({
      projection,
      applier: new BatchApplier(store, projection, names),
      checkpoint: 0n,
      lastError: null,
    }));
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.store.ensureCollections(this.runners.flatMap((r) => r.projection.collections));
    await this.subscribe();
  }

  private async subscribe(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const r of this.runners) {
        r.checkpoint = await this.store.getCheckpoint(r.applier.checkpointName);
        r.applier.discard();
      }
    } catch (err) {
      return this.retryLater(err);
    }
    const from = this.position();
    const sub = this.events.subscribeToAll((page) => this.handlePage(page), { after: from, batchSize: this.batchSize });
    this.subscription = sub;
    sub.done.then(
      () => undefined,
      (err) => {
        if (this.subscription === sub) void this.retryLater(err);
      },
    );
  }

  private async retryLater(err: unknown): Promise<void> {
    this.subscription = null;
    const moved = err instanceof CheckpointMovedError;
    if (!moved) this.failures++;
    const message = (err as Error)?.message ?? String(err);
    if (!moved) for (const r of this.runners) r.lastError ??= message;
    if (this.stopped) return;
    const delay = moved ? 0 : Math.min(this.backoff.max, this.backoff.initial * 2 ** Math.min(this.failures - 1, 10));
    if (!moved) this.log(`projector: ${message}; resubscribing in ${delay} ms`);
    await new Promise((res) => setTimeout(res, delay).unref?.());
    await this.subscribe();
  }

  private async handlePage(page: StoredEvent[]): Promise<void> {
    if (this.stopped || page.length === 0) return;
    const last = page[page.length - 1].position;
    for (const r of this.runners) {
      if (r.checkpoint >= last) continue;
      const mine = r.checkpoint < page[0].position ? page : page.filter((e) => e.position > r.checkpoint);
      try {
        await r.applier.applyPage(mine);
        await r.applier.flush(r.checkpoint, last);
      } catch (err) {
        r.applier.discard();
        if (!(err instanceof CheckpointMovedError)) r.lastError = `${(err as Error)?.message ?? err}`;
        throw err;
      }
      r.checkpoint = last;
      r.lastError = null;
    }
    this.failures = 0;
    for (const w of this.waiters) w();
  }

  /** the lowest checkpoint over all projections */
  position(): bigint {
    return this.runners.reduce((min, r) => (r.checkpoint < min ? r.checkpoint : min), this.runners[0]?.checkpoint ?? 0n);
  }

  status() {
    return this.runners.map((r) => ({
      projection: r.projection.name,
      checkpoint: r.checkpoint.toString(),
      healthy: this.subscription !== null && r.lastError === null,
      lastError: r.lastError,
    }));
  }

  /** resolves true once every projection has passed `position`, false after `timeoutMs` */
  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position() >= position) return true;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (this.position() >= position) {
          cleanup();
          resolve(true);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(this.position() >= position);
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const sub = this.subscription;
    this.subscription = null;
    await sub?.close();
  }
}
