/**
 * Links in messages. Console links: PUBLIC_URL + /tickets/<id> and the like. Invitation and
 * password-reset links carry a one-time token that is never stored: the identity module
 * records UserInvited / PasswordResetRequested without it, and the token is computed again
 * when the message is sent, as base64url(HMAC-SHA256(key, `${purpose}:${userId}:${nonceId}`))
 * with a key derived from the server secret.
 *
 * INTEGRATION POINT: once the identity branch is merged, `identityLinks` must use its exported
 * token function and accept routes (libs/identity or apps/api/src/identity); until then it
 * derives the token as described, with a key of its own.
 */
import { createHmac } from 'crypto';
import type { LinkBuilder } from '@helpdesk/notifications';

export interface IdentityLinks {
  invitation(userId: string, invitationId: string): string | null;
  passwordReset(userId: string, requestId: string): string | null;
}

export function linkToken(secret: string, purpose: 'invitation' | 'password-reset', userId: string, nonceId: string): string {
  const key = createHmac('sha256', secret).update('helpdesk:link-tokens:v1').digest();
  return createHmac('sha256', key).update(`${purpose}:${userId}:${nonceId}`).digest('base64url');
}

export function identityLinks(publicUrl: string, secret: string): IdentityLinks {
  return {
    invitation: (userId, invitationId) =>
      userId && invitationId ? `${publicUrl}/invitations/accept?token=${encodeURIComponent(linkToken(secret, 'invitation', userId, invitationId))}` : null,
    passwordReset: (userId, requestId) =>
      userId && requestId ? `${publicUrl}/password-reset?token=${encodeURIComponent(linkToken(secret, 'password-reset', userId, requestId))}` : null,
  };
}

export function linkBuilder(publicUrl: string, identity: IdentityLinks): LinkBuilder {
  return {
    console: (path) => `${publicUrl}${path.startsWith('/') ? path : `/${path}`}`,
    invitation: identity.invitation,
    passwordReset: identity.passwordReset,
  };
}
