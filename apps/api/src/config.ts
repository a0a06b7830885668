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
  /** pino level of the JSON logs (LOG_LEVEL) */
  logLevel: LogLevel;
  /** one log line per request (LOG_REQUESTS) */
  logRequests: boolean;
  /**
   * Prometheus metrics (see docs/operations.md): with METRICS_TOKEN, GET /api/metrics on the API
   * port answers a request carrying `Authorization: Bearer <token>`; with METRICS_ADDRESS they
   * are served on that address instead (and /api/metrics on the API port answers 404). With
   * neither, metrics are off: nothing is collected and /api/metrics answers 404.
   */
  metrics: { token: string | null; address: { host: string; port: number } | null };
  /** readiness is false while the read models are more than this many positions behind the log */
  readyMaxLag: number;
  http: HttpLimits;
  /** the built web console served at / (WEB_DIR; null: dist/web found beside the API or in the working directory) */
  webDir: string | null;
  identity: IdentityConfig;
  /** e-mail, digest and webhooks (see notifications/notifications.config.ts) */
  notifications: NotificationsConfig;
}

/** People, sign-in and access (docs/notes/identity.md) */
export interface IdentityConfig {
  /** where people open the console: one-time links and the SSO redirect are built on it */
  publicUrl: string;
  /** true when PUBLIC_URL was not set (SSO then answers to the request's own origin) */
  publicUrlIsDefault: boolean;
  /** the secret the identity keys are derived from: AUTH_SECRET, else JWT_SECRET */
  secret: string;
  /** set once e-mail is configured; until then the inviter is shown the invitation link */
  smtpUrl: string | null;
  staffIdleMinutes: number;
  customerIdleMinutes: number;
  absoluteMinutes: number;
  invitationValidMinutes: number;
  passwordResetValidMinutes: number;
  setupLinkValidMinutes: number;
  /** staff holding one of these roles must enrol a TOTP second factor */
  mfaRequiredRoles: string[];
  /** scrypt cost: log2(N) */
  scryptLn: number;
  oidc: { issuer: string; clientId: string; clientSecret: string; audience: string } | null;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface HttpLimits {
  /** largest request body of an ordinary (JSON) route, bytes */
  bodyLimitBytes: number;
  /** the whole request must arrive within this (slow clients), ms; 0 = no limit */
  requestTimeoutMs: number;
  /** an idle keep-alive connection is closed after this, ms (above the proxy's own) */
  keepAliveTimeoutMs: number;
  /** origins allowed by CORS; empty: CORS off (no CORS headers at all) */
  corsOrigins: string[];
  /** Fastify's trustProxy: which proxies' X-Forwarded-* headers are believed (req.ip, req.protocol) */
  trustProxy: boolean | number | string[];
  /** requests per window per client IP and per token or session; 0 = no limit */
  rateLimit: { perIp: number; perToken: number; windowMs: number };
  /** on SIGTERM: how long in-flight requests may take before their connections are closed, ms */
  shutdownTimeoutMs: number;
  /** on SIGTERM: how long readiness answers 503 before the listener closes (load balancer notices), ms */
  shutdownDelayMs: number;
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

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
  return fallback;
}

/** host:port (IPv6 in brackets), e.g. 127.0.0.1:9464, 0.0.0.0:9464, [::1]:9464 */
function address(env: NodeJS.ProcessEnv, name: string, problems: string[]): { host: string; port: number } | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    problems.push(`${name} must be host:port (e.g. 127.0.0.1:9464), got ${JSON.stringify(raw)}`);
    return null;
  }
  return { host: m[1] ?? m[2], port };
}

function origins(env: NodeJS.ProcessEnv, name: string, problems: string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((o) => o.trim()).filter((o) => o.length > 0);
  for (const o of list) {
    let ok = false;
    try {
      const u = new URL(o);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`${name}: ${JSON.stringify(o)} is not an origin (scheme://host[:port], no path, no trailing slash)`);
  }
  return list;
}

function trustProxy(env: NodeJS.ProcessEnv, problems: string[]): boolean | number | string[] {
  const raw = env.TRUST_PROXY;
  // default: believe X-Forwarded-* only from proxies on this host or a private network, so a
  // client that reaches the API directly cannot choose its own address (throttles, logs)
  if (raw === undefined || raw === '') return ['loopback', 'linklocal', 'uniquelocal', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const ipOrCidr = /^(?:[0-9.]+|[0-9A-Fa-f:]+)(?:\/\d{1,3})?$|^(?:loopback|linklocal|uniquelocal)$/;
  const bad = list.filter((s) => !ipOrCidr.test(s));
  if (list.length === 0 || bad.length > 0) {
    problems.push(`TRUST_PROXY must be true, false, a hop count or a list of addresses/CIDRs (loopback, 10.0.0.0/8, ...), got ${JSON.stringify(raw)}`);
    return true;
  }
  return list;
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
  const logLevel = oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info', problems);
  const logRequests = bool(env, 'LOG_REQUESTS', true, problems);
  const metricsToken = env.METRICS_TOKEN || null;
  if (metricsToken !== null && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  const metricsAddress = address(env, 'METRICS_ADDRESS', problems);
  const readyMaxLag = int(env, 'READY_MAX_LAG', 1000, 0, Number.MAX_SAFE_INTEGER, problems);
  const http: HttpLimits = {
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024, problems),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 30_000, 0, 3_600_000, problems),
    keepAliveTimeoutMs: int(env, 'KEEP_ALIVE_TIMEOUT_MS', 72_000, 1000, 3_600_000, problems),
    corsOrigins: origins(env, 'CORS_ORIGINS', problems),
    trustProxy: trustProxy(env, problems),
    rateLimit: {
      perIp: int(env, 'RATE_LIMIT_PER_IP', 6000, 0, 100_000_000, problems),
      perToken: int(env, 'RATE_LIMIT_PER_TOKEN', 3000, 0, 100_000_000, problems),
      windowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000, problems),
    },
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000, problems),
    shutdownDelayMs: int(env, 'SHUTDOWN_DELAY_MS', 0, 0, 600_000, problems),
  };
  const attachmentsMaxBytes = int(env, 'ATTACHMENTS_MAX_BYTES', DEFAULT_ATTACHMENTS_MAX_BYTES, 1, 1024 * 1024 * 1024, problems);
  const liveHeartbeatMs = int(env, 'LIVE_HEARTBEAT_MS', 15000, 100, 300_000, problems);
  const identity = loadIdentityConfig(env, port, jwtSecret, problems);
  const notifications = loadNotificationsConfig(env, identity.publicUrl, (name, fallback, min, max) => int(env, name, fallback, min, max, problems), problems);
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
    logLevel,
    logRequests,
    metrics: { token: metricsToken, address: metricsAddress },
    readyMaxLag,
    http,
    attachmentsMaxBytes,
    liveHeartbeatMs,
    webDir: env.WEB_DIR ? path.resolve(env.WEB_DIR) : null,
    identity,
    notifications,
  };
}

const STAFF_ROLE_NAMES = ['agent', 'supervisor', 'auditor', 'finance', 'admin'];

function loadIdentityConfig(env: NodeJS.ProcessEnv, port: number, jwtSecret: string, problems: string[]): IdentityConfig {
  const publicUrlRaw = env.PUBLIC_URL || '';
  let publicUrl = `http://localhost:${port}`;
  if (publicUrlRaw) {
    try {
      const u = new URL(publicUrlRaw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
      publicUrl = publicUrlRaw.replace(/\/+$/, '');
    } catch {
      problems.push(`PUBLIC_URL must be an http(s) URL such as https://mesa.example.mx, got ${JSON.stringify(publicUrlRaw)}`);
    }
  }
  const secret = env.AUTH_SECRET || jwtSecret;
  if (env.AUTH_SECRET !== undefined && env.AUTH_SECRET.length > 0 && env.AUTH_SECRET.length < 32) problems.push('AUTH_SECRET must be at least 32 characters');
  const mfaRequiredRoles = (env.MFA_REQUIRED_ROLES ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const badRoles = mfaRequiredRoles.filter((r) => !STAFF_ROLE_NAMES.includes(r));
  if (badRoles.length) problems.push(`MFA_REQUIRED_ROLES may name only staff roles (${STAFF_ROLE_NAMES.join(', ')}), got ${badRoles.join(', ')}`);
  const issuer = env.OIDC_ISSUER || '';
  const clientId = env.OIDC_CLIENT_ID || '';
  const clientSecret = env.OIDC_CLIENT_SECRET || '';
  let oidc: IdentityConfig['oidc'] = null;
  if (issuer || clientId || clientSecret) {
    if (!issuer || !clientId || !clientSecret) problems.push('single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together');
    else {
      try {
        const u = new URL(issuer);
        if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))) throw new Error('not https');
        oidc = { issuer: issuer.replace(/\/+$/, ''), clientId, clientSecret, audience: env.OIDC_AUDIENCE || clientId };
      } catch {
        problems.push(`OIDC_ISSUER must be an https URL (http only for localhost), got ${JSON.stringify(issuer)}`);
      }
    }
  }
  return {
    publicUrl,
    publicUrlIsDefault: !publicUrlRaw,
    secret,
    smtpUrl: env.SMTP_URL || null,
    staffIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60, problems),
    customerIdleMinutes: int(env, 'SESSION_CUSTOMER_IDLE_MINUTES', 8 * 60, 1, 7 * 24 * 60, problems),
    absoluteMinutes: int(env, 'SESSION_ABSOLUTE_MINUTES', 12 * 60, 5, 30 * 24 * 60, problems),
    invitationValidMinutes: int(env, 'INVITATION_VALID_HOURS', 7 * 24, 1, 90 * 24, problems) * 60,
    passwordResetValidMinutes: int(env, 'PASSWORD_RESET_VALID_MINUTES', 60, 5, 24 * 60, problems),
    setupLinkValidMinutes: 24 * 60,
    mfaRequiredRoles,
    scryptLn: int(env, 'PASSWORD_SCRYPT_LN', 17, 10, 20, problems),
    oidc,
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
