/**
 * A server for bench:http, in a process of its own (forked with an IPC channel):
 *   api  <dataDir>  the real API (createApp) on the embedded stores, as `npm start` runs it
 *   bare            a bare Fastify app: GET /bare and POST /bare (JSON in, JSON out), the
 *                   same machine's limit for one Node process answering HTTP
 * It answers {port} once listening and stops cleanly on the message 'stop'. With the messages
 * {profile: 'start'} and {profile: 'stop', file} it records a CPU profile of just that span
 * (the V8 inspector's sampling profiler, what `node --cpu-prof` uses) and answers {profiled: file}.
 */
import Fastify from 'fastify';
import * as fs from 'fs';
import { Session } from 'inspector/promises';
import * as path from 'path';

async function api(dataDir: string): Promise<{ port: number; close: () => Promise<void> }> {
  const { loadConfig } = await import('../../apps/api/src/config');
  const { createApp } = await import('../../apps/api/src/app');
  const { openEventStore, openReadStore } = await import('../../apps/api/src/infrastructure/stores');
  const config = loadConfig({
    // the rate limiter runs on every request, as in production, with limits this run stays under
    RATE_LIMIT_PER_IP: '100000000',
    RATE_LIMIT_PER_TOKEN: '100000000',
    ...process.env,
    DATA_DIR: dataDir,
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-for-the-http-benchmark',
    PORT: '0',
  });
  const events = await openEventStore(config);
  const views = await openReadStore(config);
  // as `npm start` runs it: JSON log lines (one per request) on stdout, which the bench discards
  const app = await createApp({ config, events, views });
  await app.listen(0, '127.0.0.1');
  return { port: (app.getHttpServer().address() as { port: number }).port, close: () => app.close() };
}

async function bare(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  let n = 0;
  app.get('/bare', async () => ({ ok: true, n: ++n }));
  app.post('/bare', async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    void reply.code(201);
    return { ok: true, n: ++n, fields: Object.keys(body ?? {}).length };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
}

async function main(): Promise<void> {
  const [kind, dataDir] = process.argv.slice(2);
  const server = kind === 'api' ? await api(path.resolve(dataDir)) : await bare();
  let session: Session | null = null;
  process.on('message', async (m: 'stop' | { profile: 'start' | 'stop'; file?: string }) => {
    if (m === 'stop') {
      await server.close();
      process.exit(0);
    }
    if (m.profile === 'start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      process.send!({ profiling: true });
    } else if (m.profile === 'stop' && session) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(m.file!, JSON.stringify(profile));
      session.disconnect();
      session = null;
      process.send!({ profiled: m.file });
    }
  });
  process.send!({ port: server.port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
