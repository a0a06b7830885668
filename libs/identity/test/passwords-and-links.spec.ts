import {
  ACCOUNT_THROTTLE,
  DEFAULT_SCRYPT,
  IdentityKeys,
  PasswordPolicy,
  blockedUntil,
  delayAfter,
  hashPassword,
  invitationLink,
  linkToken,
  needsRehash,
  parseHash,
  readLinkToken,
  verifyPassword,
} from '../src';

const FAST = { ln: 12, r: 8, p: 1 };

describe('password hashes', () => {
  it('scrypt with OWASP parameters by default, stored with its parameters, verified, salted', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ ln: 17, r: 8, p: 1 });
    const hash = await hashPassword('caballo correcto batería grapa', DEFAULT_SCRYPT);
    expect(hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('caballo correcto batería grapa', hash)).toBe(true);
    expect(await verifyPassword('caballo correcto bateria grapa', hash)).toBe(false);
    expect(await hashPassword('caballo correcto batería grapa', FAST)).not.toBe(await hashPassword('caballo correcto batería grapa', FAST));
  }, 60_000);

  it('a hash with weaker parameters needs a rehash; garbage never verifies', async () => {
    const weak = await hashPassword('una frase bastante larga', FAST);
    expect(parseHash(weak)).toMatchObject({ ln: 12, r: 8, p: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, FAST)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('password policy', () => {
  const policy = PasswordPolicy.load();

  it('ships the 49k common passwords plus Spanish ones', () => {
    expect(policy.size).toBeGreaterThan(49_000);
  });

  it.each([
    ['short', 'corta1!'],
    ['common', 'password1234'],
    ['common with digits added', 'qwertyuiop2024!'],
    ['Spanish', 'Contraseña2024!'],
    ['Spanish', 'teamomucho123'],
    ['repetitive', 'aaaaaaaaaaaaaa'],
    ['digits only', '908172635412'],
  ])('refuses a %s password', (_why, password) => {
    expect(policy.weakness(password)).not.toBeNull();
  });

  it('refuses the email and the name; accepts a long passphrase', () => {
    expect(policy.weakness('ana.lopez@example.mx', { email: 'ana.lopez@example.mx' })).toMatch(/email/);
    expect(policy.weakness('AnaLopezGarcia', { name: 'Ana Lopez Garcia' })).toMatch(/name/);
    expect(policy.weakness('nopal azul sobre la mesa')).toBeNull();
  });
});

describe('one-time links', () => {
  const keys = new IdentityKeys('a-server-secret-of-enough-length');

  it('round-trips subject and nonce; refuses another purpose, another key or any edit', () => {
    const token = linkToken(keys, 'invitation', 'u-1', 'n-1');
    expect(readLinkToken(keys, 'invitation', token)).toEqual({ subject: 'u-1', nonceId: 'n-1' });
    expect(readLinkToken(keys, 'password-reset', token)).toBeNull();
    expect(readLinkToken(new IdentityKeys('another-server-secret-of-length'), 'invitation', token)).toBeNull();
    expect(readLinkToken(keys, 'invitation', token.replace('n-1', 'n-2'))).toBeNull();
    expect(readLinkToken(keys, 'invitation', `${token}x`)).toBeNull();
    expect(readLinkToken(keys, 'invitation', 42)).toBeNull();
  });

  it('the notifications process rebuilds the same link from the event and the secret', () => {
    const url = invitationLink('https://mesa.example.mx/', 'a-server-secret-of-enough-length', 'u-1', 'n-1');
    expect(url).toBe(`https://mesa.example.mx/invitation?token=${encodeURIComponent(linkToken(keys, 'invitation', 'u-1', 'n-1'))}`);
  });

  it('seals secrets (AES-GCM): readable back, not with another key, not edited', () => {
    const sealed = keys.encrypt('totp-secrets', 'JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.decrypt('totp-secrets', sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(keys.decrypt('oidc-state', sealed)).toBeNull();
    expect(keys.decrypt('totp-secrets', sealed.slice(0, -2) + 'AA')).toBeNull();
  });
});

describe('throttle policy', () => {
  it('free failures, then doubling delays, capped; a run ends after the reset period', () => {
    expect([1, 5, 6, 7, 8, 20, 100].map((n) => delayAfter(n, ACCOUNT_THROTTLE))).toEqual([0, 0, 1000, 2000, 4000, 15 * 60_000, 15 * 60_000]);
    const last = Date.parse('2026-11-16T16:00:00.000Z');
    const record = { key: 'k', failures: 7, lastFailureAt: '2026-11-16T16:00:00.000Z' };
    expect(blockedUntil(record, ACCOUNT_THROTTLE, last + 500)).toBe(last + 2000);
    expect(blockedUntil(record, ACCOUNT_THROTTLE, last + 2000)).toBe(0);
    expect(blockedUntil({ ...record, failures: 100 }, ACCOUNT_THROTTLE, last + 60 * 60_000)).toBe(0);
  });
});
