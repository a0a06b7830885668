import { randomUUID } from 'crypto';
import { TestApp, startTestApp } from '../support/test-app';

describe('API spine: auth, problems, validation, idempotency, OpenAPI', () => {
  let t: TestApp;
  const admin = () => t.auth('root', ['admin']);

  beforeAll(async () => {
    t = await startTestApp({ env: { MIN_POSITION_WAIT_MS: '300' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves health without a token, with the stores and the projector lag', async () => {
    const r = await t.http.get('/api/health').expect(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.eventStore).toMatchObject({ kind: 'sqlite', ok: true });
    expect(r.body.readStore).toMatchObject({ kind: 'embedded', ok: true });
    expect(typeof r.body.projector.lag).toBe('number');
  });

  it('refuses requests without a valid token with 401 problem+json', async () => {
    const none = await t.http.post('/api/customers').send({ name: 'x' }).expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body).toMatchObject({ status: 401, code: 'unauthenticated', title: 'Unauthorized' });
    await t.http.get('/api/queue').set('Authorization', 'Bearer not-a-jwt').expect(401);
    const bad = require('jsonwebtoken').sign({ sub: 'x', roles: ['admin'] }, 'another-secret-entirely');
    const r = await t.http.post('/api/customers').set('Authorization', `Bearer ${bad}`).send({ name: 'x' }).expect(401);
    expect(r.body.code).toBe('unauthenticated');
    const expired = require('jsonwebtoken').sign({ sub: 'x', roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 60 }, 'test-secret-for-the-api-suites');
    const e = await t.http.post('/api/customers').set('Authorization', `Bearer ${expired}`).send({ name: 'x' }).expect(401);
    expect(e.body.detail).toMatch(/expired/);
  });

  it('refuses a role that may not act with 403 forbidden, appending nothing', async () => {
    const before = await t.events.headPosition();
    const r = await t.http.post('/api/customers').set(t.auth('ana', ['agent'])).send({ name: 'Acme' }).expect(403);
    expect(r.body.code).toBe('forbidden');
    expect(await t.events.headPosition()).toBe(before);
  });

  it('answers bad input with 400 naming the field: unknown field, wrong type, out of range, malformed JSON', async () => {
    const before = await t.events.headPosition();
    const unknown = await t.http.post('/api/customers').set(admin()).send({ name: 'Acme', colour: 'red' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'invalid-request', status: 400 });
    expect(unknown.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'colour' })]));
    const wrongType = await t.http.post('/api/customers').set(admin()).send({ name: 42 }).expect(400);
    expect(wrongType.body.errors.map((e: { path: string }) => e.path)).toContain('name');
    const range = await t.http.post('/api/customers').set(admin()).send({ name: 'Acme', supportLevel: 7 }).expect(400);
    expect(range.body.errors.map((e: { path: string }) => e.path)).toContain('supportLevel');
    const malformed = await t.http
      .post('/api/customers')
      .set(admin())
      .set('content-type', 'application/json')
      .send('{"name": "Acme"')
      .expect(400);
    expect(malformed.body.code).toBe('invalid-request');
    expect(malformed.headers['content-type']).toMatch(/problem\+json/);
    expect(await t.events.headPosition()).toBe(before);
  });

  it('makes a retried command with the same id and body a no-op, and the same id with another body 409 id-reused', async () => {
    const customerId = randomUUID();
    const first = await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Servicios Tlaloc' }).expect(201);
    expect(first.body).toMatchObject({ customerId, version: 0 });
    expect(typeof first.body.position).toBe('number');
    const head = await t.events.headPosition();
    const again = await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Servicios Tlaloc' }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await t.events.headPosition()).toBe(head);
    const other = await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Otro nombre' }).expect(409);
    expect(other.body.code).toBe('id-reused');
  });

  it('answers a query with X-Min-Position once the views include it, and 503 with Retry-After when they do not in time', async () => {
    const customerId = randomUUID();
    const cmd = await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Lectura propia' }).expect(201);
    const read = await t.http
      .get(`/api/customers/${customerId}/policies`)
      .set(t.auth('fina', ['finance']))
      .set('X-Min-Position', String(cmd.body.position))
      .expect(200);
    expect(read.body).toEqual([]);
    const started = Date.now();
    const late = await t.http
      .get('/api/queue')
      .set(t.auth('ana', ['agent']))
      .set('X-Min-Position', String(cmd.body.position + 1000))
      .expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(late.headers['retry-after']).toBe('1');
    expect(late.body).toMatchObject({ status: 503, code: 'read-model-behind' });
    const bad = await t.http.get('/api/queue').set(t.auth('ana', ['agent'])).set('X-Min-Position', 'soon').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'header X-Min-Position' })]);
  });

  it('makes any command safe to retry with an Idempotency-Key header', async () => {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(admin()).send({ customerId, name: 'Reintentos SA' }).expect(201);
    const body = { reason: 'abusive-language', detail: 'insultos en el ticket', until: '2026-12-31' };
    const key = randomUUID();
    const first = await t.http.post(`/api/customers/${customerId}/suspension`).set(t.auth('sofia', ['supervisor'])).set('Idempotency-Key', key).send(body).expect(200);
    const head = await t.events.headPosition();
    const again = await t.http.post(`/api/customers/${customerId}/suspension`).set(t.auth('sofia', ['supervisor'])).set('Idempotency-Key', key).send(body).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await t.events.headPosition()).toBe(head);
    const other = await t.http
      .post(`/api/customers/${customerId}/suspension`)
      .set(t.auth('sofia', ['supervisor']))
      .set('Idempotency-Key', key)
      .send({ ...body, detail: 'otra cosa' })
      .expect(409);
    expect(other.body.code).toBe('id-reused');
    await t.http.post(`/api/customers/${customerId}/suspension`).set(t.auth('sofia', ['supervisor'])).set('Idempotency-Key', 'not ok!').send(body).expect(400);
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const r = await t.http.get('/api/nothing-here').set(admin()).expect(404);
    expect(r.body.code).toBe('not-found');
  });

  it('serves the OpenAPI document and Swagger UI, covering every route of api.md', async () => {
    const r = await t.http.get('/api/openapi.json').expect(200);
    const paths = Object.keys(r.body.paths);
    for (const p of [
      '/api/customers',
      '/api/customers/{customerId}/suspension',
      '/api/policies',
      '/api/tickets',
      '/api/tickets/{id}/classification',
      '/api/tickets/{id}/assignment',
      '/api/tickets/{id}/messages',
      '/api/tickets/{id}/quotes',
      '/api/tickets/{id}/quotes/{quoteId}/authorization',
      '/api/tickets/{id}/work-logs',
      '/api/tickets/{id}/escalations',
      '/api/tickets/{id}/awaiting-customer',
      '/api/tickets/{id}/contact-attempts',
      '/api/tickets/{id}/close',
      '/api/tickets/{id}/reopen',
      '/api/tickets/{id}',
      '/api/tickets/{id}/history',
      '/api/queue',
      '/api/sla/timers',
      '/api/policies/{policyId}',
      '/api/customers/{customerId}/policies',
      '/api/audit/authorizations',
      '/api/finance/billed-minutes',
      '/api/health',
    ]) {
      expect(paths).toContain(p);
    }
    await t.http.get('/api/docs').redirects(1).expect(200);
  });
});
