export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_STORE = Symbol('READ_STORE');
export const READ_POSITION = Symbol('READ_POSITION');
export const TICKET_RULES = Symbol('TICKET_RULES');
export const PROJECTOR = Symbol('PROJECTOR');
export const CLOCK = Symbol('CLOCK');
export const CREDENTIAL_STORE = Symbol('CREDENTIAL_STORE');

/** The decision clock: every command's `now`. Replaceable in tests. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
