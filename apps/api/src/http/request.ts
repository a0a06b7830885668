import { Inject, Injectable, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import { CommandEnvelope } from '@helpdesk/application';
import { CLOCK, Clock } from '../infrastructure/tokens';
import { AuthenticatedRequest } from './auth';
import { TOKEN_PATTERN } from './fields';
import { invalidRequest } from './problem';

/*
 * The request headers the API reads. Each is parsed here with the pattern its OpenAPI
 * declaration (the Api* decorators below) states, so the two cannot disagree. A header sent
 * empty is as wrong as any other value outside the pattern (400).
 */

const TOKEN = new RegExp(TOKEN_PATTERN);
/** a position: decimal digits */
export const MIN_POSITION_PATTERN = '^[0-9]{1,19}$';
const MIN_POSITION = new RegExp(MIN_POSITION_PATTERN);
/** "<version>", W/"<version>", a bare version, or * (no check) */
export const IF_MATCH_PATTERN = '^(\\*|(W/)?"-?[0-9]{1,15}"|-?[0-9]{1,15})$';
const IF_MATCH = new RegExp(IF_MATCH_PATTERN);

const header = (req: AuthenticatedRequest, name: string): string | undefined => {
  const raw = req.headers[name];
  return raw === undefined ? undefined : Array.isArray(raw) ? raw.join(', ') : raw;
};

export function correlationIdOf(req: AuthenticatedRequest): string {
  if (req.correlationId) return req.correlationId;
  const sent = header(req, 'x-correlation-id');
  if (sent !== undefined) {
    if (!TOKEN.test(sent)) throw invalidRequest([{ path: 'header X-Correlation-Id', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' }]);
    req.correlationId = sent;
  } else {
    // Fastify's request id is the correlation id its log lines carry (observability/logging.ts)
    req.correlationId = typeof req.id === 'string' && req.id.length > 0 ? req.id : randomUUID();
  }
  return req.correlationId;
}

/** If-Match: "<version>" (a weak W/ prefix is accepted; * means no check). */
export function ifMatchOf(req: AuthenticatedRequest): bigint | undefined {
  const raw = header(req, 'if-match');
  if (raw === undefined) return undefined;
  if (!IF_MATCH.test(raw)) throw invalidRequest([{ path: 'header If-Match', message: 'must be "<version>", the version of the ticket you saw' }]);
  if (raw === '*') return undefined;
  return BigInt(raw.replace(/^W\//, '').replace(/"/g, ''));
}

/** X-Min-Position: the position of a command you made; the query waits until the views include it. */
export function minPositionOf(req: AuthenticatedRequest): bigint | undefined {
  const raw = header(req, 'x-min-position');
  if (raw === undefined) return undefined;
  if (!MIN_POSITION.test(raw)) throw invalidRequest([{ path: 'header X-Min-Position', message: 'must be a non-negative integer position' }]);
  return BigInt(raw);
}

// ------------------------------------------------------------------ their declarations

export const ApiMinPosition = () =>
  ApiHeader({
    name: 'X-Min-Position',
    required: false,
    description: 'answer only once the read models include this position (a command answer\'s `position`); 503 read-model-behind with Retry-After if they do not in time',
    schema: { type: 'string', pattern: MIN_POSITION_PATTERN, example: '1' },
  });

export const ApiIfMatch = () =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'the ticket version you saw (its ETag); another current version is 409 version-conflict',
    schema: { type: 'string', pattern: IF_MATCH_PATTERN, example: '"3"' },
  });

export const ApiCorrelationId = () =>
  ApiHeader({
    name: 'X-Correlation-Id',
    required: false,
    description: 'recorded on the events this request causes (GET /api/tickets/{id}/history?correlationId=); generated when absent',
    schema: { type: 'string', pattern: TOKEN_PATTERN, example: 'req-2026-11-16-0001' },
  });

export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'makes a retry safe: the same key and body answer as the first time; another body is 409 id-reused',
    schema: { type: 'string', pattern: TOKEN_PATTERN, example: 'close-7c9e6679-1' },
  });

/** the headers every command reads */
export const ApiCommandHeaders = (options: { ifMatch?: boolean; idempotencyKey?: boolean } = {}) =>
  applyDecorators(ApiCorrelationId(), ...(options.ifMatch ? [ApiIfMatch()] : []), ...(options.idempotencyKey ? [ApiIdempotencyKey()] : []));

@Injectable()
export class Envelopes {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  for(req: AuthenticatedRequest, idempotency?: { key: string; body: unknown }, options: { ifMatch?: boolean } = {}): CommandEnvelope {
    const headerKey = header(req, 'idempotency-key');
    if (!idempotency && headerKey !== undefined) {
      if (!TOKEN.test(headerKey)) throw invalidRequest([{ path: 'header Idempotency-Key', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' }]);
      idempotency = { key: `${req.method} ${req.routeOptions?.url ?? req.url}:${headerKey}`, body: req.body ?? null };
    }
    return {
      actor: req.principal!,
      correlationId: correlationIdOf(req),
      causationId: null,
      now: this.now(),
      ...(idempotency ? { idempotency } : {}),
      ...(options.ifMatch ? { ifMatch: ifMatchOf(req) } : {}),
    };
  }
}
