import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import * as net from 'net';
import { AddressInfo } from 'net';
import request from 'supertest';
import { BodyLimit, installBodyLimits } from '../../apps/api/src/http/hardening';
import { TestApp, startTestApp } from '../support/test-app';

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends helmet headers with a Content-Security-Policy on every response', async () => {
    for (const r of [await t.http.get('/api/health').expect(200), await t.http.get('/api/tickets').expect(401), await t.http.get('/api/docs').expect(200)]) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends no CORS headers by default, not even to a preflight', async () => {
    const get = await t.http.get('/api/health').set('Origin', 'https://evil.example').expect(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http
      .options('/api/tickets')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe('CORS with an allow-list (CORS_ORIGINS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://console.example.com, http://localhost:5173' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers listed origins and only them', async () => {
    const ok = await t.http
      .options('/api/tickets')
      .set('Origin', 'https://console.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://console.example.com');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(String(ok.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
    const get = await t.http.get('/api/health').set('Origin', 'http://localhost:5173').expect(200);
    expect(get.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(String(get.headers['access-control-expose-headers']).toLowerCase()).toContain('etag');
    const other = await t.http.get('/api/health').set('Origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('body size limits', () => {
  it('refuses a JSON body over BODY_LIMIT_BYTES with 413 problem+json, appending nothing', async () => {
    const t = await startTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
    try {
      const admin = t.auth('root', ['admin']);
      const r = await t.http.post('/api/customers').set(admin).send({ name: 'x'.repeat(150), notes: 'y'.repeat(3000) }).expect(413);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body.status).toBe(413);
      expect(await t.events.headPosition()).toBe(0n);
      await t.http.post('/api/customers').set(admin).send({ name: 'Hoteles del Bajío' }).expect(201);
    } finally {
      await t.close();
    }
  });

  it('lets a route declare its own limit (@BodyLimit): the attachment limit for uploads, a number for others', async () => {
    @Controller()
    class Routes {
      @Post('small')
      small(@Body() body: unknown) {
        return { bytes: JSON.stringify(body).length };
      }
      @Post('upload')
      @BodyLimit('attachment')
      upload(@Body() body: unknown) {
        return { bytes: JSON.stringify(body).length };
      }
      @Post('tiny')
      @BodyLimit(100)
      tiny(@Body() body: unknown) {
        return { bytes: JSON.stringify(body).length };
      }
    }
    @Module({ controllers: [Routes] })
    class RoutesModule {}
    const adapter = new FastifyAdapter({ bodyLimit: 1024 });
    installBodyLimits(adapter.getInstance() as never, { bodyLimitBytes: 1024, attachmentMaxBytes: 16 * 1024 });
    const app = await NestFactory.create<NestFastifyApplication>(RoutesModule, adapter, { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const http = request(app.getHttpServer());
      const body = (n: number) => ({ data: 'z'.repeat(n) });
      await http.post('/small').send(body(900)).expect(201);
      await http.post('/small').send(body(2000)).expect(413);
      await http.post('/upload').send(body(8000)).expect(201);
      await http.post('/upload').send(body(20_000)).expect(413);
      await http.post('/tiny').send(body(50)).expect(201);
      await http.post('/tiny').send(body(200)).expect(413);
      const fastify = app.getHttpAdapter().getInstance();
      expect(fastify.hasRoute({ method: 'POST', url: '/upload' })).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After over the per-address limit; health is not limited', async () => {
    const t = await startTestApp({ env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_WINDOW_MS: '60000' } });
    try {
      const admin = t.auth('root', ['admin']);
      for (let i = 0; i < 5; i++) await t.http.get('/api/tickets').set(admin).expect(200);
      const r = await t.http.get('/api/tickets').set(admin).expect(429);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 429, code: 'rate-limited' });
      const retryAfter = Number(r.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // another token from the same address is limited too; a command is refused before it runs
      await t.http.post('/api/customers').set(t.auth('otro', ['admin'])).send({ name: 'X' }).expect(429);
      expect(await t.events.headPosition()).toBe(0n);
      for (let i = 0; i < 10; i++) await t.http.get('/api/health/live').expect(200);
    } finally {
      await t.close();
    }
  });

  it('limits each token (or session) on its own, whatever the address', async () => {
    const t = await startTestApp({ env: { RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_PER_TOKEN: '3' } });
    try {
      const ana = t.auth('ana', ['agent']);
      const luis = t.auth('luis', ['agent']);
      for (let i = 0; i < 3; i++) await t.http.get('/api/tickets').set(ana).set('X-Forwarded-For', `203.0.113.${i}`).expect(200);
      const r = await t.http.get('/api/tickets').set(ana).set('X-Forwarded-For', '203.0.113.99').expect(429);
      expect(r.body.detail).toMatch(/token or session/);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      await t.http.get('/api/tickets').set(luis).expect(200);
      // a session cookie is a credential of its own
      for (let i = 0; i < 3; i++) await t.http.get('/api/health').set('Cookie', 'hd_session=abc').expect(200);
      await t.http.get('/api/tickets').set('Cookie', 'hd_session=abc').expect(401);
    } finally {
      await t.close();
    }
  });

  it('has defaults generous enough for normal use', async () => {
    const t = await startTestApp();
    try {
      const admin = t.auth('root', ['admin']);
      const results = await Promise.all(Array.from({ length: 200 }, () => t.http.get('/api/tickets').set(admin)));
      expect(results.every((r) => r.status === 200)).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('request timeout', () => {
  it('answers 408 to a client that does not finish its request within REQUEST_TIMEOUT_MS', async () => {
    const t = await startTestApp({ env: { REQUEST_TIMEOUT_MS: '400' } });
    try {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const started = Date.now();
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          // headers, then a body that never comes
          socket.write('POST /api/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na');
        });
        let data = '';
        socket.on('data', (d) => (data += d));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
        setTimeout(() => {
          socket.destroy();
          resolve(data);
        }, 10_000).unref();
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await t.close();
    }
  });
});
