import * as jwt from 'jsonwebtoken';
import { VerifiedTokens, signToken } from '../../apps/api/src/http/auth';

/** The guard's cache of verified bearer tokens answers exactly as verifying every time would. */
describe('VerifiedTokens', () => {
  const secret = 'a-secret-of-at-least-sixteen-chars';
  const now = Date.now();

  it('verifies once and answers the same principal after; a token signed with another secret is refused every time', () => {
    const tokens = new VerifiedTokens(secret);
    const t = signToken(secret, 'ana', ['agent']);
    const first = tokens.verify(t, now);
    expect(first).toEqual({ id: 'ana', roles: ['agent'], via: 'token' });
    expect(tokens.verify(t, now + 1000)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
    const forged = signToken('another-secret-of-sixteen-chars', 'ana', ['admin']);
    expect(() => tokens.verify(forged, now)).toThrow();
    expect(() => tokens.verify(forged, now)).toThrow();
  });

  it("keeps the token's validity window: refused from its exp on, and before its nbf", () => {
    const tokens = new VerifiedTokens(secret);
    const iat = Math.floor(now / 1000);
    const t = jwt.sign({ sub: 'ana', roles: ['agent'], iat, exp: iat + 60 }, secret, { algorithm: 'HS256' });
    expect(tokens.verify(t, now).id).toBe('ana');
    const detail = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as { problemDoc: { detail: string } }).problemDoc.detail;
      }
      return 'accepted';
    };
    expect(detail(() => tokens.verify(t, (iat + 60) * 1000))).toBe('the token has expired');
    const later = jwt.sign({ sub: 'bea', roles: ['agent'], iat, nbf: iat + 3600, exp: iat + 7200 }, secret, { algorithm: 'HS256' });
    expect(detail(() => tokens.verify(later, now))).toMatch(/not active/);
    expect(tokens.verify(later, (iat + 3600) * 1000).id).toBe('bea');
  });

  it('stays bounded', () => {
    const tokens = new VerifiedTokens(secret, 3);
    const all = ['a', 'b', 'c', 'd'].map((sub) => signToken(secret, sub, ['agent']));
    for (const t of all) tokens.verify(t, now);
    expect((tokens as unknown as { entries: Map<string, unknown> }).entries.size).toBe(3);
    expect(tokens.verify(all[0], now).id).toBe('a');
  });
});
