import * as path from 'path';
import { Preset, loadPreset } from '@helpdesk/domain/presets';
import { NotificationsConfig, loadNotificationsConfig } from './notifications/notifications.config';

export const APP_CONFIG = Symbol('APP_CONFIG');

export const DEV_JWT_SECRET = 'helpdesk-development-secret-change-me';

export interface AppConfig {
  port: number;
  dataDir: string;
  jwtSecret: string;
  jwtSecretIsDefault: boolean;
  presetName: string;
  preset: Preset;
  eventStore: 'sqlite' | 'eventstoredb';
  eventStoreUrl: string | null;
  readStore: 'embedded' | 'mongodb';
  mongoUrl: string | null;
  /** in-process: the API runs the projector and scheduler; external: apps/projector does */
  projector: 'in-process' | 'external';
  /** how long a query with X-Min-Position waits for the read models */
  minPositionWaitMs: number;
  schedulerIntervalMs: number;
  /** largest attachment accepted by POST /api/attachments (bytes); beyond it 413 */
  attachmentsMaxBytes: number;
  /** live updates (GET /api/events/stream): heartbeat comment interval */
  liveHeartbeatMs: number;
  /** e-mail, digest and webhooks (see notifications/notifications.config.ts) */
  notifications: NotificationsConfig;
}

/** 20 MB, the default attachment size limit */
export const DEFAULT_ATTACHMENTS_MAX_BYTES = 20 * 1024 * 1024;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return n;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: T[], fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as string[]).includes(raw)) {
    problems.push(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return raw as T;
}

/** Reads and validates the environment (api.md, Configuration); every problem is reported at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = int(env, 'PORT', 3000, 0, 65535, problems);
  const eventStore = oneOf(env, 'EVENT_STORE', ['sqlite', 'eventstoredb'], 'sqlite', problems);
  const readStore = oneOf(env, 'READ_STORE', ['embedded', 'mongodb'], 'embedded', problems);
  const eventStoreUrl = env.EVENTSTORE_URL || null;
  const mongoUrl = env.MONGO_URL || null;
  if (eventStore === 'eventstoredb' && !eventStoreUrl) problems.push('EVENT_STORE=eventstoredb needs EVENTSTORE_URL (e.g. esdb://localhost:2113?tls=false)');
  if (readStore === 'mongodb' && !mongoUrl) problems.push('READ_STORE=mongodb needs MONGO_URL (e.g. mongodb://localhost:27017/helpdesk)');
  const projector = oneOf(env, 'PROJECTOR', ['in-process', 'external'], 'in-process', problems);
  if (projector === 'in-process' && eventStore === 'sqlite' && readStore === 'mongodb') {
    // allowed: embedded events, MongoDB views, projector in the API process
  }
  const presetName = env.HELPDESK_PRESET || 'impera';
  let preset: Preset | undefined;
  try {
    preset = loadPreset(presetName, env.HELPDESK_PRESET_DIR || undefined);
  } catch (err) {
    problems.push(`HELPDESK_PRESET=${presetName}: ${(err as Error).message}`);
  }
  const jwtSecret = env.JWT_SECRET || DEV_JWT_SECRET;
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET.length > 0 && env.JWT_SECRET.length < 16) {
    problems.push('JWT_SECRET must be at least 16 characters');
  }
  const minPositionWaitMs = int(env, 'MIN_POSITION_WAIT_MS', 5000, 0, 60000, problems);
  const schedulerIntervalMs = int(env, 'SCHEDULER_INTERVAL_MS', 15000, 100, 3_600_000, problems);
  const attachmentsMaxBytes = int(env, 'ATTACHMENTS_MAX_BYTES', DEFAULT_ATTACHMENTS_MAX_BYTES, 1, 1024 * 1024 * 1024, problems);
  const liveHeartbeatMs = int(env, 'LIVE_HEARTBEAT_MS', 15000, 100, 300_000, problems);
  const notifications = loadNotificationsConfig(env, (name, fallback, min, max) => int(env, name, fallback, min, max, problems), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    jwtSecret,
    jwtSecretIsDefault: !env.JWT_SECRET,
    presetName,
    preset: preset!,
    eventStore,
    eventStoreUrl,
    readStore,
    mongoUrl,
    projector,
    minPositionWaitMs,
    schedulerIntervalMs,
    attachmentsMaxBytes,
    liveHeartbeatMs,
    notifications,
  };
}

/** loadConfig for the apps' entry points: a bad configuration prints every problem and exits 2 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
