/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): headers `webhook-id` (the
 * message id, the same on every attempt), `webhook-timestamp` (Unix seconds of this attempt)
 * and `webhook-signature` = `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)),
 * where the key is the base64 part of the secret `whsec_<base64>`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

const SECRET = /^whsec_([A-Za-z0-9+/]{32,}={0,2})$/;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** a secret given by the admin: whsec_ + base64 of 24 to 64 bytes */
export function isValidWebhookSecret(secret: string): boolean {
  const m = SECRET.exec(secret);
  if (!m) return false;
  const bytes = Buffer.from(m[1], 'base64');
  return bytes.length >= 24 && bytes.length <= 64 && bytes.toString('base64') === m[1];
}

function keyOf(secret: string): Buffer {
  const m = SECRET.exec(secret);
  if (!m) throw new TypeError('a webhook secret is whsec_<base64>');
  return Buffer.from(m[1], 'base64');
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function webhookHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, id, timestamp, body) };
}

/**
 * What a receiver does: check one of the space-separated `v1,` signatures and that the
 * timestamp is within `toleranceSeconds` of now (replay protection).
 */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = String(headers['webhook-signature'] ?? '').split(' ');
  if (!id || !Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body).slice(3), 'base64');
  return signatures.some((s) => {
    if (!s.startsWith('v1,')) return false;
    const given = Buffer.from(s.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
