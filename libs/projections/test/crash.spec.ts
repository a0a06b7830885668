/**
 * Crash safety: a projector killed at random points and restarted leaves read models equal to
 * a fresh rebuild.
 * - embedded store: a real SIGKILL of a child process running the Projector (a page's writes
 *   and its checkpoint commit in one SQLite transaction);
 * - the MongoDB way of writing (documents first, checkpoint last, not atomic) simulated over
 *   the embedded store: a "crash" lands a random part of a page's writes without the
 *   checkpoint, then a new projector restarts from the stored checkpoint.
 */
import { ChildProcess, spawn } from 'child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { SqliteEventStore, type StoredEvent } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { SqliteReadStore, type CheckpointUpdate, type ReadStore, type WriteOp } from '@helpdesk/read-store';
import { buildScenario } from './scenario';
import { appendInOrder, dump, project } from './support';
import { buildQueueHistory, prng } from './histories';

const ROOT = resolve(__dirname, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash and restart', () => {
  let dir: string;
  let eventsFile: string;
  let events: StoredEvent[];
  let expected: Awaited<ReturnType<typeof dump>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projections-crash-'));
    eventsFile = join(dir, 'events.db');
    const log = buildScenario();
    // more volume: a few hundred tickets on top of the scenario
    const bulk = buildQueueHistory(11);
    const store = SqliteEventStore.open(eventsFile);
    for (const source of [log.events, bulk.events.filter((e) => !e.streamId.startsWith('customer-acme'))]) await appendInOrder(store, source);
    events = await store.readAll();
    await store.close();
    const fresh = SqliteReadStore.open(':memory:');
    await project(fresh, allProjections(), events, 100_000);
    expected = await dump(fresh, allProjections());
    await fresh.close();
    expect(events.length).toBeGreaterThan(600);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs the child projector. kill: null = let it finish; { afterMs } = SIGKILL that long after
   * it is ready; { progress } = SIGKILL once the committed checkpoints show it mid-way (polled
   * from this process), plus `progress` ms.
   */
  function runChild(
    readFile: string,
    batchSize: number,
    kill: null | { afterMs: number } | { progress: number },
    head: bigint,
  ): Promise<{ done: boolean }> {
    return new Promise((resolvePromise, reject) => {
      const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'crash-child.ts'), eventsFile, readFile, String(batchSize)], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let stderr = '';
      let armed = false;
      let poller: NodeJS.Timeout | null = null;
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        out += chunk;
        if (kill === null || armed || !out.includes('ready')) return;
        armed = true;
        if ('afterMs' in kill) {
          setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
          return;
        }
        poller = setInterval(() => {
          let positions: bigint[] = [];
          try {
            const db = new Database(readFile, { readonly: true, fileMustExist: true });
            try {
              positions = db.prepare('SELECT position FROM _checkpoints').pluck().safeIntegers(true).all() as bigint[];
            } finally {
              db.close();
            }
          } catch {
            return; // not created yet
          }
          if (positions.some((p) => p > 0n && p < head)) {
            clearInterval(poller!);
            setTimeout(() => child.kill('SIGKILL'), kill.progress);
          }
        }, 1);
      });
      child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (poller) clearInterval(poller);
        if (signal === 'SIGKILL') return resolvePromise({ done: out.includes('done') });
        if (code !== 0) return reject(new Error(`child exited ${code}: ${stderr}`));
        resolvePromise({ done: true });
      });
    });
  }

  it('embedded store: SIGKILL at random points, restart, equal to a fresh rebuild', async () => {
    const random = prng(2024);
    const readFile = join(dir, 'read-embedded.db');
    const head = events[events.length - 1].position;
    let kills = 0;
    let midway = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      // alternate: a blind kill at a random moment (maybe before the first commit), then a
      // kill once the committed checkpoints show the catch-up under way
      const kill = attempt % 2 === 0 ? { afterMs: Math.floor(random() * 40) } : { progress: Math.floor(random() * 4) };
      const result = await runChild(readFile, 1 + Math.floor(random() * 6), kill, head);
      if (result.done) break;
      kills++;
      const peek = SqliteReadStore.open(readFile);
      const checkpoints = await Promise.all(allProjections().map((p) => peek.getCheckpoint(p.name)));
      await peek.close();
      if (checkpoints.some((c) => c > 0n && c < head)) midway++;
    }
    // finish without a kill
    const final = await runChild(readFile, 50, null, head);
    expect(final.done).toBe(true);
    expect(kills).toBeGreaterThan(0);
    expect(midway).toBeGreaterThan(0); // kills landed in the middle of the catch-up
    const store = SqliteReadStore.open(readFile);
    expect(await dump(store, allProjections())).toEqual(expected);
    for (const p of allProjections()) expect(await store.getCheckpoint(p.name)).toBe(events[events.length - 1].position);
    await store.close();
  }, 120_000);

  /** a store that dies at its n-th batch: part of the writes land, the checkpoint does not */
  class DyingStore implements ReadStore {
    private batches = 0;
    dead = false;
    constructor(
      private readonly inner: ReadStore,
      private readonly dieAt: number,
      private readonly random: () => number,
    ) {}
    ensureCollections = (s: Parameters<ReadStore['ensureCollections']>[0]) => this.alive().ensureCollections(s);
    get: ReadStore['get'] = (c, id) => this.alive().get(c, id);
    getMany: ReadStore['getMany'] = (c, ids) => this.alive().getMany(c, ids);
    find: ReadStore['find'] = (c, q) => this.alive().find(c, q);
    count: ReadStore['count'] = (c, f) => this.alive().count(c, f);
    getCheckpoint: ReadStore['getCheckpoint'] = (n) => this.alive().getCheckpoint(n);
    setCheckpoint: ReadStore['setCheckpoint'] = (n, p) => this.alive().setCheckpoint(n, p);
    swapCollections: ReadStore['swapCollections'] = (a, b) => this.alive().swapCollections(a, b);
    dropCollection: ReadStore['dropCollection'] = (n) => this.alive().dropCollection(n);
    listCollections: ReadStore['listCollections'] = () => this.alive().listCollections();
    close = async () => undefined;
    async applyBatch(ops: WriteOp[], checkpoint?: CheckpointUpdate): Promise<void> {
      const inner = this.alive();
      if (++this.batches < this.dieAt) return inner.applyBatch(ops, checkpoint);
      // MongoDB writes documents one bulk at a time, then the checkpoint: die in between
      const landed = ops.filter(() => this.random() < 0.6);
      await inner.applyBatch(landed);
      this.dead = true;
      throw new Error('crash: process died after part of the writes');
    }
    private alive(): ReadStore {
      if (this.dead) throw new Error('crash: process is dead');
      return this.inner;
    }
  }

  it('documents-then-checkpoint (MongoDB) writes: partial pages without checkpoint, restart, equal to a fresh rebuild', async () => {
    const random = prng(99);
    const eventStore = SqliteEventStore.open(eventsFile, { readOnly: true });
    for (let trial = 0; trial < 4; trial++) {
      const real = SqliteReadStore.open(':memory:');
      let crashes = 0;
      for (let life = 0; life < 6; life++) {
        const store = new DyingStore(real, 1 + Math.floor(random() * 40), random);
        const projector = new Projector(eventStore, store, allProjections(), { batchSize: 5 + Math.floor(random() * 30), backoffMs: { initial: 1, max: 1 } });
        await projector.start();
        const head = events[events.length - 1].position;
        for (let waited = 0; projector.position() < head && !store.dead && waited < 10_000; waited += 2) await sleep(2);
        const caught = projector.position() >= head;
        await projector.stop();
        if (store.dead) crashes++;
        if (caught && !store.dead) break;
      }
      // a last life without dying
      const projector = new Projector(eventStore, real, allProjections(), { batchSize: 50 });
      await projector.start();
      expect(await projector.waitFor(events[events.length - 1].position, 10_000)).toBe(true);
      await projector.stop();
      expect(crashes).toBeGreaterThan(0);
      expect(await dump(real, allProjections())).toEqual(expected);
      await real.close();
    }
    await eventStore.close();
  }, 120_000);
});
