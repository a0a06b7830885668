/**
 * The shape every aggregate follows: events are a discriminated union on `type`,
 * `evolve` folds them into state, and one `decide` per command returns new events or
 * throws a DomainError. Nothing here knows about NestJS or storage.
 */
export interface DomainEvent<T extends string = string, D extends Record<string, unknown> = Record<string, unknown>> {
  type: T;
  data: D;
}

/** What a decide function may know besides the command and the state. */
export interface DecisionContext {
  /** the decision instant, ISO 8601 UTC */
  now: string;
  /** who is acting */
  actor: Actor;
}

export interface Actor {
  id: string;
  roles: string[];
  /** set for customer principals */
  customerId?: string;
  /**
   * customers only: may accept or decline quotes. A signed-in contact carries the right their
   * user had when the session began (sessions are revoked when it changes); a token whose
   * subject is not a known user is an approver unless it carries `approver: false`.
   */
  approver?: boolean;
  /** how the principal authenticated */
  via?: 'session' | 'token';
}

export interface Decider<C, S, E extends DomainEvent> {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S, context: DecisionContext) => E[];
}

export function fold<S, E>(evolve: (s: S, e: E) => S, initial: S, events: Iterable<E>): S {
  let state = initial;
  for (const e of events) state = evolve(state, e);
  return state;
}
