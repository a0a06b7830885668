import type { MinutesDeductedData } from './events';

/** authorization ids are unique within a ticket; the pair is unique across tickets */
export const authorizationKey = (ticketId: string, authorizationId: string) => `${ticketId}\u0000${authorizationId}`;

/** One deduction as the log holds it, with the links that answer lookups at any length. */
interface Entry {
  readonly deduction: MinutesDeductedData;
  readonly authorization: string;
  /** index of the previous entry with the same entryId, -1 when none */
  readonly previousSameEntry: number;
  /** index of the previous entry of the same authorization, -1 when none */
  readonly previousSameAuthorization: number;
  /** minutes deducted on this authorization up to and including this entry */
  readonly authorizationTotal: number;
}

/** The append-only storage that logs of one line of history share. */
interface Shared {
  readonly entries: Entry[];
  /** index of the latest entry per entryId / per authorization key */
  readonly lastByEntry: Map<string, number>;
  readonly lastByAuthorization: Map<string, number>;
}

/**
 * A policy's deductions in the order they were made, as an immutable value that grows in
 * constant time: every log is a length over an append-only array it shares with the logs it
 * was grown from. `append` returns a new log one longer and leaves the old one answering
 * exactly what it answered before (its lookups stop at its own length), so a decision keeps
 * seeing the state it was given. Appending to a log that is not the newest of its line (two
 * successors of one state) copies its entries first: rare (tests, a retried decision folding
 * again from the same state), and linear when it happens.
 *
 * Folding N deductions is O(N) time and memory; the record copied on every deduction before
 * 2026-12 made it O(N^2) (bench:projections measures both).
 */
export class DeductionLog implements Iterable<MinutesDeductedData> {
  private constructor(
    private readonly shared: Shared,
    /** how many deductions this log holds (the first `size` entries of the shared array) */
    readonly size: number,
  ) {}

  /** an empty log with storage of its own (a shared empty one would keep the first line grown from it alive) */
  static empty(): DeductionLog {
    return new DeductionLog({ entries: [], lastByEntry: new Map(), lastByAuthorization: new Map() }, 0);
  }

  /** a log of these deductions, oldest first */
  static of(deductions: Iterable<MinutesDeductedData>): DeductionLog {
    let log = DeductionLog.empty();
    for (const d of deductions) log = log.append(d);
    return log;
  }

  /** this log with `d` after its last deduction (this log is unchanged) */
  append(d: MinutesDeductedData): DeductionLog {
    const shared = this.shared.entries.length === this.size ? this.shared : this.copy();
    const authorization = authorizationKey(d.ticketId, d.authorizationId);
    const previousSameAuthorization = shared.lastByAuthorization.get(authorization) ?? -1;
    const index = shared.entries.length;
    shared.entries.push({
      deduction: d,
      authorization,
      previousSameEntry: shared.lastByEntry.get(d.entryId) ?? -1,
      previousSameAuthorization,
      authorizationTotal: (previousSameAuthorization >= 0 ? shared.entries[previousSameAuthorization].authorizationTotal : 0) + d.minutes,
    });
    shared.lastByEntry.set(d.entryId, index);
    shared.lastByAuthorization.set(authorization, index);
    return new DeductionLog(shared, index + 1);
  }

  /** the deduction recorded for a work entry (the last one, should an entryId appear twice) */
  get(entryId: string): MinutesDeductedData | undefined {
    const entries = this.shared.entries;
    let at = this.shared.lastByEntry.get(entryId) ?? -1;
    while (at >= this.size) at = entries[at].previousSameEntry;
    return at >= 0 ? entries[at].deduction : undefined;
  }

  /** minutes deducted on a ticket's authorization */
  minutesAuthorized(ticketId: string, authorizationId: string): number {
    const entries = this.shared.entries;
    let at = this.shared.lastByAuthorization.get(authorizationKey(ticketId, authorizationId)) ?? -1;
    while (at >= this.size) at = entries[at].previousSameAuthorization;
    return at >= 0 ? entries[at].authorizationTotal : 0;
  }

  /** minutes deducted per authorization key (authorizationKey(ticketId, authorizationId)) */
  minutesByAuthorization(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < this.size; i++) {
      const e = this.shared.entries[i];
      out[e.authorization] = e.authorizationTotal;
    }
    return out;
  }

  /** the deductions, oldest first (a new array) */
  list(): MinutesDeductedData[] {
    const out = new Array<MinutesDeductedData>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.shared.entries[i].deduction;
    return out;
  }

  *[Symbol.iterator](): Iterator<MinutesDeductedData> {
    for (let i = 0; i < this.size; i++) yield this.shared.entries[i].deduction;
  }

  /** serialized as the list of deductions, oldest first */
  toJSON(): MinutesDeductedData[] {
    return this.list();
  }

  /** storage of its own holding this log's entries (and nothing appended after them elsewhere) */
  private copy(): Shared {
    const entries = this.shared.entries.slice(0, this.size);
    const lastByEntry = new Map<string, number>();
    const lastByAuthorization = new Map<string, number>();
    for (let i = 0; i < entries.length; i++) {
      lastByEntry.set(entries[i].deduction.entryId, i);
      lastByAuthorization.set(entries[i].authorization, i);
    }
    return { entries, lastByEntry, lastByAuthorization };
  }
}
