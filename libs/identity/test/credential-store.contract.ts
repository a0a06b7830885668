/**
 * The contract every CredentialStore adapter passes. Usage, in a *.spec.ts:
 *   describeCredentialStoreContract('sqlite', async () => ({ store, cleanup }));
 * `open` is called before each test and must return an empty store.
 */
import type { CredentialStore, SessionRecord } from '../src';

type Opened = { store: CredentialStore; cleanup: () => Promise<void> };

const T0 = '2026-11-16T16:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const session = (id: string, userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  id,
  userId,
  kind: 'staff',
  roles: ['agent'],
  customerId: null,
  approver: false,
  csrfToken: `csrf-${id}`,
  method: 'password',
  mfa: false,
  mfaEnrollmentRequired: false,
  createdAt: T0,
  lastSeenAt: T0,
  idleMinutes: 30,
  absoluteExpiresAt: at(720),
  ip: '10.0.0.1',
  userAgent: 'jest',
  ...overrides,
});

export function describeCredentialStoreContract(name: string, open: () => Promise<Opened>): void {
  describe(`CredentialStore contract: ${name}`, () => {
    let opened: Opened;
    let store: CredentialStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    it('stores and replaces a password hash; counts people with credentials', async () => {
      expect(await store.getCredentials('u1')).toBeNull();
      expect(await store.countCredentials()).toBe(0);
      await store.setPassword('u1', '$scrypt$one', T0);
      expect(await store.getCredentials('u1')).toEqual({
        userId: 'u1',
        passwordHash: '$scrypt$one',
        passwordChangedAt: T0,
        totp: null,
        pendingTotp: null,
        recoveryCodes: [],
        updatedAt: T0,
      });
      await store.setPassword('u1', '$scrypt$two', at(5));
      expect(await store.getCredentials('u1')).toMatchObject({ passwordHash: '$scrypt$two', passwordChangedAt: at(5) });
      await store.linkOidcSubject('https://idp', 'sub-9', 'u9', T0);
      expect(await store.countCredentials()).toBe(2);
    });

    it('TOTP: pending, enabled with recovery codes, each step and code accepted once, disabled', async () => {
      await store.setPendingTotp('u1', 'sealed-pending', T0);
      expect(await store.getCredentials('u1')).toMatchObject({ passwordHash: null, pendingTotp: { secret: 'sealed-pending', createdAt: T0 }, totp: null });
      await store.enableTotp('u1', { secret: 'sealed', enabledAt: at(1), lastStep: 100 }, ['h1', 'h2'], at(1));
      expect(await store.getCredentials('u1')).toMatchObject({ pendingTotp: null, totp: { secret: 'sealed', lastStep: 100 }, recoveryCodes: ['h1', 'h2'] });
      expect(await store.useTotpStep('u1', 100)).toBe(false);
      expect(await store.useTotpStep('u1', 101)).toBe(true);
      expect(await store.useTotpStep('u1', 101)).toBe(false);
      expect(await store.useTotpStep('u1', 99)).toBe(false);
      expect(await store.useTotpStep('nobody', 500)).toBe(false);
      expect(await store.useRecoveryCode('u1', 'h2')).toBe(true);
      expect(await store.useRecoveryCode('u1', 'h2')).toBe(false);
      expect(await store.useRecoveryCode('u1', 'nope')).toBe(false);
      expect((await store.getCredentials('u1'))!.recoveryCodes).toEqual(['h1']);
      await store.replaceRecoveryCodes('u1', ['h3'], at(2));
      expect((await store.getCredentials('u1'))!.recoveryCodes).toEqual(['h3']);
      await store.disableTotp('u1', at(3));
      expect(await store.getCredentials('u1')).toMatchObject({ totp: null, pendingTotp: null, recoveryCodes: [] });
    });

    it('a recovery code and a TOTP step are used once even when requests race', async () => {
      await store.enableTotp('u1', { secret: 's', enabledAt: T0, lastStep: 0 }, ['h1'], T0);
      const codes = await Promise.all([store.useRecoveryCode('u1', 'h1'), store.useRecoveryCode('u1', 'h1'), store.useRecoveryCode('u1', 'h1')]);
      expect(codes.filter(Boolean)).toHaveLength(1);
      const steps = await Promise.all([store.useTotpStep('u1', 7), store.useTotpStep('u1', 7), store.useTotpStep('u1', 7)]);
      expect(steps.filter(Boolean)).toHaveLength(1);
    });

    it('sessions: create, read, touch only forwards, update, delete one, delete all of a person, expire', async () => {
      await store.createSession(session('s1', 'u1'));
      await store.createSession(session('s2', 'u1', { absoluteExpiresAt: at(10) }));
      await store.createSession(session('s3', 'u2'));
      expect(await store.getSession('s1')).toEqual(session('s1', 'u1'));
      expect(await store.getSession('nope')).toBeNull();
      await store.touchSession('s1', at(2));
      await store.touchSession('s1', at(1));
      expect((await store.getSession('s1'))!.lastSeenAt).toBe(at(2));
      await store.updateSession('s1', { mfa: true, mfaEnrollmentRequired: false });
      expect(await store.getSession('s1')).toMatchObject({ mfa: true, lastSeenAt: at(2), csrfToken: 'csrf-s1' });
      expect(await store.deleteSession('s3')).toBe(true);
      expect(await store.deleteSession('s3')).toBe(false);
      await store.createSession(session('s4', 'u2'));
      expect(await store.deleteExpiredSessions(at(10))).toBe(1);
      expect(await store.getSession('s2')).toBeNull();
      await store.createSession(session('s5', 'u1'));
      expect(await store.deleteSessionsOf('u1', 's5')).toBe(1);
      expect(await store.getSession('s1')).toBeNull();
      expect(await store.getSession('s5')).not.toBeNull();
      expect(await store.deleteSessionsOf('u1')).toBe(1);
      expect(await store.getSession('s4')).not.toBeNull();
    });

    it('one-time links: a known link or an unknown one is used once; unused ones are listed until they expire', async () => {
      await store.createOneTime({ purpose: 'setup', nonceId: 'n1', email: 'root@example.mx', expiresAt: at(60), usedAt: null, createdAt: T0 });
      await store.createOneTime({ purpose: 'setup', nonceId: 'n2', email: null, expiresAt: at(5), usedAt: null, createdAt: at(1) });
      expect((await store.findUnusedOneTime('setup', T0)).map((r) => r.nonceId)).toEqual(['n1', 'n2']);
      expect((await store.findUnusedOneTime('setup', at(5))).map((r) => r.nonceId)).toEqual(['n1']);
      expect(await store.getOneTime('setup', 'n1')).toEqual({ purpose: 'setup', nonceId: 'n1', email: 'root@example.mx', expiresAt: at(60), usedAt: null, createdAt: T0 });
      expect(await store.useOneTime('setup', 'n1', at(2))).toBe(true);
      expect(await store.useOneTime('setup', 'n1', at(3))).toBe(false);
      expect(await store.getOneTime('setup', 'n1')).toMatchObject({ usedAt: at(2) });
      expect(await store.findUnusedOneTime('setup', T0)).toEqual([expect.objectContaining({ nonceId: 'n2' })]);
      // a link the store did not know (invitation, reset: known from the event log)
      const raced = await Promise.all([store.useOneTime('password-reset', 'r1', T0), store.useOneTime('password-reset', 'r1', T0)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await store.useOneTime('invitation', 'r1', T0)).toBe(true);
    });

    it('links single sign-on subjects to people; erasing a person removes credentials, sessions and links', async () => {
      await store.linkOidcSubject('https://idp', 'abc', 'u1', T0);
      expect(await store.findOidcSubject('https://idp', 'abc')).toBe('u1');
      expect(await store.findOidcSubject('https://other', 'abc')).toBeNull();
      await store.setPassword('u1', 'h', T0);
      await store.createSession(session('s1', 'u1'));
      await store.eraseUser('u1');
      expect(await store.getCredentials('u1')).toBeNull();
      expect(await store.getSession('s1')).toBeNull();
      expect(await store.findOidcSubject('https://idp', 'abc')).toBeNull();
    });

    it('throttling counters: a run counts up, restarts after the reset period, clears', async () => {
      expect(await store.getThrottle('account:a@b.mx')).toBeNull();
      expect(await store.recordFailure('account:a@b.mx', T0, 60 * 60_000)).toEqual({ key: 'account:a@b.mx', failures: 1, lastFailureAt: T0 });
      expect((await store.recordFailure('account:a@b.mx', at(1), 60 * 60_000)).failures).toBe(2);
      expect((await store.recordFailure('account:a@b.mx', at(30), 60 * 60_000)).failures).toBe(3);
      expect(await store.getThrottle('account:a@b.mx')).toEqual({ key: 'account:a@b.mx', failures: 3, lastFailureAt: at(30) });
      expect((await store.recordFailure('account:a@b.mx', at(91), 60 * 60_000)).failures).toBe(1);
      await store.clearThrottle('account:a@b.mx');
      expect(await store.getThrottle('account:a@b.mx')).toBeNull();
    });
  });
}
