/**
 * Sign-in throttling: growing delays, capped, never a permanent lockout. Each key (an
 * account's email, a client address) has a run of failures; a run ends after `resetAfterMs`
 * without a failure, or on a success (accounts). The first `free` failures of a run cost
 * nothing; after that each attempt must wait `baseMs * 2^(failures - free)`, at most `capMs`,
 * counted from the last failure. An attempt made while waiting is refused at once
 * (429 too-many-attempts with Retry-After) without checking the password, so it neither
 * costs a hash nor counts as a failure.
 */
import type { CredentialStore, ThrottleRecord } from './credential-store.port';

export interface ThrottlePolicy {
  free: number;
  baseMs: number;
  capMs: number;
  resetAfterMs: number;
}

export const ACCOUNT_THROTTLE: ThrottlePolicy = { free: 5, baseMs: 1_000, capMs: 15 * 60_000, resetAfterMs: 60 * 60_000 };
export const ADDRESS_THROTTLE: ThrottlePolicy = { free: 20, baseMs: 1_000, capMs: 60 * 60_000, resetAfterMs: 60 * 60_000 };

export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.free) return 0;
  const exponent = Math.min(failures - policy.free - 1, 30);
  return Math.min(policy.baseMs * 2 ** exponent, policy.capMs);
}

/** the instant (ms) before which the next attempt is refused, or 0 */
export function blockedUntil(record: ThrottleRecord | null, policy: ThrottlePolicy, nowMs: number): number {
  if (!record) return 0;
  const last = Date.parse(record.lastFailureAt);
  if (nowMs - last >= policy.resetAfterMs) return 0;
  const until = last + delayAfter(record.failures, policy);
  return until > nowMs ? until : 0;
}

export class Throttle {
  constructor(
    private readonly store: CredentialStore,
    private readonly policies: Record<string, ThrottlePolicy>,
  ) {}

  /** seconds to wait before `keys` may try again (the longest of them), 0 when free */
  async retryAfter(keys: Array<{ kind: string; key: string }>, nowMs: number): Promise<number> {
    let until = 0;
    for (const { kind, key } of keys) {
      const record = await this.store.getThrottle(`${kind}:${key}`);
      until = Math.max(until, blockedUntil(record, this.policies[kind], nowMs));
    }
    return until > nowMs ? Math.ceil((until - nowMs) / 1000) : 0;
  }

  async fail(keys: Array<{ kind: string; key: string }>, now: string): Promise<void> {
    for (const { kind, key } of keys) await this.store.recordFailure(`${kind}:${key}`, now, this.policies[kind].resetAfterMs);
  }

  async succeed(kind: string, key: string): Promise<void> {
    await this.store.clearThrottle(`${kind}:${key}`);
  }
}
