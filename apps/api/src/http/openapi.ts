/**
 * The OpenAPI document's shared parts: the problem+json schema, `@ApiProblems(...)` that
 * declares the error answers of an operation, the security schemes, and the last touches that
 * depend on the deployment's preset (departments, priority or severity).
 *
 * EVERY operation declares every status it can answer (docs/api-contract.md):
 *
 *   @Post(':id/close')
 *   @ApiOkResponse({ type: TicketCommandAnswer })
 *   @ApiProblems(400, 401, 403, 404, { status: 409, codes: ['version-conflict', 'ticket-closed'] }, 413, 415, 503)
 *   close(...) {}
 *
 * A bare number uses the usual code(s) of that status (PROBLEM_DEFAULTS); `{ status, codes }`
 * names the stable codes the operation can answer with (they become the examples and the
 * description); `[status, 'code: explanation']` replaces the description, and
 * `[status, 'description', SomeProblemClass]` names a problem schema with extra members.
 * The contract fuzzer (`npm run fuzz`) fails on any status an operation answers but does not
 * declare.
 */
import { Type, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, OpenAPIObject, getSchemaPath } from '@nestjs/swagger';
import type { AppConfig } from '../config';
import type { Preset } from '@helpdesk/domain/presets';
import { MIN_POSITION_PATTERN } from './request';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One entry of a 400's `errors` list: which field, what is wrong with it. */
export class ProblemFieldError {
  @ApiProperty({ example: 'subject', description: 'the field, parameter or header at fault' }) path!: string;
  @ApiProperty({ example: 'subject must be non-blank text of at most 300 characters' }) message!: string;
}

/**
 * RFC 9457 problem details as this API sends them (application/problem+json):
 * components.schemas.ProblemDocument. finishDocument adds `additionalProperties: true` (some
 * codes add members) and the description below.
 */
export class ProblemDocument {
  @ApiProperty({ format: 'uri', example: 'https://helpdesk.example/problems/not-found' }) type!: string;
  @ApiProperty({ example: 'Not Found' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 }) status!: number;
  @ApiProperty({ example: 'ticket 7c9e6679-7425-40de-944b-e07fc1f90ae7 not found' }) detail!: string;
  @ApiProperty({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', example: 'not-found', description: 'stable code (api.md)' }) code!: string;
  @ApiPropertyOptional({ type: [ProblemFieldError], description: 'every field that was wrong (400, and the 422s that name a field)' }) errors?: ProblemFieldError[];
}

/** the problem document under the name the identity endpoints use */
export { ProblemDocument as ProblemDto };

/** 422 follow-up-too-early: when the next follow-up may be asked for */
export class FollowUpTooEarlyProblem extends ProblemDocument {
  @ApiProperty() ticketId!: string;
  @ApiProperty({ format: 'date-time', description: 'the first instant a follow-up is accepted' }) availableAt!: string;
  @ApiProperty({ type: 'integer', example: 40, description: 'the wait, minutes' }) minimumIntervalMinutes!: number;
}

/** 413 payload-too-large: the limit */
export class PayloadTooLargeProblem extends ProblemDocument {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'the largest file accepted, bytes (ATTACHMENTS_MAX_BYTES)' }) maxBytes!: number;
}

const PROBLEM_DESCRIPTION =
  'RFC 9457 problem details. `code` is stable (each response lists the codes an operation answers with). A 400 lists the fields in `errors`. ' +
  'Some codes add members: duplicate-ticket `existingTicketId`; version-conflict `currentVersion`; id-reused `key` or `id`; ' +
  'quote-not-pending and policy refusals `state`; insufficient-balance and exceeds-authorization the minutes involved; follow-up-too-early `availableAt`.';

/** the `X-Min-Position` header of queries (read your write); prefer @ReadYourWrites() on the controller */
export const MIN_POSITION_HEADER = {
  name: 'X-Min-Position',
  required: false,
  description: 'wait until the read models include this global position (read your write); 503 read-model-behind after MIN_POSITION_WAIT_MS',
  schema: { type: 'string', pattern: MIN_POSITION_PATTERN },
} as const;

interface ProblemDefaults {
  description: string;
  codes: string[];
  headers?: Record<string, { description: string; required: boolean; schema: Record<string, unknown> }>;
}

const RETRY_AFTER = { description: 'seconds to wait before retrying', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } };

/** what a bare status number in @ApiProblems declares */
export const PROBLEM_DEFAULTS: Record<number, ProblemDefaults> = {
  400: { description: 'The request does not match this document (malformed JSON, wrong type, missing, unknown or out-of-range field); `errors` names each field', codes: ['invalid-request'] },
  401: {
    description: 'No credentials, or they are invalid or expired',
    codes: ['unauthenticated'],
    headers: { 'WWW-Authenticate': { description: 'the scheme to authenticate with', required: false, schema: { type: 'string' } } },
  },
  403: { description: 'Your role or scope does not allow this', codes: ['forbidden'] },
  404: { description: 'No such resource (also for one outside a customer\'s scope)', codes: ['not-found'] },
  409: { description: 'The request conflicts with the current state', codes: [] },
  410: { description: 'Gone', codes: [] },
  413: { description: 'The body is larger than this operation accepts', codes: ['payload-too-large'] },
  415: { description: 'The body is not application/json', codes: ['unsupported-media-type'] },
  422: { description: 'Well-formed, but a business rule refuses it (nothing was recorded)', codes: [] },
  429: { description: 'Too many requests; retry after the given seconds', codes: [], headers: { 'Retry-After': RETRY_AFTER } },
  503: {
    description: 'A store is unavailable, or the read models have not reached X-Min-Position in time; retry after the given seconds',
    codes: ['store-unavailable'],
    headers: { 'Retry-After': RETRY_AFTER },
  },
};

export interface ProblemSpec {
  status: number;
  /** the stable codes this operation answers with this status (default: PROBLEM_DEFAULTS) */
  codes?: string[];
  /** replaces the default description */
  description?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

type ProblemEntry = number | ProblemSpec | [number, string] | [number, string, Type<ProblemDocument>];

/**
 * Declares the problem+json answers of an operation:
 * `@ApiProblems(400, 401, 403, { status: 409, codes: ['duplicate-ticket'] }, [422, 'follow-up-too-early', FollowUpTooEarlyProblem])`.
 */
export function ApiProblems(...entries: ProblemEntry[]): MethodDecorator & ClassDecorator {
  const models = entries.filter((e): e is [number, string, Type<ProblemDocument>] => Array.isArray(e) && e.length === 3).map((e) => e[2]);
  const decorators = entries.map((entry) => {
    const spec: ProblemSpec & { schema?: Type<ProblemDocument> } = typeof entry === 'number' ? { status: entry } : Array.isArray(entry) ? { status: entry[0], description: entry[1], schema: entry[2] } : entry;
    const defaults = PROBLEM_DEFAULTS[spec.status] ?? { description: TITLES[spec.status] ?? 'Error', codes: [] };
    const codes = spec.codes ?? (Array.isArray(entry) ? [] : defaults.codes);
    const description = `${spec.description ?? defaults.description}${codes.length ? `. Codes: ${codes.map((c) => `\`${c}\``).join(', ')}` : ''}`;
    const examples = Object.fromEntries(
      codes.map((code) => [
        code,
        {
          summary: code,
          value: { type: `https://helpdesk.example/problems/${code}`, title: TITLES[spec.status] ?? 'Error', status: spec.status, detail: '…', code },
        },
      ]),
    );
    return ApiResponse({
      status: spec.status,
      description,
      ...(defaults.headers ? { headers: defaults.headers } : {}),
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: { $ref: getSchemaPath(spec.schema ?? ProblemDocument) },
          ...(codes.length ? { examples } : {}),
        },
      },
    } as never);
  });
  return applyDecorators(ApiExtraModels(ProblemDocument, ProblemFieldError, ...models), ...decorators);
}

// ------------------------------------------------------------------ security

/** the names of the security schemes in components.securitySchemes (`cookie` is @ApiCookieAuth()'s default name) */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT: `sub`, `roles`, `customerId` (customers); `npm run token` prints one' },
  cookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'hd_session',
    description: 'the session cookie set by POST /api/auth/sign-in (HttpOnly, SameSite=Lax)',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: "the session's csrfToken (from sign-in and GET /api/me); required with the session cookie on every request but GET and HEAD",
  },
} as const;

/**
 * Whether the server accepts the `hd_session` cookie (the AuthGuard does since identity slice
 * 1): every secured operation declares bearer OR session (reads) and bearer OR session +
 * X-CSRF-Token (writes), in one place (finishDocument).
 */
export const SESSION_AUTH_ACCEPTED = true;

export function securityFor(method: string): Array<Record<string, string[]>> {
  const reads = method === 'get' || method === 'head';
  if (!SESSION_AUTH_ACCEPTED) return [{ bearer: [] }];
  return reads ? [{ bearer: [] }, { cookie: [] }] : [{ bearer: [] }, { cookie: [], csrf: [] }];
}

// ------------------------------------------------------------------ the finished document

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Completes the generated document: the Problem schema, the security schemes and every secured
 * operation's requirements, and what the deployment's preset decides (the departments a ticket
 * may name, the priority or severity scheme). Called once at start by createApp.
 */
export function finishDocument(
  document: OpenAPIObject,
  config: Pick<AppConfig, 'preset'> & { http?: Pick<AppConfig['http'], 'rateLimit'>; metrics?: Pick<AppConfig['metrics'], 'token' | 'address'> },
): OpenAPIObject {
  const doc = document as Json;
  doc.components ??= {};
  doc.components.schemas ??= {};
  const problemSchema = doc.components.schemas.ProblemDocument;
  if (problemSchema) Object.assign(problemSchema, { description: PROBLEM_DESCRIPTION, additionalProperties: true });
  doc.components.securitySchemes = { ...doc.components.securitySchemes, ...SECURITY_SCHEMES };
  const rateLimited = !!config.http && (config.http.rateLimit.perIp > 0 || config.http.rateLimit.perToken > 0);
  // GET /api/metrics answers on this port only with METRICS_TOKEN set and METRICS_ADDRESS unset
  if (config.metrics && (!config.metrics.token || config.metrics.address)) delete doc.paths['/api/metrics'];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const requirements = Array.isArray(op.security) ? (op.security as Array<Record<string, string[]>>) : [];
      // operations for signed-in callers (@ApiBearerAuth): a bearer token or the session; a public
      // operation that only reads the cookie if there is one (sign-out) keeps its own declaration
      const secured = requirements.some((r) => 'bearer' in r);
      if (secured) op.security = securityFor(method);
      // a public operation that reads the session cookie when there is one (sign-out): optional
      else if (requirements.length > 0 && requirements.every((r) => Object.keys(r).length === 1 && 'cookie' in r)) op.security = [{}, ...requirements];
      // answers the framework gives any operation of a kind, whatever its decorators say:
      // the guard's 401; Fastify's 400 (malformed JSON), 413 (body limit) and 415 (content
      // type) for a body; the X-Min-Position guard's 400 and 503; the rate limiter's 429
      // (every operation but health and metrics, hardening.ts)
      const add = (status: number) => {
        if (!op.responses[String(status)]) op.responses[String(status)] = status === 429 ? TOO_MANY : problemResponse(status);
      };
      if (secured) add(401);
      if (op.requestBody?.content?.['application/json']) [400, 413, 415].forEach(add);
      if ((op.parameters ?? []).some((p: Json) => p.name === 'X-Min-Position')) [400, 503].forEach(add);
      // the shared keyset cursor (libs/projections readCursor): one this query did not return is 422
      if ((op.parameters ?? []).some((p: Json) => p.name === 'cursor' && p.in === 'query') && !op.responses['422']) op.responses['422'] = INVALID_CURSOR;
      if (rateLimited && !/^\/api\/(health|metrics)(\/|$)/.test(path)) add(429);
    }
  }
  closeRequestBodies(doc);
  optionalBodies(doc);
  splitShapes(doc);
  applyPreset(doc, config.preset);
  return document;
}

function problemResponse(status: number): Json {
  const defaults = PROBLEM_DEFAULTS[status];
  return {
    description: `${defaults.description}${defaults.codes.length ? `. Codes: ${defaults.codes.map((c) => `\`${c}\``).join(', ')}` : ''}`,
    ...(defaults.headers ? { headers: defaults.headers } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDocument' } } },
  };
}

const INVALID_CURSOR = {
  description: 'The cursor is not one this query returned. Codes: `invalid-cursor`',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDocument' } } },
};

const TOO_MANY = {
  description: 'Too many requests from this address or with this token or session (RATE_LIMIT_*); retry after the given seconds. Codes: `rate-limited`',
  headers: { 'Retry-After': { description: 'seconds to wait before retrying', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } } },
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDocument' } } },
};

/** request bodies refuse unknown fields (the validation pipe's forbidNonWhitelisted) */
function closeRequestBodies(doc: Json): void {
  const schemas = doc.components.schemas as Record<string, Json>;
  const close = (ref: string | undefined) => {
    const name = ref?.replace('#/components/schemas/', '');
    if (name && schemas[name]) schemas[name].additionalProperties = false;
  };
  for (const item of Object.values(doc.paths as Json)) {
    for (const op of Object.values(item as Json) as Json[]) {
      for (const media of Object.values((op?.requestBody?.content ?? {}) as Record<string, Json>)) if (media?.schema) close(media.schema.$ref);
    }
  }
  // and the objects inside them (NestedField, NestedListField)
  const seen = new Set<string>();
  const inner = (name: string | undefined) => {
    if (!name || seen.has(name) || !schemas[name]) return;
    seen.add(name);
    schemas[name].additionalProperties = false;
    for (const prop of Object.values((schemas[name].properties ?? {}) as Record<string, Json>)) {
      const refs = [prop.$ref, prop.items?.$ref, ...((prop.allOf ?? []) as Json[]).map((s) => s.$ref)];
      for (const ref of refs) if (typeof ref === 'string') inner(ref.replace('#/components/schemas/', ''));
    }
  };
  for (const item of Object.values(doc.paths as Json)) {
    for (const op of Object.values(item as Json) as Json[]) {
      const ref = op?.requestBody?.content?.['application/json']?.schema?.$ref as string | undefined;
      if (ref) inner(ref.replace('#/components/schemas/', ''));
    }
  }
}

/**
 * A body none of whose fields is required may be left out altogether (the validation reads a
 * missing body as {}): the document says so rather than requiring one the server does not.
 */
function optionalBodies(doc: Json): void {
  const schemas = doc.components.schemas as Record<string, Json>;
  for (const item of Object.values(doc.paths as Json)) {
    for (const op of Object.values(item as Json) as Json[]) {
      const body = op?.requestBody;
      const ref = body?.content?.['application/json']?.schema?.$ref as string | undefined;
      const schema = ref ? schemas[ref.replace('#/components/schemas/', '')] : undefined;
      if (schema && schema.type === 'object' && !(schema.required?.length > 0) && Object.keys(body.content).length === 1) body.required = false;
    }
  }
}

interface Shape {
  /** the component name of this shape */
  name: string;
  /** the discriminator values it takes */
  values: string[];
  /** fields required in this shape besides the base's */
  required?: string[];
  /** fields this shape does not take */
  omit?: string[];
  /** fields whose schema is narrower in this shape */
  narrow?: Record<string, Json>;
  description?: string;
}

/**
 * Bodies whose rules depend on one field (the domain's): the document declares one shape per
 * value of it, derived from the DTO's own schema, and every request body naming the DTO
 * becomes their oneOf with a discriminator.
 */
const SHAPES: Record<string, { property: string; shapes: Shape[] }> = {
  // POST /api/tickets/{id}/quotes: a per-event quote needs its price; a policy estimate takes none
  QuoteDto: {
    property: 'kind',
    shapes: [
      { name: 'PerEventQuote', values: ['per-event'], required: ['hourlyRateMinor', 'currency'] },
      {
        name: 'PolicyEstimateQuote',
        values: ['policy-estimate'],
        omit: ['hourlyRateMinor', 'amountMinor', 'currency', 'purchaseOrderRequired'],
        description: "drawn on the customer's active policy that expires first (422 no-coverage without one)",
      },
    ],
  },
  // POST /api/users/invitations: staff have staff roles and no customer; a contact belongs to a
  // customer and holds only the role customer (libs/domain/src/users/invite-user.ts)
  InviteUserDto: {
    property: 'kind',
    shapes: [
      {
        name: 'InviteStaff',
        values: ['staff'],
        required: ['roles'],
        omit: ['customerId'],
        narrow: {
          approver: { type: 'boolean', enum: [false], description: 'approver rights are for customer contacts' },
          roles: { type: 'array', items: { type: 'string', enum: ['agent', 'supervisor', 'auditor', 'finance', 'admin'] }, minItems: 1, maxItems: 5, uniqueItems: true, description: 'staff roles' },
        },
      },
      {
        name: 'InviteContact',
        values: ['contact'],
        required: ['customerId'],
        narrow: { roles: { type: 'array', items: { type: 'string', enum: ['customer'] }, minItems: 1, maxItems: 1, description: "a customer's contact holds only the role customer" } },
      },
    ],
  },
  // POST /api/tickets/{id}/close: duplicateOf with reason duplicate, and only then
  CloseDto: {
    property: 'reason',
    shapes: [
      { name: 'CloseAsDuplicate', values: ['duplicate'], required: ['duplicateOf'] },
      { name: 'Close', values: ['resolved', 'no-customer-response', 'out-of-scope', 'declined'], omit: ['duplicateOf'] },
    ],
  },
};

function splitShapes(doc: Json): void {
  const schemas = doc.components.schemas as Record<string, Json>;
  for (const [dto, { property, shapes }] of Object.entries(SHAPES)) {
    const base = schemas[dto];
    if (!base) continue;
    const mapping: Record<string, string> = {};
    for (const shape of shapes) {
      const schema = JSON.parse(JSON.stringify(base)) as Json;
      schema.properties[property] = { ...schema.properties[property], enum: shape.values };
      for (const field of shape.omit ?? []) delete schema.properties[field];
      for (const [field, narrower] of Object.entries(shape.narrow ?? {})) schema.properties[field] = narrower;
      schema.required = [...new Set([...(base.required ?? []), ...(shape.required ?? [])])].filter((f) => !(shape.omit ?? []).includes(f));
      schema.additionalProperties = false;
      if (shape.description) schema.description = shape.description;
      schemas[shape.name] = schema;
      for (const v of shape.values) mapping[v] = `#/components/schemas/${shape.name}`;
    }
    const oneOf = { oneOf: shapes.map((sh) => ({ $ref: `#/components/schemas/${sh.name}` })), discriminator: { propertyName: property, mapping } };
    for (const item of Object.values(doc.paths as Json)) {
      for (const op of Object.values(item as Json) as Json[]) {
        const content = op?.requestBody?.content?.['application/json'];
        if (content?.schema?.$ref === `#/components/schemas/${dto}`) content.schema = oneOf;
      }
    }
    delete schemas[dto];
  }
}

function applyPreset(doc: Json, preset: Preset): void {
  const schemas = doc.components.schemas as Record<string, Json>;
  const departments = preset.departments.map((d) => d.id);
  const priority = preset.scheme === 'priority';
  const classification = priority
    ? { type: 'string', enum: ['low', 'medium', 'high'], description: "this desk classifies by priority (preset's scheme)" }
    : { type: 'integer', enum: [1, 2, 3, 4], description: "this desk classifies by severity 1 (most urgent) to 4 (preset's scheme)" };
  const open = schemas.OpenTicketDto;
  if (open?.properties) {
    open.properties.department = { ...open.properties.department, enum: departments, description: `one of the preset's departments: ${preset.departments.map((d) => `${d.id} (${d.name})`).join(', ')}` };
    delete open.properties.department.pattern;
    delete open.properties.department.minLength;
    delete open.properties.department.maxLength;
    if (open.properties.reportedPriority) open.properties.reportedPriority = { ...classification };
  }
  const escalate = schemas.EscalateDto;
  if (escalate?.properties?.raisePriorityTo) {
    escalate.properties.raisePriorityTo = { ...classification, description: `${classification.description}; must be more urgent than the current one` };
  }
  const classify = schemas.ClassifyDto;
  if (classify?.properties) {
    const keep = priority ? 'priority' : 'severity';
    const drop = priority ? 'severity' : 'priority';
    delete classify.properties[drop];
    classify.properties[keep] = { ...classification };
    classify.required = [keep];
  }
}
