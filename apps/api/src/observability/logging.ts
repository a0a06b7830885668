import { LoggerService } from '@nestjs/common';
import { randomUUID } from 'crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'http';
import type { AppConfig } from '../config';
import type { Metrics } from './metrics';

/** X-Correlation-Id a client may choose (same rule as apps/api/src/http/request.ts) */
export const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's request id is the correlation id: the client's X-Correlation-Id when it is valid,
 * else a new UUID. Every log line of the request carries it as `correlationId`, and the
 * command envelope records the same value on the events it appends (correlationIdOf). An
 * invalid header is answered 400 by the commands that read it; the logs use a fresh UUID.
 */
export function genCorrelationId(req: IncomingMessage): string {
  const sent = req.headers['x-correlation-id'];
  return typeof sent === 'string' && CORRELATION_ID.test(sent) ? sent : randomUUID();
}

/**
 * Paths pino censors wherever an object is logged (defence in depth: request logging below
 * never logs headers or bodies). No secrets in logs: credentials, cookies, tokens, passwords.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-metrics-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'authorization',
  'cookie',
  'password',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'totpCode',
  'recoveryCode',
  'csrfToken',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.totpCode',
  '*.recoveryCode',
  '*.csrfToken',
  '*.authorization',
  '*.cookie',
];

/**
 * The options of Fastify's pino logger: JSON lines on stdout (or the given stream, in tests),
 * ISO times, level names, the correlation id on every request-bound line.
 */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>, stream?: NodeJS.WritableStream, service = 'helpdesk-api'): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    base: { service, pid: process.pid },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // request logging is ours (one line per request, see installRequestHooks); these keep any
    // req/res an error carries down to what is safe to log
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, path: pathOf(req.url) }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
    },
  } as FastifyServerOptions['logger'];
}

/** the path without its query string (a query may hold search text, an OIDC code or state) */
export function pathOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * One log line per response and the HTTP metrics, in Fastify's onResponse hook (after the
 * response is sent, off the request's latency): method, route template, path (no query),
 * status, duration, the actor's id (set by the auth guard) and, bound by Fastify, the
 * correlation id. No headers, no bodies, no client address or user agent (personal data).
 */
export function installRequestHooks(fastify: FastifyInstance, options: { logRequests: boolean; metrics: Metrics | null }): void {
  const { logRequests, metrics } = options;
  if (!logRequests && !metrics) return;
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    metrics?.http(req.method, route, status, ms / 1000);
    if (logRequests) {
      const actor = (req as { principal?: { id?: string } }).principal?.id ?? null;
      const line = { method: req.method, route, path: pathOf(req.url), status, ms: Math.round(ms * 100) / 100, actor };
      if (status >= 500) req.log.error(line, 'request failed');
      else req.log.info(line, 'request');
    }
    done();
  });
}

const QUIET_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader', 'NestFactory', 'NestApplication', 'NestApplicationContext']);

/**
 * NestJS's logger on the same pino instance, so that every line the process writes is JSON
 * (Nest's own start-up chatter, route by route, goes to debug).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: FastifyBaseLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    this.write(context && QUIET_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    const stack = rest.length >= 2 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) this.logger.error({ context, err: message }, message.message);
    else this.logger.error({ context, ...(stack ? { stack } : {}) }, String(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, contextOf(rest));
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, contextOf(rest));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, contextOf(rest));
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, contextOf(rest));
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, context: string | undefined): void {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...(message as object) });
    else this.logger[level]({ context }, String(message));
  }
}

function contextOf(rest: unknown[]): string | undefined {
  const last = rest[rest.length - 1];
  return typeof last === 'string' ? last : undefined;
}
