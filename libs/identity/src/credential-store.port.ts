/**
 * The credential store: what must stay changeable and erasable, so it is not an event.
 * Password hashes, second-factor secrets and recovery codes, browser sessions, used one-time
 * links, links to single sign-on identities and the sign-in throttling counters. Two adapters
 * (embedded SQLite, MongoDB) pass libs/identity/test/credential-store.contract.ts.
 *
 * Instants are ISO 8601 UTC strings (they compare lexically).
 */

export interface TotpCredential {
  /** the base32 secret, encrypted with the server key (see secrets.ts) */
  secret: string;
  enabledAt: string;
  /** the last 30-second step accepted: a code is never accepted twice */
  lastStep: number;
}

export interface CredentialRecord {
  userId: string;
  /** PHC-like string with its parameters (passwords.ts); null for a person who signs in by SSO only */
  passwordHash: string | null;
  passwordChangedAt: string | null;
  totp: TotpCredential | null;
  /** enrolment started, not confirmed by a first code yet (encrypted secret) */
  pendingTotp: { secret: string; createdAt: string } | null;
  /** SHA-256 of the recovery codes not used yet */
  recoveryCodes: string[];
  updatedAt: string;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the cookie value; the value itself is never stored */
  id: string;
  userId: string;
  kind: 'staff' | 'contact';
  roles: string[];
  customerId: string | null;
  approver: boolean;
  csrfToken: string;
  /** how the session began */
  method: string;
  /** a second factor was given (or SSO) */
  mfa: boolean;
  /** MFA_REQUIRED_ROLES applies and no second factor is enrolled: only enrolment is allowed */
  mfaEnrollmentRequired: boolean;
  createdAt: string;
  /** written at most about once a minute */
  lastSeenAt: string;
  idleMinutes: number;
  absoluteExpiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface OneTimeRecord {
  /** e.g. 'setup', 'invitation', 'password-reset' */
  purpose: string;
  nonceId: string;
  /** what the link is for, when the store knows it (setup links name an email) */
  email: string | null;
  expiresAt: string | null;
  usedAt: string | null;
  createdAt: string;
}

export interface ThrottleRecord {
  key: string;
  /** failures in the current run (a run ends when no failure came for the reset period) */
  failures: number;
  lastFailureAt: string;
}

export interface CredentialStore {
  // ---- credentials
  getCredentials(userId: string): Promise<CredentialRecord | null>;
  /** creates the record if needed */
  setPassword(userId: string, passwordHash: string, at: string): Promise<void>;
  setPendingTotp(userId: string, encryptedSecret: string, at: string): Promise<void>;
  /** confirms enrolment: the pending secret becomes the TOTP credential, with new recovery codes */
  enableTotp(userId: string, totp: TotpCredential, recoveryCodeHashes: string[], at: string): Promise<void>;
  disableTotp(userId: string, at: string): Promise<void>;
  replaceRecoveryCodes(userId: string, recoveryCodeHashes: string[], at: string): Promise<void>;
  /** atomically accepts `step` if it is after the last accepted one */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  /** atomically removes one unused recovery code; false if it was not there */
  useRecoveryCode(userId: string, codeHash: string): Promise<boolean>;
  /** how many people have credentials (a password or a linked SSO identity) */
  countCredentials(): Promise<number>;
  /** erases everything the store holds about a person (credentials, sessions, SSO links) */
  eraseUser(userId: string): Promise<void>;

  // ---- sessions
  createSession(session: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  touchSession(id: string, lastSeenAt: string): Promise<void>;
  /** after enrolling a second factor */
  updateSession(id: string, patch: Partial<Pick<SessionRecord, 'mfa' | 'mfaEnrollmentRequired'>>): Promise<void>;
  deleteSession(id: string): Promise<boolean>;
  /** ends every session of a person (but `exceptId`, when given); answers how many ended */
  deleteSessionsOf(userId: string, exceptId?: string | null): Promise<number>;
  /** housekeeping: removes sessions whose absolute expiry has passed */
  deleteExpiredSessions(now: string): Promise<number>;

  // ---- one-time links
  createOneTime(record: OneTimeRecord): Promise<void>;
  getOneTime(purpose: string, nonceId: string): Promise<OneTimeRecord | null>;
  /** unused ones of a purpose whose expiry is after `now` */
  findUnusedOneTime(purpose: string, now: string): Promise<OneTimeRecord[]>;
  /** marks the link used (creating the record if the store did not know it); false if it already was */
  useOneTime(purpose: string, nonceId: string, at: string): Promise<boolean>;

  // ---- single sign-on identities
  linkOidcSubject(issuer: string, subject: string, userId: string, at: string): Promise<void>;
  findOidcSubject(issuer: string, subject: string): Promise<string | null>;

  // ---- throttling
  getThrottle(key: string): Promise<ThrottleRecord | null>;
  /** counts a failure: failures + 1, or 1 when the last one is older than `resetAfterMs` */
  recordFailure(key: string, at: string, resetAfterMs: number): Promise<ThrottleRecord>;
  clearThrottle(key: string): Promise<void>;

  close(): Promise<void>;
}
