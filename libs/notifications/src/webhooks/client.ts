/**
 * One webhook POST to an address already checked by the SSRF guard: the connection goes to
 * that address (the `lookup` is pinned to it), while the Host header and TLS name stay the
 * URL's host. Redirects are not followed (a 3xx is a failed delivery); the answer's body is
 * read up to 4 KB for the delivery log.
 */
import * as http from 'http';
import * as https from 'https';
import type { LookupFunction } from 'net';
import type { CheckedTarget } from './ssrf';

export interface WebhookResponse {
  status: number;
  body: string;
}

export type WebhookPoster = (target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<WebhookResponse>;

export const postWebhook: WebhookPoster = (target, headers, body, timeoutMs) =>
  new Promise<WebhookResponse>((resolve, reject) => {
    const { url, address, family } = target;
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        lookup: pinned,
        agent: false,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'helpdesk-webhooks/1.0',
        },
        timeout: timeoutMs,
      },
      (res) => {
        let received = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (received.length < 4096) received += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: received.slice(0, 4096) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
