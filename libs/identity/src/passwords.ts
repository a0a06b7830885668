/**
 * Password hashing and the password policy.
 *
 * Hashes: scrypt (node:crypto) with OWASP's parameters N=2^17, r=8, p=1 (128 MiB, see the
 * OWASP Password Storage Cheat Sheet), a 16-byte random salt and a 32-byte key, stored as a
 * PHC-like string `$scrypt$ln=17,r=8,p=1$<salt>$<key>` (base64 without padding), so the
 * parameters can be raised later: a hash made with weaker ones is re-made at the next
 * successful sign-in (`needsRehash`). At most two hashes are computed at once (128 MiB each),
 * the others wait their turn.
 *
 * Policy: at least 12 characters (at most 256), not one of the common passwords shipped in
 * config/ (49k entries from @zxcvbn-ts/language-common, MIT, plus Spanish ones), also not
 * when only digits or symbols were added around one, not one character repeated, and not
 * the person's email or its name part.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export interface ScryptParams {
  /** log2 of N */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { ln: 17, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_CONCURRENT = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  const maxmem = 128 * N * params.r * params.p + 64 * 1024 * 1024;
  return limited(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password.normalize('NFKC'), salt, KEY_BYTES, { N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export function parseHash(hash: string): (ScryptParams & { salt: Buffer; key: Buffer }) | null {
  const m = PHC.exec(hash);
  if (!m) return null;
  return { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]), salt: Buffer.from(m[4], 'base64'), key: Buffer.from(m[5], 'base64') };
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** true when the hash was made with weaker parameters than `params` */
export function needsRehash(hash: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(hash);
  return !parsed || parsed.ln < params.ln || parsed.r < params.r || parsed.p < params.p;
}

/**
 * A hash of a random password with the given parameters: an unknown email (or a person
 * without a password) is checked against it, so it costs the same time as a wrong password.
 */
export class DummyHash {
  private hash: Promise<string> | null = null;
  constructor(private readonly params: ScryptParams) {}
  get(): Promise<string> {
    this.hash ??= hashPassword(randomBytes(24).toString('base64'), this.params);
    return this.hash;
  }
}

// ------------------------------------------------------------------ policy

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** the nearest config/ holding the lists, up from here or from the working directory */
export function defaultConfigDir(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'config', 'common-passwords.txt'))) return path.join(dir, 'config');
      if (path.dirname(dir) === dir) break;
    }
  }
  return path.resolve(process.cwd(), 'config');
}

export class PasswordPolicy {
  private constructor(private readonly common: ReadonlySet<string>) {}

  /** the lists shipped in config/ (common-passwords.txt, common-passwords-es.txt) */
  static load(configDir = defaultConfigDir()): PasswordPolicy {
    const words = new Set<string>();
    for (const file of ['common-passwords.txt', 'common-passwords-es.txt']) {
      const full = path.join(configDir, file);
      if (!fs.existsSync(full)) throw new Error(`the common-password list ${full} is missing`);
      for (const line of fs.readFileSync(full, 'utf8').split(/\r?\n/)) {
        const w = line.trim().toLowerCase();
        if (w) words.add(w);
      }
    }
    return new PasswordPolicy(words);
  }

  get size(): number {
    return this.common.size;
  }

  /** why the password is refused, or null when it is acceptable */
  weakness(password: string, context: { email?: string | null; name?: string | null } = {}): string | null {
    const length = [...password].length;
    if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
    if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
    const lower = password.normalize('NFKC').toLowerCase();
    if (new Set(lower).size <= 2) return 'is too repetitive';
    const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
    if (this.common.has(lower) || (core.length > 0 && this.common.has(core))) return 'is a commonly used password';
    if (core.length > 0 && /^(.{1,4})\1+$/u.test(core) && this.common.has(core.match(/^(.{1,4})\1+$/u)![1])) return 'is a commonly used password';
    const email = context.email?.toLowerCase();
    if (email && (lower.includes(email) || (email.split('@')[0].length >= 4 && core === email.split('@')[0]))) return 'must not be your email address';
    const name = context.name?.toLowerCase().replace(/\s+/g, '');
    if (name && name.length >= 4 && core.replace(/\s+/g, '') === name) return 'must not be your name';
    if (/^\d+$/.test(lower)) return 'must not be only digits';
    return null;
  }
}
