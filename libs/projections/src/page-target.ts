import type { LeanStoredEvent } from '@helpdesk/event-store';

/**
 * Where a rebuild sends its pages of events: appliers on this thread (PipelinedPages in
 * rebuild.ts), or a projection worker thread (ProjectionWorker in parallel.ts). Its own module
 * so that both implement it while the dependency runs one way (rebuild.ts uses parallel.ts).
 */
export interface PageTarget {
  apply(page: LeanStoredEvent[]): Promise<void>;
  /** applies and commits everything given so far (more pages may follow) */
  finish(): Promise<void>;
  /** releases what the target holds (a worker thread); after finish() */
  close(): Promise<void>;
}
