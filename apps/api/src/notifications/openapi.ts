/**
 * OpenAPI helpers for the notification endpoints: the problem+json document and one
 * decorator that lists every error status an operation can answer.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class ProblemFieldDto {
  @ApiProperty({ example: 'email.quote-awaiting-authorization' }) path!: string;
  @ApiProperty({ example: 'cannot be turned off' }) message!: string;
}

export class NotificationProblemDto {
  @ApiProperty({ format: 'uri', example: 'https://helpdesk.example/problems/invalid-request' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'stable error code', example: 'invalid-request' }) code!: string;
  @ApiPropertyOptional({ type: [ProblemFieldDto], description: 'for 400: each field that is wrong' }) errors?: ProblemFieldDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid-request: a field is missing, unknown, of the wrong type or out of range (`errors` names it)',
  401: 'unauthenticated: no valid session or token',
  403: 'forbidden: the role does not allow it',
  404: 'not-found',
  409: 'state conflict',
  503: 'store-unavailable',
};

/** problem+json responses for the given statuses (descriptions may name the codes) */
export function ApiProblems(...statuses: Array<number | [number, string]>) {
  return applyDecorators(
    ApiExtraModels(NotificationProblemDto),
    ...statuses.map((s) => {
      const [status, description] = Array.isArray(s) ? s : [s, DESCRIPTIONS[s] ?? 'error'];
      return ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(NotificationProblemDto) } } } });
    }),
  );
}
