/**
 * OpenAPI pieces for the dashboard, finance, audit, replay and administration endpoints: every
 * status an operation can answer (problem+json through http/openapi's ApiProblems), and small
 * schema builders so the response schemas say exactly what is sent (nullable fields, formats,
 * patterns, enums).
 */
import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiProblems, MIN_POSITION_HEADER } from '../http/openapi';

export { ApiProblems, MIN_POSITION_HEADER };
export type Schema = SchemaObject;

/**
 * 200 with a JSON body and the problems of a query: 400 (unless `badRequest: false`: nothing
 * the operation reads can be malformed), 401, 403, the extra ones, 503; with `minPosition`
 * (default) the X-Min-Position header (the controller must use MinPositionInterceptor)
 */
export function ApiJsonQuery(schema: Schema, description: string, extraProblems: number[] = [], options: { minPosition?: boolean; badRequest?: boolean } = {}) {
  return applyDecorators(
    ApiResponse({ status: 200, description, content: { 'application/json': { schema } } }),
    ApiProblems(...(options.badRequest === false ? [] : [400]), 401, 403, ...extraProblems, 503),
    ...(options.minPosition === false ? [] : [ApiHeader({ ...MIN_POSITION_HEADER })]),
  );
}

/** 200 with JSON or, with format=csv, text/csv (the controller documents X-Min-Position) */
export function ApiJsonOrCsv(schema: Schema, description: string, csvDescription: string) {
  return applyDecorators(
    ApiProduces('application/json', 'text/csv'),
    ApiResponse({
      status: 200,
      description: `${description}. With format=csv: ${csvDescription}`,
      content: { 'application/json': { schema }, 'text/csv': { schema: { type: 'string' } } },
    }),
    ApiProblems(400, 401, 403, 503),
  );
}

// ------------------------------------------------------------------ schema builders

export const str = (extra: Partial<Schema> = {}): Schema => ({ type: 'string', ...extra });
export const nstr = (extra: Partial<Schema> = {}): Schema => ({ type: 'string', nullable: true, ...extra });
export const int = (extra: Partial<Schema> = {}): Schema => ({ type: 'integer', ...extra });
export const nint = (extra: Partial<Schema> = {}): Schema => ({ type: 'integer', nullable: true, ...extra });
export const num = (extra: Partial<Schema> = {}): Schema => ({ type: 'number', ...extra });
export const bool = (extra: Partial<Schema> = {}): Schema => ({ type: 'boolean', ...extra });
export const arr = (items: Schema, extra: Partial<Schema> = {}): Schema => ({ type: 'array', items, ...extra });
export const instant = (description?: string): Schema => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
export const ninstant = (description?: string): Schema => ({ ...instant(description), nullable: true });
export const date = (description?: string): Schema => ({ type: 'string', format: 'date', ...(description ? { description } : {}) });
export const ndate = (description?: string): Schema => ({ ...date(description), nullable: true });
export const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';
export const month = (description = 'calendar month YYYY-MM'): Schema => ({ type: 'string', pattern: MONTH_PATTERN, description });
export const nmonth = (description?: string): Schema => ({ ...month(description), nullable: true });
/** money: integer minor units by ISO 4217 currency code */
export const moneyByCurrency = (description = 'integer minor units by ISO 4217 currency'): Schema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'integer' },
  example: { MXN: 112500 },
});

/** an object whose every listed property is required (the server always sends them; nullable ones may be null) */
export function obj(properties: Record<string, Schema>, extra: Partial<Schema> = {}): Schema {
  return { type: 'object', required: Object.keys(properties), properties, ...extra };
}

export const page = (item: Schema, extra: Record<string, Schema> = {}): Schema =>
  obj({ ...extra, items: arr(item), nextCursor: nstr({ description: 'opaque cursor of the next page; null on the last page' }) });
