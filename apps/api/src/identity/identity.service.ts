import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'crypto';
import * as OTPAuth from 'otpauth';
import { CommandEnvelope, CommandPipeline } from '@helpdesk/application';
import {
  Actor,
  ApprovalRecord,
  EmailClaimState,
  Language,
  SignInMethod,
  UserState,
  emailClaimDecider,
  linkValidAt,
  normalizeEmail,
  userDecider,
  userEmailStreamId,
  userStreamId,
} from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import {
  ACCOUNT_THROTTLE,
  ADDRESS_THROTTLE,
  CredentialRecord,
  CredentialStore,
  DummyHash,
  IdentityKeys,
  PasswordPolicy,
  SessionRecord,
  Throttle,
  ThrottlePolicy,
  hashPassword,
  linkToken,
  linkUrl,
  needsRehash,
  readLinkToken,
  verifyPassword,
} from '@helpdesk/identity';
import { ReadStore } from '@helpdesk/read-store';
import { APP_CONFIG, AppConfig } from '../config';
import { CLOCK, Clock, CREDENTIAL_STORE, EVENT_STORE, READ_STORE } from '../infrastructure/tokens';
import { AccessLog } from './access-log';
import { invalidCredentials, linkExpired, linkUsed, mfaRequired, passwordTooWeak, sessionExpired, tooManyAttempts } from './errors';

export interface KnownUser {
  userId: string;
  state: UserState;
  /** version of the user's stream */
  version: number;
}

/** who is asking, for the access log and throttling */
export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
  /** the request came over https (the cookie gets Secure) */
  secure: boolean;
}

export const SYSTEM_IDENTITY: Actor = { id: 'system:identity', roles: [] };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const sessionIdOf = (cookieValue: string) => sha256(cookieValue);
/** a short, non-secret reference to a session for the access log */
export const sessionRef = (sessionId: string) => sessionId.slice(0, 12);
/** recovery codes are compared by hash, spaces and dashes and case ignored */
export const recoveryCodeHash = (code: string) => sha256(code.replace(/[\s-]/g, '').toLowerCase());

export const THROTTLE_POLICIES: Record<string, ThrottlePolicy> = {
  account: ACCOUNT_THROTTLE,
  address: ADDRESS_THROTTLE,
  // password-reset requests per email: three an hour, then silently none (the answer is the same)
  reset: { free: 3, baseMs: 60 * 60_000, capMs: 60 * 60_000, resetAfterMs: 60 * 60_000 },
};

/** the language of people who have not chosen one: the preset's locale */
export function defaultLanguage(config: AppConfig): Language {
  const locale = (config.preset as unknown as { locale?: string }).locale;
  if (locale === 'es-MX' || locale === 'es-CO' || locale === 'en') return locale;
  const zones = Object.values(config.preset.calendars ?? {}).map((c) => (c as { zone?: string }).zone);
  return zones.includes('America/Bogota') ? 'es-CO' : 'es-MX';
}

/**
 * People and their sign-in: finding a person by email, passwords, second factors, browser
 * sessions, throttling. Credentials stay in the credential store; lifecycle facts are events
 * on the user's stream (handlers in user-handlers.ts).
 */
@Injectable()
export class IdentityService {
  readonly keys: IdentityKeys;
  readonly policy: PasswordPolicy;
  readonly throttle: Throttle;
  private readonly dummy: DummyHash;
  private readonly logger = new Logger('identity');
  /** background work (password-reset requests) still running */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(CREDENTIAL_STORE) readonly credentials: CredentialStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pipeline: CommandPipeline,
    private readonly accessLog: AccessLog,
  ) {
    this.keys = new IdentityKeys(config.identity.secret);
    this.policy = PasswordPolicy.load();
    this.throttle = new Throttle(credentials, THROTTLE_POLICIES);
    this.dummy = new DummyHash(this.scrypt);
  }

  get scrypt() {
    return { ln: this.config.identity.scryptLn, r: 8, p: 1 };
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.scrypt);
  }

  /** 400 password-too-weak unless the policy accepts it */
  requireStrongPassword(password: string, context: { email?: string | null; name?: string | null }): void {
    const weakness = this.policy.weakness(password, context);
    if (weakness) throw passwordTooWeak(weakness);
  }

  // ------------------------------------------------------------------ people

  async loadUser(userId: string): Promise<KnownUser | null> {
    const { state, version } = await this.pipeline.load(userStreamId(userId), userDecider);
    if (state.userId === null) return null;
    return { userId, state, version: Number(version) };
  }

  /** the person an email belongs to (through its claim), or null */
  async findUserByEmail(email: string): Promise<KnownUser | null> {
    const normalized = normalizeEmail(email);
    if (normalized.length === 0 || normalized.length > 254) return null;
    const [claim] = await this.events.readStream(userEmailStreamId(normalized), { direction: 'backwards', maxCount: 1 });
    if (!claim) return null;
    const user = await this.loadUser(String(claim.data.userId));
    return user && user.state.email === normalized ? user : null;
  }

  async claimEmail(email: string, userId: string, envelope: CommandEnvelope): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.pipeline.execute(
      userEmailStreamId(normalized),
      emailClaimDecider,
      async (claim: EmailClaimState) => ({
        type: 'ClaimUserEmail' as const,
        email: normalized,
        userId,
        facts: { currentHolderExists: claim.userId !== null && claim.userId !== userId ? (await this.loadUser(claim.userId)) !== null : false },
      }),
      { ...envelope, idempotency: undefined, ifMatch: undefined },
    );
  }

  /** the principal a known user is: their roles, customer and approver right now */
  principalOf(user: KnownUser, via: 'session' | 'token'): Actor {
    const s = user.state;
    return { id: user.userId, roles: [...s.roles], ...(s.customerId ? { customerId: s.customerId } : {}), ...(s.kind === 'contact' ? { approver: s.approver } : {}), via };
  }

  /**
   * The rights of the person answering a quote at this instant: a known user's from their
   * stream (an active contact of that customer with approver rights), a token subject that is
   * no known user's from the token (approver unless it says `approver: false`).
   */
  async approvalOf(actor: Actor): Promise<ApprovalRecord> {
    const user = await this.loadUser(actor.id);
    if (!user) {
      return {
        principal: 'token',
        userId: actor.id,
        roles: [...actor.roles],
        customerId: actor.customerId ?? null,
        approver: actor.roles.includes('customer') && actor.approver !== false,
        userVersion: null,
      };
    }
    const s = user.state;
    const entitled = s.status === 'active' && s.kind === 'contact' && s.customerId === (actor.customerId ?? null) && s.approver;
    return { principal: 'user', userId: user.userId, roles: [...s.roles], customerId: s.customerId, approver: entitled, userVersion: user.version };
  }

  // ------------------------------------------------------------------ sign-in

  private throttleKeys(email: string, info: RequestInfo) {
    const keys = [{ kind: 'account', key: normalizeEmail(email).slice(0, 254) }];
    if (info.ip) keys.push({ kind: 'address', key: info.ip });
    return keys;
  }

  /** 429 too-many-attempts (with Retry-After) while any of the keys must wait */
  async requireNotThrottled(keys: Array<{ kind: string; key: string }>): Promise<void> {
    const wait = await this.throttle.retryAfter(keys, this.clock.now().getTime());
    if (wait > 0) throw tooManyAttempts(wait);
  }

  async signIn(
    input: { email: string; password: string; totpCode?: string; recoveryCode?: string },
    info: RequestInfo,
  ): Promise<{ user: KnownUser; cookie: string; session: SessionRecord }> {
    const keys = this.throttleKeys(input.email, info);
    await this.requireNotThrottled(keys);
    const user = await this.findUserByEmail(input.email);
    const credentials = user ? await this.credentials.getCredentials(user.userId) : null;
    // the same work whatever is missing: an unknown email is checked against a dummy hash
    const hash = credentials?.passwordHash ?? (await this.dummy.get());
    const matches = await verifyPassword(input.password, hash);
    const now = this.now();
    if (!matches || !user || !credentials?.passwordHash || user.state.status !== 'active') {
      await this.throttle.fail(keys, now);
      await this.recordFailure(user?.userId ?? null, input.email, 'invalid-credentials', info, now);
      throw invalidCredentials();
    }
    let mfa: 'totp' | 'recovery-code' | null = null;
    if (credentials.totp) {
      if (!input.totpCode && !input.recoveryCode) throw mfaRequired();
      mfa = await this.checkSecondFactor(user.userId, credentials, input);
      if (!mfa) {
        await this.throttle.fail(keys, now);
        await this.recordFailure(user.userId, input.email, 'mfa-invalid', info, now);
        throw mfaRequired('the code is not valid (or was already used): send a current totpCode or an unused recoveryCode');
      }
    }
    await this.throttle.succeed('account', keys[0].key);
    if (needsRehash(credentials.passwordHash, this.scrypt)) {
      await this.credentials.setPassword(user.userId, await this.hashPassword(input.password), now);
    }
    const { cookie, session } = await this.startSession(user, 'password', mfa, info, credentials);
    return { user, cookie, session };
  }

  private async recordFailure(userId: string | null, email: string, reason: 'invalid-credentials' | 'mfa-invalid', info: RequestInfo, at: string): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.accessLog.record(
      {
        type: 'SignInFailed',
        data: {
          userId,
          email: /^[^\s@]{1,64}@[^\s@]{1,189}$/.test(normalized) ? normalized : null,
          reason,
          ip: info.ip,
          userAgent: info.userAgent,
          at,
        },
      },
      { actor: userId ?? 'system:identity', correlationId: info.correlationId },
    );
  }

  // ------------------------------------------------------------------ password reset

  /**
   * The work behind a reset request, done after the answer: for an active person, records
   * PasswordResetRequested (the link's id and expiry). A few requests per email an hour at
   * most (more are dropped silently). Without e-mail (SMTP_URL) the link goes to the server
   * log, for the operator; the notifications process sends it once e-mail is configured.
   */
  async requestPasswordReset(email: string, info: RequestInfo, envelope: CommandEnvelope): Promise<void> {
    const normalized = normalizeEmail(email);
    const now = this.now();
    const key = [{ kind: 'reset', key: normalized }];
    if ((await this.throttle.retryAfter(key, Date.parse(now))) > 0) return;
    await this.throttle.fail(key, now);
    const user = await this.findUserByEmail(normalized);
    if (!user || user.state.status !== 'active') return;
    const requestId = randomUUID();
    await this.pipeline.execute(
      userStreamId(user.userId),
      userDecider,
      { type: 'RequestPasswordReset', userId: user.userId, requestId, validForMinutes: this.config.identity.passwordResetValidMinutes },
      envelope,
    );
    if (!this.config.identity.smtpUrl) {
      const url = linkUrl(this.config.identity.publicUrl, 'password-reset', linkToken(this.keys, 'password-reset', user.userId, requestId));
      this.logger.warn(`no e-mail configured (SMTP_URL): password-reset link for ${normalized}, valid ${this.config.identity.passwordResetValidMinutes} min: ${url}`);
    }
  }

  /** a new password from a reset link: 410 reset-link-expired (also unknown, replaced), 409 reset-link-used, 400 password-too-weak */
  async completePasswordReset(token: string, password: string, info: RequestInfo): Promise<void> {
    const parsed = readLinkToken(this.keys, 'password-reset', token);
    const user = parsed ? await this.loadUser(parsed.subject) : null;
    const request = user?.state.passwordReset;
    const now = this.now();
    if (!parsed || !user || user.state.status !== 'active' || !request || request.requestId !== parsed.nonceId || !linkValidAt(request.expiresAt, now)) {
      if (parsed) {
        const spent = await this.credentials.getOneTime('password-reset', parsed.nonceId);
        if (spent?.usedAt) throw linkUsed('reset-link-used', 'password-reset');
      }
      if (info.ip) await this.throttle.fail([{ kind: 'address', key: info.ip }], now);
      throw linkExpired('reset-link-expired', 'password-reset');
    }
    this.requireStrongPassword(password, { email: user.state.email, name: user.state.name });
    const hash = await this.hashPassword(password);
    if (!(await this.credentials.useOneTime('password-reset', parsed.nonceId, now))) throw linkUsed('reset-link-used', 'password-reset');
    await this.credentials.setPassword(user.userId, hash, now);
    await this.throttle.succeed('account', user.state.email!);
    const actor = { id: user.userId, roles: [...user.state.roles] };
    await this.accessLog.record(
      { type: 'PasswordChanged', data: { userId: user.userId, via: 'password-reset', ip: info.ip, at: now } },
      { actor: user.userId, actorRoles: actor.roles, correlationId: info.correlationId },
    );
    await this.revokeSessions(user.userId, 'password-changed', actor, info.correlationId);
  }

  async recordSsoFailure(err: { reason: 'sso-unknown-user' | 'sso-refused'; email: string | null; userId: string | null }, info: RequestInfo): Promise<void> {
    await this.accessLog.record(
      { type: 'SignInFailed', data: { userId: err.userId, email: err.email ? normalizeEmail(err.email) : null, reason: err.reason, ip: info.ip, userAgent: info.userAgent, at: this.now() } },
      { actor: err.userId ?? 'system:identity', correlationId: info.correlationId },
    );
  }

  // ------------------------------------------------------------------ second factor

  totpFor(secret: string, label: string): OTPAuth.TOTP {
    return new OTPAuth.TOTP({ issuer: 'Helpdesk', label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  }

  /** the step a TOTP code is valid for (one step either side), or null */
  totpStep(secret: string, code: string): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const timestamp = this.clock.now().getTime();
    const delta = this.totpFor(secret, 'x').validate({ token: code, timestamp, window: 1 });
    if (delta === null) return null;
    return Math.floor(timestamp / 30_000) + delta;
  }

  /** checks and uses a TOTP code or a recovery code; answers which one worked */
  async checkSecondFactor(userId: string, credentials: CredentialRecord, input: { totpCode?: string; recoveryCode?: string }): Promise<'totp' | 'recovery-code' | null> {
    if (!credentials.totp) return null;
    if (input.totpCode) {
      const secret = this.keys.decrypt('totp-secrets', credentials.totp.secret);
      const step = secret ? this.totpStep(secret, input.totpCode) : null;
      if (step !== null && (await this.credentials.useTotpStep(userId, step))) return 'totp';
      return null;
    }
    if (input.recoveryCode && (await this.credentials.useRecoveryCode(userId, recoveryCodeHash(input.recoveryCode)))) return 'recovery-code';
    return null;
  }

  requiresMfa(user: KnownUser): boolean {
    return user.state.kind === 'staff' && user.state.roles.some((r) => this.config.identity.mfaRequiredRoles.includes(r));
  }

  // ------------------------------------------------------------------ sessions

  async startSession(
    user: KnownUser,
    method: SignInMethod,
    mfa: 'totp' | 'recovery-code' | 'oidc' | null,
    info: RequestInfo,
    credentials?: CredentialRecord | null,
  ): Promise<{ cookie: string; session: SessionRecord }> {
    const s = user.state;
    const now = this.clock.now();
    const cookie = randomBytes(32).toString('base64url');
    const enrolled = !!(credentials === undefined ? await this.credentials.getCredentials(user.userId) : credentials)?.totp;
    const session: SessionRecord = {
      id: sessionIdOf(cookie),
      userId: user.userId,
      kind: s.kind!,
      roles: [...s.roles],
      customerId: s.customerId,
      approver: s.kind === 'contact' && s.approver,
      csrfToken: randomBytes(32).toString('base64url'),
      method,
      mfa: mfa !== null,
      mfaEnrollmentRequired: mfa === null && !enrolled && this.requiresMfa(user),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      idleMinutes: s.kind === 'contact' ? this.config.identity.customerIdleMinutes : this.config.identity.staffIdleMinutes,
      absoluteExpiresAt: new Date(now.getTime() + this.config.identity.absoluteMinutes * 60_000).toISOString(),
      ip: info.ip,
      userAgent: info.userAgent?.slice(0, 300) ?? null,
    };
    await this.credentials.createSession(session);
    await this.accessLog.record(
      {
        type: 'SignedIn',
        data: {
          userId: user.userId,
          method,
          mfa: mfa === 'oidc' ? null : mfa,
          sessionRef: sessionRef(session.id),
          ip: info.ip,
          userAgent: session.userAgent,
          at: session.createdAt,
        },
      },
      { actor: user.userId, actorRoles: session.roles, correlationId: info.correlationId },
    );
    return { cookie, session };
  }

  /** the live session a cookie names (touching it at most once a minute), or 401 session-expired */
  async resumeSession(cookie: string, secure: boolean): Promise<SessionRecord> {
    const id = sessionIdOf(cookie);
    const session = /^[A-Za-z0-9_-]{43}$/.test(cookie) ? await this.credentials.getSession(id) : null;
    if (!session) throw sessionExpired(secure);
    const now = this.clock.now().getTime();
    const idleEnds = Date.parse(session.lastSeenAt) + session.idleMinutes * 60_000;
    if (now >= idleEnds || now >= Date.parse(session.absoluteExpiresAt)) {
      await this.credentials.deleteSession(id);
      throw sessionExpired(secure);
    }
    if (now - Date.parse(session.lastSeenAt) >= 60_000) {
      const lastSeenAt = new Date(now).toISOString();
      await this.credentials.touchSession(id, lastSeenAt);
      session.lastSeenAt = lastSeenAt;
    }
    return session;
  }

  sessionPrincipal(session: SessionRecord): Actor {
    return {
      id: session.userId,
      roles: [...session.roles],
      ...(session.customerId ? { customerId: session.customerId } : {}),
      ...(session.kind === 'contact' ? { approver: session.approver } : {}),
      via: 'session',
    };
  }

  async endSession(cookie: string, info: RequestInfo): Promise<void> {
    const id = sessionIdOf(cookie);
    const session = await this.credentials.getSession(id);
    if (!session || !(await this.credentials.deleteSession(id))) return;
    await this.accessLog.record(
      { type: 'SignedOut', data: { userId: session.userId, sessionRef: sessionRef(id), ip: info.ip, at: this.now() } },
      { actor: session.userId, actorRoles: session.roles, correlationId: info.correlationId },
    );
  }

  /** ends every session of a person and records it (when there was one) */
  async revokeSessions(
    userId: string,
    reason: 'deactivated' | 'roles-changed' | 'approver-changed' | 'password-changed' | 'mfa-changed',
    by: Actor,
    correlationId: string,
    alreadyEnded = 0,
  ): Promise<number> {
    const count = alreadyEnded + (await this.credentials.deleteSessionsOf(userId));
    if (count > 0) {
      await this.accessLog.record(
        { type: 'SessionsRevoked', data: { userId, reason, count, by: by.id, at: this.now() } },
        { actor: by.id, actorRoles: by.roles, correlationId },
      );
    }
    return count;
  }

  async revokeSessionsExcept(
    userId: string,
    keepId: string | null,
    reason: 'mfa-changed' | 'password-changed',
    by: Actor,
    correlationId: string,
  ): Promise<number> {
    const count = await this.credentials.deleteSessionsOf(userId, keepId);
    if (count > 0) {
      await this.accessLog.record(
        { type: 'SessionsRevoked', data: { userId, reason, count, by: by.id, at: this.now() } },
        { actor: by.id, actorRoles: by.roles, correlationId },
      );
    }
    return count;
  }

  // ------------------------------------------------------------------ who am I

  async me(actor: Actor, session: SessionRecord | null): Promise<MeDocument> {
    const user = await this.loadUser(actor.id);
    const customerId = user ? user.state.customerId : (actor.customerId ?? null);
    const customer = customerId ? await this.views.get<{ _id: string; name?: string | null }>('customers', customerId) : null;
    if (!user) {
      return {
        id: actor.id,
        kind: 'token',
        name: actor.id,
        email: null,
        roles: [...actor.roles],
        customerId,
        customerName: customer?.name ?? null,
        approver: actor.roles.includes('customer') && actor.approver !== false,
        language: defaultLanguage(this.config),
        authenticatedBy: session ? 'session' : 'token',
        csrfToken: session?.csrfToken ?? null,
        mfaEnabled: false,
        mfaRequired: false,
      };
    }
    const s = user.state;
    const credentials = await this.credentials.getCredentials(user.userId);
    return {
      id: user.userId,
      kind: s.kind!,
      name: s.name!,
      email: s.email,
      roles: session ? [...session.roles] : [...actor.roles],
      customerId: s.customerId,
      customerName: customer?.name ?? null,
      approver: s.kind === 'contact' && (session ? session.approver : s.approver),
      language: s.language ?? defaultLanguage(this.config),
      authenticatedBy: session ? 'session' : 'token',
      csrfToken: session?.csrfToken ?? null,
      mfaEnabled: !!credentials?.totp,
      mfaRequired: this.requiresMfa(user),
    };
  }

  // ------------------------------------------------------------------ background work

  /** runs `work` after the answer (password-reset requests answer the same whatever happens) */
  background(what: string, work: () => Promise<unknown>): void {
    const p = work()
      .catch((err) => this.logger.error(`${what}: ${(err as Error).message}`))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** waits for the background work started so far (tests, shutdown) */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  newId(): string {
    return randomUUID();
  }
}

export interface MeDocument {
  id: string;
  kind: 'staff' | 'contact' | 'token';
  name: string;
  email: string | null;
  roles: string[];
  customerId: string | null;
  customerName: string | null;
  approver: boolean;
  language: Language;
  authenticatedBy: 'session' | 'token';
  csrfToken: string | null;
  mfaEnabled: boolean;
  mfaRequired: boolean;
}
