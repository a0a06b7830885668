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
 * alike. See docs/api-contract.md.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';

// ------------------------------------------------------------------ the shared constants

/** the characters String.prototype.trim() removes (ECMAScript WhiteSpace and LineTerminator): JavaScript's \\s, written out */
export const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
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

// ------------------------------------------------------------------ checks

/**
 * One rule of a field: the test, its message, and the same rule as a class-validator decorator.
 * The field decorators below apply the decorators (so Nest's ValidationPipe enforces them) AND
 * register the tests, from which ContractValidationPipe (./validation.ts) compiles a validator
 * per DTO class that does the same without class-transformer and class-validator's per-request
 * metadata walk. test/api/validation-equivalence.spec.ts checks that both answer alike.
 */
interface Check {
  test: (value: unknown) => boolean;
  message: string;
  decorator: PropertyDecorator;
}

function custom(name: string, test: (value: unknown) => boolean, message: string): Check {
  const decorator: PropertyDecorator = (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} ${message}` },
      validator: { validate: (value: unknown) => test(value) },
    });
  return { test, message, decorator };
}

// class-validator's own rules, with its tests and messages
const isString = (): Check => ({ test: (v) => typeof v === 'string', message: 'must be a string', decorator: IsString() });
const isInt = (): Check => ({ test: (v) => typeof v === 'number' && Number.isInteger(v), message: 'must be an integer number', decorator: IsInt() });
const min = (n: number): Check => ({ test: (v) => typeof v === 'number' && v >= n, message: `must not be less than ${n}`, decorator: Min(n) });
const max = (n: number): Check => ({ test: (v) => typeof v === 'number' && v <= n, message: `must not be greater than ${n}`, decorator: Max(n) });
const isBoolean = (): Check => ({ test: (v) => v instanceof Boolean || typeof v === 'boolean', message: 'must be a boolean value', decorator: IsBoolean() });
const isArray = (): Check => ({ test: (v) => Array.isArray(v), message: 'must be an array', decorator: IsArray() });
const arrayMaxSize = (n: number): Check => ({
  test: (v) => Array.isArray(v) && v.length <= n,
  message: `must contain no more than ${n} elements`,
  decorator: ArrayMaxSize(n),
});
const arrayMinSize = (n: number): Check => ({
  test: (v) => Array.isArray(v) && v.length >= n,
  message: `must contain at least ${n} elements`,
  decorator: ArrayMinSize(n),
});
const arrayUnique = (): Check => ({
  test: (v) => Array.isArray(v) && new Set(v).size === v.length,
  message: 'must not hold the same value twice',
  decorator: ArrayUnique({ message: '$property must not hold the same value twice' }),
});
const isIn = (values: readonly unknown[]): Check => ({
  test: (v) => values.some((x) => x === v),
  message: `must be one of ${values.join(', ')}`,
  decorator: IsIn(values as unknown[], { message: `$property must be one of ${values.join(', ')}` }),
});

const each = (test: (value: unknown) => boolean) => (value: unknown) => Array.isArray(value) && value.every(test);

// ------------------------------------------------------------------ the registry ContractValidationPipe reads

export interface FieldSpec {
  optional: boolean;
  /** `null` is a value of this field (the document says nullable) */
  nullable?: boolean;
  /** an object (or a list of objects) of a class declared with these decorators, validated in turn */
  nested?: () => Function;
  /** query strings: the text to the value (digits to an integer, true/false to a boolean) */
  parse?: (value: unknown) => unknown;
  checks: Array<Pick<Check, 'test' | 'message'>>;
}

const FIELDS = Symbol('helpdesk:fields');

/** the fields a class declared with these decorators (its own and its parents'), or null */
export function declaredFields(type: Function): Map<string, FieldSpec> | null {
  const own = Object.prototype.hasOwnProperty.call(type, FIELDS) ? ((type as unknown as Record<symbol, Map<string, FieldSpec>>)[FIELDS]) : undefined;
  const parent = Object.getPrototypeOf(type) as Function | null;
  const inherited = parent && parent !== Function.prototype ? declaredFields(parent) : null;
  if (!own && !inherited) return null;
  return new Map([...(inherited ?? []), ...(own ?? [])]);
}

const register = (spec: FieldSpec): PropertyDecorator => (target: object, propertyName: string | symbol) => {
  const type = target.constructor as unknown as Record<symbol, Map<string, FieldSpec>>;
  if (!Object.prototype.hasOwnProperty.call(type, FIELDS)) Object.defineProperty(type, FIELDS, { value: new Map(), enumerable: false });
  type[FIELDS].set(propertyName as string, spec);
};

// ------------------------------------------------------------------ the field decorators

/**
 * An optional field may be left out; when present it is validated, `null` included (the
 * document does not declare these fields nullable, so null is a 400 like any wrong type).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** an optional field that may also be `null` (declared nullable) */
const OptionalOrNull = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null);

interface Common {
  optional?: boolean;
  /** `null` is accepted (and declared nullable); only for optional fields */
  nullable?: boolean;
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

/** a field: its checks (validation and the compiled validator) and its OpenAPI property */
function field(
  o: Common,
  checks: Check[],
  openapi: ApiPropertyOptions,
  parse?: (value: unknown) => unknown,
  extra: { nested?: () => Function; decorators?: PropertyDecorator[] } = {},
): PropertyDecorator {
  if (o.nullable && !o.optional) throw new Error('a nullable field must be optional');
  return applyDecorators(
    ...(o.nullable ? [OptionalOrNull()] : o.optional ? [Optional()] : []),
    ...(parse ? [Transform(({ value }) => parse(value))] : []),
    ...checks.map((c) => c.decorator),
    ...(extra.decorators ?? []),
    register({ optional: !!o.optional, nullable: !!o.nullable, nested: extra.nested, parse, checks: checks.map(({ test, message }) => ({ test, message })) }),
    // (a nullable enum lists null among its values, as OpenAPI 3.0.3 reads nullable with enum)
    property(o.optional, { ...openapi, ...(o.nullable ? { nullable: true, ...(Array.isArray(openapi.enum) ? { enum: [...openapi.enum, null] } : {}) } : {}), ...described(o) } as ApiPropertyOptions),
  );
}

/** Text: a string of 1..max code points that is not blank (trim() leaves something). */
export function TextField(o: Common & { max: number; blankAllowed?: boolean }): PropertyDecorator {
  const within = o.blankAllowed
    ? custom('maxChars', (v) => typeof v === 'string' && charCount(v) <= o.max, `must be at most ${o.max} characters`)
    : custom('textWithin', (v) => typeof v === 'string' && NON_BLANK.test(v) && charCount(v) <= o.max, `must be non-blank text of at most ${o.max} characters`);
  return field(o, [isString(), within], {
    type: 'string',
    ...(o.blankAllowed ? { maxLength: o.max } : { minLength: 1, maxLength: o.max, pattern: NON_BLANK_PATTERN }),
  });
}

/** A list of texts (each non-blank, 1..max code points), at most maxItems of them. */
export function TextListField(o: Common & { max: number; maxItems: number; minItems?: number; unique?: boolean }): PropertyDecorator {
  const valid = (v: unknown) => typeof v === 'string' && NON_BLANK.test(v) && charCount(v) <= o.max;
  return field(
    o,
    [
      isArray(),
      ...(o.minItems ? [arrayMinSize(o.minItems)] : []),
      arrayMaxSize(o.maxItems),
      ...(o.unique ? [arrayUnique()] : []),
      custom('textsWithin', each(valid), `must hold non-blank texts of at most ${o.max} characters each`),
    ],
    {
      type: 'array',
      ...(o.minItems ? { minItems: o.minItems } : {}),
      maxItems: o.maxItems,
      ...(o.unique ? { uniqueItems: true } : {}),
      items: { type: 'string', minLength: 1, maxLength: o.max, pattern: NON_BLANK_PATTERN },
    } as ApiPropertyOptions,
  );
}

/** A list of values each one of the given ones, minItems..maxItems of them, each at most once if `unique`. */
export function EnumListField<T extends string>(values: readonly T[], o: Common & { minItems?: number; maxItems: number; unique?: boolean }): PropertyDecorator {
  return field(
    o,
    [
      isArray(),
      ...(o.minItems ? [arrayMinSize(o.minItems)] : []),
      arrayMaxSize(o.maxItems),
      ...(o.unique ? [arrayUnique()] : []),
      custom('eachIn', each((v) => values.some((x) => x === v)), `must hold only ${values.join(', ')}`),
    ],
    {
      type: 'array',
      ...(o.minItems ? { minItems: o.minItems } : {}),
      maxItems: o.maxItems,
      ...(o.unique ? { uniqueItems: true } : {}),
      items: { type: 'string', enum: [...values] },
    } as ApiPropertyOptions,
  );
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An object of a class itself declared with these decorators (validated in turn, its unknown
 * fields refused; errors named `field.inner`).
 */
export function NestedField(type: () => Function, o: Common = {}): PropertyDecorator {
  return field(o, [custom('isObject', isObject, 'must be a JSON object')], { type: () => type() } as ApiPropertyOptions, undefined, {
    nested: type,
    decorators: [ValidateNested(), Type(() => type() as new () => object)],
  });
}

/** A list of objects of a class declared with these decorators (errors named `field.N.inner`). */
export function NestedListField(type: () => Function, o: Common & { maxItems: number }): PropertyDecorator {
  return field(o, [isArray(), arrayMaxSize(o.maxItems)], { type: () => type(), isArray: true, maxItems: o.maxItems } as ApiPropertyOptions, undefined, {
    nested: type,
    decorators: [ValidateNested({ each: true }), Type(() => type() as new () => object)],
  });
}

/** A UUID (any version, either case): client-supplied ids. */
export function IdField(o: Common = {}): PropertyDecorator {
  return field(o, [custom('uuid', isUuid, 'must be a UUID (8-4-4-4-12 hexadecimal digits)')], {
    type: 'string',
    format: 'uuid',
    pattern: UUID_PATTERN,
    example: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  });
}

/** One of the given values (strings or numbers, compared strictly). */
export function EnumField<T extends string | number>(values: readonly T[], o: Common = {}): PropertyDecorator {
  const numeric = values.every((v) => typeof v === 'number');
  const mixed = !numeric && values.some((v) => typeof v === 'number');
  return field(
    o,
    [isIn(values)],
    (mixed
      ? { oneOf: [{ type: 'string', enum: values.filter((v) => typeof v === 'string') }, { type: 'integer', enum: values.filter((v) => typeof v === 'number') }] }
      : { type: numeric ? 'integer' : 'string', enum: [...values] }) as ApiPropertyOptions,
  );
}

/** An integer within [min, max] (JSON numbers with no fraction: 3 and 3.0 alike). */
export function IntField(o: Common & { min: number; max: number }): PropertyDecorator {
  return field(o, [isInt(), min(o.min), max(o.max)], { type: 'integer', minimum: o.min, maximum: o.max });
}

/** `true` or `false`; with `only`, that one value alone (e.g. an obligation that cannot be turned off) */
export function BooleanField(o: Common & { only?: boolean; message?: string } = {}): PropertyDecorator {
  const only = o.only;
  return field(
    o,
    [isBoolean(), ...(only === undefined ? [] : [custom('only', (v) => v === only, o.message ?? `must be ${only}`)])],
    { type: 'boolean', ...(only === undefined ? {} : { enum: [only] }) } as ApiPropertyOptions,
  );
}

/** A calendar date YYYY-MM-DD that exists. */
export function DateField(o: Common = {}): PropertyDecorator {
  return field(o, [custom('calendarDate', isCalendarDate, 'must be a date YYYY-MM-DD')], { type: 'string', format: 'date', pattern: DATE_PATTERN, example: '2026-11-20' });
}

/** An instant with its offset, e.g. 2026-11-20T16:00:00Z or 2026-11-20T10:00:00-06:00. */
export function InstantField(o: Common = {}): PropertyDecorator {
  return field(o, [custom('instant', isInstant, 'must be an ISO 8601 instant with an offset, e.g. 2026-11-20T16:00:00Z')], {
    type: 'string',
    format: 'date-time',
    pattern: INSTANT_PATTERN,
    example: '2026-11-20T16:00:00Z',
  });
}

/** Either a date YYYY-MM-DD or an instant with its offset. */
export function DateOrInstantField(o: Common = {}): PropertyDecorator {
  return field(o, [custom('dateOrInstant', (v) => isCalendarDate(v) || isInstant(v), 'must be a date YYYY-MM-DD or an ISO 8601 instant with an offset')], {
    oneOf: [
      { type: 'string', format: 'date', pattern: DATE_PATTERN },
      { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN },
    ],
    example: '2099-12-31',
  } as ApiPropertyOptions);
}

/** A string matching an anchored pattern (e.g. an opaque cursor's alphabet). */
export function PatternField(o: Common & { pattern: string; message: string; maxLength?: number; format?: string }): PropertyDecorator {
  const re = new RegExp(o.pattern);
  const max = o.maxLength;
  return field(o, [custom('pattern', (v) => typeof v === 'string' && re.test(v) && (max === undefined || charCount(v) <= max), o.message)], {
    type: 'string',
    pattern: o.pattern,
    ...(max === undefined ? {} : { maxLength: max }),
    ...(o.format ? { format: o.format } : {}),
  } as ApiPropertyOptions);
}

/**
 * An e-mail address: surrounding white space is dropped (the value handed on is trimmed), then
 * it must be local@domain.tld within `max` code points. The document's pattern allows the
 * surrounding white space and its maxLength counts the text as sent.
 */
export function EmailAddressField(o: Common & { max: number }): PropertyDecorator {
  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  // trimmed only when the text as sent is within max, so that the length checked is the one the document counts
  const parse = (value: unknown) => (typeof value === 'string' && charCount(value) <= o.max ? value.trim() : value);
  return field(
    o,
    [isString(), custom('email', (v) => typeof v === 'string' && EMAIL.test(v) && charCount(v) <= o.max, `must be an email address of at most ${o.max} characters`)],
    { type: 'string', maxLength: o.max, pattern: EMAIL_DOCUMENT_PATTERN, example: 'ana.lopez@example.mx' } as ApiPropertyOptions,
    parse,
  );
}

/** same rule as the e-mail check, as the document states it: surrounding white space allowed; JavaScript's \s written out */
export const EMAIL_DOCUMENT_PATTERN = `^[${TRIMMED}]*[^${TRIMMED}@]+@[^${TRIMMED}@]+\\.[^${TRIMMED}@]+[${TRIMMED}]*$`;

/**
 * A password: a string of at most `max` code points. The document states `min` too; with
 * `enforceMin` the validation refuses a shorter one, otherwise the controller does (a new
 * password: 400 password-too-weak, as the identity library's policy refuses common ones).
 */
export function PasswordField(o: Common & { min: number; max: number; enforceMin?: boolean }): PropertyDecorator {
  const low = o.enforceMin ? o.min : 0;
  const within = (v: unknown) => typeof v === 'string' && charCount(v) >= low && charCount(v) <= o.max;
  return field(o, [isString(), custom('passwordLength', within, low ? `must be ${low} to ${o.max} characters` : `must be at most ${o.max} characters`)], {
    type: 'string',
    format: 'password',
    minLength: o.min,
    maxLength: o.max,
  });
}

/** A list of strings each matching an anchored pattern, at most maxItems of them. */
export function PatternListField(o: Common & { pattern: string; maxItems: number; message: string; unique?: boolean }): PropertyDecorator {
  const re = new RegExp(o.pattern);
  return field(
    o,
    [isArray(), arrayMaxSize(o.maxItems), ...(o.unique ? [arrayUnique()] : []), custom('patterns', each((v) => typeof v === 'string' && re.test(v)), o.message)],
    { type: 'array', maxItems: o.maxItems, ...(o.unique ? { uniqueItems: true } : {}), items: { type: 'string', pattern: o.pattern } } as ApiPropertyOptions,
  );
}

export function CurrencyField(o: Common = {}): PropertyDecorator {
  const re = new RegExp(CURRENCY_PATTERN);
  return field(o, [custom('currency', (v) => typeof v === 'string' && re.test(v), 'must be an ISO 4217 code such as MXN')], {
    type: 'string',
    pattern: CURRENCY_PATTERN,
    example: 'MXN',
  });
}

// ------------------------------------------------------------------ query-string fields

/**
 * Query parameters arrive as text. `QueryIntField` reads decimal digits only (no sign, no
 * fraction, no exponent, no spaces: "050" is 50) and declares exactly that; anything else is 400.
 */
export function QueryIntField(o: Common & { min: number; max: number }): PropertyDecorator {
  const parse = (value: unknown) => (typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value);
  return field(o, [isInt(), min(o.min), max(o.max)], { type: 'integer', minimum: o.min, maximum: o.max }, parse);
}

/** `true` or `false`, as text */
export function QueryBooleanField(o: Common = {}): PropertyDecorator {
  const parse = (value: unknown) => (value === 'true' ? true : value === 'false' ? false : value);
  return field(o, [isBoolean()], { type: 'boolean' }, parse);
}
