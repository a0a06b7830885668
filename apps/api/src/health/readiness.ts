import { EventStore } from '@helpdesk/event-store';

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  /** why not ready; empty when ready */
  reasons: string[];
  eventStore: { ok: boolean; headPosition: number | null; error: string | null };
  readStore: { ok: boolean; position: number | null; error: string | null };
  /** positions the read models are behind the head (the slowest projection) */
  lag: number | null;
  maxLag: number;
  draining: boolean;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      timer.unref?.();
    }),
  ]);
}

/**
 * Ready to take traffic: both stores answer (within timeoutMs), the read models are at most
 * maxLag positions behind the log, and the process is not shutting down.
 */
export async function checkReadiness(deps: {
  events: Pick<EventStore, 'headPosition'>;
  /** the read models' position (the lowest projection checkpoint) */
  readPosition: () => Promise<bigint>;
  /** a query to the read store itself (the in-process position is held in memory) */
  probeReadStore: () => Promise<unknown>;
  maxLag: number;
  draining: boolean;
  timeoutMs?: number;
}): Promise<ReadinessReport> {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const reasons: string[] = [];
  let head: bigint | null = null;
  let eventStoreError: string | null = null;
  let position: bigint | null = null;
  let readStoreError: string | null = null;
  await Promise.all([
    within(deps.events.headPosition(), timeoutMs, 'the event store').then(
      (h) => (head = h),
      (err: Error) => (eventStoreError = err.message),
    ),
    within(Promise.all([deps.probeReadStore(), deps.readPosition()]), timeoutMs, 'the read store').then(
      ([, p]) => (position = p),
      (err: Error) => (readStoreError = err.message),
    ),
  ]);
  if (eventStoreError) reasons.push(`event store unreachable: ${eventStoreError}`);
  if (readStoreError) reasons.push(`read store unreachable: ${readStoreError}`);
  const lag = head !== null && position !== null ? Number((head as bigint) - (position as bigint)) : null;
  if (lag !== null && lag > deps.maxLag) reasons.push(`read models ${lag} positions behind the log (more than ${deps.maxLag})`);
  if (deps.draining) reasons.push('shutting down');
  return {
    status: reasons.length === 0 ? 'ready' : 'not-ready',
    reasons,
    eventStore: { ok: !eventStoreError, headPosition: head === null ? null : Number(head), error: eventStoreError },
    readStore: { ok: !readStoreError, position: position === null ? null : Number(position), error: readStoreError },
    lag,
    maxLag: deps.maxLag,
    draining: deps.draining,
  };
}
