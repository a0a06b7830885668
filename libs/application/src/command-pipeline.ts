import { createHash, randomUUID } from 'crypto';
import { Actor, Decider, DomainError, DomainEvent, fold } from '@helpdesk/domain/shared';
import {
  EventStore,
  NewEvent,
  StoredEvent,
  WrongExpectedVersionError,
  canonicalJson,
  chainEvents,
} from '@helpdesk/event-store';

/** Who, when and why a command runs: becomes the metadata of every event it appends. */
export interface CommandEnvelope {
  actor: Actor;
  correlationId: string;
  /** the event or request that caused this command; null for a request from a person */
  causationId: string | null;
  /** the decision instant (ISO, UTC) */
  now: string;
  /** client-supplied id of api.md: same key and body answer as the first time; other body: 409 id-reused */
  idempotency?: { key: string; body: unknown };
  /** If-Match: the stream version the client saw; a different current version is 409 version-conflict */
  ifMatch?: bigint;
}

export interface CommandResult<S, E> {
  streamId: string;
  /** stream version after the command (-1 when the stream still does not exist) */
  version: bigint;
  /** global position of the last event written (or of the stream's last event when nothing was written) */
  position: bigint;
  events: E[];
  state: S;
  /** true when answered from an earlier identical command */
  replayed: boolean;
}

export const SCHEMA_VERSION = 1;

/**
 * How a command ended, for metrics: `accepted` (events appended), `unchanged` (decided
 * nothing), `replayed` (answered from an earlier identical command), `refused` (a domain
 * error: a rule, a scope or an id reused), `conflict` (version conflict: If-Match, or still
 * conflicting after the retries), `failed` (anything else: the store).
 */
export type CommandOutcomeKind = 'accepted' | 'unchanged' | 'replayed' | 'refused' | 'conflict' | 'failed';

/** Receives one report per executed command (metrics); must be cheap and must not throw. */
export interface CommandObserver {
  command(report: { type: string; outcome: CommandOutcomeKind; seconds: number; attempts: number }): void;
  /** one append to the store: its latency from the call to the acknowledgment */
  append(report: { events: number; seconds: number; ok: boolean }): void;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function toDomainEvent<E extends DomainEvent>(e: StoredEvent): E {
  return { type: e.type, data: e.data } as E;
}

/**
 * Load, decide, append: reads the aggregate's stream, folds it with evolve, calls the pure
 * decide, and appends the result at the version it read. A version conflict (someone else
 * appended meanwhile) re-runs the whole cycle on fresh state, a bounded number of times:
 * safe because decide is pure and re-checks every rule. With If-Match there is no retry.
 */
export class CommandPipeline {
  /** set by the app when metrics are on (see apps/api/src/observability/metrics.ts) */
  observer: CommandObserver | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly maxRetries = 5,
  ) {}

  async load<S, E extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>,
  ): Promise<{ state: S; version: bigint; events: StoredEvent[] }> {
    const events = await this.store.readStream(streamId);
    const state = fold(decider.evolve, decider.initialState(), events.map((e) => toDomainEvent<E>(e)));
    return { state, version: events.length ? events[events.length - 1].version : -1n, events };
  }

  /**
   * @param commandType names the command in metrics when `command` is a function that may
   *   refuse before returning it (otherwise the returned command's `type` is used)
   */
  async execute<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C | ((state: S) => C | Promise<C>),
    envelope: CommandEnvelope,
    commandType?: string,
  ): Promise<CommandResult<S, E>> {
    const observer = this.observer;
    if (!observer) return this.run(streamId, decider, command, envelope, null);
    const started = process.hrtime.bigint();
    const seen: { type: string | undefined; attempts: number } = {
      type: commandType ?? (typeof command === 'function' ? undefined : (command as { type?: string }).type),
      attempts: 0,
    };
    let outcome: CommandOutcomeKind = 'failed';
    try {
      const result = await this.run(streamId, decider, command, envelope, seen);
      outcome = result.replayed ? 'replayed' : result.events.length > 0 ? 'accepted' : 'unchanged';
      return result;
    } catch (err) {
      outcome =
        err instanceof DomainError ? (err.code === 'version-conflict' ? 'conflict' : 'refused') : err instanceof WrongExpectedVersionError ? 'conflict' : 'failed';
      throw err;
    } finally {
      observer.command({ type: seen.type ?? 'unknown', outcome, seconds: seconds(started), attempts: seen.attempts });
    }
  }

  private async run<C, S, E extends DomainEvent>(
    streamId: string,
    decider: Decider<C, S, E>,
    command: C | ((state: S) => C | Promise<C>),
    envelope: CommandEnvelope,
    seen: { type: string | undefined; attempts: number } | null,
  ): Promise<CommandResult<S, E>> {
    const hash = envelope.idempotency ? requestHash(envelope.idempotency.body) : undefined;
    for (let attempt = 0; ; attempt++) {
      if (seen) seen.attempts = attempt + 1;
      const { state, version, events } = await this.load(streamId, decider);
      const last = events[events.length - 1];

      if (envelope.idempotency) {
        const earlier = events.filter((e) => e.metadata.idempotencyKey === envelope.idempotency!.key);
        if (earlier.length > 0) {
          if (earlier[0].metadata.requestHash !== hash) {
            throw new DomainError('id-reused', 409, `${envelope.idempotency.key} was already used with a different body`, {
              key: envelope.idempotency.key,
            });
          }
          const lastOfIt = earlier[earlier.length - 1];
          return { streamId, version: lastOfIt.version, position: lastOfIt.position, events: [], state, replayed: true };
        }
      }
      if (envelope.ifMatch !== undefined && envelope.ifMatch !== version) {
        throw new DomainError('version-conflict', 409, `${streamId} is at version ${version}, not ${envelope.ifMatch}`, {
          currentVersion: version.toString(),
        });
      }

      const cmd = typeof command === 'function' ? await (command as (s: S) => C | Promise<C>)(state) : command;
      if (seen && seen.type === undefined) seen.type = (cmd as { type?: string }).type;
      const decided = decider.decide(cmd, state, { now: envelope.now, actor: envelope.actor });
      if (decided.length === 0) {
        return { streamId, version, position: last?.position ?? 0n, events: [], state, replayed: false };
      }
      const toAppend = chainEvents(
        streamId,
        version + 1n,
        (last?.metadata.hash as string | undefined) ?? null,
        decided.map((e) => this.newEvent(e, envelope, hash)),
      );
      try {
        const result = seen ? await this.observedAppend(streamId, toAppend, version) : await this.store.append(streamId, toAppend, version < 0n ? 'no-stream' : version);
        const newState = decided.reduce(decider.evolve, state);
        return { streamId, version: result.nextExpectedVersion, position: result.position, events: decided, state: newState, replayed: false };
      } catch (err) {
        if (err instanceof WrongExpectedVersionError) {
          if (envelope.ifMatch !== undefined) {
            throw new DomainError('version-conflict', 409, `${streamId} changed while the command ran`, {});
          }
          if (attempt < this.maxRetries) continue;
          throw new DomainError('version-conflict', 409, `${streamId} is too busy: gave up after ${attempt + 1} attempts`, {});
        }
        throw err;
      }
    }
  }

  private async observedAppend(streamId: string, events: NewEvent[], version: bigint) {
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      const result = await this.store.append(streamId, events, version < 0n ? 'no-stream' : version);
      ok = true;
      return result;
    } finally {
      this.observer?.append({ events: events.length, seconds: seconds(started), ok });
    }
  }

  private newEvent(e: DomainEvent, envelope: CommandEnvelope, hash: string | undefined): NewEvent {
    return {
      id: randomUUID(),
      type: e.type,
      data: e.data as Record<string, unknown>,
      metadata: {
        actor: envelope.actor.id,
        actorRoles: envelope.actor.roles,
        occurredAt: envelope.now,
        correlationId: envelope.correlationId,
        causationId: envelope.causationId,
        schemaVersion: SCHEMA_VERSION,
        ...(envelope.idempotency ? { idempotencyKey: envelope.idempotency.key, requestHash: hash } : {}),
      },
    };
  }
}
