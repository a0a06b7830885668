import { Inject, Injectable } from '@nestjs/common';
import { ReconcileReport, reconcile } from '@helpdesk/application';
import { EventStore } from '@helpdesk/event-store';
import { ReadStore } from '@helpdesk/read-store';
import { EVENT_STORE, READ_STORE } from '../infrastructure/tokens';

export interface ReconciliationAnswer extends Omit<ReconcileReport, 'head' | 'checkpoints' | 'lag'> {
  head: number;
  checkpoints: { policies: number; billing: number };
  lag: number;
  differenceCount: number;
  truncated: boolean;
  startedAt: string;
  durationMs: number;
}

/**
 * Runs what `npm run reconcile` runs (the event log against the read models) for the API.
 * A run reads the whole log once (O(events)), so runs are serialized: one at a time per
 * process; a request for the same period as the latest run asked for (running or waiting)
 * shares its answer, others wait their turn.
 */
@Injectable()
export class ReconciliationRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private running: { key: string; report: Promise<ReconciliationAnswer> } | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
  ) {}

  run(period: { from?: string; to?: string }, options: { waitForCatchUpMs: number }): Promise<ReconciliationAnswer> {
    const key = `${period.from ?? ''}/${period.to ?? ''}`;
    if (this.running?.key === key) return this.running.report;
    const report = this.queue.then(async () => {
      const startedAt = new Date();
      const r = await reconcile(this.events, this.views, { ...period, waitForCatchUpMs: options.waitForCatchUpMs });
      return {
        ...r,
        head: Number(r.head),
        checkpoints: { policies: Number(r.checkpoints.policies), billing: Number(r.checkpoints.billing) },
        lag: Number(r.lag),
        differenceCount: r.differences.length,
        truncated: false,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
      };
    });
    const entry = { key, report };
    this.running = entry;
    this.queue = report.then(
      () => undefined,
      () => undefined,
    );
    void this.queue.then(() => {
      if (this.running === entry) this.running = null;
    });
    return report;
  }
}
