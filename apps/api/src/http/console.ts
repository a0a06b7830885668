/**
 * Serves the web console (apps/web, built by `npm run build` into dist/web) at `/` in every
 * mode: its files with long-lived caching for the hashed assets, pre-compressed copies when the
 * build wrote them, and index.html for every other GET outside /api (the console's routes),
 * so a reload on /tickets/123 works. /api is untouched: an unknown /api path still answers the
 * API's 404 problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** where the built console is: WEB_DIR, else dist/web beside the compiled API or in the working directory */
export function findConsoleDir(configured: string | null): string | null {
  const candidates = configured
    ? [configured]
    : [path.resolve(__dirname, '../../../../web'), path.resolve(__dirname, '../../../../dist/web'), path.resolve(process.cwd(), 'dist/web')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? null;
}

const NOT_BUILT = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Mesa de ayuda</title></head>
<body><main><h1>La consola web no está compilada</h1><p>Ejecute <code>npm run build</code> y reinicie el servidor. La API sigue disponible en <a href="/api/docs">/api/docs</a>.</p>
<p lang="en">The web console is not built: run <code>npm run build</code> and restart. The API is at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`;

export async function serveConsole(app: NestFastifyApplication, webDir: string | null): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const isApi = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
  if (!webDir) {
    fastify.get('/*', (req: FastifyRequest, reply: FastifyReply) => {
      if (isApi(req.url)) return reply.callNotFound();
      return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    });
    fastify.get('/', (_req: FastifyRequest, reply: FastifyReply) => reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT));
    return;
  }
  await app.register(fastifyStatic as never, {
    root: webDir,
    prefix: '/',
    wildcard: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply: FastifyReply, file: string) => {
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = (reply: FastifyReply) =>
    (reply as FastifyReply & { sendFile(file: string, root?: string): FastifyReply })
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .sendFile('index.html', webDir);
  fastify.get('/', (_req: FastifyRequest, reply: FastifyReply) => sendIndex(reply));
  fastify.get('/*', (req: FastifyRequest, reply: FastifyReply) => {
    // /api keeps its own 404; a missing asset file is a 404, not the page
    if (isApi(req.url) || req.url.startsWith('/assets/')) return reply.callNotFound();
    return sendIndex(reply);
  });
}
