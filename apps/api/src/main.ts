import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AddressInfo } from 'net';
import { createApp } from './app';
import { AppConfig, loadConfigOrExit } from './config';
import { eventStoreOpenNote, openEventStore, openReadStore } from './infrastructure/stores';
import { Shutdown } from './infrastructure/shutdown';
import { IdentityBootstrap } from './identity/setup-link';
import { findConsoleDir } from './http/console';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const events = await openEventStore(config);
  const integrity = eventStoreOpenNote(events);
  const views = await openReadStore(config);
  const shutdown = new Shutdown();
  const app = await createApp({ config, events, views, shutdown });
  const log = (app.getHttpAdapter().getInstance() as unknown as FastifyInstance).log;
  if (integrity) log.warn(integrity);
  if (config.jwtSecretIsDefault) {
    log.warn('JWT_SECRET is not set: using the development secret. Set JWT_SECRET before exposing this server.');
  }
  if (!config.metrics.token && !config.metrics.address) log.info('metrics are off (set METRICS_TOKEN or METRICS_ADDRESS)');
  handleSignals(app, config, shutdown, log);
  await app.listen(config.port, '0.0.0.0');
  const bound = app.getHttpServer().address() as AddressInfo;
  log.info(
    {
      port: bound.port,
      preset: `${config.preset.name} ${config.preset.version}`,
      eventStore: config.eventStore,
      readStore: config.readStore,
      projector: config.projector,
      ...(config.eventStore === 'sqlite' ? { dataDir: config.dataDir } : {}),
    },
    `listening on http://localhost:${bound.port}/api (docs /api/docs)`,
  );
  if (process.stderr.isTTY) process.stderr.write(banner(config, bound.port, app.get(IdentityBootstrap).lastSetupLink, findConsoleDir(config.webDir) !== null));
}

/**
 * What a person starting the server in a terminal needs, in plain words (the log lines are
 * JSON for machines): where to open the console and, on a first start, the one-time link that
 * creates the first administrator. Only on an interactive terminal; never in containers' logs.
 */
export function banner(config: AppConfig, port: number, setupLink: string | null, consoleBuilt: boolean): string {
  const url = config.identity.publicUrlIsDefault ? `http://localhost:${port}` : config.identity.publicUrl;
  const lines = [
    '',
    `  Helpdesk is running (preset ${config.preset.name}${config.eventStore === 'sqlite' ? `, data in ${config.dataDir}` : ''})`,
    consoleBuilt ? `  Open the console:   ${url}` : '  The console is not built: run `npm run build` (the API runs without it)',
    `  API and its docs:   ${url}/api/docs`,
  ];
  if (setupLink) {
    lines.push('', '  Nobody can sign in yet. Create the first administrator with this one-time link:', `    ${setupLink}`);
  }
  return lines.join('\n') + '\n\n';
}

/**
 * Graceful shutdown on SIGTERM (what `docker stop` and orchestrators send) and SIGINT:
 * 1. readiness answers 503 at once (Shutdown.begin; long-lived streams end) and, for
 *    SHUTDOWN_DELAY_MS, the listener still serves, so a load balancer stops sending;
 * 2. the listener closes: no new connections, idle keep-alive connections closed, requests
 *    arriving on busy connections answered 503; in-flight requests (commands) finish;
 * 3. after SHUTDOWN_TIMEOUT_MS, connections still open are closed;
 * 4. the scheduler finishes its pass, the projector its page, the event store its queued
 *    group commit (every acknowledged append is already durable: synchronous=FULL), and the
 *    stores close (writer lock released). Exit 0; a second signal or a hang past the timeout
 *    exits 1.
 */
function handleSignals(app: NestFastifyApplication, config: AppConfig, shutdown: Shutdown, log: FastifyInstance['log']): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal }, 'second signal during shutdown: exiting now');
      process.exit(1);
    }
    closing = true;
    void (async () => {
      const { shutdownDelayMs, shutdownTimeoutMs } = config.http;
      log.info({ signal, delayMs: shutdownDelayMs, timeoutMs: shutdownTimeoutMs }, 'shutting down: not ready, finishing in-flight requests');
      shutdown.begin();
      const hardDeadline = setTimeout(() => {
        log.error('shutdown did not finish in time: exiting');
        process.exit(1);
      }, shutdownDelayMs + shutdownTimeoutMs + 15_000);
      hardDeadline.unref();
      if (shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, shutdownDelayMs));
      const server = app.getHttpServer();
      const force = setTimeout(() => {
        log.warn('in-flight requests still open after SHUTDOWN_TIMEOUT_MS: closing their connections');
        server.closeAllConnections();
      }, shutdownTimeoutMs);
      force.unref();
      try {
        await app.close();
      } catch (err) {
        log.error({ err }, 'error while shutting down');
        process.exit(1);
      }
      clearTimeout(force);
      log.info('shutdown complete: stores closed');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
