/**
 * Applying the history's per-step changes (RFC 6902 JSON Patch: add, replace, remove, each
 * with `old`): from `baseState`, step after step, the folded state of the case at every event
 * of the timeline (the server tests that this equals `?asOfVersion=`). Structural sharing: a
 * step copies only the objects on the paths it changes.
 */
export interface PatchOp {
  op: 'add' | 'replace' | 'remove' | string;
  path: string;
  value?: unknown;
  old?: unknown;
}

type Container = Record<string, unknown> | unknown[];

/** "/billing/quotes/q~1x" -> ["billing", "quotes", "q/x"] */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const copyOf = (c: Container): Container => (Array.isArray(c) ? [...c] : { ...c });

function applyOne(doc: unknown, op: PatchOp): unknown {
  const tokens = pointerTokens(op.path);
  if (tokens.length === 0) return op.op === 'remove' ? null : op.value;
  const root = copyOf((doc ?? {}) as Container);
  let parent: Container = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const key = tokens[i];
    const child = (parent as Record<string, unknown>)[key];
    const next = child !== null && typeof child === 'object' ? copyOf(child as Container) : {};
    (parent as Record<string, unknown>)[key] = next;
    parent = next;
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (op.op === 'remove') parent.splice(index, 1);
    else if (op.op === 'add') parent.splice(index, 0, op.value);
    else parent[index] = op.value;
  } else if (op.op === 'remove') {
    delete parent[last];
  } else {
    // an own property even when the key is __proto__ (never the prototype)
    Object.defineProperty(parent, last, { value: op.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

export function applyPatch<T>(doc: T, ops: PatchOp[]): T {
  let out: unknown = doc;
  for (const op of ops) out = applyOne(out, op);
  return out as T;
}

/** the state after each step: states[i] is the case once events[0..i] are applied */
export function foldSteps<T>(base: T, steps: Array<{ changes?: PatchOp[] }>): T[] {
  const states: T[] = [];
  let current = base;
  for (const s of steps) {
    if (s.changes && s.changes.length > 0) current = applyPatch(current, s.changes);
    states.push(current);
  }
  return states;
}

/** the value at a pointer (undefined when absent) */
export function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const t of pointerTokens(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[t];
  }
  return cur;
}
