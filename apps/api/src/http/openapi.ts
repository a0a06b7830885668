import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

class ProblemError {
  @ApiProperty({ example: 'email' }) path!: string;
  @ApiProperty({ example: 'must be an email address' }) message!: string;
}

/** RFC 9457 problem details with a stable `code` (every refusal) */
export class ProblemDto {
  @ApiProperty({ example: 'https://helpdesk.example/problems/invalid-request' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty() detail!: string;
  @ApiProperty({ example: 'invalid-request', description: 'stable error code' }) code!: string;
  @ApiPropertyOptional({ type: [ProblemError], description: '400: the fields at fault' }) errors?: ProblemError[];
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid-request: a field is missing, unknown, of the wrong type or out of range',
  401: 'unauthenticated (no or bad token/session), session-expired',
  403: 'forbidden (role or scope), csrf-token-invalid, mfa-enrollment-required',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  422: 'a business rule refuses it',
  429: 'too-many-attempts (Retry-After)',
  503: 'a store or the identity provider is unavailable (Retry-After)',
};

/** documents problem+json answers: `ApiProblems(400, [409, 'email-in-use'], 401, 403)` */
export function ApiProblems(...statuses: Array<number | [number, string]>) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, DEFAULT_DESCRIPTIONS[entry] ?? 'problem'];
      return ApiResponse({
        status,
        description,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } } : {}),
      });
    }),
  );
}
