/**
 * Field decorators that declare a request field ONCE for both sides of the contract: each
 * applies the class-validator rules the server enforces AND the @nestjs/swagger property with
 * exactly the same format, pattern, length, range and enum (the same constants feed both), so
 * the OpenAPI document cannot drift from the validation. Use them in every DTO:
 *
 *   class OpenTicketDto {
 *     @IdField({ optional: true, description: 'client-supplied id, makes a retry safe' }) ticketId?: string;
 *     @TextField({ max: 300, example: 'El sitio web no carga' }) subject!: string;
 *     @EnumField(TICKET_CHANNELS, { optional: true }) channel?: TicketChannel;
 *     @IntField({ min: 1, max: 1440 }) minutes!: number;
 *     @DateField({ example: '2026-11-20' }) workedOn!: string;
 *   }
 *
 * Strings are measured in Unicode code points (what JSON Schema's maxLength counts), and
 * "non-blank" means what the domain means by it (String.prototype.trim() leaves something),
 * written as an explicit character class that JavaScript, Python and Rust regex engines read
 * alike. See docs/notes/contract.md.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';

// ------------------------------------------------------------------ the shared constants

/** the characters String.prototype.trim() removes (ECMAScript WhiteSpace and LineTerminator) */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** unanchored: the text holds at least one character that trim() keeps */
export const NON_BLANK_PATTERN = `[^${TRIMMED}]`;
const NON_BLANK = new RegExp(NON_BLANK_PATTERN);

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);

/** YYYY-MM-DD (and the day must exist: format date) */
export const DATE_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';
const DATE = new RegExp(DATE_PATTERN);

/**
 * An instant: RFC 3339 date-time (format date-time) narrowed to what the domain reads: upper
 * case T and Z, seconds 00-59 (no leap second), at most nine fraction digits, an offset.
 */
export const INSTANT_PATTERN =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$';
const INSTANT = new RegExp(INSTANT_PATTERN);

export const CURRENCY_PATTERN = '^[A-Z]{3}$';

/** token-like values: correlation ids, idempotency keys */
export const TOKEN_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';

/** number of Unicode code points (JSON Schema's string length) */
export function charCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** a real calendar day (any year 0000-9999; Date.UTC would read 0050 as 1950) */
function dayExists(year: number, month: number, day: number): boolean {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  return dayExists(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)));
}

export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !INSTANT.test(value)) return false;
  return dayExists(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)));
}

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

// ------------------------------------------------------------------ validators

function rule(name: string, test: (value: unknown) => boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} ${message}`, ...options },
      validator: { validate: (value: unknown) => test(value) },
    });
}

const each = (test: (value: unknown) => boolean) => (value: unknown) => Array.isArray(value) && value.every(test);

// ------------------------------------------------------------------ the field decorators

/**
 * An optional field may be left out; when present it is validated, `null` included (the
 * document does not declare these fields nullable, so null is a 400 like any wrong type).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);

interface Common {
  optional?: boolean;
  description?: string;
  example?: unknown;
  /** extra OpenAPI keywords (e.g. `default`) */
  openapi?: ApiPropertyOptions;
}

const property = (optional: boolean | undefined, options: ApiPropertyOptions) =>
  optional ? ApiPropertyOptional(options as never) : ApiProperty(options as never);

const described = (o: Common) => ({
  ...(o.description !== undefined ? { description: o.description } : {}),
  ...(o.example !== undefined ? { example: o.example } : {}),
  ...(o.openapi ?? {}),
});

/** Text: a string of 1..max code points that is not blank (trim() leaves something). */
export function TextField(o: Common & { max: number; blankAllowed?: boolean }): PropertyDecorator {
  const checks: PropertyDecorator[] = [IsString()];
  if (o.blankAllowed) {
    checks.push(rule('maxChars', (v) => typeof v === 'string' && charCount(v) <= o.max, `must be at most ${o.max} characters`));
  } else {
    checks.push(
      rule('textWithin', (v) => typeof v === 'string' && NON_BLANK.test(v) && charCount(v) <= o.max, `must be non-blank text of at most ${o.max} characters`),
    );
  }
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    ...checks,
    property(o.optional, {
      type: 'string',
      ...(o.blankAllowed ? { maxLength: o.max } : { minLength: 1, maxLength: o.max, pattern: NON_BLANK_PATTERN }),
      ...described(o),
    }),
  );
}

/** A list of texts (each non-blank, 1..max code points), at most maxItems of them. */
export function TextListField(o: Common & { max: number; maxItems: number }): PropertyDecorator {
  const valid = (v: unknown) => typeof v === 'string' && NON_BLANK.test(v) && charCount(v) <= o.max;
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    IsArray(),
    ArrayMaxSize(o.maxItems),
    rule('textsWithin', each(valid), `must hold non-blank texts of at most ${o.max} characters each`),
    property(o.optional, {
      type: 'array',
      maxItems: o.maxItems,
      items: { type: 'string', minLength: 1, maxLength: o.max, pattern: NON_BLANK_PATTERN },
      ...described(o),
    } as ApiPropertyOptions),
  );
}

/** A UUID (any version, either case): client-supplied ids. */
export function IdField(o: Common = {}): PropertyDecorator {
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    rule('uuid', isUuid, 'must be a UUID (8-4-4-4-12 hexadecimal digits)'),
    property(o.optional, { type: 'string', format: 'uuid', pattern: UUID_PATTERN, example: '7c9e6679-7425-40de-944b-e07fc1f90ae7', ...described(o) }),
  );
}

/** One of the given values (strings or numbers, compared strictly). */
export function EnumField<T extends string | number>(values: readonly T[], o: Common = {}): PropertyDecorator {
  const numeric = values.every((v) => typeof v === 'number');
  const mixed = !numeric && values.some((v) => typeof v === 'number');
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    IsIn(values as unknown as unknown[], { message: `$property must be one of ${values.join(', ')}` }),
    property(o.optional, {
      ...(mixed
        ? { oneOf: [{ type: 'string', enum: values.filter((v) => typeof v === 'string') }, { type: 'integer', enum: values.filter((v) => typeof v === 'number') }] }
        : { type: numeric ? 'integer' : 'string', enum: [...values] }),
      ...described(o),
    } as ApiPropertyOptions),
  );
}

/** An integer within [min, max] (JSON numbers with no fraction: 3 and 3.0 alike). */
export function IntField(o: Common & { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    IsInt(),
    Min(o.min),
    Max(o.max),
    property(o.optional, { type: 'integer', minimum: o.min, maximum: o.max, ...described(o) }),
  );
}

export function BooleanField(o: Common = {}): PropertyDecorator {
  return applyDecorators(...(o.optional ? [Optional()] : []), IsBoolean(), property(o.optional, { type: 'boolean', ...described(o) }));
}

/** A calendar date YYYY-MM-DD that exists. */
export function DateField(o: Common = {}): PropertyDecorator {
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    rule('calendarDate', isCalendarDate, 'must be a date YYYY-MM-DD'),
    property(o.optional, { type: 'string', format: 'date', pattern: DATE_PATTERN, example: '2026-11-20', ...described(o) }),
  );
}

/** An instant with its offset, e.g. 2026-11-20T16:00:00Z or 2026-11-20T10:00:00-06:00. */
export function InstantField(o: Common = {}): PropertyDecorator {
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    rule('instant', isInstant, 'must be an ISO 8601 instant with an offset, e.g. 2026-11-20T16:00:00Z'),
    property(o.optional, { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN, example: '2026-11-20T16:00:00Z', ...described(o) }),
  );
}

/** Either a date YYYY-MM-DD or an instant with its offset. */
export function DateOrInstantField(o: Common = {}): PropertyDecorator {
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    rule('dateOrInstant', (v) => isCalendarDate(v) || isInstant(v), 'must be a date YYYY-MM-DD or an ISO 8601 instant with an offset'),
    property(o.optional, {
      oneOf: [
        { type: 'string', format: 'date', pattern: DATE_PATTERN },
        { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN },
      ],
      example: '2099-12-31',
      ...described(o),
    } as ApiPropertyOptions),
  );
}

/** A string matching an anchored pattern (e.g. an opaque cursor's alphabet). */
export function PatternField(o: Common & { pattern: string; message: string }): PropertyDecorator {
  const re = new RegExp(o.pattern);
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    rule('pattern', (v) => typeof v === 'string' && re.test(v), o.message),
    property(o.optional, { type: 'string', pattern: o.pattern, ...described(o) }),
  );
}

export function CurrencyField(o: Common = {}): PropertyDecorator {
  const re = new RegExp(CURRENCY_PATTERN);
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    rule('currency', (v) => typeof v === 'string' && re.test(v), 'must be an ISO 4217 code such as MXN'),
    property(o.optional, { type: 'string', pattern: CURRENCY_PATTERN, example: 'MXN', ...described(o) }),
  );
}

// ------------------------------------------------------------------ query-string fields

/**
 * Query parameters arrive as text. `QueryIntField` reads decimal digits only (no sign, no
 * fraction, no exponent, no spaces: "050" is 50) and declares exactly that; anything else is 400.
 */
export function QueryIntField(o: Common & { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    Transform(({ value }) => (typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value)),
    IsInt(),
    Min(o.min),
    Max(o.max),
    property(o.optional, { type: 'integer', minimum: o.min, maximum: o.max, ...described(o) }),
  );
}

/** `true` or `false`, as text */
export function QueryBooleanField(o: Common = {}): PropertyDecorator {
  return applyDecorators(
    ...(o.optional ? [Optional()] : []),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean(),
    property(o.optional, { type: 'boolean', ...described(o) }),
  );
}

