import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { Scheduler, SchedulerReport } from '@helpdesk/application';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { signToken } from '../../apps/api/src/http/auth';
import { Clock, READ_POSITION } from '../../apps/api/src/infrastructure/tokens';
import { ReadPosition } from '../../apps/api/src/infrastructure/read-position';

export const TEST_SECRET = 'test-secret-for-the-api-suites';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advanceMinutes(m: number): void {
    this.current = new Date(this.current.getTime() + m * 60_000);
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  clock: TestClock;
  dataDir: string;
  events: SqliteEventStore;
  views: SqliteReadStore;
  token(sub: string, roles: string[], customerId?: string): string;
  /** runs one scheduler pass at the test clock's now */
  runScheduler(): Promise<SchedulerReport>;
  /** waits until the read models include `position` (what X-Min-Position does over HTTP) */
  caughtUp(position: number): Promise<void>;
  auth(sub: string, roles: string[], customerId?: string): { Authorization: string };
  close(): Promise<void>;
}

/** The real API on a temp DATA_DIR with the embedded stores and the in-process projector. */
export async function startTestApp(
  options: {
    preset?: string;
    now?: string;
    env?: Record<string, string>;
    logStream?: NodeJS.WritableStream;
    /** an existing DATA_DIR (a restart); it is kept on close */
    dataDir?: string;
  } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-api-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_SECRET,
    HELPDESK_PRESET: options.preset ?? 'impera',
    SCHEDULER_INTERVAL_MS: '3600000',
    MIN_POSITION_WAIT_MS: '3000',
    // password hashes at a test cost (the default, 17, is OWASP's; libs/identity tests it)
    PASSWORD_SCRYPT_LN: '12',
    ...options.env,
  });
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const clock = new TestClock(new Date(options.now ?? '2026-11-16T16:00:00.000Z'));
  const app = await createApp({ config, events, views, clock }, options.logStream ? { logStream: options.logStream } : { logger: false });
  const server = app.getHttpServer();
  const token = (sub: string, roles: string[], customerId?: string) => signToken(TEST_SECRET, sub, roles, customerId);
  return {
    app,
    http: request(server),
    clock,
    dataDir,
    events,
    views,
    token,
    runScheduler: () => app.get(Scheduler).tick(),
    caughtUp: async (position: number) => {
      if (!(await app.get<ReadPosition>(READ_POSITION).waitFor(BigInt(position), 5000))) {
        throw new Error(`the read models did not reach position ${position}`);
      }
    },
    auth: (sub, roles, customerId) => ({ Authorization: `Bearer ${token(sub, roles, customerId)}` }),
    close: async () => {
      await app.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
