/**
 * The API serves the built console at / in every mode: its files (pre-compressed when the
 * browser accepts it, hashed assets cached for a year), index.html for the console's own
 * routes (a reload on /tickets/123 works), and /api unchanged (an unknown /api path is the
 * API's 404 problem, never the page). Without a build, / says how to build it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { WEB_DIR, ensureConsoleBuilt } from './support/console-build';

jest.setTimeout(300_000);

describe('the console served by the API', () => {
  let t: TestApp;
  let asset: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestApp({ env: { WEB_DIR } });
    const manifest = JSON.parse(fs.readFileSync(path.join(WEB_DIR, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string; isEntry?: boolean }>;
    asset = Object.values(manifest).find((c) => c.isEntry)!.file;
  });
  afterAll(() => t?.close());

  it('answers index.html at / and for the console routes, never cached', async () => {
    for (const url of ['/', '/queue', '/tickets/0b6f1d2e-0000-4000-8000-000000000000', '/portal/policies', '/sign-in?next=%2Fqueue']) {
      const res = await t.http.get(url).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root">');
    }
  });

  it('serves the hashed assets for a year, gzip or brotli when accepted', async () => {
    const plain = await t.http.get(`/${asset}`).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-type']).toMatch(/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    const fastify = t.app.getHttpAdapter().getInstance();
    for (const encoding of ['br', 'gzip']) {
      const res = await fastify.inject({ method: 'GET', url: `/${asset}`, headers: { 'accept-encoding': encoding } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(plain.text) / 2);
    }
  });

  it('leaves /api alone: an unknown API path is the 404 problem, the API answers as before', async () => {
    const res = await t.http.get('/api/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('not-found');
    await t.http.get('/api/health').expect(200);
    await t.http.get('/api/queue').expect(401);
  });

  it('answers a missing asset with 404, not the page', async () => {
    const res = await t.http.get('/assets/no-such-chunk.js');
    expect(res.status).toBe(404);
  });

  it('without a build, / says how to build it and the API still works', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-noweb-'));
    const bare = await startTestApp({ env: { WEB_DIR: empty } });
    try {
      const res = await request(bare.app.getHttpServer()).get('/queue');
      expect(res.status).toBe(503);
      expect(res.text).toContain('npm run build');
      await request(bare.app.getHttpServer()).get('/api/health').expect(200);
      expect((await request(bare.app.getHttpServer()).get('/api/nothing')).status).toBe(404);
    } finally {
      await bare.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
