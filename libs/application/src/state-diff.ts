/**
 * What changed between two folded states, as JSON Patch operations (RFC 6902, paths as RFC 6901
 * pointers) that turn the first into the second; `replace` and `remove` also carry `old`, the
 * value before (an extension a patch library ignores), so a screen can show "before -> after".
 * Unchanged parts are skipped by reference first: the domain's evolve shares everything an
 * event does not touch, so a step costs about what the event changed.
 */
export type StatePatch =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown; old: unknown }
  | { op: 'remove'; path: string; old: unknown };

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
/** sets an own property, also one named __proto__ (never the prototype) */
const setOwn = (o: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });

function walk(a: unknown, b: unknown, path: string, out: StatePatch[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) walk(a[i], b[i], `${path}/${i}`, out);
    for (let i = common; i < b.length; i++) out.push({ op: 'add', path: `${path}/${i}`, value: b[i] });
    // from the end, so each index is still valid when its removal is applied
    for (let i = a.length - 1; i >= common; i--) out.push({ op: 'remove', path: `${path}/${i}`, old: a[i] });
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(a)) {
      if (a[key] === undefined) continue;
      if (!has(b, key) || b[key] === undefined) out.push({ op: 'remove', path: `${path}/${escape(key)}`, old: a[key] });
    }
    for (const key of Object.keys(b)) {
      if (b[key] === undefined) continue;
      if (!has(a, key) || a[key] === undefined) out.push({ op: 'add', path: `${path}/${escape(key)}`, value: b[key] });
      else walk(a[key], b[key], `${path}/${escape(key)}`, out);
    }
    return;
  }
  // numbers, strings, booleans, null, or a change of kind
  out.push({ op: 'replace', path, value: b, old: a });
}

/** the patch that turns `before` into `after` (both JSON values) */
export function stateDiff(before: unknown, after: unknown): StatePatch[] {
  const out: StatePatch[] = [];
  walk(before, after, '', out);
  return out;
}

/** applies a patch made by stateDiff to a JSON value (returns a new value; for tests and clients' reference) */
export function applyStatePatch<T>(value: T, patch: StatePatch[]): T {
  let root: unknown = structuredClone(value);
  for (const op of patch) {
    if (op.path === '') {
      root = op.op === 'remove' ? undefined : structuredClone(op.value);
      continue;
    }
    const keys = op.path
      .slice(1)
      .split('/')
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    let parent = root as Record<string, unknown> | unknown[];
    for (const key of keys.slice(0, -1)) parent = (parent as Record<string, unknown>)[key] as Record<string, unknown>;
    const last = keys[keys.length - 1];
    if (Array.isArray(parent)) {
      const i = Number(last);
      if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
      else if (op.op === 'remove') parent.splice(i, 1);
      else parent[i] = structuredClone(op.value);
    } else if (op.op === 'remove') delete parent[last];
    else setOwn(parent, last, structuredClone(op.value));
  }
  return root as T;
}
