import { instantMs } from '../policies/values';
import { Language, UserEvent, UserKind } from './events';

export type UserStatus = 'invited' | 'active' | 'deactivated';

export type UserState = {
  /** null until invited */
  userId: string | null;
  kind: UserKind | null;
  email: string | null;
  name: string | null;
  customerId: string | null;
  status: UserStatus | null;
  roles: string[];
  approver: boolean;
  language: Language | null;
  invitedAt: string | null;
  invitedBy: string | null;
  /** the link that works now (null once accepted) */
  invitation: { invitationId: string; expiresAt: string } | null;
  /** every invitation id accepted (one, in practice): a used link answers invitation-used */
  acceptedInvitationId: string | null;
  activatedAt: string | null;
  deactivatedAt: string | null;
  /** the latest password-reset request; earlier links stop working */
  passwordReset: { requestId: string; expiresAt: string } | null;
};

export const initialUserState = (): UserState => ({
  userId: null,
  kind: null,
  email: null,
  name: null,
  customerId: null,
  status: null,
  roles: [],
  approver: false,
  language: null,
  invitedAt: null,
  invitedBy: null,
  invitation: null,
  acceptedInvitationId: null,
  activatedAt: null,
  deactivatedAt: null,
  passwordReset: null,
});

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserInvited': {
      const d = event.data;
      return {
        ...state,
        userId: d.userId,
        kind: d.kind,
        email: d.email,
        name: d.name,
        customerId: d.customerId,
        status: 'invited',
        roles: d.roles,
        approver: d.approver,
        language: d.language,
        invitedAt: d.invitedAt,
        invitedBy: d.invitedBy,
        invitation: { invitationId: d.invitationId, expiresAt: d.expiresAt },
      };
    }
    case 'InvitationAccepted':
      return {
        ...state,
        status: state.status === 'deactivated' ? state.status : 'active',
        name: event.data.name ?? state.name,
        invitation: null,
        acceptedInvitationId: event.data.invitationId,
        activatedAt: state.activatedAt ?? event.data.at,
      };
    case 'InvitationRenewed':
      return { ...state, invitation: { invitationId: event.data.invitationId, expiresAt: event.data.expiresAt } };
    case 'UserRolesChanged':
      return { ...state, roles: event.data.to };
    case 'ApproverGranted':
      return { ...state, approver: true };
    case 'ApproverRevoked':
      return { ...state, approver: false };
    case 'UserDeactivated':
      return { ...state, status: 'deactivated', deactivatedAt: event.data.at, passwordReset: null };
    case 'UserReactivated':
      return { ...state, status: state.activatedAt ? 'active' : 'invited', deactivatedAt: null };
    case 'PasswordResetRequested':
      return { ...state, passwordReset: { requestId: event.data.requestId, expiresAt: event.data.expiresAt } };
    case 'UserPreferencesChanged':
      return { ...state, language: event.data.language };
    default:
      return state;
  }
}

/** whether a link that expires at `expiresAt` still works at `now` */
export function linkValidAt(expiresAt: string, now: string): boolean {
  return instantMs(now) < instantMs(expiresAt);
}
