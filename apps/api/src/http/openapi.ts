import { Type, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** One entry of a 400's `errors` list: which field, what is wrong with it. */
export class ProblemFieldError {
  @ApiProperty({ example: 'attachments[0]', description: 'the field, parameter or header at fault' }) path!: string;
  @ApiProperty({ example: 'unknown attachment' }) message!: string;
}

/** RFC 9457 problem details as this API sends them (content type application/problem+json). */
export class ProblemDocument {
  @ApiProperty({ format: 'uri', example: 'https://helpdesk.example/problems/not-found' }) type!: string;
  @ApiProperty({ example: 'Not Found' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 }) status!: number;
  @ApiProperty({ example: 'ticket 0b6f… not found' }) detail!: string;
  @ApiProperty({ pattern: '^[a-z0-9-]+$', example: 'not-found', description: 'stable code (api.md)' }) code!: string;
  @ApiPropertyOptional({ type: [ProblemFieldError], description: 'present on 400 invalid-request' }) errors?: ProblemFieldError[];
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid-request: a parameter, header or field is malformed (errors[].path names it)',
  401: 'unauthenticated: no valid session or bearer token; session-expired',
  403: 'forbidden: the role or scope does not allow it; csrf-token-invalid; mfa-enrollment-required',
  404: 'not-found: no such resource, or outside the customer\'s scope',
  409: 'state conflict',
  410: 'gone',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'a business rule refuses it',
  429: 'too-many-attempts / rate-limited (Retry-After)',
  503: 'read-model-behind (X-Min-Position not reached in time, with Retry-After) or store-unavailable',
};

/** the problem document under the name the identity endpoints use */
export { ProblemDocument as ProblemDto };

/** 422 follow-up-too-early: when the next follow-up may be asked for */
export class FollowUpTooEarlyProblem extends ProblemDocument {
  @ApiProperty({ format: 'date-time', description: 'the first instant a follow-up is accepted' }) availableAt!: string;
  @ApiProperty({ type: 'integer', example: 40, description: 'the wait, minutes' }) minimumIntervalMinutes!: number;
}

/**
 * Declares the problem+json answers an operation can give:
 * `ApiProblems(400, 401, [404, 'ticket not found'], [422, 'follow-up-too-early', FollowUpTooEarlyProblem])`.
 * Each status gets the ProblemDocument schema (or the one given) under application/problem+json.
 */
export function ApiProblems(...entries: Array<number | [number, string] | [number, string, Type<ProblemDocument>]>) {
  const extra = entries.filter((e): e is [number, string, Type<ProblemDocument>] => Array.isArray(e) && e.length === 3).map((e) => e[2]);
  return applyDecorators(
    ApiExtraModels(ProblemDocument, ProblemFieldError, ...extra),
    ...entries.map((entry) => {
      const [status, description, schema] = Array.isArray(entry) ? entry : [entry, DEFAULT_DESCRIPTIONS[entry] ?? 'error', undefined];
      return ApiResponse({
        status,
        description,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(schema ?? ProblemDocument) } } },
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } } : {}),
      });
    }),
  );
}

/** the `X-Min-Position` header of queries (read your write) */
export const MIN_POSITION_HEADER = {
  name: 'X-Min-Position',
  required: false,
  description: 'wait until the read models include this global position (read your write); 503 read-model-behind after MIN_POSITION_WAIT_MS',
  schema: { type: 'string', pattern: '^\\d{1,19}$' },
} as const;
