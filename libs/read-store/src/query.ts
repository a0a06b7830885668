/**
 * Helpers shared by the read-store adapters and their callers: name validation, keyset
 * cursors and batch collapsing.
 */
import type { Doc, Scalar, SortSpec, WriteOp } from './read-store.port';

const COLLECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const FIELD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** collection names: letters, digits, `_`, `.`, `-`; not starting with `_` (reserved) or `system.` */
export function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name) || name.startsWith('system.') || name.startsWith('sqlite_')) {
    throw new TypeError(`invalid collection name: ${JSON.stringify(name)}`);
  }
}

/** field paths used in filters, sorts and indexes: identifiers joined by dots (`a` or `a.b`) */
export function assertFieldPath(field: string): void {
  if (!field.split('.').every((segment) => FIELD_SEGMENT.test(segment))) {
    throw new TypeError(`invalid field path: ${JSON.stringify(field)}`);
  }
}

/** the sort with the `_id` ascending tie-breaker appended (unless the sort already has `_id`) */
export function completeSort(sort: SortSpec | undefined): SortSpec {
  const keys: SortSpec = sort ? [...sort] : [];
  for (const [field, direction] of keys) {
    assertFieldPath(field);
    if (direction !== 1 && direction !== -1) throw new TypeError(`invalid sort direction for ${field}: ${direction}`);
  }
  const idAt = keys.findIndex(([field]) => field === '_id');
  if (idAt >= 0) return keys.slice(0, idAt + 1);
  keys.push(['_id', 1]);
  return keys;
}

function valueAt(doc: Doc, field: string): Scalar {
  let value: unknown = doc;
  for (const segment of field.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[segment];
  }
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TypeError(`sort field ${field} holds a non-scalar value`);
}

/** the keyset cursor that continues after `doc` for the given sort (missing fields become null) */
export function cursorFor(doc: Doc, sort: SortSpec | undefined): { values: Scalar[]; id: string } {
  return { values: (sort ?? []).map(([field]) => valueAt(doc, field)), id: doc._id };
}

/** opaque, URL-safe form of a keyset cursor (for `?cursor=` parameters) */
export function encodeCursor(cursor: { values: Scalar[]; id: string }): string {
  return Buffer.from(JSON.stringify([cursor.values, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): { values: Scalar[]; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new TypeError('invalid cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Array.isArray(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    !parsed[0].every((v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
  ) {
    throw new TypeError('invalid cursor');
  }
  return { values: parsed[0] as Scalar[], id: parsed[1] };
}

/**
 * The keyset comparison "strictly after the cursor in sort order" as an OR of AND-branches over
 * the complete sort (see completeSort). Null (or missing) sorts before every value, as in
 * MongoDB. Terms: 'eq' equal (null matching null/missing); 'gt'/'lt' strictly greater/less,
 * `orNull` adding null/missing; 'notNull'. Branches that cannot match (after null in a
 * descending key) are left out.
 */
export type KeysetTerm =
  | { field: string; op: 'eq'; value: Scalar }
  | { field: string; op: 'gt' | 'lt'; value: Exclude<Scalar, null>; orNull: boolean }
  | { field: string; op: 'notNull' };

export function keysetBranches(sort: SortSpec, after: { values: Scalar[]; id: string }): KeysetTerm[][] {
  const full = sort;
  const values = [...after.values];
  // the cursor holds one value per caller sort key; the `_id` tie-breaker comes from `after.id`
  if (values.length === full.length - 1) values.push(after.id);
  if (values.length !== full.length) {
    throw new TypeError(`cursor has ${after.values.length} values, the sort has ${full.length - 1} keys`);
  }
  const branches: KeysetTerm[][] = [];
  for (let i = 0; i < full.length; i++) {
    const prefix: KeysetTerm[] = [];
    for (let j = 0; j < i; j++) prefix.push({ field: full[j][0], op: 'eq', value: values[j] });
    const [field, direction] = full[i];
    const value = values[i];
    if (value === null) {
      // null sorts first: everything non-null is after it ascending, nothing is descending
      if (direction === 1) branches.push([...prefix, { field, op: 'notNull' }]);
    } else if (direction === 1) {
      branches.push([...prefix, { field, op: 'gt', value, orNull: false }]);
    } else {
      branches.push([...prefix, { field, op: 'lt', value, orNull: true }]);
    }
  }
  return branches;
}

type PutOp = Extract<WriteOp, { kind: 'put' }>;
type DeleteOp = Extract<WriteOp, { kind: 'delete' }>;

export function opPosition(op: WriteOp): number {
  return op.kind === 'put' ? (op.position ?? op.doc._pos) : op.position;
}

/** the `_id` an op writes */
export function opId(op: WriteOp): string {
  return op.kind === 'put' ? (op.id ?? op.doc._id) : op.id;
}

/**
 * Collapses a batch to the one op per document that decides its final state: the op with the
 * highest position (on a tie, the first one, since an equal position changes nothing).
 * Returns the winners grouped by collection, in first-seen order.
 */
export function collapseBatch(ops: WriteOp[]): Map<string, Map<string, PutOp | DeleteOp>> {
  const byCollection = new Map<string, Map<string, PutOp | DeleteOp>>();
  for (const op of ops) {
    const position = opPosition(op);
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new TypeError(`write position must be a non-negative safe integer, got ${position}`);
    }
    let docs = byCollection.get(op.collection);
    if (!docs) {
      assertCollectionName(op.collection);
      docs = new Map();
      byCollection.set(op.collection, docs);
    }
    const id = opId(op);
    if (typeof id !== 'string' || id === '') throw new TypeError(`document _id must be a non-empty string`);
    const current = docs.get(id);
    if (!current || position > opPosition(current)) docs.set(id, op);
  }
  return byCollection;
}
