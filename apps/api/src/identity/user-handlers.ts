import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandEnvelope, CommandPipeline } from '@helpdesk/application';
import {
  CustomerState,
  InviteUser,
  SetUpAdministrator,
  UserCommand,
  UserEvent,
  UserState,
  customerDecider,
  customerStreamId,
  userDecider,
  userStreamId,
} from '@helpdesk/domain';
import { IdentityService } from './identity.service';

export interface UserCommandOutcome {
  userId: string;
  version: number;
  position: number;
  events: UserEvent[];
  state: UserState;
}

/** An invitation: the user id and link id are chosen by the server. */
export class InviteUserMessage {
  constructor(
    readonly command: Omit<InviteUser, 'facts'>,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** The first administrator, from a setup link (checked by the caller). */
export class SetUpAdministratorMessage {
  constructor(
    readonly command: SetUpAdministrator,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** Any other command on one user's stream. */
export class UserCommandMessage {
  constructor(
    readonly userId: string,
    readonly command: Exclude<UserCommand, InviteUser | SetUpAdministrator>,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** commands after which the person's open sessions no longer match their rights */
const REVOKES: Partial<Record<UserCommand['type'], 'deactivated' | 'roles-changed' | 'approver-changed'>> = {
  DeactivateUser: 'deactivated',
  ChangeUserRoles: 'roles-changed',
  GrantApprover: 'approver-changed',
  RevokeApprover: 'approver-changed',
};

const outcome = (userId: string, r: { version: bigint; position: bigint; events: UserEvent[]; state: UserState }): UserCommandOutcome => ({
  userId,
  version: Number(r.version),
  position: Number(r.position),
  events: r.events,
  state: r.state,
});

@CommandHandler(InviteUserMessage)
export class InviteUserHandler implements ICommandHandler<InviteUserMessage, UserCommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly identity: IdentityService,
  ) {}

  async execute({ command, envelope }: InviteUserMessage): Promise<UserCommandOutcome> {
    const customerExists =
      command.kind === 'contact' && typeof command.customerId === 'string'
        ? (await this.pipeline.load<CustomerState, never>(customerStreamId(command.customerId), customerDecider as never)).state.registration !== null
        : false;
    const full: InviteUser = { ...command, facts: { customerExists } };
    const streamId = userStreamId(command.userId);
    const current = await this.pipeline.load(streamId, userDecider);
    // every rule first: a refused invitation appends nothing, not even the email claim
    const planned = userDecider.decide(full, current.state, { now: envelope.now, actor: envelope.actor });
    await this.identity.claimEmail((planned[0].data as { email: string }).email, command.userId, envelope);
    return outcome(command.userId, await this.pipeline.execute(streamId, userDecider, full, envelope));
  }
}

@CommandHandler(SetUpAdministratorMessage)
export class SetUpAdministratorHandler implements ICommandHandler<SetUpAdministratorMessage, UserCommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly identity: IdentityService,
  ) {}

  async execute({ command, envelope }: SetUpAdministratorMessage): Promise<UserCommandOutcome> {
    const streamId = userStreamId(command.userId);
    const current = await this.pipeline.load(streamId, userDecider);
    const planned = userDecider.decide(command, current.state, { now: envelope.now, actor: envelope.actor });
    await this.identity.claimEmail((planned[0].data as { email: string }).email, command.userId, envelope);
    return outcome(command.userId, await this.pipeline.execute(streamId, userDecider, command, envelope));
  }
}

/**
 * Deactivation and changes of roles or approver rights end the person's open sessions: once
 * before the change is appended (if the process dies after the append, no session survives
 * with the old rights) and again after it (a session begun in between had read the old ones).
 */
@CommandHandler(UserCommandMessage)
export class UserCommandHandler implements ICommandHandler<UserCommandMessage, UserCommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly identity: IdentityService,
  ) {}

  async execute({ userId, command, envelope }: UserCommandMessage): Promise<UserCommandOutcome> {
    const streamId = userStreamId(userId);
    const reason = REVOKES[command.type];
    let ended = 0;
    if (reason) {
      const current = await this.pipeline.load(streamId, userDecider);
      const planned = userDecider.decide(command, current.state, { now: envelope.now, actor: envelope.actor });
      if (planned.length > 0) ended = await this.identity.credentials.deleteSessionsOf(userId);
    }
    const r = await this.pipeline.execute(streamId, userDecider, command, envelope);
    if (reason && (r.events.length > 0 || ended > 0)) await this.identity.revokeSessions(userId, reason, envelope.actor, envelope.correlationId, ended);
    return outcome(userId, r);
  }
}

export const USER_COMMAND_HANDLERS = [InviteUserHandler, SetUpAdministratorHandler, UserCommandHandler];
