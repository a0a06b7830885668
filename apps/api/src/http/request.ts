import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { CommandEnvelope } from '@helpdesk/application';
import { CLOCK, Clock } from '../infrastructure/tokens';
import { AuthenticatedRequest } from './auth';
import { invalidRequest } from './problem';

const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdOf(req: AuthenticatedRequest): string {
  if (req.correlationId) return req.correlationId;
  const sent = req.headers['x-correlation-id'];
  if (typeof sent === 'string' && sent.length > 0) {
    if (!CORRELATION.test(sent)) throw invalidRequest([{ path: 'header X-Correlation-Id', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' }]);
    req.correlationId = sent;
  } else {
    // Fastify's request id is the correlation id its log lines carry (observability/logging.ts)
    req.correlationId = typeof req.id === 'string' && req.id.length > 0 ? req.id : randomUUID();
  }
  return req.correlationId;
}

/** If-Match: "<version>" (a weak W/ prefix is accepted; * means no check). */
export function ifMatchOf(req: AuthenticatedRequest): bigint | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined || raw === '*') return undefined;
  const m = /^(?:W\/)?"?(-?\d{1,15})"?$/.exec(String(raw).trim());
  if (!m) throw invalidRequest([{ path: 'header If-Match', message: 'must be "<version>", the version of the ticket you saw' }]);
  return BigInt(m[1]);
}

/** X-Min-Position: the position of a command you made; the query waits until the views include it. */
export function minPositionOf(req: AuthenticatedRequest): bigint | undefined {
  const raw = req.headers['x-min-position'];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,19}$/.test(String(raw))) throw invalidRequest([{ path: 'header X-Min-Position', message: 'must be a non-negative integer position' }]);
  return BigInt(String(raw));
}

@Injectable()
export class Envelopes {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  for(req: AuthenticatedRequest, idempotency?: { key: string; body: unknown }, options: { ifMatch?: boolean } = {}): CommandEnvelope {
    const headerKey = req.headers['idempotency-key'];
    if (!idempotency && typeof headerKey === 'string' && headerKey.length > 0) {
      if (!CORRELATION.test(headerKey)) throw invalidRequest([{ path: 'header Idempotency-Key', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' }]);
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
