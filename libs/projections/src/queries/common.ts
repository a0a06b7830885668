import { decodeCursor, encodeCursor, type Scalar } from '@helpdesk/read-store';

/**
 * A query parameter the caller got wrong: the API answers 400 invalid-request naming `path`,
 * or 422 for what the document cannot state: invalid-cursor (a cursor this query did not
 * return, well-formed but unusable), conflicting-parameters (two allowed alone, not together).
 */
export class InvalidQueryError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly code: 'invalid-request' | 'invalid-cursor' | 'conflicting-parameters' = 'invalid-request',
  ) {
    super(`${path}: ${message}`);
    this.name = 'InvalidQueryError';
  }
}

export interface Page<T> {
  items: T[];
  /** opaque base64url keyset cursor for the next page; null on the last page */
  nextCursor: string | null;
}

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

export function pageLimit(limit: number | undefined, max = MAX_PAGE, fallback = DEFAULT_PAGE): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new InvalidQueryError('limit', `must be an integer from 1 to ${max}`);
  return limit;
}

/** decodes a cursor made for a sort of `keys` sort keys */
export function readCursor(cursor: string | undefined | null, keys: number): { values: Scalar[]; id: string } | undefined {
  if (cursor === undefined || cursor === null || cursor === '') return undefined;
  let decoded: { values: Scalar[]; id: string };
  try {
    decoded = decodeCursor(cursor);
  } catch {
    throw new InvalidQueryError('cursor', 'not a cursor returned by this query', 'invalid-cursor');
  }
  if (!Array.isArray(decoded?.values) || decoded.values.length !== keys || typeof decoded.id !== 'string') {
    throw new InvalidQueryError('cursor', 'not a cursor returned by this query', 'invalid-cursor');
  }
  return decoded;
}

export const writeCursor = (values: Scalar[], id: string): string => encodeCursor({ values, id });

/** an instant parameter as stored in the views (UTC ISO with milliseconds) */
export function instantParam(path: string, value: string): string {
  const ms = Date.parse(value);
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw new InvalidQueryError(path, 'must be an ISO 8601 instant');
  }
  return new Date(ms).toISOString();
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export function isDateParam(value: string): boolean {
  return DATE_RE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

export function dateParam(path: string, value: string): string {
  if (!isDateParam(value)) throw new InvalidQueryError(path, 'must be a date YYYY-MM-DD');
  return value;
}

/** the day after a date (YYYY-MM-DD) */
export function nextDay(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}
