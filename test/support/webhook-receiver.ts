/**
 * An HTTP receiver for webhook deliveries (a real server on an ephemeral port) that checks
 * each signature the way the documentation tells integrators to, written here independently
 * of the server's code: base64(HMAC-SHA256(base64-decoded secret after "whsec_",
 * `${webhook-id}.${webhook-timestamp}.${raw body}`)), sent as "v1,<signature>".
 */
import { createHmac, timingSafeEqual } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ReceivedHook {
  path: string;
  id: string;
  timestamp: number;
  signature: string;
  /** per the secret registered for the path */
  signatureValid: boolean;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  status: number;
}

export interface WebhookReceiver {
  url(path: string): string;
  port: number;
  hooks: ReceivedHook[];
  /** the secret deliveries to a path are signed with (set after creating the subscription) */
  secrets: Map<string, string>;
  /** the status each path answers (default 200) */
  statuses: Map<string, number>;
  waitFor(predicate: (hooks: ReceivedHook[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function verifySignature(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    if (version !== 'v1' || !sig) return false;
    const given = Buffer.from(sig, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hooks: ReceivedHook[] = [];
  const secrets = new Map<string, string>();
  const statuses = new Map<string, number>();
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = String(req.headers['webhook-timestamp'] ?? '');
      const signature = String(req.headers['webhook-signature'] ?? '');
      const secret = secrets.get(path);
      const status = statuses.get(path) ?? 200;
      let json: ReceivedHook['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { type: '(not json)', timestamp: '', data: {} };
      }
      hooks.push({ path, id, timestamp: Number(timestamp), signature, signatureValid: !!secret && verifySignature(secret, id, timestamp, body, signature), body, json, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    port,
    hooks,
    secrets,
    statuses,
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(hooks)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for webhooks; got ${JSON.stringify(hooks.map((h) => [h.path, h.json.type, h.status]))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
