/**
 * Keys for identity, derived with HKDF-SHA256 from one server secret (AUTH_SECRET, or
 * JWT_SECRET when AUTH_SECRET is not set), one key per use, so a key of one use never
 * serves another. Changing the secret invalidates every outstanding one-time link and makes
 * stored TOTP secrets unreadable (people enrol again).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'crypto';

export type KeyUse = 'one-time-links' | 'totp-secrets' | 'oidc-state';

export class IdentityKeys {
  private readonly cache = new Map<KeyUse, Buffer>();
  constructor(private readonly secret: string) {
    if (!secret || secret.length < 16) throw new Error('the identity secret must be at least 16 characters');
  }

  key(use: KeyUse): Buffer {
    let k = this.cache.get(use);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', Buffer.from(this.secret, 'utf8'), Buffer.from('helpdesk-identity-v1'), Buffer.from(use), 32));
      this.cache.set(use, k);
    }
    return k;
  }

  mac(use: KeyUse, text: string): string {
    return createHmac('sha256', this.key(use)).update(text).digest('base64url');
  }

  /** AES-256-GCM; `v1.<iv>.<ciphertext>.<tag>` in base64url */
  encrypt(use: KeyUse, plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(use), iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  decrypt(use: KeyUse, sealed: string): string | null {
    const [v, iv, ct, tag] = sealed.split('.');
    if (v !== 'v1' || !iv || ct === undefined || !tag) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key(use), Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
