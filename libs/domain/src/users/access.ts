import { Decider, DomainEvent } from '../shared';

/**
 * The access log: sign-ins, failed sign-ins, sign-outs, session revocations and changes of a
 * person's credentials, as events on streams of their own, so the hash chain covers them:
 * `access-<userId>-<YYYY-MM>` per person and month (a stream never grows for long, and
 * recording one is a read of its last event and an append), and `access-unknown-<YYYY-MM-DD>`
 * for failed sign-ins with an email that is no user's. Role, approver and activation changes
 * are on the user's own stream; the access-log read model shows both.
 * Nothing here holds a password, a code, a token or a session id (a session is named by a
 * short reference derived from its stored hash).
 */
export type SignInMethod = 'password' | 'oidc' | 'invitation' | 'setup' | 'password-reset';

export type SignedInData = {
  userId: string;
  method: SignInMethod;
  /** the second factor used, if any */
  mfa: 'totp' | 'recovery-code' | null;
  sessionRef: string;
  ip: string | null;
  userAgent: string | null;
  at: string;
};

export type SignInFailedData = {
  /** null when the email is no user's */
  userId: string | null;
  /** as typed (normalized), only when it looks like an email address, else null */
  email: string | null;
  reason: 'invalid-credentials' | 'mfa-required' | 'mfa-invalid' | 'sso-unknown-user' | 'sso-refused';
  ip: string | null;
  userAgent: string | null;
  at: string;
};

export type SignedOutData = { userId: string; sessionRef: string; ip: string | null; at: string };

export type SessionsRevokedData = {
  userId: string;
  reason: 'deactivated' | 'roles-changed' | 'approver-changed' | 'password-changed' | 'mfa-changed';
  /** how many open sessions were ended */
  count: number;
  by: string;
  at: string;
};

export type PasswordChangedData = { userId: string; via: 'password-reset'; ip: string | null; at: string };
export type MfaEnabledData = { userId: string; method: 'totp'; at: string };
export type MfaDisabledData = { userId: string; method: 'totp'; by: string; at: string };

export type SignedIn = DomainEvent<'SignedIn', SignedInData>;
export type SignInFailed = DomainEvent<'SignInFailed', SignInFailedData>;
export type SignedOut = DomainEvent<'SignedOut', SignedOutData>;
export type SessionsRevoked = DomainEvent<'SessionsRevoked', SessionsRevokedData>;
export type PasswordChanged = DomainEvent<'PasswordChanged', PasswordChangedData>;
export type MfaEnabled = DomainEvent<'MfaEnabled', MfaEnabledData>;
export type MfaDisabled = DomainEvent<'MfaDisabled', MfaDisabledData>;

export type AccessEvent = SignedIn | SignInFailed | SignedOut | SessionsRevoked | PasswordChanged | MfaEnabled | MfaDisabled;

export const ACCESS_EVENT_TYPES: ReadonlyArray<AccessEvent['type']> = [
  'SignedIn',
  'SignInFailed',
  'SignedOut',
  'SessionsRevoked',
  'PasswordChanged',
  'MfaEnabled',
  'MfaDisabled',
];

/** the stream an access event of `userId` (null: an unknown email) at `at` goes to */
export function accessStreamId(userId: string | null, at: string): string {
  const iso = new Date(Date.parse(at)).toISOString();
  return userId === null ? `access-unknown-${iso.slice(0, 10)}` : `access-${userId}-${iso.slice(0, 7)}`;
}

export type RecordAccess = { type: 'RecordAccess'; event: AccessEvent };

/** An append-only log: what happened is recorded as it is (the application decided it). */
export const accessLogDecider: Decider<RecordAccess, { count: number }, AccessEvent> = {
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  decide: (command) => [command.event],
};
