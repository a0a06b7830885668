import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError, SqliteEventStore } from '../src';
import { describeEventStoreContract, newEvent } from './event-store.contract';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'es-'));

describeEventStoreContract('embedded SQLite', async () => {
  const dir = tmp();
  const file = path.join(dir, 'events.db');
  let store = SqliteEventStore.open(file);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = SqliteEventStore.open(file);
      return store;
    },
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('embedded SQLite event store: reading a share of the streams', () => {
  it('puts every stream in exactly one share, each share in global order, full or lean', async () => {
    const dir = tmp();
    const store = SqliteEventStore.open(path.join(dir, 'events.db'));
    try {
      for (let i = 0; i < 12; i++) await store.append(`s-${i % 5}x${i % 3}`, [newEvent('E', { i })], 'any');
      const all = store.readAllSync();
      const shares = [0, 1, 2].map((index) => [...store.iterateAll(0n, 2, 'occurredAt', { index, of: 3 })].flat());
      const streamsOf = (events: { streamId: string }[]) => new Set(events.map((e) => e.streamId));
      for (const [k, share] of shares.entries()) {
        expect(share.map((e) => e.position)).toEqual([...share.map((e) => e.position)].sort((a, b) => (a < b ? -1 : 1)));
        for (const other of shares.slice(k + 1)) for (const s of streamsOf(share)) expect(streamsOf(other).has(s)).toBe(false);
      }
      expect(shares.flat().map((e) => e.id).sort()).toEqual(all.map((e) => e.id).sort());
      expect(shares.filter((share) => share.length > 0).length).toBeGreaterThan(1);
      const full = store.readAllSync({ streams: { index: 1, of: 3 } });
      expect(full.map((e) => e.id)).toEqual(shares[1].map((e) => e.id));
      expect(full.every((e) => e.metadata.actor === 'contract')).toBe(true);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded SQLite event store: startup and durability', () => {
  it('refuses a second writer on the same file with a clear error', async () => {
    const dir = tmp();
    const file = path.join(dir, 'events.db');
    const child = spawn(process.execPath, ['-e', `
      const D = require('better-sqlite3'); const fs = require('fs');
      fs.writeFileSync(${JSON.stringify(file + '.lock')}, String(process.pid));
      setTimeout(() => {}, 20000); process.stdout.write('ready');`]);
    await new Promise((r) => child.stdout.once('data', r));
    try {
      expect(() => SqliteEventStore.open(file)).toThrow(/locked by another process \(pid \d+\)/);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    // a stale lock (dead pid) is taken over
    const store = SqliteEventStore.open(file);
    await store.append('s-1', [newEvent()], 'no-stream');
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a corrupt file, a foreign file and a newer schema at startup', async () => {
    const dir = tmp();
    const corrupt = path.join(dir, 'corrupt.db');
    fs.writeFileSync(corrupt, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
    expect(() => SqliteEventStore.open(corrupt)).toThrow(EventStoreUnavailableError);

    const newer = path.join(dir, 'newer.db');
    const s = SqliteEventStore.open(newer);
    await s.close();
    const db = new Database(newer);
    db.prepare(`UPDATE store_meta SET value = '99' WHERE key = 'schema'`).run();
    db.close();
    expect(() => SqliteEventStore.open(newer)).toThrow(/schema 99 is newer/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append through a kill -9 right after the acknowledgement', async () => {
    const dir = tmp();
    const file = path.join(dir, 'events.db');
    const script = path.join(__dirname, 'support', 'append-then-wait.ts');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', script, file], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    await new Promise<void>((resolve) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
        if (acked.length >= 200) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    const store = SqliteEventStore.open(file);
    const ids = new Set((await store.readAll()).map((e) => e.id));
    for (const id of acked) expect(ids.has(id)).toBe(true);
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** runs test/support/writer-child.ts on `file`; resolves once it printed `until` */
  function writerChild(file: string, mode: 'clean' | 'wait', until: string) {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'support', 'writer-child.ts'), file, mode], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const reached = new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(`${until}\n`)) resolve(out);
      });
      child.once('exit', () => (out.includes(`${until}\n`) ? resolve(out) : reject(new Error(`writer child exited before '${until}': ${out}`))));
    });
    return { child, exited, reached };
  }

  it('runs PRAGMA quick_check after an unclean shutdown (kill -9 left the writer lock), not after a clean one', async () => {
    const dir = tmp();
    const file = path.join(dir, 'events.db');
    try {
      // a first writer creates the file and closes cleanly: its lock goes with it
      const first = writerChild(file, 'clean', 'closed');
      expect(await first.reached).toMatch(/opened \{"ran":false,"reason":null/);
      expect(await first.exited).toBe(0);
      expect(fs.existsSync(`${file}.lock`)).toBe(false);

      // clean restart: no check
      const clean = SqliteEventStore.open(file);
      expect(clean.integrityCheck).toEqual({ ran: false, reason: null, result: null, stalePid: null, milliseconds: 0 });
      expect((await clean.readAll()).length).toBe(20);
      await clean.close();

      // a writer killed with SIGKILL leaves its lock behind
      const killed = writerChild(file, 'wait', 'waiting');
      await killed.reached;
      const pid = killed.child.pid!;
      killed.child.kill('SIGKILL');
      await killed.exited;
      expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe(String(pid));

      // a tool opening read-only meanwhile checks too, and leaves the lock for the next writer
      const reader = SqliteEventStore.open(file, { readOnly: true });
      expect(reader.integrityCheck).toMatchObject({ ran: true, reason: 'unclean-shutdown', result: 'ok', stalePid: pid });
      await reader.close();
      expect(fs.existsSync(`${file}.lock`)).toBe(true);

      // the restart after kill -9 runs the check, takes the lock over and has every event
      const restarted = SqliteEventStore.open(file);
      expect(restarted.integrityCheck).toMatchObject({ ran: true, reason: 'unclean-shutdown', result: 'ok', stalePid: pid });
      expect((await restarted.readAll()).length).toBe(40);
      await restarted.close();

      // and once closed cleanly, the next start skips it again
      const again = SqliteEventStore.open(file);
      expect(again.integrityCheck.ran).toBe(false);
      await again.close();

      // on demand (npm run check-store): always
      const requested = SqliteEventStore.open(file, { readOnly: true, integrityCheck: 'always' });
      expect(requested.integrityCheck).toMatchObject({ ran: true, reason: 'requested', result: 'ok', stalePid: null });
      await requested.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a check that fails after an unclean shutdown refuses the open and keeps the stale lock, so the next open checks again', async () => {
    const dir = tmp();
    const file = path.join(dir, 'events.db');
    try {
      const s = SqliteEventStore.open(file);
      for (let i = 0; i < 300; i++) await s.append(`s-${i}`, [newEvent('E', { text: 'x'.repeat(500) })], 'no-stream');
      await s.close();
      // damage a page of the events table's index (not the header: the file still opens)
      const db = new Database(file);
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY rootpage DESC LIMIT 1").get() as { rootpage: number }).rootpage;
      db.close();
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(pageSize - 200, 0xa5), 0, pageSize - 200, (root - 1) * pageSize + 100);
      fs.closeSync(fd);
      // a lock left by a dead process (pid 2^22 + 1 is above Linux's pid_max default)
      fs.writeFileSync(`${file}.lock`, '4194305');
      expect(() => SqliteEventStore.open(file)).toThrow(/integrity check failed|malformed|corrupt/);
      expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe('4194305');
      expect(() => SqliteEventStore.open(file)).toThrow(/integrity check failed|malformed|corrupt/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens read-only beside a running writer and refuses appends there', async () => {
    const dir = tmp();
    const file = path.join(dir, 'events.db');
    const writer = SqliteEventStore.open(file);
    await writer.append('s-1', [newEvent()], 'no-stream');
    const reader = SqliteEventStore.open(file, { readOnly: true });
    expect((await reader.readStream('s-1')).length).toBe(1);
    await expect(reader.append('s-2', [newEvent()], 'any')).rejects.toThrow(/read-only/);
    // the writer's appends after the reader opened move the reader's head (rebuild progress)
    expect(await reader.headPosition()).toBe(1n);
    await writer.append('s-2', [newEvent(), newEvent()], 'no-stream');
    expect(await reader.headPosition()).toBe(3n);
    expect((await reader.readAll({ after: 1n })).length).toBe(2);
    await reader.close();
    await writer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
