/**
 * The loop both dispatchers (e-mail, webhooks) share: keep up to `concurrency` deliveries in
 * flight, take due ones oldest first, sleep until the next one is due (or until woken), and
 * leave alone what this process is already sending. A delivery marked in flight by another
 * process instance (one that stopped before recording the outcome) is due again at once: that
 * is how a crash between sending and marking leads to a re-send with the same message id.
 * Only one dispatcher of each kind runs per deployment (in the process that runs the projector).
 */
import { randomUUID } from 'crypto';

export interface RetryPolicy {
  /** attempts in all (the first one included) before a transient failure becomes final */
  maxAttempts: number;
  /** wait after the first failed attempt; doubles per attempt */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, initialBackoffMs: 30_000, maxBackoffMs: 3_600_000 };

/** exponential: initial * 2^(attempt-1), capped */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}

export interface WorkerOptions {
  concurrency?: number;
  /** longest sleep between looks at the store (a delivery recorded by another process is seen then) */
  pollMs?: number;
  /** a delivery this instance marked in flight longer ago than this is taken again (a stuck send) */
  leaseMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
  instanceId?: string;
}

export interface InFlightRecord {
  _id: string;
  inFlight: { since: string; by: string } | null;
}

export abstract class DeliveryWorker<R extends InFlightRecord> {
  readonly instanceId: string;
  protected readonly now: () => Date;
  protected readonly log: (m: string) => void;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly active = new Set<string>();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private signal: (() => void) | null = null;
  private signalled = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(options: WorkerOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
    this.concurrency = options.concurrency ?? 5;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 120_000;
  }

  protected abstract due(now: string, limit: number): Promise<R[]>;
  protected abstract nextDueAt(): Promise<string | null>;
  /**
   * Marks due records in flight and logs their attempt, before anything is sent (one write for
   * the batch); returns those it claimed, as stored.
   */
  protected abstract claim(records: R[]): Promise<R[]>;
  /** one attempt of a claimed record: send, record the outcome */
  protected abstract deliver(claimed: R): Promise<void>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    // let the deliveries in flight record their outcome
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 10));
  }

  /** look at the store now (something was recorded or became due) */
  wake(): void {
    this.signalled = true;
    const s = this.signal;
    this.signal = null;
    s?.();
  }

  get inFlight(): number {
    return this.active.size;
  }

  /** resolves once nothing is in flight and nothing is due at the clock's now (tests, benchmarks) */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.active.size === 0 && (await this.due(this.now().toISOString(), 1)).every((r) => this.skip(r))) return true;
      this.wake();
      await new Promise<void>((r) => {
        this.idleWaiters.push(r);
        setTimeout(r, 20).unref?.();
      });
    }
    return false;
  }

  private skip(r: R): boolean {
    if (this.active.has(r._id)) return true;
    // in flight in this instance and not yet stuck: being sent right now
    return r.inFlight !== null && r.inFlight.by === this.instanceId && Date.parse(r.inFlight.since) > this.now().getTime() - this.leaseMs;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let started = 0;
      let free = this.concurrency - this.active.size;
      let failed = false;
      if (free > 0) {
        try {
          const due = (await this.due(this.now().toISOString(), free + this.active.size)).filter((r) => !this.skip(r)).slice(0, free);
          for (const r of due) this.active.add(r._id);
          let claimed: R[] = [];
          try {
            claimed = due.length > 0 ? await this.claim(due) : [];
          } finally {
            const ids = new Set(claimed.map((r) => r._id));
            for (const r of due) if (!ids.has(r._id)) this.active.delete(r._id);
          }
          for (const r of claimed) {
            free--;
            started++;
            void this.deliver(r)
              .catch((err) => this.log(`delivery ${r._id}: ${(err as Error)?.message ?? err}`))
              .finally(() => {
                this.active.delete(r._id);
                this.wake();
                for (const w of this.idleWaiters.splice(0)) w();
              });
          }
        } catch (err) {
          failed = true;
          this.log(`dispatcher: ${(err as Error)?.message ?? err}`);
        }
      }
      if (started > 0 && free > 0) continue;
      await this.sleep(failed ? Math.max(this.pollMs, 1000) : free === 0 ? this.pollMs : await this.untilNext());
    }
  }

  private async untilNext(): Promise<number> {
    try {
      const next = await this.nextDueAt();
      if (next === null) return this.pollMs;
      return Math.max(5, Math.min(this.pollMs, Date.parse(next) - this.now().getTime()));
    } catch {
      return this.pollMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.signalled || !this.running) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.signal = null;
        resolve();
      }, ms);
      timer.unref?.();
      this.signal = () => {
        clearTimeout(timer);
        this.signalled = false;
        resolve();
      };
    });
  }
}
