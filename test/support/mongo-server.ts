/**
 * Starts the FerretDB test server (test/support/ferretdb, FerretDB v1 embedded with its SQLite
 * backend) and returns a MongoDB URL for it. Used by CI and the benchmarks to exercise the
 * MongoDB read-store adapter without a MongoDB installation.
 *
 * The binary is built with `go build` when it is missing and `go` is on the PATH. The server
 * exits when stop() is called, and also when this process dies (it watches its stdin).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export const FERRETDB_DIR = join(__dirname, 'ferretdb');
export const FERRETDB_BINARY = join(FERRETDB_DIR, process.platform === 'win32' ? 'ferretdb-test.exe' : 'ferretdb-test');

export interface MongoTestServer {
  /** e.g. mongodb://127.0.0.1:40123/ */
  url: string;
  stop(): Promise<void>;
}

/** builds the FerretDB test binary when it is missing; throws a plain message when it cannot */
export function ensureFerretDbBinary(): string {
  if (existsSync(FERRETDB_BINARY)) return FERRETDB_BINARY;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`FerretDB test binary ${FERRETDB_BINARY} is missing and Go is not installed to build it`);
  }
  execFileSync('go', ['build', '-o', FERRETDB_BINARY, '.'], {
    cwd: FERRETDB_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
  });
  return FERRETDB_BINARY;
}

export async function startFerretDb(options: { startTimeoutMs?: number } = {}): Promise<MongoTestServer> {
  const binary = ensureFerretDbBinary();
  const dataDir = mkdtempSync(join(tmpdir(), 'ferretdb-data-'));
  const child = spawn(binary, ['-addr', '127.0.0.1:0', '-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanupDir = () => rmSync(dataDir, { recursive: true, force: true });

  let url: string;
  try {
    url = await waitForUrl(child, options.startTimeoutMs ?? 20_000, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    cleanupDir();
    throw error;
  }
  // the server should not keep the test runner alive on its own
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  (child.stdin as unknown as { unref?: () => void }).unref?.();

  let stopped: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        cleanupDir();
      })();
      return stopped;
    },
  };
}

function waitForUrl(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`FerretDB did not start within ${timeoutMs} ms: ${stderr()}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('mongodb://'));
      if (line) {
        done();
        resolve(line.trim());
      }
    };
    const onExit = (code: number | null) => fail(new Error(`FerretDB exited (code ${code}) before listening: ${stderr()}`));
    const fail = (error: Error) => {
      done();
      reject(error);
    };
    const done = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}
