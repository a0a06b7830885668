import { TestApp, startTestApp } from '../support/test-app';
import { NON_BLANK_PATTERN, charCount, isCalendarDate, isInstant, isUuid } from '../../apps/api/src/http/fields';

/**
 * The OpenAPI document's shape (what every operation must declare, checked for the endpoints
 * other branches add too), the field rules that feed both the validation and the document,
 * and 405 Method Not Allowed. The fuzzer (test/fuzz) checks the answers themselves.
 */
describe('the API contract', () => {
  let t: TestApp;
  let doc: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const agent = () => t.auth('ana', ['agent']);

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
  });

  const operations = () =>
    Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => // eslint-disable-line @typescript-eslint/no-explicit-any
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, method, path, op })),
    );

  describe('the document', () => {
    it('declares the security schemes: bearer now, the hd_session cookie and X-CSRF-Token for the identity branch', () => {
      expect(doc.components.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'hd_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      });
    });

    it('every operation but health and sign-in is secured and declares 401; every error answer is problem+json', () => {
      const problems: string[] = [];
      const isProblem = (ref: string | undefined) => {
        const schema = ref && doc.components.schemas[ref.split('/').pop()!];
        return !!schema && (ref!.endsWith('/ProblemDocument') || !!schema.allOf?.some((s: { $ref?: string }) => s.$ref?.endsWith('/ProblemDocument')) || !!schema.properties?.code);
      };
      for (const { label, op, path } of operations()) {
        const secured = Array.isArray(op.security) && op.security.length > 0;
        const isPublic = /^\/api\/(health|auth)(\/|$)/.test(path);
        if (!isPublic) {
          if (!secured) problems.push(`${label}: no security requirement`);
          if (!op.responses['401']) problems.push(`${label}: 401 not declared`);
        }
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
          if (Number(status) < 400) continue;
          if (label === 'GET /api/health/ready' && status === '503') continue; // readiness answers its report
          if (!isProblem(response.content?.['application/problem+json']?.schema?.$ref)) problems.push(`${label}: ${status} is not application/problem+json with a problem schema`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('every operation with a body declares 400, 413 and 415; with a path parameter or X-Min-Position, 404/400 and 503', () => {
      const problems: string[] = [];
      for (const { label, op, path } of operations()) {
        const has = (s: number) => !!op.responses[String(s)];
        if (op.requestBody) for (const s of [400, 413, 415]) if (!has(s)) problems.push(`${label}: ${s} not declared`);
        if (path.includes('{') && !has(404)) problems.push(`${label}: 404 not declared`);
        const params = (op.parameters ?? []) as Array<{ name: string; in: string }>;
        if (params.some((p) => p.name === 'X-Min-Position') && !(has(400) && has(503))) problems.push(`${label}: X-Min-Position without 400 and 503`);
        if (params.some((p) => p.in === 'query') && !has(400)) problems.push(`${label}: query parameters without 400`);
      }
      expect(problems).toEqual([]);
    });

    it('every success answer has a real schema (the console generates its types from it)', () => {
      const problems: string[] = [];
      for (const { label, op } of operations()) {
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
          if (!status.startsWith('2') || status === '204') continue;
          const content = response.content ?? {};
          if (Object.keys(content).length === 0) problems.push(`${label}: ${status} has no content`);
          for (const [type, media] of Object.entries(content as Record<string, { schema?: Record<string, unknown> }>)) {
            const schema = media.schema ?? {};
            if (type === 'application/json' && !schema.$ref && !schema.type && !schema.oneOf) problems.push(`${label}: ${status} ${type} schema is empty`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('request bodies refuse unknown fields and bound every string', () => {
      const schemas = doc.components.schemas as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const problems: string[] = [];
      const check = (name: string) => {
        const s = schemas[name];
        if (s.additionalProperties !== false) problems.push(`${name}: additionalProperties is not false`);
        for (const [field, p] of Object.entries(s.properties as Record<string, any>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
          const leaf = p.type === 'array' ? p.items : p;
          const bounded = leaf.type !== 'string' || leaf.enum || leaf.maxLength || leaf.format || /^\^.*\$$/.test(leaf.pattern ?? '');
          const unions = (leaf.oneOf ?? []).every((o: any) => o.enum || o.format || o.maxLength); // eslint-disable-line @typescript-eslint/no-explicit-any
          if (!bounded || !unions) problems.push(`${name}.${field}: an unbounded string`);
          if (p.type === 'array' && !p.maxItems) problems.push(`${name}.${field}: an unbounded array`);
        }
      };
      for (const { op } of operations()) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        for (const ref of schema.oneOf ? schema.oneOf.map((o: { $ref: string }) => o.$ref) : [schema.$ref]) check(ref.split('/').pop());
      }
      expect(problems).toEqual([]);
    });

    it("says what the preset decides: the departments and the priority scheme (impera)", () => {
      const s = doc.components.schemas;
      expect(s.OpenTicketDto.properties.department.enum).toEqual(['support', 'billing', 'sales']);
      expect(s.OpenTicketDto.properties.reportedPriority.enum).toEqual(['low', 'medium', 'high']);
      expect(s.ClassifyDto.required).toEqual(['priority']);
      expect(s.ClassifyDto.properties.severity).toBeUndefined();
      expect(s.PerEventQuote.required).toEqual(expect.arrayContaining(['kind', 'minutes', 'description', 'hourlyRateMinor', 'currency']));
      expect(s.PolicyEstimateQuote.properties.currency).toBeUndefined();
    });
  });

  describe('field rules shared by the validation and the document', () => {
    it('non-blank is exactly what String.prototype.trim() keeps, for every UTF-16 code unit', () => {
      const re = new RegExp(NON_BLANK_PATTERN);
      const disagree: number[] = [];
      for (let c = 0; c < 0x10000; c++) {
        const s = String.fromCharCode(c);
        if (re.test(s) !== (s.trim().length > 0)) disagree.push(c);
      }
      expect(disagree).toEqual([]);
    });

    it('lengths are code points (JSON Schema), dates and instants must exist, UUIDs are any 8-4-4-4-12 hex', () => {
      expect(charCount('a😀b')).toBe(3);
      expect(charCount('\ud83d')).toBe(1);
      expect(isCalendarDate('2024-02-29')).toBe(true);
      expect(isCalendarDate('2026-02-29')).toBe(false);
      expect(isCalendarDate('0050-01-31')).toBe(true);
      expect(isInstant('2026-11-20T16:00:00Z')).toBe(true);
      expect(isInstant('2026-11-20T10:00:00.123456789-06:00')).toBe(true);
      for (const bad of ['2026-02-30T00:00:00Z', '2026-06-30T23:59:60Z', '2026-11-20t16:00:00z', '2026-11-20T16:00Z', '2026-11-20T24:00:00Z', '2026-11-20 16:00:00Z']) {
        expect([bad, isInstant(bad)]).toEqual([bad, false]);
      }
      expect(isUuid('E3E70682-C209-9CAC-C29F-6FBED82C07CD')).toBe(true);
      expect(isUuid('{e3e70682-c209-1cac-a29f-6fbed82c07cd}')).toBe(false);
    });

    it('the server refuses what the document refuses: a blank subject, a too-long astral one, null for an optional field, a date that does not exist', async () => {
      const body = { customerId: 'c-1', department: 'support', subject: 'Caso', description: 'x' };
      const refused = async (patch: Record<string, unknown>, path: string) => {
        const r = await t.http.post('/api/tickets').set(agent()).send({ ...body, ...patch }).expect(400);
        expect(r.body.code).toBe('invalid-request');
        expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      };
      await refused({ subject: ' \u3000\t' }, 'subject');
      await refused({ subject: '😀'.repeat(301) }, 'subject');
      await refused({ product: null }, 'product');
      await refused({ receivedAt: '2026-02-30T10:00:00Z' }, 'receivedAt');
      await refused({ department: 'marketing' }, 'department');
      // 300 astral characters are 600 UTF-16 units: still within the 300 characters the document allows
      const ok = await t.http.post('/api/tickets').set(agent()).send({ ...body, subject: '😀'.repeat(300) });
      expect(ok.status).not.toBe(400);
    });
  });

  describe('405 Method Not Allowed', () => {
    it('answers an unsupported method on a known path with 405 problem+json and Allow', async () => {
      const trace = await t.http.trace('/api/health').expect(405);
      expect(trace.headers.allow).toBe('GET, HEAD');
      expect(trace.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(trace.body).toMatchObject({ status: 405, code: 'method-not-allowed' });
      expect((await t.http.delete('/api/tickets/7c9e6679-7425-40de-944b-e07fc1f90ae7').set(agent()).expect(405)).headers.allow).toBe('GET, HEAD');
      expect((await t.http.options('/api/tickets').expect(405)).headers.allow).toBe('GET, HEAD, POST');
      expect((await t.http.put('/api/tickets/7c9e6679-7425-40de-944b-e07fc1f90ae7/close').send({}).expect(405)).headers.allow).toBe('POST');
    });

    it('answers an unknown path with 404 whatever the method', async () => {
      expect((await t.http.get('/api/nothing-here').set(agent()).expect(404)).body.code).toBe('not-found');
      await t.http.trace('/api/nothing-here').expect(404);
    });
  });
});
