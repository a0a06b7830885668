/**
 * A refusal decided by the domain. `code` is stable and part of the API contract
 * (../shared/spec/api.md); `status` is the HTTP status class it maps to.
 */
export type DomainErrorStatus = 400 | 403 | 404 | 409 | 410 | 422;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: DomainErrorStatus,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) => new DomainError('not-found', 404, `${what} ${id} not found`, { id });
export const invalid = (path: string, message: string) =>
  new DomainError('invalid-request', 400, `${path}: ${message}`, { errors: [{ path, message }] });

/**
 * A well-formed field a rule refuses (422) because of the moment or of the state it meets:
 * a date in the future, an announced wait in the past, a purchase order the quote asks for.
 * The request matches the API's document (400 is only for what does not); `errors` names the field.
 */
export const refusedField = (code: string, path: string, message: string) =>
  new DomainError(code, 422, `${path}: ${message}`, { errors: [{ path, message }] });

/** string length in Unicode code points (what the API's document and people count as characters) */
export function textLength(value: string): number {
  let n = value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
