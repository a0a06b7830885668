import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig, HttpLimits } from '../config';
import { problem } from './problem';

/**
 * The Content-Security-Policy of every response. The web console (a React SPA with Mantine,
 * served by the API at /) and Swagger UI (/api/docs) both work under it:
 * - scripts only from this origin ('self'): the SPA's bundles, Swagger UI's three files; no
 *   inline script, no eval;
 * - styles from 'self' and 'unsafe-inline': Mantine writes its CSS variables in a <style> tag
 *   at run time and components set style attributes; Swagger UI's page has inline <style>.
 *   A nonce would need the HTML rendered per response (the SPA is static files); inline
 *   styles cannot run code, so this is the usual trade;
 * - images from 'self', data: (icons inlined by the bundlers and Swagger UI's CSS) and blob:
 *   (previews of attachments the console builds in the browser); fonts from 'self' and data:;
 * - fetch, XHR and EventSource (live updates) only to this origin;
 * - no plugins, no framing by other sites (clickjacking), forms post only here, <base> fixed.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
  'base-uri': ["'self'"],
  'script-src-attr': ["'none'"],
  'upgrade-insecure-requests': null,
};

/** route config key read by installBodyLimits */
export type BodyLimitSpec = number | 'attachment';

/**
 * The largest request body a route accepts. Ordinary JSON routes get BODY_LIMIT_BYTES; a route
 * decorated `@BodyLimit('attachment')` gets ATTACHMENTS_MAX_BYTES, `@BodyLimit(n)` n bytes.
 * Fastify enforces it while reading the body (413 before parsing). A multipart route reads its
 * limit back from `req.routeOptions.bodyLimit` for @fastify/multipart's `limits.fileSize`,
 * since multipart streams are not read by Fastify's body parsers.
 *
 * Merges into the route's Fastify config (put it above any @RouteConfig, which replaces it).
 */
export function BodyLimit(limit: BodyLimitSpec): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const existing = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, descriptor.value) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...existing, bodyLimit: limit }, descriptor.value);
    return descriptor;
  };
}

/** per-route body limits (see BodyLimit); must run before routes are registered */
export function installBodyLimits(fastify: FastifyInstance, limits: { bodyLimitBytes: number; attachmentMaxBytes: number }): void {
  fastify.addHook('onRoute', (route) => {
    const wanted = (route.config as { bodyLimit?: BodyLimitSpec } | undefined)?.bodyLimit as BodyLimitSpec | undefined;
    if (wanted === 'attachment') route.bodyLimit = limits.attachmentMaxBytes;
    else if (typeof wanted === 'number') route.bodyLimit = wanted;
    else if (route.bodyLimit === undefined) route.bodyLimit = limits.bodyLimitBytes;
  });
}

/** routes that are never rate limited: probes and scrapes come often, from few addresses */
const UNLIMITED = /^\/api\/(health|metrics)(\/|$)/;

/** the token or session a request carries, hashed (the limiter's key; the secret is not kept) */
export function credentialKey(req: FastifyRequest): string {
  const auth = req.headers.authorization;
  let secret: string | undefined;
  if (typeof auth === 'string' && auth.length > 7) secret = auth;
  else {
    const cookie = req.headers.cookie;
    if (typeof cookie === 'string') {
      const m = /(?:^|;\s*)hd_session=([^;]+)/.exec(cookie);
      if (m) secret = m[1];
    }
  }
  return secret ? createHash('sha256').update(secret).digest('base64url') : '';
}

function tooMany(reply: FastifyReply, seconds: number, per: 'ip' | 'token') {
  const retryAfter = Math.max(1, seconds);
  return reply
    .code(429)
    .header('retry-after', String(retryAfter))
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(
      JSON.stringify(
        problem(429, 'rate-limited', `too many requests ${per === 'ip' ? 'from this address' : 'with this token or session'}; retry after ${retryAfter} s`, {
          retryAfter,
        }),
      ),
    );
}

/**
 * Rate limits with @fastify/rate-limit's counters: every request counts against its client
 * address (req.ip, which believes X-Forwarded-For only from TRUST_PROXY), and a request with
 * a bearer token or a session cookie also against that credential. Both are checked, so
 * neither many tokens from one address nor one token from many addresses escapes. Over
 * either limit: 429 problem+json `rate-limited` with Retry-After. Health and metrics are not
 * limited. Counters are per process: behind N replicas a client gets up to N times the limit.
 */
async function installRateLimits(app: NestFastifyApplication, fastify: FastifyInstance, limits: HttpLimits['rateLimit']): Promise<void> {
  if (limits.perIp === 0 && limits.perToken === 0) return;
  await app.register(rateLimit as never, { global: false, cache: 10_000 });
  type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;
  const create = (fastify as unknown as { createRateLimit(o: object): Limiter }).createRateLimit.bind(fastify);
  const perIp = limits.perIp > 0 ? create({ max: limits.perIp, timeWindow: limits.windowMs }) : null;
  const perToken =
    limits.perToken > 0
      ? create({ max: limits.perToken, timeWindow: limits.windowMs, keyGenerator: credentialKey, allowList: (_req: FastifyRequest, key: string) => key === '' })
      : null;
  fastify.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url;
    if (route !== undefined && UNLIMITED.test(route)) return;
    if (perIp) {
      const r = await perIp(req);
      if (r.isExceeded) return tooMany(reply, r.ttlInSeconds ?? 1, 'ip');
    }
    if (perToken) {
      const r = await perToken(req);
      if (!r.isAllowed && r.isExceeded) return tooMany(reply, r.ttlInSeconds ?? 1, 'token');
    }
  });
}

/**
 * Security headers (helmet, with CONTENT_SECURITY_POLICY), CORS (off unless CORS_ORIGINS
 * lists origins), per-route body limits and rate limits. Call before routes are registered.
 */
export async function installHardening(app: NestFastifyApplication, config: Pick<AppConfig, 'http' | 'attachmentsMaxBytes'>): Promise<void> {
  const limits = config.http;
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  installBodyLimits(fastify, { bodyLimitBytes: limits.bodyLimitBytes, attachmentMaxBytes: config.attachmentsMaxBytes });
  await app.register(helmet as never, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // the API's own documents are not embedded elsewhere; same-origin is what the console needs
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  if (limits.corsOrigins.length > 0) {
    await app.register(cors as never, {
      origin: limits.corsOrigins,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Min-Position', 'X-Correlation-Id', 'X-CSRF-Token', 'Last-Event-ID'],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Content-Disposition'],
      maxAge: 600,
    });
  }
  await installRateLimits(app, fastify, limits.rateLimit);
}
