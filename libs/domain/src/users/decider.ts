import { Decider, DecisionContext } from '../shared';
import { decideAcceptInvitation } from './accept-invitation';
import { decideGrantApprover, decideRevokeApprover } from './approver-rights';
import { decideChangeUserPreferences } from './change-preferences';
import { decideChangeUserRoles } from './change-user-roles';
import { UserCommand } from './commands';
import { decideDeactivateUser, decideReactivateUser } from './deactivation';
import { UserEvent } from './events';
import { decideInviteUser } from './invite-user';
import { decideRequestPasswordReset } from './password-reset';
import { decideRenewInvitation } from './renew-invitation';
import { decideSetUpAdministrator } from './set-up-administrator';
import { UserState, evolveUser, initialUserState } from './state';

export function decideUser(command: UserCommand, state: UserState, ctx: DecisionContext): UserEvent[] {
  switch (command.type) {
    case 'InviteUser':
      return decideInviteUser(command, state, ctx);
    case 'SetUpAdministrator':
      return decideSetUpAdministrator(command, state, ctx);
    case 'AcceptInvitation':
      return decideAcceptInvitation(command, state, ctx);
    case 'RenewInvitation':
      return decideRenewInvitation(command, state, ctx);
    case 'ChangeUserRoles':
      return decideChangeUserRoles(command, state, ctx);
    case 'GrantApprover':
      return decideGrantApprover(command, state, ctx);
    case 'RevokeApprover':
      return decideRevokeApprover(command, state, ctx);
    case 'DeactivateUser':
      return decideDeactivateUser(command, state, ctx);
    case 'ReactivateUser':
      return decideReactivateUser(command, state, ctx);
    case 'RequestPasswordReset':
      return decideRequestPasswordReset(command, state, ctx);
    case 'ChangeUserPreferences':
      return decideChangeUserPreferences(command, state, ctx);
  }
}

/** User aggregate, stream `user-${userId}`. */
export const userDecider: Decider<UserCommand, UserState, UserEvent> = {
  initialState: initialUserState,
  evolve: evolveUser,
  decide: decideUser,
};
