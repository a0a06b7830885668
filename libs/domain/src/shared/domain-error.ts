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
