import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SqliteEventStore } from '@helpdesk/event-store';
import { signToken } from '../../apps/api/src/http/auth';
import { SseClient } from '../support/sse';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'shutdown-test-secret-0123456789';

/** the API as `npm start` runs it (apps/api/src/main.ts), on DATA_DIR, an ephemeral port */
function startApi(dataDir: string, extraEnv: Record<string, string> = {}): { child: ChildProcess; port: Promise<number>; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'false',
      SCHEDULER_INTERVAL_MS: '3600000',
      // long enough for the readiness probe below to land inside the delay on a loaded machine
      SHUTDOWN_DELAY_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_TOKEN: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let resolvePort: (p: number) => void;
  let rejectPort: (e: Error) => void;
  const port = new Promise<number>((res, rej) => ((resolvePort = res), (rejectPort = rej)));
  child.stdout!.on('data', (d) => {
    out += d;
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const j = JSON.parse(line);
        if (typeof j.msg === 'string' && j.msg.startsWith('listening') && typeof j.port === 'number') resolvePort(j.port);
      } catch {
        /* partial line */
      }
    }
  });
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => {
      rejectPort(new Error(`the API exited before listening:\n${out}`));
      res({ code, signal });
    }),
  );
  return { child, port, output: () => out, exited };
}

/**
 * SIGTERM under load: the API stops accepting, finishes the commands in flight, flushes the
 * group commit and closes the stores, then exits 0. Every command that was acknowledged (201
 * with its position) has its event in the log afterwards, at that position.
 */
describe('graceful shutdown on SIGTERM', () => {
  let dataDir: string;
  let api: ReturnType<typeof startApi> | null = null;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-shutdown-'));
  });
  afterAll(() => {
    if (api && api.child.exitCode === null) api.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command and exits 0', async () => {
    api = startApi(dataDir);
    const port = await api.port;
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${signToken(SECRET, 'root', ['admin'])}`, 'content-type': 'application/json' };

    const acknowledged: Array<{ customerId: string; position: number; afterSignal: boolean }> = [];
    const refused: string[] = [];
    let signalled = false;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const customerId = randomUUID();
        try {
          const r = await fetch(`${base}/api/customers`, { method: 'POST', headers: auth, body: JSON.stringify({ customerId, name: `Cliente ${customerId.slice(0, 8)}` }) });
          if (r.status === 201) {
            const body = (await r.json()) as { position: number };
            acknowledged.push({ customerId, position: body.position, afterSignal: signalled });
          } else {
            refused.push(String(r.status));
            await r.arrayBuffer();
            if (signalled) await new Promise((res) => setTimeout(res, 20));
          }
        } catch (err) {
          // connection refused or reset once the listener is closed: not acknowledged
          refused.push((err as Error).message);
          if (signalled) await new Promise((res) => setTimeout(res, 20));
        }
      }
    };
    const workers = Array.from({ length: 16 }, () => worker());
    while (acknowledged.length < 200) await new Promise((res) => setTimeout(res, 10));

    api.child.kill('SIGTERM');
    signalled = true;
    // during SHUTDOWN_DELAY_MS the API still serves, but readiness already says no
    const current = api;
    for (let i = 0; i < 200 && !/shutting down/.test(current.output()); i++) await new Promise((res) => setTimeout(res, 5));
    const ready = await fetch(`${base}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { draining: boolean }).draining).toBe(true);

    const exit = await api.exited;
    stop = true;
    await Promise.all(workers);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(api.output()).toMatch(/shutdown complete/);
    expect(acknowledged.filter((a) => a.afterSignal).length).toBeGreaterThan(0);
    // the writer lock was released
    expect(fs.existsSync(path.join(dataDir, 'events.db.lock'))).toBe(false);

    const store = SqliteEventStore.open(path.join(dataDir, 'events.db'), { readOnly: true });
    try {
      for (const a of acknowledged) {
        const events = await store.readStream(`customer-${a.customerId}`);
        expect(events.map((e) => [e.type, Number(e.position)])).toEqual([['CustomerRegistered', a.position]]);
      }
      const all = await store.readAll();
      // nothing beyond what was acknowledged or in flight when connections closed
      expect(all.length).toBeGreaterThanOrEqual(acknowledged.length);
      expect(all.length).toBeLessThanOrEqual(acknowledged.length + 16);
    } finally {
      await store.close();
    }

    // the store opens again for writing (no stale lock, clean file)
    const again = startApi(dataDir);
    api = again;
    await again.port;
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('ends the open live-update streams as soon as SIGTERM arrives, while the listener still serves, and refuses new ones with 503', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-shutdown-sse-'));
    const one = startApi(dir, { SHUTDOWN_DELAY_MS: '4000' });
    try {
      const base = `http://127.0.0.1:${await one.port}`;
      const auth = { Authorization: `Bearer ${signToken(SECRET, 'ana', ['agent'])}` };
      const streams = await Promise.all([SseClient.open(`${base}/api/events/stream`, auth), SseClient.open(`${base}/api/events/stream`, auth)]);
      await Promise.all(streams.map((s) => s.next((e) => e.event === 'ready')));
      one.child.kill('SIGTERM');
      const until = Date.now() + 3000;
      while (streams.some((s) => !s.ended) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      // ended by the signal, not by the stores closing: the process is still in its delay
      expect(streams.map((s) => s.ended)).toEqual([true, true]);
      expect(one.child.exitCode).toBeNull();
      const refused = await SseClient.open(`${base}/api/events/stream`, auth).catch((e) => e);
      expect([refused.status, JSON.parse(refused.body).code]).toEqual([503, 'shutting-down']);
      expect(await one.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (one.child.exitCode === null) one.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
