/**
 * Links in messages. Console links: PUBLIC_URL + /tickets/<id> and the like. Invitation and
 * password-reset links carry a one-time token that is never stored: the identity module
 * records UserInvited / InvitationRenewed / PasswordResetRequested with the link's nonce only,
 * and the token is rebuilt here, when the message is sent, with identity's own function and
 * the server secret (libs/identity/src/one-time-links.ts).
 */
import { invitationLink, passwordResetLink } from '@helpdesk/identity';
import type { LinkBuilder } from '@helpdesk/notifications';

export interface IdentityLinks {
  invitation(userId: string, invitationId: string): string | null;
  passwordReset(userId: string, requestId: string): string | null;
}

/** null when the ids cannot make a link (the identity module refuses other ids) */
const orNull = (make: () => string): string | null => {
  try {
    return make();
  } catch {
    return null;
  }
};

export function identityLinks(publicUrl: string, secret: string): IdentityLinks {
  return {
    invitation: (userId, invitationId) => orNull(() => invitationLink(publicUrl, secret, userId, invitationId)),
    passwordReset: (userId, requestId) => orNull(() => passwordResetLink(publicUrl, secret, userId, requestId)),
  };
}

export function linkBuilder(publicUrl: string, identity: IdentityLinks): LinkBuilder {
  return {
    console: (path) => `${publicUrl}${path.startsWith('/') ? path : `/${path}`}`,
    invitation: identity.invitation,
    passwordReset: identity.passwordReset,
  };
}
