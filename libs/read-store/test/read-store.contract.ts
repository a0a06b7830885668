/**
 * The contract every ReadStore adapter passes. Usage, in a *.spec.ts:
 *
 *   describeReadStoreContract('sqlite', async () => ({ store, reopen, cleanup }), { atomicBatch: true });
 *
 * `open` is called before each test and must return an empty store; `reopen` (optional) closes
 * nothing itself: the suite closes `store` first and then calls it to get a store on the same
 * data. `cleanup` runs after each test and must also close whatever reopen returned.
 */
import { CheckpointMovedError, cursorFor, decodeCursor, encodeCursor } from '../src';
import type { CollectionSpec, Doc, Filter, ReadStore, Scalar, SortSpec, WriteOp } from '../src';

export interface ContractOptions {
  /** writes and checkpoint of one applyBatch commit together (embedded store) */
  atomicBatch?: boolean;
  /**
   * conditional updates are atomic on the server, so two writers racing from the same
   * checkpoint cannot both win (true for MongoDB and SQLite; FerretDB v1 evaluates the filter
   * and writes the update in separate steps). Default true.
   */
  atomicCompareAndSet?: boolean;
}

type Opened = { store: ReadStore; reopen?: () => Promise<ReadStore>; cleanup: () => Promise<void> };

interface Ticket extends Doc {
  _pos: number;
  status: string;
  department: string;
  priority: number;
  responseDueAt: string | null;
  assigneeId?: string | null;
  breached: boolean;
  minutes: number;
}

const TICKETS: CollectionSpec = {
  name: 'tickets',
  indexes: [
    {
      fields: [
        ['responseDueAt', 1],
        ['priority', 1],
      ],
    },
    {
      fields: [
        ['status', 1],
        ['responseDueAt', 1],
      ],
    },
    { fields: [['priority', -1]] },
  ],
};

const put = (collection: string, doc: Doc & { _pos: number }): WriteOp => ({ kind: 'put', collection, doc });
const del = (collection: string, id: string, position: number): WriteOp => ({ kind: 'delete', collection, id, position });

/** deterministic data set with ties, nulls and missing fields */
function makeTickets(n: number): Ticket[] {
  const statuses = ['open', 'pending', 'closed', 'open', 'waiting'];
  const departments = ['billing', 'network', 'hardware'];
  const tickets: Ticket[] = [];
  for (let i = 0; i < n; i++) {
    const t: Ticket = {
      _id: `t-${String((i * 37) % n).padStart(3, '0')}`,
      _pos: i + 1,
      status: statuses[i % statuses.length],
      department: departments[(i * 7) % departments.length],
      priority: (i * 13) % 4,
      // many ties on the due date, and some tickets without one
      responseDueAt: i % 9 === 4 ? null : `2025-03-${String(1 + ((i * 5) % 6)).padStart(2, '0')}T0${i % 3}:00:00.000Z`,
      breached: i % 4 === 0,
      minutes: (i * 17) % 120,
    };
    if (i % 3 === 0) t.assigneeId = `agent-${i % 5}`;
    else if (i % 3 === 1) t.assigneeId = null; // explicit null; the rest leave it missing
    tickets.push(t);
  }
  return tickets;
}

// ------------------------------------------------------------------ reference semantics

function valueOf(doc: Doc, field: string): Scalar {
  const v = doc[field];
  return v === undefined ? null : (v as Scalar);
}

function rank(v: Scalar): number {
  return v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3;
}

function compareScalars(a: Scalar, b: Scalar): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === null || b === null) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

function referenceSort(docs: Doc[], sort: SortSpec): Doc[] {
  const keys: SortSpec = [...sort, ['_id', 1]];
  return [...docs].sort((x, y) => {
    for (const [field, direction] of keys) {
      const c = compareScalars(valueOf(x, field), valueOf(y, field));
      if (c !== 0) return c * direction;
    }
    return 0;
  });
}

function matches(doc: Doc, filter: Filter): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const v = valueOf(doc, field);
    if (condition === null || typeof condition !== 'object') return compareScalars(v, condition) === 0 && rank(v) === rank(condition);
    const sameType = (x: Scalar) => v !== null && rank(v) === rank(x);
    return Object.entries(condition).every(([op, x]) => {
      switch (op) {
        case '$in':
          return (x as Scalar[]).some((item) => (item === null ? v === null : v === item));
        case '$ne':
          return x === null ? v !== null : v !== x;
        case '$gt':
          return sameType(x as Scalar) && compareScalars(v, x as Scalar) > 0;
        case '$gte':
          return sameType(x as Scalar) && compareScalars(v, x as Scalar) >= 0;
        case '$lt':
          return sameType(x as Scalar) && compareScalars(v, x as Scalar) < 0;
        case '$lte':
          return sameType(x as Scalar) && compareScalars(v, x as Scalar) <= 0;
        default:
          throw new Error(op);
      }
    });
  });
}

const ids = (docs: Doc[]) => docs.map((d) => d._id);

// ------------------------------------------------------------------ the suite

export function describeReadStoreContract(name: string, open: () => Promise<Opened>, options: ContractOptions = {}): void {
  describe(`ReadStore contract: ${name}`, () => {
    let opened: Opened;
    let store: ReadStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    async function seed(tickets: Ticket[], checkpoint?: bigint): Promise<void> {
      await store.ensureCollections([TICKETS]);
      await store.applyBatch(
        tickets.map((t) => put('tickets', t)),
        checkpoint === undefined ? undefined : { name: 'tickets', expected: null, position: checkpoint },
      );
    }

    describe('put, get, getMany', () => {
      it('stores whole documents and reads them back by id', async () => {
        const tickets = makeTickets(5);
        await seed(tickets);
        for (const t of tickets) expect(await store.get('tickets', t._id)).toEqual(t);
        expect(await store.get('tickets', 'nope')).toBeNull();
        expect(await store.get('unknown-collection', 't-000')).toBeNull();
      });

      it('getMany returns the found documents in the order asked, without missing ids or duplicates', async () => {
        const tickets = makeTickets(6);
        await seed(tickets);
        const wanted = [tickets[4]._id, 'missing', tickets[1]._id, tickets[4]._id, tickets[0]._id];
        expect(ids(await store.getMany('tickets', wanted))).toEqual([tickets[4]._id, tickets[1]._id, tickets[0]._id]);
        expect(await store.getMany('tickets', [])).toEqual([]);
        expect(await store.getMany('unknown-collection', ['a'])).toEqual([]);
      });

      it('a put whose doc is built on access is read once, when applyBatch is called, and grouped by its id and position', async () => {
        await store.ensureCollections([TICKETS]);
        const source = { title: 'antes', reads: 0 };
        const lazy = {
          kind: 'put' as const,
          collection: 'tickets',
          id: 'lazy-1',
          position: 7,
          get doc() {
            source.reads++;
            return { _id: 'lazy-1', _pos: 7, title: source.title };
          },
        };
        const written = store.applyBatch([lazy], { name: 'lazy', expected: null, position: 7n });
        // what the document is built from changes once the promise is returned
        source.title = 'después';
        await written;
        expect(source.reads).toBe(1);
        expect(await store.get('tickets', 'lazy-1')).toEqual({ _id: 'lazy-1', _pos: 7, title: 'antes' });
      });

      it('creates a collection on first write even without ensureCollections', async () => {
        await store.applyBatch([put('notes', { _id: 'n1', _pos: 3, text: 'hola', nested: { a: [1, 2] } })]);
        expect(await store.get('notes', 'n1')).toEqual({ _id: 'n1', _pos: 3, text: 'hola', nested: { a: [1, 2] } });
        expect(await store.listCollections()).toContain('notes');
      });

      it('handles large batches (thousands of documents) in one call', async () => {
        const tickets = makeTickets(999).map((t, i) => ({ ...t, _id: `bulk-${i}` }));
        await seed(tickets, 999n);
        expect(await store.count('tickets')).toBe(999);
        expect(await store.getCheckpoint('tickets')).toBe(999n);
        expect(await store.get('tickets', 'bulk-998')).toEqual(tickets[998]);
      });
    });

    describe('position-guarded writes', () => {
      const v = (pos: number, title: string) => ({ _id: 'doc', _pos: pos, title });

      it('an older or equal position changes nothing; a newer one wins', async () => {
        await store.applyBatch([put('docs', v(5, 'five'))]);
        await store.applyBatch([put('docs', v(3, 'three'))]);
        expect(await store.get('docs', 'doc')).toEqual(v(5, 'five'));
        await store.applyBatch([put('docs', v(5, 'five again'))]);
        expect(await store.get('docs', 'doc')).toEqual(v(5, 'five'));
        await store.applyBatch([put('docs', v(7, 'seven'))]);
        expect(await store.get('docs', 'doc')).toEqual(v(7, 'seven'));
      });

      it('deletes are guarded too', async () => {
        await store.applyBatch([put('docs', v(7, 'seven'))]);
        await store.applyBatch([del('docs', 'doc', 6)]);
        await store.applyBatch([del('docs', 'doc', 7)]);
        expect(await store.get('docs', 'doc')).toEqual(v(7, 'seven'));
        await store.applyBatch([del('docs', 'doc', 8)]);
        expect(await store.get('docs', 'doc')).toBeNull();
        await store.applyBatch([del('docs', 'never-there', 9)]);
        expect(await store.count('docs')).toBe(0);
      });

      it('within one batch the highest position per document decides', async () => {
        await store.applyBatch([
          put('docs', v(2, 'two')),
          put('docs', v(4, 'four')),
          put('docs', v(3, 'three')),
          put('docs', { _id: 'other', _pos: 1, title: 'x' }),
          put('docs', { _id: 'gone', _pos: 1, title: 'x' }),
          del('docs', 'gone', 5),
        ]);
        expect(await store.get('docs', 'doc')).toEqual(v(4, 'four'));
        expect(await store.get('docs', 'other')).toEqual({ _id: 'other', _pos: 1, title: 'x' });
        expect(await store.get('docs', 'gone')).toBeNull();
      });

      it('replaying a whole stream of batches (partly, then fully) converges on the same state', async () => {
        const history: WriteOp[][] = [];
        for (let pos = 1; pos <= 60; pos++) {
          const id = `d${pos % 7}`;
          history.push([pos % 11 === 0 ? del('docs', id, pos) : put('docs', { _id: id, _pos: pos, n: pos })]);
        }
        for (const batch of history) await store.applyBatch(batch);
        const once = await store.find('docs');
        // replay from an older position, as after a crash before the checkpoint was saved
        for (const batch of history.slice(20)) await store.applyBatch(batch);
        expect(await store.find('docs')).toEqual(once);
        await store.applyBatch(history.flat());
        expect(await store.find('docs')).toEqual(once);
        // the expected final state, computed directly
        const expected = new Map<string, number>();
        for (const [op] of history) {
          if (op.kind === 'put') expected.set(op.doc._id, op.doc._pos);
          else expected.delete(op.id);
        }
        expect(Object.fromEntries(once.map((d) => [d._id, d._pos]))).toEqual(Object.fromEntries(expected));
      });

      it('replaying older versions over many documents in one bulk keeps every newer document', async () => {
        const newer = Array.from({ length: 300 }, (_, i) => ({ _id: `k${i}`, _pos: 1000 + i, gen: 'new' }));
        await store.applyBatch(newer.filter((_, i) => i % 2 === 0).map((d) => put('docs', d)));
        // a mixed bulk: older versions of existing documents interleaved with fresh ones
        await store.applyBatch(newer.map((d, i) => put('docs', i % 2 === 0 ? { ...d, _pos: i, gen: 'old' } : d)));
        const all = await store.find('docs');
        expect(all).toHaveLength(300);
        expect(all.every((d) => d.gen === 'new')).toBe(true);
      });
    });

    describe('filters', () => {
      const tickets = makeTickets(60);
      beforeEach(async () => {
        await seed(tickets);
      });

      const filters: Array<[string, Filter]> = [
        ['equality', { status: 'open' }],
        ['equality on a number', { priority: 2 }],
        ['equality on a boolean', { breached: true }],
        ['AND of several fields', { status: 'open', department: 'network' }],
        ['$in', { status: { $in: ['pending', 'waiting'] } }],
        ['$in with null matches null and missing', { assigneeId: { $in: [null, 'agent-0'] } }],
        ['$ne (missing counts as not equal)', { assigneeId: { $ne: 'agent-3' } }],
        ['$ne null', { assigneeId: { $ne: null } }],
        ['null matches null and missing', { assigneeId: null }],
        ['null on a date', { responseDueAt: null }],
        ['numeric range', { priority: { $gt: 0, $lte: 2 } }],
        ['numeric range on the other sides', { minutes: { $gte: 30, $lt: 90 } }],
        ['string range on instants', { responseDueAt: { $gte: '2025-03-03T00:00:00.000Z', $lt: '2025-03-05T01:00:00.000Z' } }],
        ['range and $in together', { status: { $in: ['open', 'waiting'] }, responseDueAt: { $lt: '2025-03-04T00:00:00.000Z' }, breached: false }],
        ['$in with nothing', { status: { $in: [] } }],
        ['_id range', { _id: { $gte: 't-010', $lt: 't-020' } }],
        ['_pos range', { _pos: { $gt: 50 } }],
      ];

      it.each(filters)('%s', async (_label, filter) => {
        const expected = referenceSort(
          tickets.filter((t) => matches(t, filter)),
          [],
        );
        const found = await store.find('tickets', { filter });
        expect(ids(found)).toEqual(ids(expected));
        expect(await store.count('tickets', filter)).toBe(expected.length);
      });

      it('the reference data exercises the cases (non-trivial results)', () => {
        expect(tickets.filter((t) => matches(t, { assigneeId: null })).length).toBeGreaterThan(10);
        expect(tickets.filter((t) => !('assigneeId' in t)).length).toBeGreaterThan(5);
        expect(tickets.filter((t) => matches(t, { status: { $in: ['pending', 'waiting'] } })).length).toBeGreaterThan(10);
      });

      it('count without a filter and on an unknown collection', async () => {
        expect(await store.count('tickets')).toBe(60);
        expect(await store.count('unknown-collection')).toBe(0);
        expect(await store.find('unknown-collection', { sort: [['x', 1]], limit: 5 })).toEqual([]);
      });

      it('rejects unknown operators', async () => {
        await expect(store.find('tickets', { filter: { status: { $regex: 'o' } as never } })).rejects.toThrow();
      });
    });

    describe('sort, limit and keyset pagination', () => {
      const tickets = makeTickets(83);
      beforeEach(async () => {
        await seed(tickets);
      });

      const cases: Array<[string, SortSpec, Filter | undefined]> = [
        ['queue order: due date then priority', [['responseDueAt', 1], ['priority', 1]], undefined],
        ['queue order with a filter', [['responseDueAt', 1], ['priority', 1]], { status: { $in: ['open', 'pending'] }, department: { $ne: 'billing' } }],
        ['mixed directions', [['priority', -1], ['responseDueAt', 1]], undefined],
        ['descending with nulls', [['responseDueAt', -1]], undefined],
        ['ascending on a field that is mostly null or missing', [['assigneeId', 1]], undefined],
        ['descending on a mostly-null field, then ascending', [['assigneeId', -1], ['minutes', 1]], { breached: false }],
        ['three keys, mixed', [['department', 1], ['priority', -1], ['responseDueAt', -1]], undefined],
        ['no sort: _id order', [], undefined],
        ['explicit _id descending', [['_id', -1]], undefined],
      ];

      it.each(cases)('%s', async (_label, sort, filter) => {
        const reference = referenceSort(
          tickets.filter((t) => !filter || matches(t, filter)),
          sort,
        );

        const all = await store.find('tickets', { filter, sort });
        expect(ids(all)).toEqual(ids(reference));

        for (const pageSize of [1, 7, 50]) {
          const walked: Doc[] = [];
          let after: { values: Scalar[]; id: string } | undefined;
          for (let pages = 0; pages < 200; pages++) {
            const page = await store.find('tickets', { filter, sort, limit: pageSize, after });
            expect(page.length).toBeLessThanOrEqual(pageSize);
            walked.push(...page);
            if (page.length < pageSize) break;
            // through the opaque form, as the API would
            after = decodeCursor(encodeCursor(cursorFor(page[page.length - 1], sort)));
          }
          expect(ids(walked)).toEqual(ids(reference));
          expect(new Set(ids(walked)).size).toBe(walked.length);
        }
      });

      it('omit leaves top-level fields out of the documents found, and nothing else changes', async () => {
        const sort: SortSpec = [['responseDueAt', 1], ['priority', 1]];
        const whole = await store.find('tickets', { sort, limit: 20 });
        const lean = await store.find('tickets', { sort, limit: 20, omit: ['department', 'minutes', '_id'] });
        expect(lean).toEqual(
          whole.map((d) => {
            const { department: _d, minutes: _m, ...rest } = d;
            return rest;
          }),
        );
        const next = await store.find('tickets', { sort, limit: 5, after: cursorFor(lean[lean.length - 1], sort), omit: ['department'] });
        expect(ids(next)).toEqual(ids(referenceSort(tickets, sort).slice(20, 25)));
      });

      it('omit takes dotted paths into nested objects', async () => {
        await store.applyBatch([put('nested', { _id: 'n1', _pos: 1, a: 1, inner: { keep: 'k', drop: { deep: true }, list: [1, 2] } })]);
        const [whole] = await store.find('nested');
        const [lean] = await store.find('nested', { omit: ['inner.drop', 'inner.list', 'missing.path'] });
        expect(lean).toEqual({ ...whole, inner: { keep: 'k' } });
      });

      it('limit takes the first documents of the order', async () => {
        const sort: SortSpec = [['responseDueAt', 1], ['priority', 1]];
        const first = await store.find('tickets', { sort, limit: 10 });
        expect(ids(first)).toEqual(ids(referenceSort(tickets, sort).slice(0, 10)));
        expect(await store.find('tickets', { sort, limit: 0 })).toEqual([]);
      });

      it('a cursor past the end gives an empty page', async () => {
        const sort: SortSpec = [['priority', -1]];
        const all = await store.find('tickets', { sort });
        const last = all[all.length - 1];
        expect(await store.find('tickets', { sort, limit: 5, after: cursorFor(last, sort) })).toEqual([]);
      });

      it('pagination stays consistent when documents change between pages', async () => {
        const sort: SortSpec = [['responseDueAt', 1], ['priority', 1]];
        const first = await store.find<Ticket>('tickets', { sort, limit: 10 });
        // a document already seen moves to the end; one not yet seen is deleted
        const seen = first[2];
        const ordered = referenceSort(tickets, sort);
        const unseen = ordered[30];
        await store.applyBatch([put('tickets', { ...seen, _pos: 1000, responseDueAt: '2099-01-01T00:00:00.000Z' }), del('tickets', unseen._id, 1001)]);
        const rest: Doc[] = [];
        let after = cursorFor(first[first.length - 1], sort);
        for (;;) {
          const page = await store.find('tickets', { sort, limit: 10, after });
          rest.push(...page);
          if (page.length < 10) break;
          after = cursorFor(page[page.length - 1], sort);
        }
        const restIds = ids(rest);
        expect(restIds).not.toContain(unseen._id);
        expect(restIds[restIds.length - 1]).toBe(seen._id);
        expect(new Set([...ids(first), ...restIds]).size).toBe(tickets.length - 1);
      });
    });

    describe('checkpoints', () => {
      it('an unknown checkpoint reads as 0; set and get round-trip beyond 2^53', async () => {
        expect(await store.getCheckpoint('p')).toBe(0n);
        await store.setCheckpoint('p', 42n);
        expect(await store.getCheckpoint('p')).toBe(42n);
        const big = 2n ** 62n + 7n;
        await store.setCheckpoint('p', big);
        expect(await store.getCheckpoint('p')).toBe(big);
        expect(await store.getCheckpoint('q')).toBe(0n);
      });

      it('applyBatch moves the checkpoint with compare-and-set', async () => {
        await store.applyBatch([put('docs', { _id: 'a', _pos: 1 })], { name: 'p', expected: 0n, position: 1n });
        expect(await store.getCheckpoint('p')).toBe(1n);
        await store.applyBatch([put('docs', { _id: 'b', _pos: 2 })], { name: 'p', expected: 1n, position: 2n });
        expect(await store.getCheckpoint('p')).toBe(2n);
        // a checkpoint with no writes
        await store.applyBatch([], { name: 'p', expected: 2n, position: 5n });
        expect(await store.getCheckpoint('p')).toBe(5n);
        // expected null skips the check
        await store.applyBatch([], { name: 'p', expected: null, position: 3n });
        expect(await store.getCheckpoint('p')).toBe(3n);
      });

      it('a stale writer gets CheckpointMovedError and its writes do not land', async () => {
        await store.applyBatch([put('docs', { _id: 'a', _pos: 1, v: 1 })], { name: 'p', expected: 0n, position: 10n });
        const attempt = store.applyBatch([put('docs', { _id: 'a', _pos: 11, v: 2 }), put('docs', { _id: 'b', _pos: 12 })], {
          name: 'p',
          expected: 7n,
          position: 12n,
        });
        await expect(attempt).rejects.toBeInstanceOf(CheckpointMovedError);
        await attempt.catch((error: CheckpointMovedError) => {
          expect(error.code).toBe('checkpoint-moved');
          expect(error.checkpoint).toBe('p');
          expect(error.expected).toBe(7n);
          expect(error.actual).toBe(10n);
        });
        expect(await store.getCheckpoint('p')).toBe(10n);
        expect(await store.get('docs', 'a')).toEqual({ _id: 'a', _pos: 1, v: 1 });
        expect(await store.get('docs', 'b')).toBeNull();
        // a missing checkpoint is 0 for compare-and-set
        await expect(store.applyBatch([], { name: 'fresh', expected: 3n, position: 4n })).rejects.toBeInstanceOf(CheckpointMovedError);
        expect(await store.getCheckpoint('fresh')).toBe(0n);
      });

      it('two writers racing from the same checkpoint: exactly one wins', async () => {
        await store.setCheckpoint('p', 5n);
        const results = await Promise.allSettled([
          store.applyBatch([put('docs', { _id: 'x', _pos: 6, by: 'one' })], { name: 'p', expected: 5n, position: 6n }),
          store.applyBatch([put('docs', { _id: 'y', _pos: 6, by: 'two' })], { name: 'p', expected: 5n, position: 7n }),
        ]);
        const fulfilled = results.filter((r) => r.status === 'fulfilled');
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (options.atomicCompareAndSet === false) {
          // the server cannot guarantee a single winner; the checkpoint still ends on one of them
          expect(fulfilled.length).toBeGreaterThanOrEqual(1);
          for (const r of rejected) expect(r.reason).toBeInstanceOf(CheckpointMovedError);
          expect([6n, 7n]).toContain(await store.getCheckpoint('p'));
          return;
        }
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(CheckpointMovedError);
        expect([6n, 7n]).toContain(await store.getCheckpoint('p'));
      });

      it('a batch whose writes fail does not move the checkpoint', async () => {
        await store.ensureCollections([{ name: 'users', indexes: [{ fields: [['email', 1]], unique: true }] }]);
        await store.applyBatch([put('users', { _id: 'u1', _pos: 1, email: 'ana@example.com' })], { name: 'users', expected: 0n, position: 1n });
        const failing = store.applyBatch(
          [put('users', { _id: 'u2', _pos: 2, email: 'luis@example.com' }), put('users', { _id: 'u3', _pos: 3, email: 'ana@example.com' })],
          { name: 'users', expected: 1n, position: 3n },
        );
        // (not rejects.toThrow(): better-sqlite3's error class comes from whichever jest module
        // registry loaded the native addon first, so it may not be this realm's Error)
        expect(await failing.then(() => 'resolved', () => 'rejected')).toBe('rejected');
        expect(await store.getCheckpoint('users')).toBe(1n);
        expect(await store.get('users', 'u3')).toBeNull();
        if (options.atomicBatch) {
          // embedded: the writes and the checkpoint are one transaction
          expect(await store.get('users', 'u2')).toBeNull();
        }
        expect(await store.get('users', 'u1')).toEqual({ _id: 'u1', _pos: 1, email: 'ana@example.com' });
      });
    });

    describe('collections', () => {
      it('ensureCollections is idempotent and listCollections shows only collections', async () => {
        await store.ensureCollections([TICKETS, { name: 'agents', indexes: [] }]);
        await store.ensureCollections([TICKETS, { name: 'agents', indexes: [] }]);
        await store.setCheckpoint('tickets', 1n);
        expect(await store.listCollections()).toEqual(['agents', 'tickets']);
      });

      it('dropCollection removes the documents; dropping again is fine', async () => {
        await seed(makeTickets(10));
        await store.dropCollection('tickets');
        expect(await store.listCollections()).not.toContain('tickets');
        expect(await store.get('tickets', 't-000')).toBeNull();
        expect(await store.count('tickets')).toBe(0);
        await store.dropCollection('tickets');
        await store.dropCollection('never-existed');
      });

      it('swapCollections replaces live by shadow and sets the checkpoints; rebuilding twice works', async () => {
        const live = makeTickets(20);
        await seed(live, 20n);
        for (const generation of [1, 2]) {
          const shadowDocs = makeTickets(12).map((t) => ({ ...t, _id: `g${generation}-${t._id}` }));
          await store.ensureCollections([{ ...TICKETS, name: 'tickets__shadow' }]);
          await store.applyBatch(shadowDocs.map((d) => put('tickets__shadow', d)));
          await store.applyBatch([put('counters', { _id: 'c', _pos: 1, generation })]);
          await store.swapCollections([{ live: 'tickets', shadow: 'tickets__shadow' }], [
            { name: 'tickets', position: BigInt(100 * generation) },
            { name: 'counters', position: 7n },
          ]);
          expect(await store.listCollections()).toEqual(['counters', 'tickets']);
          expect(await store.count('tickets')).toBe(12);
          expect(await store.get('tickets', live[0]._id)).toBeNull();
          expect(await store.getCheckpoint('tickets')).toBe(BigInt(100 * generation));
          expect(await store.getCheckpoint('counters')).toBe(7n);
          const sort: SortSpec = [['responseDueAt', 1], ['priority', 1]];
          expect(ids(await store.find('tickets', { sort, limit: 5 }))).toEqual(ids(referenceSort(shadowDocs, sort).slice(0, 5)));
          // the live collection keeps working as a normal collection
          await store.ensureCollections([TICKETS]);
          await store.applyBatch([put('tickets', { ...shadowDocs[0], _pos: 999, status: 'closed' })]);
          expect(await store.get<Ticket>('tickets', shadowDocs[0]._id)).toMatchObject({ status: 'closed' });
        }
      });

      it('swapCollections into a live collection that does not exist yet', async () => {
        await store.applyBatch([put('fresh__shadow', { _id: 'a', _pos: 1 })]);
        await store.swapCollections([{ live: 'fresh', shadow: 'fresh__shadow' }], [{ name: 'fresh', position: 1n }]);
        expect(await store.get('fresh', 'a')).toEqual({ _id: 'a', _pos: 1 });
        expect(await store.listCollections()).toEqual(['fresh']);
      });

      it('swapCollections refuses a missing shadow and changes nothing', async () => {
        await seed(makeTickets(3), 3n);
        const swap = store.swapCollections([{ live: 'tickets', shadow: 'nope__shadow' }], [{ name: 'tickets', position: 9n }]);
        expect(await swap.then(() => 'resolved', () => 'rejected')).toBe('rejected');
        expect(await store.count('tickets')).toBe(3);
        expect(await store.getCheckpoint('tickets')).toBe(3n);
      });

      it('rejects invalid collection names', async () => {
        await expect(store.applyBatch([put('bad name; drop', { _id: 'a', _pos: 1 })])).rejects.toThrow(TypeError);
        await expect(store.get('_checkpoints', 'x')).rejects.toThrow(TypeError);
      });
    });

    describe('durability', () => {
      it('data and checkpoint survive close and reopen, and writing resumes from the checkpoint', async () => {
        if (!opened.reopen) return;
        const tickets = makeTickets(30);
        await seed(tickets.slice(0, 20), 20n);
        await store.close();
        store = await opened.reopen();
        expect(await store.getCheckpoint('tickets')).toBe(20n);
        expect(await store.count('tickets')).toBe(20);
        // resume: the next batch compares against the stored checkpoint
        await store.applyBatch(
          tickets.slice(20).map((t) => put('tickets', t)),
          { name: 'tickets', expected: 20n, position: 30n },
        );
        expect(await store.count('tickets')).toBe(30);
        const sort: SortSpec = [['responseDueAt', 1], ['priority', 1]];
        expect(ids(await store.find('tickets', { sort }))).toEqual(ids(referenceSort(tickets, sort)));
      });
    });
  });
}
