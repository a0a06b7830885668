import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldSpec, declaredFields } from './fields';
import { invalidRequest } from './problem';

function flatten(errors: ValidationError[], parent = ''): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ path, message: message.replace(/^property (\S+) should not exist$/, 'unknown field').replace(/^Validation failed \(object is expected\)$/, 'must be a JSON object') });
    }
    if (e.children?.length) out.push(...flatten(e.children, path));
  }
  return out;
}

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object, Buffer, Date];

type Compiled = (value: unknown, location: string) => object;

/**
 * The validation of request bodies and query strings. For a DTO declared entirely with the
 * field decorators of ./fields (every contract DTO), it runs a validator compiled once per
 * class from the same rules: the same verdicts and messages as class-validator, without
 * class-transformer's copy and class-validator's per-request walk over its metadata (together
 * a tenth of a command's CPU time in bench:http). Any other class goes through Nest's
 * ValidationPipe with the options below. test/api/validation-equivalence.spec.ts checks that
 * both answer alike for every contract DTO.
 *
 * Unknown fields are refused, values are converted only where declared (query integers and
 * booleans), `null` is a value like any other (refused unless a field allows it).
 */
@Injectable()
export class ContractValidationPipe extends ValidationPipe {
  private readonly compiled = new Map<Function, Compiled | null>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => invalidRequest(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (!type || metadata.type === 'custom' || PRIMITIVES.includes(type)) return super.transform(value, metadata);
    let validate = this.compiled.get(type);
    if (validate === undefined) {
      validate = compile(type);
      this.compiled.set(type, validate);
    }
    if (validate) return validate(value, metadata.type);
    refuseUndeclaredNulls(type, value);
    return super.transform(value, metadata);
  }
}

const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/**
 * class-validator's @IsOptional() lets `null` through; the document does not declare a field
 * nullable unless its @ApiProperty says so. For DTOs written with class-validator directly,
 * `null` in a field the document does not make nullable is refused here (400 naming it), as
 * the field decorators of ./fields do.
 */
function refuseUndeclaredNulls(type: Function, value: unknown): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const errors: Array<{ path: string; message: string }> = [];
  for (const [key, v] of Object.entries(value)) {
    if (v !== null) continue;
    const declared = Reflect.getMetadata(API_MODEL_PROPERTIES, type.prototype, key) as { nullable?: boolean } | undefined;
    if (declared && declared.nullable !== true) errors.push({ path: key, message: `${key} must not be null` });
  }
  if (errors.length > 0) throw invalidRequest(errors);
}

type FieldError = { path: string; message: string };
/** validates a plain object, adding its errors (paths under `prefix`); answers the value handed on */
type ObjectValidator = (source: Record<string, unknown>, prefix: string, errors: FieldError[]) => object;

const objectValidators = new Map<Function, ObjectValidator | null>();

function objectValidator(type: Function): ObjectValidator | null {
  if (objectValidators.has(type)) return objectValidators.get(type)!;
  objectValidators.set(type, null); // (a class that contains itself is not a contract DTO)
  const fields = declaredFields(type);
  let validator: ObjectValidator | null = null;
  const validated = fields && new Set(getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).map((m) => m.propertyName));
  // every validated property declared with ./fields (other rules too: Nest's pipe), and nested classes likewise
  const nestedOk = fields && [...fields.values()].every((spec) => !spec.nested || objectValidator(spec.nested()) !== null);
  if (fields && validated && nestedOk && validated.size === fields.size && [...validated].every((p) => fields.has(p))) {
    const entries: Array<[string, FieldSpec]> = [...fields];
    const Type = type as new () => object;
    validator = (source, prefix, errors) => {
      for (const key of Object.keys(source)) if (!fields.has(key)) errors.push({ path: `${prefix}${key}`, message: 'unknown field' });
      const out = new Type() as Record<string, unknown>;
      for (const [name, spec] of entries) {
        const raw = source[name];
        const v = spec.parse ? spec.parse(raw) : raw;
        if (Object.prototype.hasOwnProperty.call(source, name)) out[name] = v;
        if (v === undefined && spec.optional) continue;
        if (v === null && spec.nullable) continue;
        for (const check of spec.checks) if (!check.test(v)) errors.push({ path: `${prefix}${name}`, message: `${name} ${check.message}` });
        if (spec.nested && v !== undefined) out[name] = nestedValue(objectValidator(spec.nested())!, v, `${prefix}${name}`, errors);
      }
      return out;
    };
  }
  objectValidators.set(type, validator);
  return validator;
}

/**
 * class-validator's nested validation: an object is validated by its class, a list element
 * by element (lists in lists too), anything else is an error of its own.
 */
function nestedValue(validate: ObjectValidator, value: unknown, path: string, errors: FieldError[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => nestedValue(validate, item, `${path}.${i}`, errors));
  if (typeof value === 'object' && value !== null) return validate(value as Record<string, unknown>, `${path}.`, errors);
  if (!errors.some((e) => e.path === path)) errors.push({ path, message: `${path.split('.').pop()} must be a JSON object` });
  return value;
}

/** the validator of a class whose every validated property came from ./fields, or null */
export function compile(type: Function): Compiled | null {
  const validate = objectValidator(type);
  if (!validate) return null;
  return (value, location) => {
    // a missing body is an empty one (the document makes such bodies optional); JSON null is not an object
    if (value === null && location === 'body') throw invalidRequest([{ path: 'body', message: 'must be a JSON object' }]);
    const input = value === undefined || value === null ? {} : value;
    if (typeof input !== 'object' || Array.isArray(input) || Buffer.isBuffer(input)) {
      throw invalidRequest([{ path: location, message: 'must be a JSON object' }]);
    }
    const errors: FieldError[] = [];
    const out = validate(input as Record<string, unknown>, '', errors);
    if (errors.length > 0) throw invalidRequest(errors);
    return out;
  };
}

/** for code that wants Nest's own pipe with the API's options (tests) */
export const validationPipe = new ContractValidationPipe();
