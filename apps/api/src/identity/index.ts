import { AuthController } from './auth.controller';
import { MeController } from './me.controller';
import { UsersController } from './users.controller';
import { AccessLog } from './access-log';
import { IdentityService } from './identity.service';
import { OidcService } from './oidc.service';
import { IdentityBootstrap } from './setup-link';
import { USER_COMMAND_HANDLERS } from './user-handlers';

export const IDENTITY_CONTROLLERS = [AuthController, MeController, UsersController];
export const IDENTITY_PROVIDERS = [AccessLog, IdentityService, OidcService, IdentityBootstrap, ...USER_COMMAND_HANDLERS];
