/**
 * The credential store on MongoDB: collections `identity_*` in the read store's database
 * (apart from the read models: rebuilds and their swaps never touch them). Also runs against
 * FerretDB v1, which the tests use: only plain CRUD, $set/$inc/$pull, upserts on `_id` and
 * simple indexes. Conditional single-document updates make the one-time, TOTP-step and
 * recovery-code uses atomic.
 */
import { Collection, Db, MongoClient, MongoServerError } from 'mongodb';
import type { CredentialRecord, CredentialStore, OneTimeRecord, SessionRecord, ThrottleRecord, TotpCredential } from './credential-store.port';

const DUPLICATE_KEY = 11000;

interface CredentialDoc {
  _id: string;
  passwordHash: string | null;
  passwordChangedAt: string | null;
  totp: TotpCredential | null;
  pendingTotp: { secret: string; createdAt: string } | null;
  recoveryCodes: string[];
  updatedAt: string;
}
type SessionDoc = Omit<SessionRecord, 'id'> & { _id: string };
type OneTimeDoc = OneTimeRecord & { _id: string };
interface OidcLinkDoc {
  _id: string;
  issuer: string;
  subject: string;
  userId: string;
  linkedAt: string;
}
interface ThrottleDoc {
  _id: string;
  failures: number;
  lastFailureAt: string;
}

const oneTimeId = (purpose: string, nonceId: string) => `${purpose}:${nonceId}`;
const linkId = (issuer: string, subject: string) => `${issuer} ${subject}`;

const emptyCredential = (userId: string, at: string): CredentialDoc => ({
  _id: userId,
  passwordHash: null,
  passwordChangedAt: null,
  totp: null,
  pendingTotp: null,
  recoveryCodes: [],
  updatedAt: at,
});

export class MongoCredentialStore implements CredentialStore {
  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
    private readonly ownsClient: boolean,
  ) {}

  static async connect(url: string, dbName?: string): Promise<MongoCredentialStore> {
    const client = new MongoClient(url);
    await client.connect();
    const name = dbName ?? (new URL(url.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.replace(/^\//, '') || 'helpdesk');
    const store = new MongoCredentialStore(client, client.db(name), true);
    await store.ensureIndexes();
    return store;
  }

  private get credentials(): Collection<CredentialDoc> {
    return this.db.collection<CredentialDoc>('identity_credentials');
  }
  private get sessions(): Collection<SessionDoc> {
    return this.db.collection<SessionDoc>('identity_sessions');
  }
  private get oneTime(): Collection<OneTimeDoc> {
    return this.db.collection<OneTimeDoc>('identity_one_time');
  }
  private get oidcLinks(): Collection<OidcLinkDoc> {
    return this.db.collection<OidcLinkDoc>('identity_oidc_links');
  }
  private get used(): Collection<{ _id: string }> {
    return this.db.collection<{ _id: string }>('identity_used');
  }
  private get throttle(): Collection<ThrottleDoc> {
    return this.db.collection<ThrottleDoc>('identity_throttle');
  }

  private async ensureIndexes(): Promise<void> {
    await this.sessions.createIndex({ userId: 1 });
    await this.sessions.createIndex({ absoluteExpiresAt: 1 });
    await this.oneTime.createIndex({ purpose: 1, usedAt: 1 });
    await this.oidcLinks.createIndex({ userId: 1 });
  }

  // ------------------------------------------------------------------ credentials

  async getCredentials(userId: string): Promise<CredentialRecord | null> {
    const doc = await this.credentials.findOne({ _id: userId });
    if (!doc) return null;
    return {
      userId: doc._id,
      passwordHash: doc.passwordHash ?? null,
      passwordChangedAt: doc.passwordChangedAt ?? null,
      totp: doc.totp ?? null,
      pendingTotp: doc.pendingTotp ?? null,
      recoveryCodes: doc.recoveryCodes ?? [],
      updatedAt: doc.updatedAt,
    };
  }

  /** creates the record if it is missing (a duplicate from a racing insert is fine) */
  private async ensure(userId: string, at: string): Promise<void> {
    if (await this.credentials.countDocuments({ _id: userId }, { limit: 1 })) return;
    try {
      await this.credentials.insertOne(emptyCredential(userId, at));
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY)) throw err;
    }
  }

  async setPassword(userId: string, passwordHash: string, at: string): Promise<void> {
    await this.ensure(userId, at);
    await this.credentials.updateOne({ _id: userId }, { $set: { passwordHash, passwordChangedAt: at, updatedAt: at } });
  }

  async setPendingTotp(userId: string, encryptedSecret: string, at: string): Promise<void> {
    await this.ensure(userId, at);
    await this.credentials.updateOne({ _id: userId }, { $set: { pendingTotp: { secret: encryptedSecret, createdAt: at }, updatedAt: at } });
  }

  async enableTotp(userId: string, totp: TotpCredential, recoveryCodeHashes: string[], at: string): Promise<void> {
    await this.ensure(userId, at);
    await this.credentials.updateOne({ _id: userId }, { $set: { totp, pendingTotp: null, recoveryCodes: recoveryCodeHashes, updatedAt: at } });
  }

  async disableTotp(userId: string, at: string): Promise<void> {
    await this.credentials.updateOne({ _id: userId }, { $set: { totp: null, pendingTotp: null, recoveryCodes: [], updatedAt: at } });
  }

  async replaceRecoveryCodes(userId: string, recoveryCodeHashes: string[], at: string): Promise<void> {
    await this.credentials.updateOne({ _id: userId }, { $set: { recoveryCodes: recoveryCodeHashes, updatedAt: at } });
  }

  /**
   * Marks `id` used: the unique `_id` makes exactly one of racing callers succeed. (A
   * conditional update alone would do on MongoDB, but FerretDB v1 checks the filter and writes
   * the update in separate steps.)
   */
  private async claimUse(id: string): Promise<boolean> {
    try {
      await this.used.insertOne({ _id: id });
      return true;
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    const current = await this.credentials.findOne({ _id: userId }, { projection: { totp: 1 } });
    if (!current?.totp || current.totp.lastStep >= step) return false;
    if (!(await this.claimUse(`totp:${userId}:${step}`))) return false;
    await this.credentials.updateOne({ _id: userId, 'totp.lastStep': { $lt: step } }, { $set: { 'totp.lastStep': step } });
    return true;
  }

  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const current = await this.credentials.findOne({ _id: userId, recoveryCodes: codeHash }, { projection: { _id: 1 } });
    if (!current) return false;
    if (!(await this.claimUse(`recovery:${userId}:${codeHash}`))) return false;
    await this.credentials.updateOne({ _id: userId }, { $pull: { recoveryCodes: codeHash } });
    return true;
  }

  async countCredentials(): Promise<number> {
    const own = await this.credentials.distinct('_id');
    const linked = await this.oidcLinks.distinct('userId');
    return new Set<string>([...own, ...linked]).size;
  }

  async eraseUser(userId: string): Promise<void> {
    await this.credentials.deleteOne({ _id: userId });
    await this.sessions.deleteMany({ userId });
    await this.used.deleteMany({ _id: { $gte: `recovery:${userId}:`, $lt: `recovery:${userId};` } });
    await this.used.deleteMany({ _id: { $gte: `totp:${userId}:`, $lt: `totp:${userId};` } });
    await this.oidcLinks.deleteMany({ userId });
  }

  // ------------------------------------------------------------------ sessions

  async createSession(session: SessionRecord): Promise<void> {
    const { id, ...rest } = session;
    await this.sessions.insertOne({ _id: id, ...rest });
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const doc = await this.sessions.findOne({ _id: id });
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }

  async touchSession(id: string, lastSeenAt: string): Promise<void> {
    await this.sessions.updateOne({ _id: id, lastSeenAt: { $lt: lastSeenAt } }, { $set: { lastSeenAt } });
  }

  async updateSession(id: string, patch: Partial<Pick<SessionRecord, 'mfa' | 'mfaEnrollmentRequired'>>): Promise<void> {
    await this.sessions.updateOne({ _id: id }, { $set: patch });
  }

  async deleteSession(id: string): Promise<boolean> {
    return (await this.sessions.deleteOne({ _id: id })).deletedCount === 1;
  }

  async deleteSessionsOf(userId: string, exceptId: string | null = null): Promise<number> {
    return (await this.sessions.deleteMany(exceptId ? { userId, _id: { $ne: exceptId } } : { userId })).deletedCount;
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    return (await this.sessions.deleteMany({ absoluteExpiresAt: { $lte: now } })).deletedCount;
  }

  // ------------------------------------------------------------------ one-time links

  async createOneTime(record: OneTimeRecord): Promise<void> {
    await this.oneTime.insertOne({ _id: oneTimeId(record.purpose, record.nonceId), ...record });
  }

  async getOneTime(purpose: string, nonceId: string): Promise<OneTimeRecord | null> {
    const doc = await this.oneTime.findOne({ _id: oneTimeId(purpose, nonceId) });
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return rest;
  }

  async findUnusedOneTime(purpose: string, now: string): Promise<OneTimeRecord[]> {
    const docs = await this.oneTime
      .find({ purpose, usedAt: null, expiresAt: { $gt: now } })
      .sort({ createdAt: 1, nonceId: 1 })
      .toArray();
    return docs.map(({ _id, ...rest }) => rest);
  }

  async useOneTime(purpose: string, nonceId: string, at: string): Promise<boolean> {
    const _id = oneTimeId(purpose, nonceId);
    const r = await this.oneTime.updateOne({ _id, usedAt: null }, { $set: { usedAt: at } });
    if (r.modifiedCount === 1) return true;
    try {
      await this.oneTime.insertOne({ _id, purpose, nonceId, email: null, expiresAt: null, usedAt: at, createdAt: at });
      return true;
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  // ------------------------------------------------------------------ single sign-on

  async linkOidcSubject(issuer: string, subject: string, userId: string, at: string): Promise<void> {
    await this.oidcLinks.updateOne({ _id: linkId(issuer, subject) }, { $set: { issuer, subject, userId, linkedAt: at } }, { upsert: true });
  }

  async findOidcSubject(issuer: string, subject: string): Promise<string | null> {
    return (await this.oidcLinks.findOne({ _id: linkId(issuer, subject) }))?.userId ?? null;
  }

  // ------------------------------------------------------------------ throttling

  async getThrottle(key: string): Promise<ThrottleRecord | null> {
    const doc = await this.throttle.findOne({ _id: key });
    return doc ? { key, failures: doc.failures, lastFailureAt: doc.lastFailureAt } : null;
  }

  async recordFailure(key: string, at: string, resetAfterMs: number): Promise<ThrottleRecord> {
    const resetBefore = new Date(Date.parse(at) - resetAfterMs).toISOString();
    // within the run: count one more; otherwise (none, or the last is old) start a new run
    const counted = await this.throttle.updateOne({ _id: key, lastFailureAt: { $gte: resetBefore } }, { $inc: { failures: 1 }, $set: { lastFailureAt: at } });
    if (counted.matchedCount === 0) {
      await this.throttle.updateOne({ _id: key }, { $set: { failures: 1, lastFailureAt: at } }, { upsert: true });
    }
    return (await this.getThrottle(key))!;
  }

  async clearThrottle(key: string): Promise<void> {
    await this.throttle.deleteOne({ _id: key });
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
