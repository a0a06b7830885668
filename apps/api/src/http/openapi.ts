/**
 * The OpenAPI document's shared parts: the problem+json schema, `@ApiProblems(...)` that
 * declares the error answers of an operation, the security schemes, and the last touches that
 * depend on the deployment's preset (departments, priority or severity).
 *
 * EVERY operation declares every status it can answer (docs/notes/contract.md):
 *
 *   @Post(':id/close')
 *   @ApiOkResponse({ type: TicketCommandAnswer })
 *   @ApiProblems(400, 401, 403, 404, { status: 409, codes: ['version-conflict', 'ticket-closed'] }, 413, 415, 503)
 *   close(...) {}
 *
 * A bare number uses the usual code(s) of that status (PROBLEM_DEFAULTS); `{ status, codes }`
 * names the stable codes the operation can answer with (they become the examples and the
 * description). The contract fuzzer (`npm run fuzz`) fails on any status an operation answers
 * but does not declare.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiResponse, OpenAPIObject } from '@nestjs/swagger';
import type { Preset } from '@helpdesk/domain/presets';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** components.schemas.Problem (RFC 9457 with this API's stable `code`) */
export const PROBLEM_SCHEMA = {
  type: 'object',
  description:
    'RFC 9457 problem details. `code` is stable (see each response for the codes an operation answers). A 400 lists the fields in `errors`. ' +
    'Some codes add members: duplicate-ticket `existingTicketId`; version-conflict `currentVersion`; id-reused `key` or `id`; ' +
    'quote-not-pending and policy refusals `state`; insufficient-balance and exceeds-authorization the minutes involved.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://helpdesk.example/problems/not-found' },
    title: { type: 'string', example: 'Not Found' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 404 },
    detail: { type: 'string', example: 'ticket 7c9e6679-7425-40de-944b-e07fc1f90ae7 not found' },
    code: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', example: 'not-found' },
    errors: {
      type: 'array',
      description: '400 only: every field that was wrong',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', example: 'subject' },
          message: { type: 'string', example: 'subject must be non-blank text of at most 300 characters' },
        },
      },
    },
  },
  additionalProperties: true,
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
  429: { description: 'Too many requests; retry after the given seconds', codes: ['too-many-requests'], headers: { 'Retry-After': RETRY_AFTER } },
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

/** Declares the problem+json answers of an operation: `@ApiProblems(400, 401, 403, { status: 409, codes: ['duplicate-ticket'] })`. */
export function ApiProblems(...specs: Array<number | ProblemSpec>): MethodDecorator & ClassDecorator {
  const decorators = specs.map((s) => {
    const spec = typeof s === 'number' ? { status: s } : s;
    const defaults = PROBLEM_DEFAULTS[spec.status] ?? { description: TITLES[spec.status] ?? 'Error', codes: [] };
    const codes = spec.codes ?? defaults.codes;
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
          schema: { $ref: '#/components/schemas/Problem' },
          ...(codes.length ? { examples } : {}),
        },
      },
    } as never);
  });
  return applyDecorators(...decorators);
}

// ------------------------------------------------------------------ security

/** the names of the security schemes in components.securitySchemes */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT: `sub`, `roles`, `customerId` (customers); `npm run token` prints one' },
  session: {
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
 * Whether the server accepts the `hd_session` cookie. The identity branch turns this on when
 * its guard does: every secured operation then declares bearer OR session (reads) and bearer
 * OR session + X-CSRF-Token (writes), in one place (finishDocument).
 */
export const SESSION_AUTH_ACCEPTED = false;

export function securityFor(method: string): Array<Record<string, string[]>> {
  const reads = method === 'get' || method === 'head';
  if (!SESSION_AUTH_ACCEPTED) return [{ bearer: [] }];
  return reads ? [{ bearer: [] }, { session: [] }] : [{ bearer: [] }, { session: [], csrf: [] }];
}

// ------------------------------------------------------------------ the finished document

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Completes the generated document: the Problem schema, the security schemes and every secured
 * operation's requirements, and what the deployment's preset decides (the departments a ticket
 * may name, the priority or severity scheme). Called once at start by createApp.
 */
export function finishDocument(document: OpenAPIObject, preset: Preset): OpenAPIObject {
  const doc = document as Json;
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Problem = PROBLEM_SCHEMA;
  doc.components.securitySchemes = { ...SECURITY_SCHEMES };
  for (const item of Object.values(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      if (Array.isArray(op.security) && op.security.length > 0) op.security = securityFor(method);
    }
  }
  closeRequestBodies(doc);
  splitShapes(doc);
  applyPreset(doc, preset);
  return document;
}

/** request bodies refuse unknown fields (the validation pipe's forbidNonWhitelisted) */
function closeRequestBodies(doc: Json): void {
  const schemas = doc.components.schemas as Record<string, Json>;
  const close = (ref: string | undefined) => {
    const name = ref?.replace('#/components/schemas/', '');
    if (name && schemas[name]) schemas[name].additionalProperties = false;
  };
  for (const item of Object.values(doc.paths as Json)) {
    for (const op of Object.values(item as Json) as Json[]) {
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      if (schema) close(schema.$ref);
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
