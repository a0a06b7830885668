import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fastifyCookie from '@fastify/cookie';
import { AppDependencies, AppModule } from './app.module';
import { validationPipe } from './http/validation';
import { openCredentialStore } from './infrastructure/stores';

/**
 * Builds the HTTP application on Fastify (NestJS on Fastify serves about twice the requests
 * of Express). Used by main.ts and by the API tests (supertest against app.getHttpServer()).
 */
export async function createApp(
  deps: Omit<AppDependencies, 'credentials'> & Partial<Pick<AppDependencies, 'credentials'>>,
  options: { logger?: boolean } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 2 * 1024 * 1024, trustProxy: true });
  const credentials = deps.credentials ?? (await openCredentialStore(deps.config));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register({ ...deps, credentials }), adapter, {
    logger: options.logger === false ? false : ['log', 'warn', 'error'],
    bufferLogs: false,
  });
  // the session cookie (hd_session) is read with @fastify/cookie
  await app.register(fastifyCookie as never);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(validationPipe);
  app.enableShutdownHooks();
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
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addCookieAuth('hd_session', { type: 'apiKey', in: 'cookie', name: 'hd_session', description: 'browser session (POST /api/auth/sign-in); writes also need X-CSRF-Token' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json' });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export { Logger };
