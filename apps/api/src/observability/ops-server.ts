import { timingSafeEqual } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** `Authorization: Bearer <token>` equals the token (constant time); true when no token is configured */
export function bearerMatches(header: string | string[] | undefined, token: string | null): boolean {
  if (token === null) return true;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * A small HTTP listener of its own for operations (METRICS_ADDRESS): Prometheus scrapes it on
 * an address that is not published to users (a private interface, another port), so the
 * metrics need no route on the public API. GET only; paths given by the caller; when a token
 * is configured too, it is required here as well.
 */
export class OpsServer {
  private server: http.Server | null = null;

  constructor(
    private readonly address: { host: string; port: number },
    private readonly token: string | null,
    private readonly routes: Record<string, () => Promise<OpsAnswer>>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  async start(): Promise<AddressInfo> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.address.port, this.address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server.address() as AddressInfo;
  }

  /** the bound address (port 0 in the configuration gets an ephemeral port) */
  bound(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.routes[path];
    const send = (a: OpsAnswer) => {
      res.writeHead(a.status, { 'content-type': a.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : a.body);
    };
    if (!route) return send({ status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found\n' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send({ status: 405, contentType: 'text/plain; charset=utf-8', body: 'method not allowed\n' });
    }
    if (!bearerMatches(req.headers.authorization, this.token)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      return send({ status: 401, contentType: 'text/plain; charset=utf-8', body: 'unauthenticated\n' });
    }
    try {
      send(await route());
    } catch (err) {
      this.onError(err);
      send({ status: 500, contentType: 'text/plain; charset=utf-8', body: 'error\n' });
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
