/**
 * The credential store on SQLite (better-sqlite3): a file of its own beside the event and
 * read-model files (`DATA_DIR/credentials.db`), so that erasing a person's credentials never
 * touches the event log and a rebuild of the read models never touches credentials.
 * WAL with synchronous=FULL: a password change or a revocation is on disk when acknowledged.
 * Several processes may open the file (the API, `npm run users`): writes that must be atomic
 * run in IMMEDIATE transactions or as single conditional statements.
 */
import Database from 'better-sqlite3';
import type { CredentialRecord, CredentialStore, OneTimeRecord, SessionRecord, ThrottleRecord, TotpCredential } from './credential-store.port';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS credentials (
  user_id TEXT PRIMARY KEY,
  password_hash TEXT,
  password_changed_at TEXT,
  totp TEXT,
  pending_totp TEXT,
  recovery_codes TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  data TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  absolute_expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (absolute_expires_at);
CREATE TABLE IF NOT EXISTS one_time (
  purpose TEXT NOT NULL,
  nonce_id TEXT NOT NULL,
  email TEXT,
  expires_at TEXT,
  used_at TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (purpose, nonce_id)
);
CREATE TABLE IF NOT EXISTS oidc_links (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX IF NOT EXISTS oidc_links_by_user ON oidc_links (user_id);
CREATE TABLE IF NOT EXISTS throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at TEXT NOT NULL
);
`;

interface CredentialRow {
  user_id: string;
  password_hash: string | null;
  password_changed_at: string | null;
  totp: string | null;
  pending_totp: string | null;
  recovery_codes: string;
  updated_at: string;
}

interface OneTimeRow {
  purpose: string;
  nonce_id: string;
  email: string | null;
  expires_at: string | null;
  used_at: string | null;
  created_at: string;
}

const toOneTime = (r: OneTimeRow): OneTimeRecord => ({
  purpose: r.purpose,
  nonceId: r.nonce_id,
  email: r.email,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  createdAt: r.created_at,
});

export class SqliteCredentialStore implements CredentialStore {
  private constructor(readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new Error(`the credential store was written by a newer version (schema ${version}, this one knows ${SCHEMA_VERSION})`);
    }
    db.exec(SCHEMA);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  /** opens (creating if needed) the file; ':memory:' gives a private in-memory store */
  static open(file: string): SqliteCredentialStore {
    return new SqliteCredentialStore(new Database(file));
  }

  // ------------------------------------------------------------------ credentials

  async getCredentials(userId: string): Promise<CredentialRecord | null> {
    const row = this.db.prepare('SELECT * FROM credentials WHERE user_id = ?').get(userId) as CredentialRow | undefined;
    if (!row) return null;
    return {
      userId: row.user_id,
      passwordHash: row.password_hash,
      passwordChangedAt: row.password_changed_at,
      totp: row.totp ? (JSON.parse(row.totp) as TotpCredential) : null,
      pendingTotp: row.pending_totp ? JSON.parse(row.pending_totp) : null,
      recoveryCodes: JSON.parse(row.recovery_codes) as string[],
      updatedAt: row.updated_at,
    };
  }

  private ensure(userId: string, at: string): void {
    this.db.prepare(`INSERT INTO credentials (user_id, updated_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING`).run(userId, at);
  }

  async setPassword(userId: string, passwordHash: string, at: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO credentials (user_id, password_hash, password_changed_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, password_changed_at = excluded.password_changed_at, updated_at = excluded.updated_at`,
      )
      .run(userId, passwordHash, at, at);
  }

  async setPendingTotp(userId: string, encryptedSecret: string, at: string): Promise<void> {
    this.db.transaction(() => {
      this.ensure(userId, at);
      this.db.prepare('UPDATE credentials SET pending_totp = ?, updated_at = ? WHERE user_id = ?').run(JSON.stringify({ secret: encryptedSecret, createdAt: at }), at, userId);
    }).immediate();
  }

  async enableTotp(userId: string, totp: TotpCredential, recoveryCodeHashes: string[], at: string): Promise<void> {
    this.db.transaction(() => {
      this.ensure(userId, at);
      this.db
        .prepare('UPDATE credentials SET totp = ?, pending_totp = NULL, recovery_codes = ?, updated_at = ? WHERE user_id = ?')
        .run(JSON.stringify(totp), JSON.stringify(recoveryCodeHashes), at, userId);
    }).immediate();
  }

  async disableTotp(userId: string, at: string): Promise<void> {
    this.db.prepare(`UPDATE credentials SET totp = NULL, pending_totp = NULL, recovery_codes = '[]', updated_at = ? WHERE user_id = ?`).run(at, userId);
  }

  async replaceRecoveryCodes(userId: string, recoveryCodeHashes: string[], at: string): Promise<void> {
    this.db.prepare('UPDATE credentials SET recovery_codes = ?, updated_at = ? WHERE user_id = ?').run(JSON.stringify(recoveryCodeHashes), at, userId);
  }

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    const r = this.db
      .prepare(`UPDATE credentials SET totp = json_set(totp, '$.lastStep', ?) WHERE user_id = ? AND totp IS NOT NULL AND json_extract(totp, '$.lastStep') < ?`)
      .run(step, userId, step);
    return r.changes === 1;
  }

  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT recovery_codes FROM credentials WHERE user_id = ?').get(userId) as { recovery_codes: string } | undefined;
      if (!row) return false;
      const codes = JSON.parse(row.recovery_codes) as string[];
      const i = codes.indexOf(codeHash);
      if (i < 0) return false;
      codes.splice(i, 1);
      this.db.prepare('UPDATE credentials SET recovery_codes = ? WHERE user_id = ?').run(JSON.stringify(codes), userId);
      return true;
    }).immediate();
  }

  async countCredentials(): Promise<number> {
    const own = this.db.prepare('SELECT count(*) FROM credentials').pluck().get() as number;
    const linked = this.db.prepare('SELECT count(DISTINCT user_id) FROM oidc_links WHERE user_id NOT IN (SELECT user_id FROM credentials)').pluck().get() as number;
    return own + linked;
  }

  async eraseUser(userId: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM credentials WHERE user_id = ?').run(userId);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
      this.db.prepare('DELETE FROM oidc_links WHERE user_id = ?').run(userId);
    }).immediate();
  }

  // ------------------------------------------------------------------ sessions

  async createSession(session: SessionRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (id, user_id, data, last_seen_at, absolute_expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(session.id, session.userId, JSON.stringify(session), session.lastSeenAt, session.absoluteExpiresAt);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.db.prepare('SELECT data, last_seen_at FROM sessions WHERE id = ?').get(id) as { data: string; last_seen_at: string } | undefined;
    if (!row) return null;
    return { ...(JSON.parse(row.data) as SessionRecord), lastSeenAt: row.last_seen_at };
  }

  async touchSession(id: string, lastSeenAt: string): Promise<void> {
    this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?').run(lastSeenAt, id, lastSeenAt);
  }

  async updateSession(id: string, patch: Partial<Pick<SessionRecord, 'mfa' | 'mfaEnrollmentRequired'>>): Promise<void> {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT data FROM sessions WHERE id = ?').get(id) as { data: string } | undefined;
      if (!row) return;
      this.db.prepare('UPDATE sessions SET data = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(row.data), ...patch }), id);
    }).immediate();
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes === 1;
  }

  async deleteSessionsOf(userId: string, exceptId: string | null = null): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?').run(userId, exceptId).changes;
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE absolute_expires_at <= ?').run(now).changes;
  }

  // ------------------------------------------------------------------ one-time links

  async createOneTime(record: OneTimeRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO one_time (purpose, nonce_id, email, expires_at, used_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(record.purpose, record.nonceId, record.email, record.expiresAt, record.usedAt, record.createdAt);
  }

  async getOneTime(purpose: string, nonceId: string): Promise<OneTimeRecord | null> {
    const row = this.db.prepare('SELECT * FROM one_time WHERE purpose = ? AND nonce_id = ?').get(purpose, nonceId) as OneTimeRow | undefined;
    return row ? toOneTime(row) : null;
  }

  async findUnusedOneTime(purpose: string, now: string): Promise<OneTimeRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM one_time WHERE purpose = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at, nonce_id')
      .all(purpose, now) as OneTimeRow[];
    return rows.map(toOneTime);
  }

  async useOneTime(purpose: string, nonceId: string, at: string): Promise<boolean> {
    const r = this.db
      .prepare(
        `INSERT INTO one_time (purpose, nonce_id, used_at, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (purpose, nonce_id) DO UPDATE SET used_at = excluded.used_at WHERE one_time.used_at IS NULL`,
      )
      .run(purpose, nonceId, at, at);
    return r.changes === 1;
  }

  // ------------------------------------------------------------------ single sign-on

  async linkOidcSubject(issuer: string, subject: string, userId: string, at: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO oidc_links (issuer, subject, user_id, linked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (issuer, subject) DO UPDATE SET user_id = excluded.user_id, linked_at = excluded.linked_at`,
      )
      .run(issuer, subject, userId, at);
  }

  async findOidcSubject(issuer: string, subject: string): Promise<string | null> {
    return (this.db.prepare('SELECT user_id FROM oidc_links WHERE issuer = ? AND subject = ?').pluck().get(issuer, subject) as string | undefined) ?? null;
  }

  // ------------------------------------------------------------------ throttling

  async getThrottle(key: string): Promise<ThrottleRecord | null> {
    const row = this.db.prepare('SELECT key, failures, last_failure_at FROM throttle WHERE key = ?').get(key) as
      | { key: string; failures: number; last_failure_at: string }
      | undefined;
    return row ? { key: row.key, failures: row.failures, lastFailureAt: row.last_failure_at } : null;
  }

  async recordFailure(key: string, at: string, resetAfterMs: number): Promise<ThrottleRecord> {
    const resetBefore = new Date(Date.parse(at) - resetAfterMs).toISOString();
    const row = this.db
      .prepare(
        `INSERT INTO throttle (key, failures, last_failure_at) VALUES (?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN throttle.last_failure_at < ? THEN 1 ELSE throttle.failures + 1 END,
           last_failure_at = excluded.last_failure_at
         RETURNING key, failures, last_failure_at`,
      )
      .get(key, at, resetBefore) as { key: string; failures: number; last_failure_at: string };
    return { key: row.key, failures: row.failures, lastFailureAt: row.last_failure_at };
  }

  async clearThrottle(key: string): Promise<void> {
    this.db.prepare('DELETE FROM throttle WHERE key = ?').run(key);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
