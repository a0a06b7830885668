import { createHash, randomBytes, randomUUID } from 'crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * The answers of the operations this branch added or reshaped conform EXACTLY to the OpenAPI
 * document the server serves: every object schema is checked closed (no field the document
 * does not declare), every status and content type answered is declared.
 */
type Schema = Record<string, unknown>;

function closed(schema: unknown, components: Record<string, Schema>, seen = new Set<unknown>()): unknown {
  if (schema === null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((s) => closed(s, components, seen));
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop()!;
    return closed(components[name], components, seen);
  }
  if (s.nullable === true) {
    // OpenAPI 3.0 `nullable` (also beside allOf: [$ref], read as "X or null" like openapi-typescript does)
    const { nullable: _n, ...rest } = s;
    return { anyOf: [{ type: 'null' }, closed(rest, components, seen)] };
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'example' || k === 'examples') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, closed(ps, components, seen)])) : closed(v, components, seen);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

describe('OpenAPI conformance of the console additions', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, Schema> } };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);

  /** checks a supertest answer against the document's operation */
  function conforms(path: string, method: string, res: { status: number; headers: Record<string, string>; body: unknown }) {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    const declared = op.responses[String(res.status)];
    if (!declared) throw new Error(`${method.toUpperCase()} ${path} answered ${res.status}, which the document does not declare`);
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    const content = declared.content ?? {};
    const media = Object.keys(content).find((k) => k.split(';')[0] === type);
    if (!media) throw new Error(`${method.toUpperCase()} ${path} ${res.status} answered ${type}; declared: ${Object.keys(content).join(', ')}`);
    const validate = ajv.compile(closed(content[media].schema, doc.components.schemas) as Schema);
    if (!validate(res.body)) throw new Error(`${method.toUpperCase()} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 2000)}`);
  }

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-18T16:00:00.000Z', env: { ATTACHMENTS_MAX_BYTES: '5000' } });
    doc = (await t.http.get('/api/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('settings, customers, queue, ticket detail, conversation, SLA timeline, attachments, follow-ups and their problems', async () => {
    const admin = t.auth('root', ['admin']);
    const agent = t.auth('ana', ['agent']);
    conforms('/api/settings', 'get', await t.http.get('/api/settings').set(agent));
    conforms('/api/settings', 'get', await t.http.get('/api/settings'));
    const customerId = (await t.http.post('/api/customers').set(admin).send({ name: 'Conformes S.A.' })).body.customerId;
    const contact = t.auth('carla', ['customer'], customerId);
    await t.http.post('/api/policies').set(admin).send({ customerId, plan: 'basic', startsOn: '2026-01-15' }).expect(201);
    conforms('/api/customers', 'get', await t.http.get('/api/customers?q=conformes').set(agent));
    conforms('/api/customers', 'get', await t.http.get('/api/customers?limit=0').set(agent));
    conforms('/api/customers', 'get', await t.http.get('/api/customers').set(contact));
    conforms('/api/customers/{customerId}', 'get', await t.http.get(`/api/customers/${customerId}`).set(contact));
    conforms('/api/customers/{customerId}', 'get', await t.http.get(`/api/customers/${randomUUID()}`).set(agent));

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
    conforms('/api/attachments', 'post', await t.http.post('/api/attachments').set(contact).attach('file', png, 'c.png'));
    conforms('/api/attachments', 'post', await t.http.post('/api/attachments').set(contact).attach('file', randomBytes(6000), 'big.bin'));
    conforms('/api/attachments', 'post', await t.http.post('/api/attachments').set(contact).send({}));
    conforms('/api/attachments', 'post', await t.http.post('/api/attachments').set(contact).field('x', 'y'));
    const sha = createHash('sha256').update(png).digest('hex');
    const opened = await t.http.post('/api/tickets').set(contact).send({ department: 'support', subject: `Conformidad ${randomUUID()}`, description: 'x', attachments: [sha] }).expect(201);
    const id = opened.body.ticketId;
    const q = await t.http.post(`/api/tickets/${id}/quotes`).set(agent).send({ kind: 'policy-estimate', minutes: 60, description: 'Revisión' }).expect(201);
    await t.http.post(`/api/tickets/${id}/quotes/${q.body.quoteId}/authorization`).set(contact).send({ decision: 'accept' }).expect(200);
    await t.http.post(`/api/tickets/${id}/work-logs`).set(agent).send({ minutes: 30, workedOn: '2026-11-18', description: 'DNS' }).expect(201);
    await t.http.post(`/api/tickets/${id}/quotes`).set(agent).send({ kind: 'per-event', minutes: 60, hourlyRateMinor: 90000, currency: 'MXN', description: 'Extra', supplementary: true }).expect(201);
    await t.http.post(`/api/tickets/${id}/messages`).set(agent).send({ body: 'Nota', visibility: 'internal' }).expect(201);
    await t.http.post(`/api/tickets/${id}/awaiting-customer`).set(agent).send({ question: '¿Algo más?' }).expect(200);
    await t.http.post(`/api/tickets/${id}/contact-attempts`).set(agent).send({ channel: 'phone', note: 'Sin respuesta' }).expect(201);
    await t.http.post(`/api/tickets/${id}/escalations`).set(contact).send({ reason: 'Urge' }).expect(200);
    const second = (await t.http.post('/api/tickets').set(agent).send({ customerId, department: 'support', subject: `Segundo ${randomUUID()}`, description: 'x' }).expect(201)).body.ticketId;
    await t.http.post(`/api/tickets/${second}/classification`).set(agent).send({ priority: 'high' }).expect(200);
    await t.http.post(`/api/tickets/${second}/close`).set(agent).send({ reason: 'resolved', resolution: 'ok' }).expect(200);
    const last = await t.http.post(`/api/tickets/${second}/reopen`).set(contact).send({ reason: 'Sigue fallando' }).expect(200);
    conforms('/api/tickets/{id}', 'get', await t.http.get(`/api/tickets/${second}`).set(agent).set('X-Min-Position', String(last.body.position)));
    const min = String(last.body.position);
    conforms('/api/tickets/{id}', 'get', await t.http.get(`/api/tickets/${id}`).set(agent).set('X-Min-Position', min));
    conforms('/api/tickets/{id}', 'get', await t.http.get(`/api/tickets/${id}`).set(contact).set('X-Min-Position', min));
    conforms('/api/tickets/{id}', 'get', await t.http.get(`/api/tickets/${randomUUID()}`).set(agent));
    conforms('/api/queue', 'get', await t.http.get('/api/queue').set(agent).set('X-Min-Position', min));
    conforms('/api/queue', 'get', await t.http.get('/api/queue?priority=urgent').set(agent));
    conforms('/api/queue', 'get', await t.http.get('/api/queue').set(contact));
    conforms('/api/tickets/{id}/conversation', 'get', await t.http.get(`/api/tickets/${id}/conversation`).set(agent));
    conforms('/api/tickets/{id}/conversation', 'get', await t.http.get(`/api/tickets/${id}/conversation`).set(t.auth('x', ['customer'], randomUUID())));
    conforms('/api/tickets/{id}/sla-timeline', 'get', await t.http.get(`/api/tickets/${id}/sla-timeline`).set(contact));
    conforms('/api/tickets/{id}/attachments/{attachmentId}', 'get', await t.http.get(`/api/tickets/${id}/attachments/${'0'.repeat(64)}`).set(contact));
    conforms('/api/tickets/{id}/follow-ups', 'post', await t.http.post(`/api/tickets/${id}/follow-ups`).set(contact).send({}));
    t.clock.advanceMinutes(41);
    conforms('/api/tickets/{id}/follow-ups', 'post', await t.http.post(`/api/tickets/${id}/follow-ups`).set(contact).send({ note: '¿Novedades?' }));
    conforms('/api/tickets/{id}/follow-ups', 'post', await t.http.post(`/api/tickets/${id}/follow-ups`).set(agent).send({}));
    conforms('/api/tickets/{id}/follow-ups', 'post', await t.http.post(`/api/tickets/${id}/follow-ups`).set(contact).send({ note: 5 }));
  });
});
