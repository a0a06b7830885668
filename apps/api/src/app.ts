import 'reflect-metadata';
import * as http from 'http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import multipart from '@fastify/multipart';
import fastifyCookie from '@fastify/cookie';
import { FastifyInstance, LogController } from 'fastify';
import { AppDependencies, AppModule, metricsEnabled } from './app.module';
import { installHardening } from './http/hardening';
import { findConsoleDir, serveConsole } from './http/console';
import { SECURITY_SCHEMES, finishDocument } from './http/openapi';
import { RouteMethods } from './http/problem';
import { validationPipe } from './http/validation';
import { QUERY_MODELS } from './queries/query-controllers';
import { Shutdown } from './infrastructure/shutdown';
import { PinoNestLogger, genCorrelationId, installRequestHooks, loggerOptions } from './observability/logging';
import { Metrics } from './observability/metrics';
import { openCredentialStore } from './infrastructure/stores';

export interface CreateAppOptions {
  /** false: no logs at all (most tests); default: JSON lines (pino) on stdout */
  logger?: boolean;
  /** where the JSON log lines go instead of stdout (tests that read them) */
  logStream?: NodeJS.WritableStream;
}
import { openNotificationStore } from './notifications/runtime';

/**
 * Builds the HTTP application on Fastify (NestJS on Fastify serves about twice the requests
 * of Express). Used by main.ts and by the API tests (supertest against app.getHttpServer()).
 *
 * Logs are JSON lines from Fastify's pino, Nest's own included; each request-bound line
 * carries the correlation id. Metrics, security headers, CORS, body and rate limits, and
 * timeouts follow the configuration (docs/operations.md). Signals are handled by main.ts
 * (graceful shutdown), not here.
 */
export async function createApp(
  deps: Omit<AppDependencies, 'credentials'> & Partial<Pick<AppDependencies, 'credentials'>>,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const { config } = deps;
  const logging = options.logger !== false;
  const limits = config.http;
  const adapter = new FastifyAdapter({
    bodyLimit: limits.bodyLimitBytes,
    // a long path parameter reaches the route (a problem+json 400 or 404) instead of the
    // router's bare 414 (Fastify's default limit is 100 characters)
    routerOptions: { maxParamLength: 2048 },
    trustProxy: limits.trustProxy,
    logger: logging ? loggerOptions(config, options.logStream) : false,
    // one line per request is ours (installRequestHooks), under the label correlationId
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    genReqId: genCorrelationId,
    requestIdHeader: false,
    // the whole request (headers and body) must arrive within REQUEST_TIMEOUT_MS, else 408
    // (checked every quarter of it); idle keep-alive connections close after KEEP_ALIVE_TIMEOUT_MS
    serverFactory: (handler: http.RequestListener) => {
      const server = http.createServer(
        {
          requestTimeout: limits.requestTimeoutMs,
          connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor((limits.requestTimeoutMs || 120_000) / 4))),
        },
        handler,
      );
      server.keepAliveTimeout = limits.keepAliveTimeoutMs;
      return server;
    },
    // on close: idle keep-alive connections are closed at once, requests on the way get 503
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  } as ConstructorParameters<typeof FastifyAdapter>[0]);
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  // every route's methods, for 405 Method Not Allowed with Allow on known paths (ProblemFilter)
  const routeMethods = new RouteMethods();
  fastify.decorate('routeMethods', routeMethods);
  fastify.addHook('onRoute', (route) => {
    routeMethods.add(route.url, route.method);
    if (route.exposeHeadRoute !== false && ([] as string[]).concat(route.method).includes('GET')) routeMethods.add(route.url, 'HEAD');
  });
  const metrics = deps.metrics ?? (metricsEnabled(config) ? new Metrics({ app: 'api' }) : null);
  const credentials = deps.credentials ?? (await openCredentialStore(config));
  const notifications = deps.notifications ?? (await openNotificationStore(config));
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({ ...deps, credentials, notifications, metrics, shutdown: deps.shutdown ?? new Shutdown() }),
    adapter,
    logging ? { bufferLogs: true } : { logger: false },
  );
  if (logging) {
    app.useLogger(new PinoNestLogger(fastify.log));
    app.flushLogs();
  }
  // the session cookie (hd_session) is read with @fastify/cookie
  await app.register(fastifyCookie as never);
  // multipart bodies (POST /api/attachments) are streamed, never buffered whole; limits per request there
  await app.register(multipart as never, { throwFileSizeLimit: true });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(validationPipe);
  installRequestHooks(fastify, { logRequests: logging && config.logRequests, metrics });
  await installHardening(app, config);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Helpdesk API')
      .setDescription(
        'Event-sourced support desk: tickets and SLA clocks, policies, quotes, customer authorizations, billed minutes, audit. ' +
          'Errors are application/problem+json with a stable `code`. Commands answer with the stream `version` and global `position`; ' +
          'send `X-Min-Position: <position>` on a query to read your write.',
      )
      .setVersion('1.0')
      .addBearerAuth({ ...SECURITY_SCHEMES.bearer }, 'bearer')
      .addCookieAuth('hd_session', { ...SECURITY_SCHEMES.cookie }, 'cookie')
      .addApiKey({ ...SECURITY_SCHEMES.csrf }, 'csrf')
      .addSecurity('metricsToken', { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (GET /api/metrics only)' })
      .build(),
    { extraModels: QUERY_MODELS },
  );
  finishDocument(document, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json' });
  // the web console at / (static files, single-page fallback outside /api)
  await serveConsole(app, findConsoleDir(deps.config.webDir));
  await app.init();
  await fastify.ready();
  return app;
}

export { Logger };
