import { randomUUID } from 'crypto';
import { Writable } from 'stream';
import request from 'supertest';
import { Projector } from '@helpdesk/projections';
import { MetricsListener } from '../../apps/api/src/app.module';
import { PROJECTOR } from '../../apps/api/src/infrastructure/tokens';
import { Shutdown } from '../../apps/api/src/infrastructure/shutdown';
import { TestApp, startTestApp } from '../support/test-app';

const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789';

/** the value of one sample in a Prometheus exposition, or undefined */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) have[l[1]] = l[2];
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

class LineCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  raw = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const text = chunk.toString('utf8');
    this.raw += text;
    for (const line of text.split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
}

describe('metrics at /api/metrics (METRICS_TOKEN)', () => {
  let t: TestApp;
  const scrape = async () => (await t.http.get('/api/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs the metrics token (401 problem+json without it or with a user token)', async () => {
    const none = await t.http.get('/api/metrics').expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body.code).toBe('unauthenticated');
    await t.http.get('/api/metrics').set(t.auth('root', ['admin'])).expect(401);
    await t.http.get('/api/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(401);
  });

  it('counts HTTP requests by route template and status, commands by type and outcome, appends and group commits', async () => {
    const admin = t.auth('root', ['admin']);
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(admin).send({ customerId, name: 'Hoteles del Bajío' }).expect(201);
    // the same id and body again: answered from the first time
    await t.http.post('/api/customers').set(admin).send({ customerId, name: 'Hoteles del Bajío' }).expect(201);
    // the same id, another body: refused
    await t.http.post('/api/customers').set(admin).send({ customerId, name: 'Otro nombre' }).expect(409);
    const opened = await t.http
      .post('/api/tickets')
      .set(t.auth('ana', ['agent']))
      .send({ customerId, department: 'support', subject: 'VPN', description: 'no conecta' })
      .expect(201);
    await t.http.get(`/api/tickets/${opened.body.ticketId}`).set(admin).set('X-Min-Position', String(opened.body.position)).expect(200);
    await t.http.get(`/api/tickets/${randomUUID()}`).set(admin).expect(404);
    await t.http.get('/api/no-such-route').expect(404);

    const text = await scrape();
    expect(text).toContain('# TYPE helpdesk_http_request_duration_seconds histogram');
    expect(sample(text, 'helpdesk_http_request_duration_seconds_count', { method: 'POST', route: '/api/customers', status: '201' })).toBe(2);
    expect(sample(text, 'helpdesk_http_request_duration_seconds_count', { method: 'POST', route: '/api/customers', status: '409' })).toBe(1);
    expect(sample(text, 'helpdesk_http_request_duration_seconds_count', { method: 'GET', route: '/api/tickets/:id', status: '200' })).toBe(1);
    expect(sample(text, 'helpdesk_http_request_duration_seconds_count', { method: 'GET', route: '/api/tickets/:id', status: '404' })).toBe(1);
    expect(sample(text, 'helpdesk_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    // the path's ids never become labels
    expect(text).not.toContain(opened.body.ticketId);

    expect(sample(text, 'helpdesk_commands_total', { type: 'RegisterCustomer', outcome: 'accepted' })).toBe(1);
    expect(sample(text, 'helpdesk_commands_total', { type: 'RegisterCustomer', outcome: 'replayed' })).toBe(1);
    expect(sample(text, 'helpdesk_commands_total', { type: 'RegisterCustomer', outcome: 'refused' })).toBe(1);
    expect(sample(text, 'helpdesk_commands_total', { type: 'OpenTicket', outcome: 'accepted' })).toBe(1);
    expect(sample(text, 'helpdesk_commands_total', { type: 'ClaimTopic', outcome: 'accepted' })).toBe(1);
    expect(sample(text, 'helpdesk_command_duration_seconds_count', { type: 'OpenTicket' })).toBe(1);

    // three appends: customer, topic claim, ticket; each in a group commit of its own here
    expect(sample(text, 'helpdesk_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBe(3);
    expect(sample(text, 'helpdesk_event_store_group_commit_appends_count')).toBe(3);
    expect(sample(text, 'helpdesk_event_store_group_commit_appends_sum')).toBe(3);
    expect(sample(text, 'helpdesk_event_store_group_commit_events_sum')).toBeGreaterThanOrEqual(3);

    // projection lag per projection, the head, process metrics
    const head = Number(await t.events.headPosition());
    expect(sample(text, 'helpdesk_event_store_head_position')).toBe(head);
    for (const projection of ['tickets', 'policies', 'customers', 'deduction-repairer']) {
      expect(sample(text, 'helpdesk_projection_lag_positions', { projection })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'helpdesk_projection_healthy', { projection })).toBe(1);
    }
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // declared for the notification and webhook deliveries
    expect(text).toContain('# TYPE helpdesk_notification_deliveries_total counter');
    expect(text).toContain('# TYPE helpdesk_webhook_deliveries_total counter');
  });

  it('group-commits concurrent appends and counts the batch sizes', async () => {
    const admin = t.auth('root', ['admin']);
    const before = sample(await scrape(), 'helpdesk_event_store_group_commit_appends_count') ?? 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.http.post('/api/customers').set(admin).send({ name: `Cliente ${i}` }).expect(201)),
    );
    const text = await scrape();
    const commits = (sample(text, 'helpdesk_event_store_group_commit_appends_count') ?? 0) - before;
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThanOrEqual(20);
    expect(sample(text, 'helpdesk_commands_total', { type: 'RegisterCustomer', outcome: 'accepted' })).toBe(21);
  });

  it('counts scheduler runs', async () => {
    await t.runScheduler();
    const text = await scrape();
    expect(sample(text, 'helpdesk_scheduler_runs_total', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'helpdesk_scheduler_last_run_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('shows a projection falling behind as lag', async () => {
    const projector = t.app.get<Projector>(PROJECTOR);
    await projector.stop();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Rezagado' }).expect(201);
    const text = await scrape();
    expect(sample(text, 'helpdesk_projection_lag_positions', { projection: 'customers' })).toBe(1);
    await projector.start();
  });
});

describe('metrics on a separate address (METRICS_ADDRESS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_ADDRESS: '127.0.0.1:0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves /metrics there and nothing on the API port', async () => {
    const bound = t.app.get(MetricsListener).address();
    expect(bound).not.toBeNull();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Hoteles del Bajío' }).expect(201);
    const r = await request(`http://127.0.0.1:${bound!.port}`).get('/metrics').expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(sample(r.text, 'helpdesk_commands_total', { type: 'RegisterCustomer', outcome: 'accepted' })).toBe(1);
    expect(sample(r.text, 'helpdesk_http_request_duration_seconds_count', { method: 'POST', route: '/api/customers', status: '201' })).toBe(1);
    await request(`http://127.0.0.1:${bound!.port}`).post('/metrics').expect(405);
    await t.http.get('/api/metrics').expect(404);
  });
});

describe('metrics off by default', () => {
  it('answers 404 at /api/metrics', async () => {
    const t = await startTestApp();
    try {
      const r = await t.http.get('/api/metrics').expect(404);
      expect(r.body.code).toBe('not-found');
    } finally {
      await t.close();
    }
  });
});

describe('structured logs', () => {
  let t: TestApp;
  const capture = new LineCapture();

  beforeAll(async () => {
    t = await startTestApp({ logStream: capture, env: { LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const requestLines = () => capture.lines.filter((l) => l.msg === 'request' || l.msg === 'request failed');

  it('writes one JSON line per request with the correlation id, the actor, route, status and duration', async () => {
    const token = t.token('root', ['admin']);
    const correlationId = 'support-case-4711';
    const customerId = randomUUID();
    const r = await t.http
      .post('/api/customers')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Correlation-Id', correlationId)
      .send({ customerId, name: 'Hoteles del Bajío' })
      .expect(201);
    const line = requestLines().find((l) => l.correlationId === correlationId);
    expect(line).toMatchObject({ level: 'info', method: 'POST', route: '/api/customers', path: '/api/customers', status: 201, actor: 'root', service: 'helpdesk-api' });
    expect(typeof line!.ms).toBe('number');
    expect(typeof line!.time).toBe('string');
    // the same correlation id is on the events the request appended
    const [event] = await t.events.readStream(`customer-${customerId}`);
    expect(event.metadata.correlationId).toBe(correlationId);
    expect(r.body.position).toBeGreaterThan(0);
  });

  it('generates a correlation id when none is sent, the same one the events record', async () => {
    const customerId = randomUUID();
    await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ customerId, name: 'Textiles de Puebla' }).expect(201);
    const [event] = await t.events.readStream(`customer-${customerId}`);
    expect(String(event.metadata.correlationId)).toMatch(/^[0-9a-f-]{36}$/);
    const line = requestLines().find((l) => l.correlationId === event.metadata.correlationId);
    expect(line).toMatchObject({ route: '/api/customers', status: 201, actor: 'root' });
  });

  it('logs no secrets: no Authorization, Cookie or Set-Cookie values, no passwords or tokens, no query strings, no client address', async () => {
    const token = t.token('ana', ['agent']);
    const secrets = ['s3cr3t-P4ssw0rd-xyz', 'session-cookie-value-abc', 'oidc-code-value-123', token];
    await t.http
      .post('/api/customers')
      .set('Authorization', `Bearer ${token}`)
      .set('Cookie', `hd_session=${secrets[1]}`)
      .set('X-CSRF-Token', 'csrf-value-zzz')
      .send({ name: 'Cliente', password: secrets[0] })
      .expect((res) => expect([400, 403]).toContain(res.status));
    await t.http.get(`/api/tickets?department=${secrets[2]}&limit=5`).set('Authorization', `Bearer ${token}`).expect(200);
    await t.http.get('/api/tickets').set('Authorization', 'Bearer not-a-jwt-but-secret-anyway').expect(401);
    const lines = requestLines();
    const queue = lines.find((l) => l.route === '/api/tickets' && l.method === 'GET' && l.status === 200);
    expect(queue).toMatchObject({ path: '/api/tickets', actor: 'ana' });
    const unauthenticated = lines.find((l) => l.route === '/api/tickets' && l.status === 401);
    expect(unauthenticated).toMatchObject({ actor: null });
    for (const secret of [...secrets, 'not-a-jwt-but-secret-anyway', 'csrf-value-zzz']) expect(capture.raw).not.toContain(secret);
    expect(capture.raw).not.toMatch(/authorization|cookie|remoteAddress|user-agent|127\.0\.0\.1/i);
    // names and descriptions (personal data) sent in bodies are not logged
    expect(capture.raw).not.toContain('Hoteles del Bajío');
  });

  it('keeps Nest and application lines in JSON too', async () => {
    // every line the app wrote parsed as JSON (LineCapture would have thrown otherwise); Nest's own are among them
    expect(capture.lines.some((l) => typeof l.context === 'string')).toBe(true);
    expect(capture.lines.every((l) => typeof l.level === 'string' && typeof l.time === 'string')).toBe(true);
  });
});

describe('health: liveness and readiness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { READY_MAX_LAG: '2' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers live and ready, and keeps /api/health as it was', async () => {
    expect((await t.http.get('/api/health/live').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/api/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', reasons: [], maxLag: 2, draining: false, eventStore: { ok: true }, readStore: { ok: true } });
    const health = await t.http.get('/api/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', projector: { mode: 'in-process' } });
  });

  it('is not ready while the read models are more than READY_MAX_LAG positions behind, ready again once caught up', async () => {
    const projector = t.app.get<Projector>(PROJECTOR);
    await projector.stop();
    const admin = t.auth('root', ['admin']);
    let last = 0;
    for (let i = 0; i < 3; i++) last = (await t.http.post('/api/customers').set(admin).send({ name: `C${i}` }).expect(201)).body.position;
    const behind = await t.http.get('/api/health/ready').expect(503);
    expect(behind.body.status).toBe('not-ready');
    expect(behind.body.lag).toBe(3);
    expect(behind.body.reasons.join(' ')).toMatch(/3 positions behind/);
    await t.http.get('/api/health/live').expect(200);
    await projector.start();
    await t.caughtUp(last);
    await t.http.get('/api/health/ready').expect(200);
  });

  it('is not ready once shutdown begins', async () => {
    const shutdown = t.app.get(Shutdown);
    shutdown.begin();
    const r = await t.http.get('/api/health/ready').expect(503);
    expect(r.body).toMatchObject({ draining: true, reasons: ['shutting down'] });
  });

  it('is not ready when a store is unreachable', async () => {
    await t.views.close();
    const r = await t.http.get('/api/health/ready').expect(503);
    expect(r.body.readStore.ok).toBe(false);
    expect(r.body.reasons.some((x: string) => /read store unreachable/.test(x))).toBe(true);
    await t.http.get('/api/health/live').expect(200);
  });
});
