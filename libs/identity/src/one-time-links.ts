/**
 * One-time links without secrets in events. A link's token is
 *   `<subject>.<nonceId>.<base64url(HMAC-SHA256(key, "<purpose>:<subject>:<nonceId>"))>`
 * where the key is derived from the server secret (secrets.ts, use 'one-time-links'), the
 * subject is the userId (or `setup`), and the nonce is the id recorded in the event that
 * created the link (UserInvited/InvitationRenewed `invitationId`, PasswordResetRequested
 * `requestId`) or, for setup links, in the credential store. Whether a link still works
 * (expiry, replaced, used) comes from the user's stream and the credential store; the token
 * only proves the server made it. Anyone holding the secret and the event can rebuild the
 * link (the notifications process does, to e-mail it).
 *
 * Pages of the web console the links open:
 *   invitation       <PUBLIC_URL>/invitation?token=...
 *   password-reset   <PUBLIC_URL>/password-reset?token=...
 *   setup            <PUBLIC_URL>/setup?token=...
 */
import { IdentityKeys, safeEqual } from './secrets';

export type LinkPurpose = 'invitation' | 'password-reset' | 'setup';

export const LINK_PATHS: Record<LinkPurpose, string> = {
  invitation: '/invitation',
  'password-reset': '/password-reset',
  setup: '/setup',
};

const PART = /^[A-Za-z0-9-]{1,100}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

export function linkToken(keys: IdentityKeys, purpose: LinkPurpose, subject: string, nonceId: string): string {
  if (!PART.test(subject) || !PART.test(nonceId)) throw new TypeError('link subjects and nonces are ids of letters, digits and dashes');
  return `${subject}.${nonceId}.${keys.mac('one-time-links', `${purpose}:${subject}:${nonceId}`)}`;
}

/** the subject and nonce of a token the server made for `purpose`, or null */
export function readLinkToken(keys: IdentityKeys, purpose: LinkPurpose, token: unknown): { subject: string; nonceId: string } | null {
  if (typeof token !== 'string' || token.length > 300) return null;
  const [subject, nonceId, mac, extra] = token.split('.');
  if (extra !== undefined || !subject || !nonceId || !mac || !PART.test(subject) || !PART.test(nonceId) || !MAC.test(mac)) return null;
  const expected = keys.mac('one-time-links', `${purpose}:${subject}:${nonceId}`);
  return safeEqual(mac, expected) ? { subject, nonceId } : null;
}

export function linkUrl(publicUrl: string, purpose: LinkPurpose, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${LINK_PATHS[purpose]}?token=${encodeURIComponent(token)}`;
}

/** the invitation link for a UserInvited / InvitationRenewed event (for notifications) */
export function invitationLink(publicUrl: string, secret: string, userId: string, invitationId: string): string {
  return linkUrl(publicUrl, 'invitation', linkToken(new IdentityKeys(secret), 'invitation', userId, invitationId));
}

/** the reset link for a PasswordResetRequested event (for notifications) */
export function passwordResetLink(publicUrl: string, secret: string, userId: string, requestId: string): string {
  return linkUrl(publicUrl, 'password-reset', linkToken(new IdentityKeys(secret), 'password-reset', userId, requestId));
}
