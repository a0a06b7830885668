import { DomainEvent } from '../shared';

/**
 * People: staff (several roles each) and customers' contacts (role `customer`, one customer,
 * optionally approvers). Their lifecycle is recorded on `user-<userId>`. No password, hash,
 * token, session or second-factor secret ever goes into these events: credentials live in
 * the credential store (libs/identity). One-time links are rebuilt from the ids recorded
 * here (`invitationId`, `requestId`) with a server key, never stored.
 */
export const USER_KINDS = ['staff', 'contact'] as const;
export type UserKind = (typeof USER_KINDS)[number];

export const USER_STAFF_ROLES = ['agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;
export type StaffRole = (typeof USER_STAFF_ROLES)[number];
/** a contact holds exactly this role */
export const CONTACT_ROLE = 'customer';

export const LANGUAGES = ['es-MX', 'es-CO', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const userStreamId = (userId: string) => `user-${userId}`;

export type UserInvitedData = {
  userId: string;
  /** the one-time link's nonce: the link is HMAC(key, invitation:<userId>:<invitationId>) */
  invitationId: string;
  kind: UserKind;
  /** normalized: trimmed, lower case */
  email: string;
  name: string;
  /** sorted; a contact's are ['customer'] */
  roles: string[];
  /** contacts only */
  customerId: string | null;
  /** contacts only: may accept or decline quotes */
  approver: boolean;
  language: Language;
  /** the invitation link works until then (UTC) */
  expiresAt: string;
  invitedBy: string;
  invitedAt: string;
};

export type InvitationAcceptedData = {
  userId: string;
  invitationId: string;
  /** how the person proved it: a password set through the link, single sign-on, or the first-start setup */
  method: 'password' | 'oidc' | 'setup';
  /** the name as the person corrected it on accepting, null when unchanged */
  name: string | null;
  at: string;
};

export type InvitationRenewedData = {
  userId: string;
  /** the new link's nonce; the earlier links stop working */
  invitationId: string;
  expiresAt: string;
  by: string;
  at: string;
};

export type UserRolesChangedData = { userId: string; from: string[]; to: string[]; reason: string; by: string; at: string };
export type ApproverGrantedData = { userId: string; customerId: string; reason: string; by: string; at: string };
export type ApproverRevokedData = { userId: string; customerId: string; reason: string; by: string; at: string };
export type UserDeactivatedData = { userId: string; reason: string; by: string; at: string };
export type UserReactivatedData = { userId: string; reason: string; by: string; at: string };

export type PasswordResetRequestedData = {
  userId: string;
  /** the reset link's nonce: HMAC(key, password-reset:<userId>:<requestId>) */
  requestId: string;
  expiresAt: string;
  at: string;
};

export type UserPreferencesChangedData = { userId: string; language: Language; by: string; at: string };

export type UserInvited = DomainEvent<'UserInvited', UserInvitedData>;
export type InvitationAccepted = DomainEvent<'InvitationAccepted', InvitationAcceptedData>;
export type InvitationRenewed = DomainEvent<'InvitationRenewed', InvitationRenewedData>;
export type UserRolesChanged = DomainEvent<'UserRolesChanged', UserRolesChangedData>;
export type ApproverGranted = DomainEvent<'ApproverGranted', ApproverGrantedData>;
export type ApproverRevoked = DomainEvent<'ApproverRevoked', ApproverRevokedData>;
export type UserDeactivated = DomainEvent<'UserDeactivated', UserDeactivatedData>;
export type UserReactivated = DomainEvent<'UserReactivated', UserReactivatedData>;
export type PasswordResetRequested = DomainEvent<'PasswordResetRequested', PasswordResetRequestedData>;
export type UserPreferencesChanged = DomainEvent<'UserPreferencesChanged', UserPreferencesChangedData>;

export type UserEvent =
  | UserInvited
  | InvitationAccepted
  | InvitationRenewed
  | UserRolesChanged
  | ApproverGranted
  | ApproverRevoked
  | UserDeactivated
  | UserReactivated
  | PasswordResetRequested
  | UserPreferencesChanged;

export const USER_EVENT_TYPES: ReadonlyArray<UserEvent['type']> = [
  'UserInvited',
  'InvitationAccepted',
  'InvitationRenewed',
  'UserRolesChanged',
  'ApproverGranted',
  'ApproverRevoked',
  'UserDeactivated',
  'UserReactivated',
  'PasswordResetRequested',
  'UserPreferencesChanged',
];
