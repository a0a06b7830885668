import { Language, UserKind } from './events';

export type InviteUser = {
  type: 'InviteUser';
  userId: string;
  invitationId: string;
  kind: UserKind;
  email: string;
  name: string;
  /** staff: one or more staff roles; contacts: absent (they hold `customer`) */
  roles?: string[];
  customerId?: string | null;
  approver?: boolean;
  language: Language;
  /** how long the link works (configuration) */
  validForMinutes: number;
  /** looked up by the application: does the contact's customer exist? */
  facts: { customerExists: boolean };
};

/** The first administrator, from the one-time setup link: invited and accepted at once. */
export type SetUpAdministrator = {
  type: 'SetUpAdministrator';
  userId: string;
  invitationId: string;
  email: string;
  name: string;
  language: Language;
};

export type AcceptInvitation = {
  type: 'AcceptInvitation';
  userId: string;
  invitationId: string;
  method: 'password' | 'oidc';
  /** the person may correct the name they were invited with */
  name?: string;
};
export type RenewInvitation = { type: 'RenewInvitation'; userId: string; invitationId: string; validForMinutes: number };
export type ChangeUserRoles = { type: 'ChangeUserRoles'; userId: string; roles: string[]; reason: string };
export type GrantApprover = { type: 'GrantApprover'; userId: string; reason: string };
export type RevokeApprover = { type: 'RevokeApprover'; userId: string; reason: string };
export type DeactivateUser = { type: 'DeactivateUser'; userId: string; reason: string };
export type ReactivateUser = { type: 'ReactivateUser'; userId: string; reason: string };
export type RequestPasswordReset = { type: 'RequestPasswordReset'; userId: string; requestId: string; validForMinutes: number };
export type ChangeUserPreferences = { type: 'ChangeUserPreferences'; userId: string; language?: Language };

export type UserCommand =
  | InviteUser
  | SetUpAdministrator
  | AcceptInvitation
  | RenewInvitation
  | ChangeUserRoles
  | GrantApprover
  | RevokeApprover
  | DeactivateUser
  | ReactivateUser
  | RequestPasswordReset
  | ChangeUserPreferences;
