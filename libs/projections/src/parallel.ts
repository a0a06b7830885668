/**
 * Projections applied on another thread. A rebuild of every read model spends most of its
 * time in one projection (tickets); running the others on a worker thread, with their own
 * connection to the read store, lets a second core take their share. The main thread sends
 * each page (only the events those projections handle) and says where to flush, so both
 * threads' checkpoints move together; a few pages may be in flight.
 */
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { Worker } from 'worker_threads';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { ReadStoreLocation } from '@helpdesk/read-store';
import type { Projection } from './projection';
import type { PageTarget } from './page-target';

export interface WorkerSetup {
  location: ReadStoreLocation;
  /** projection names (the worker loads them itself) */
  projections: string[];
  /** write the rebuild's shadow collections */
  shadow: boolean;
  startsEmpty: boolean;
  /** checkpoint stored before the first page (null: no compare-and-set) */
  checkpoint: bigint | null;
}

export type WorkerMessage = { type: 'page'; /** v8.serialize(LeanStoredEvent[]) */ events: ArrayBuffer; position: bigint; flush: boolean } | { type: 'finish' } | { type: 'close' };
export type WorkerReply = { type: 'ready' } | { type: 'applied' } | { type: 'finished' } | { type: 'closed' } | { type: 'error'; message: string };

/** pages given and not yet applied, beyond which apply() waits (bounds the memory held) */
const MAX_IN_FLIGHT = 2;

export class ProjectionWorker implements PageTarget {
  private readonly handles: Set<string>;
  private inFlight = 0;
  private sinceFlush = 0;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;
  private finished: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    projections: Projection[],
    private readonly flushEvery: number,
  ) {
    this.handles = new Set(projections.flatMap((p) => [...p.handles]));
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'applied') {
        this.inFlight--;
        this.waiters.shift()?.resolve();
      } else if (reply.type === 'finished' || reply.type === 'closed') this.finished?.resolve();
      else if (reply.type === 'error') this.fail(new Error(`projection worker: ${reply.message}`));
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`projection worker exited (code ${code})`));
    });
  }

  /** starts a worker for `projections` and waits until it is ready */
  static async start(
    location: ReadStoreLocation,
    projections: Projection[],
    options: { shadow: boolean; startsEmpty: boolean; checkpoint: bigint | null; flushEvery: number },
  ): Promise<ProjectionWorker> {
    const setup: WorkerSetup = {
      location,
      projections: projections.map((p) => p.name),
      shadow: options.shadow,
      startsEmpty: options.startsEmpty,
      checkpoint: options.checkpoint,
    };
    const extension = path.extname(__filename);
    const entry = path.join(__dirname, `projection-worker${extension}`);
    // from TypeScript sources (tools, benchmarks, tests) the worker needs the same loader
    // (process-wide flags such as heap sizes are not accepted by workers: only the loader)
    const loader = extension === '.ts' ? ['-r', '@swc-node/register'] : [];
    const worker = new Worker(entry, { workerData: setup, execArgv: loader });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        } else if (reply.type === 'error') reject(new Error(`projection worker: ${reply.message}`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`projection worker exited (code ${code})`)));
    }).catch(async (error) => {
      await worker.terminate();
      throw error;
    });
    return new ProjectionWorker(worker, projections, options.flushEvery);
  }

  async apply(page: LeanStoredEvent[]): Promise<void> {
    if (page.length === 0) return;
    if (this.failure) throw this.failure;
    const events = page.filter((e) => this.handles.has(e.type));
    this.sinceFlush += page.length;
    const flush = this.sinceFlush >= this.flushEvery;
    if (flush) this.sinceFlush = 0;
    // serialized here and the buffer moved, not copied, to the worker
    const payload = v8.serialize(events);
    const buffer = payload.buffer.byteLength === payload.byteLength ? payload.buffer : payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength);
    this.worker.postMessage({ type: 'page', events: buffer, position: page[page.length - 1].position, flush } satisfies WorkerMessage, [buffer as ArrayBuffer]);
    this.inFlight++;
    if (this.inFlight > MAX_IN_FLIGHT) await new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    const done = new Promise<void>((resolve, reject) => (this.finished = { resolve, reject }));
    this.post({ type: 'finish' });
    await done;
    this.finished = null;
  }

  /** closes the worker's store connection and stops the thread */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.failure) {
      const done = new Promise<void>((resolve, reject) => (this.finished = { resolve, reject }));
      this.post({ type: 'close' });
      await done.catch(() => undefined);
    }
    await this.worker.terminate();
  }

  private post(message: WorkerMessage): void {
    this.worker.postMessage(message);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    this.finished?.reject(error);
  }
}

/** Sends every page to several targets (each applies its own projections); finishes them all. */
export class ParallelPages implements PageTarget {
  constructor(private readonly targets: PageTarget[]) {}

  async apply(page: LeanStoredEvent[]): Promise<void> {
    await Promise.all(this.targets.map((t) => t.apply(page)));
  }

  async finish(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.finish()));
  }

  async close(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.close()));
  }
}

/**
 * Which projections a run applies here and which on a worker thread: with two or more cores,
 * every projection but tickets (the heaviest) goes to the worker, so each thread carries a
 * similar share. With one core, or only one projection, everything stays here.
 */
export function splitForWorker(projections: Projection[], allowed = true, cores = os.cpus().length): { local: Projection[]; remote: Projection[] } {
  const heaviest = projections.find((p) => p.name === 'tickets');
  if (!allowed || !heaviest || projections.length < 2 || cores < 2) return { local: projections, remote: [] };
  return { local: [heaviest], remote: projections.filter((p) => p !== heaviest) };
}
