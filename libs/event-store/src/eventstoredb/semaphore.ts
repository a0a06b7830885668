/**
 * A counting semaphore that bounds how many async operations run at once; the rest wait
 * in FIFO order. Used to cap appends in flight on one EventStoreDB client: the Node client
 * hangs with more than ~100 concurrent appends on a fresh connection
 * (KurrentDB-Client-NodeJS issue 304).
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`semaphore limit must be a positive integer, got ${String(limit)}`);
    }
  }

  /** operations currently holding a permit */
  get inFlight(): number {
    return this.active;
  }

  /** operations waiting for a permit */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` once a permit is free; the permit is released however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    // the permit is handed over directly by release(), so `active` stays at the limit
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
