/**
 * The process is shutting down (SIGTERM): readiness answers 503 from the first moment, and
 * long-lived responses (the live-updates stream) end when `signal` aborts, so that closing
 * the listener does not wait for them. Injected as `Shutdown`.
 */
export class Shutdown {
  private readonly controller = new AbortController();

  get draining(): boolean {
    return this.controller.signal.aborted;
  }

  /** aborts when shutdown begins: end streams, stop accepting work of your own */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  begin(): void {
    if (!this.controller.signal.aborted) this.controller.abort();
  }
}
