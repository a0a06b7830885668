import { randomUUID } from 'crypto';
import * as fs from 'fs';
import type { ServerResponse } from 'http';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { SqliteEventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { SqliteReadStore } from '@helpdesk/read-store';
import { InProcessReadPosition } from '../../apps/api/src/infrastructure/read-position';
import { LiveUpdates } from '../../apps/api/src/live/live-updates';

/**
 * A client that stops reading must not make the server hold its changes without bound: the
 * real hub, event store, projector and read store, with two sockets stood in by writables,
 * one that takes everything and one that never drains (a client whose TCP window is full).
 */
class Socket extends Writable {
  text = '';
  destroyedByServer = false;
  constructor(private readonly reads: boolean) {
    super({ highWaterMark: 64 });
  }
  override _write(chunk: Buffer, _e: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.reads) return; // never acknowledges: write() keeps returning false, no 'drain'
    this.text += chunk.toString('utf8');
    callback();
  }
  writeHead(): this {
    return this;
  }
  override destroy(error?: Error): this {
    this.destroyedByServer = true;
    return super.destroy(error);
  }
}

describe('live updates: backpressure', () => {
  let dir: string;
  let events: SqliteEventStore;
  let views: SqliteReadStore;
  let projector: Projector;
  let live: LiveUpdates;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-bp-'));
    events = SqliteEventStore.open(path.join(dir, 'events.db'));
    views = SqliteReadStore.open(path.join(dir, 'views.db'));
    projector = new Projector(events, views, allProjections());
    await projector.start();
    live = new LiveUpdates(events, views, new InProcessReadPosition(projector), { heartbeatMs: 60_000, maxPendingFrames: 10, maxPendingBytes: 1_000_000 });
    await live.start();
    await live.ready(2000);
  });
  afterAll(async () => {
    await live.stop();
    await projector.stop();
    await views.close();
    await events.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drops a client that stops reading once 10 frames wait for it, while a reading client gets every change', async () => {
    const fast = new Socket(true);
    const slow = new Socket(false);
    const staff = { id: 'ana', roles: ['agent'] };
    await live.connect(fast as unknown as ServerResponse, staff, null);
    await live.connect(slow as unknown as ServerResponse, staff, null);
    expect(live.clientCount).toBe(2);
    let last = 0n;
    for (let i = 0; i < 40; i++) {
      const r = await events.append(`noise-${i}`, [{ id: randomUUID(), type: 'Noise', data: { text: 'x'.repeat(200) }, metadata: { actor: 't', occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null, schemaVersion: 1 } }], 'no-stream');
      last = r.position;
    }
    const deadline = Date.now() + 5000;
    while (!fast.text.includes(`id: ${last}\n`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fast.text.match(/event: change/g)).toHaveLength(40);
    expect(slow.destroyedByServer).toBe(true);
    expect(live.clientCount).toBe(1);
    expect(live.stats.dropped).toBe(1);
  });
});
