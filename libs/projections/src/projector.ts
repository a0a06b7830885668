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
  subscription: Subscription | null;
  failures: number;
  lastError: string | null;
}

/**
 * Runs every projection from its own stored checkpoint: a subscription to $all per
 * projection (catch-up, then live). Each page of events is applied and written with the
 * checkpoint; a failure (store down, subscription dropped, checkpoint moved by a rebuild)
 * resubscribes from the stored checkpoint with exponential backoff. The EventStoreDB client
 * reconnects its channel but not a subscription, so this loop is what keeps projections going.
 */
export class Projector {
  private readonly runners: Runner[];
  private stopped = true;
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
      subscription: null,
      failures: 0,
      lastError: null,
    }));
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.store.ensureCollections(this.runners.flatMap((r) => r.projection.collections));
    await Promise.all(this.runners.map((r) => this.subscribe(r)));
  }

  private async subscribe(r: Runner): Promise<void> {
    if (this.stopped) return;
    try {
      r.checkpoint = await this.store.getCheckpoint(r.applier.checkpointName);
    } catch (err) {
      return this.retryLater(r, err);
    }
    r.applier.discard();
    const sub = this.events.subscribeToAll((page) => this.handlePage(r, page), { after: r.checkpoint, batchSize: this.batchSize });
    r.subscription = sub;
    sub.done.then(
      () => undefined,
      (err) => {
        if (r.subscription === sub) void this.retryLater(r, err);
      },
    );
  }

  private async retryLater(r: Runner, err: unknown): Promise<void> {
    r.subscription = null;
    r.failures++;
    r.lastError = (err as Error)?.message ?? String(err);
    if (this.stopped) return;
    const delay = Math.min(this.backoff.max, this.backoff.initial * 2 ** Math.min(r.failures - 1, 10));
    if (!(err instanceof CheckpointMovedError)) this.log(`projection ${r.projection.name}: ${r.lastError}; resubscribing in ${delay} ms`);
    await new Promise((res) => setTimeout(res, err instanceof CheckpointMovedError ? 0 : delay).unref?.());
    await this.subscribe(r);
  }

  private async handlePage(r: Runner, page: StoredEvent[]): Promise<void> {
    if (this.stopped || page.length === 0) return;
    const last = page[page.length - 1].position;
    try {
      await r.applier.applyPage(page);
      await r.applier.flush(r.checkpoint, last);
    } catch (err) {
      r.applier.discard();
      throw err;
    }
    r.checkpoint = last;
    r.failures = 0;
    r.lastError = null;
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
      healthy: r.subscription !== null && r.lastError === null,
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
    await Promise.all(this.runners.map((r) => r.subscription?.close()));
    for (const r of this.runners) r.subscription = null;
  }
}
