import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandEnvelope, CommandPipeline, CommandResult } from '@helpdesk/application';
import {
  Actor,
  CustomerState,
  DomainError,
  MinutesDeductedData,
  TicketCommand,
  TicketRules,
  TicketState,
  createTicketDecider,
  customerDecider,
  isSuspendedAt,
  policyDecider,
  policyStatusAt,
  PolicyState,
  topicDecider,
  topicKey,
  topicStreamId,
} from '@helpdesk/domain';
import { ReadStore } from '@helpdesk/read-store';
import { IdentityService } from '../identity/identity.service';
import { READ_STORE, TICKET_RULES } from '../infrastructure/tokens';
import {
  CommandOutcome,
  CustomerCommandMessage,
  IssueQuoteMessage,
  LogWorkMessage,
  OpenTicketMessage,
  PolicyCommandMessage,
  TicketCommandMessage,
} from './commands';

export const ticketStreamId = (id: string) => `ticket-${id}`;
export const customerStreamId = (id: string) => `customer-${id}`;
export const policyStreamId = (id: string) => `policy-${id}`;

const outcome = (id: string, r: CommandResult<unknown, unknown>): CommandOutcome => ({
  id,
  version: Number(r.version),
  position: Number(r.position),
  ...(r.replayed ? { replayed: true } : {}),
});

const isCustomer = (a: Actor) => a.roles.includes('customer');

/** A customer acting outside its own customer's tickets sees 404, as if the ticket did not exist. */
function assertTicketScope(actor: Actor, state: TicketState, ticketId: string): void {
  if (state.status === null || (isCustomer(actor) && state.customerId !== actor.customerId)) {
    throw new DomainError('not-found', 404, `ticket ${ticketId} not found`, { id: ticketId });
  }
}

/** The ticket decider bound to the preset in force (rules are not part of the stored command). */
@Injectable()
export class TicketDeciderProvider {
  readonly decider: ReturnType<typeof createTicketDecider>;
  constructor(@Inject(TICKET_RULES) readonly rules: TicketRules) {
    this.decider = createTicketDecider(rules);
  }
}

@CommandHandler(TicketCommandMessage)
export class TicketCommandHandler implements ICommandHandler<TicketCommandMessage, CommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tickets: TicketDeciderProvider,
    private readonly identity: IdentityService,
  ) {}

  async execute({ ticketId, command, envelope }: TicketCommandMessage): Promise<CommandOutcome> {
    const r = await this.pipeline.execute(
      ticketStreamId(ticketId),
      this.tickets.decider,
      async (state: TicketState) => {
        assertTicketScope(envelope.actor, state, ticketId);
        // a quote's answer: the contact's approver rights at this instant, read from their user stream
        if (command.type === 'AuthorizeService' && isCustomer(envelope.actor)) {
          return { ...command, approval: await this.identity.approvalOf(envelope.actor) };
        }
        return command;
      },
      envelope,
      command.type,
    );
    return outcome(ticketId, r);
  }
}

@CommandHandler(OpenTicketMessage)
export class OpenTicketHandler implements ICommandHandler<OpenTicketMessage, CommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tickets: TicketDeciderProvider,
  ) {}

  async execute({ command, envelope }: OpenTicketMessage): Promise<CommandOutcome> {
    const r = await this.pipeline.execute(
      ticketStreamId(command.ticketId),
      this.tickets.decider,
      async (state: TicketState) => {
        if (state.status !== null) {
          // the id is taken by another ticket: the domain answers id-reused
          return { ...command, facts: { customer: { exists: true } } };
        }
        const customer = await this.pipeline.load<CustomerState, never>(customerStreamId(command.customerId), customerDecider as never);
        const c = customer.state;
        const exists = c.registration !== null;
        const suspended = exists && isSuspendedAt(c, envelope.now);
        const facts = {
          customer: {
            exists,
            suspendedUntil: suspended ? (c.suspension?.endsAt ?? null) : null,
            suspendedPermanently: suspended && c.suspension?.endsAt === null,
            supportLevel: c.supportLevel ?? null,
            calendarId: c.registration?.calendarId ?? null,
          },
          existingOpenTicketId: null as string | null,
        };
        if (exists && !suspended) {
          // every other rule first: a refused command appends nothing, not even a topic claim
          this.tickets.decider.decide({ ...command, facts }, state, { now: envelope.now, actor: envelope.actor });
          // one ticket per topic: claim it (serialized per topic), or learn which open ticket holds it
          const key = topicKey(command.subject, command.product ?? null);
          try {
            await this.pipeline.execute(
              topicStreamId(command.customerId, key),
              topicDecider,
              async (topic) => ({
                type: 'ClaimTopic' as const,
                customerId: command.customerId,
                topicKey: key,
                ticketId: command.ticketId,
                facts: { currentClaimOpen: topic.claimedBy ? await this.isOpen(topic.claimedBy) : false },
              }),
              { ...envelope, idempotency: undefined, ifMatch: undefined },
              'ClaimTopic',
            );
          } catch (err) {
            if (err instanceof DomainError && err.code === 'duplicate-ticket') {
              facts.existingOpenTicketId = String(err.details.existingTicketId);
            } else throw err;
          }
        }
        return { ...command, facts };
      },
      envelope,
      'OpenTicket',
    );
    return outcome(command.ticketId, r);
  }

  private async isOpen(ticketId: string): Promise<boolean> {
    const t = await this.pipeline.load<TicketState, never>(ticketStreamId(ticketId), this.tickets.decider as never);
    return t.state.status !== null && t.state.status !== 'closed';
  }
}

@CommandHandler(IssueQuoteMessage)
export class IssueQuoteHandler implements ICommandHandler<IssueQuoteMessage, CommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tickets: TicketDeciderProvider,
    @Inject(READ_STORE) private readonly views: ReadStore,
  ) {}

  async execute({ ticketId, command, envelope }: IssueQuoteMessage): Promise<CommandOutcome> {
    const r = await this.pipeline.execute(
      ticketStreamId(ticketId),
      this.tickets.decider,
      async (state: TicketState) => {
        assertTicketScope(envelope.actor, state, ticketId);
        const activePolicyId = command.kind === 'policy-estimate' ? await this.activePolicyOf(state.customerId!, envelope.now) : null;
        return { ...command, facts: { activePolicyId } };
      },
      envelope,
      'IssueQuote',
    );
    return outcome(ticketId, r);
  }

  /**
   * The customer's policy to draw on: active now (from the event log, not a view), with
   * minutes left, the one that expires first. The policy view only lists candidate ids.
   */
  private async activePolicyOf(customerId: string, now: string): Promise<string | null> {
    const candidates = await this.views.find('policies', { filter: { customerId } });
    const active: Array<{ id: string; validUntil: string }> = [];
    for (const doc of candidates) {
      const p = await this.pipeline.load<PolicyState, never>(policyStreamId(doc._id), policyDecider as never);
      if (p.state.policy && policyStatusAt(p.state, now) === 'active') active.push({ id: doc._id, validUntil: p.state.policy.validUntil });
    }
    active.sort((a, b) => a.validUntil.localeCompare(b.validUntil));
    return active[0]?.id ?? null;
  }
}

/**
 * LogWork. Per-event work: one append to the ticket. Policy-backed work writes two streams:
 * first MinutesDeducted on the policy (the consistency boundary for its balance: deductions
 * from any ticket serialize there, each re-checked after a conflict), then the matching
 * WorkLogged on the ticket. If the process dies between the two, the policy holds the fact
 * and the ticket lacks its copy: the deduction repairer (projector) appends the WorkLogged
 * from the MinutesDeducted, idempotent by entryId, and a retry of the same request does too.
 */
@CommandHandler(LogWorkMessage)
export class LogWorkHandler implements ICommandHandler<LogWorkMessage, CommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tickets: TicketDeciderProvider,
  ) {}

  async execute({ ticketId, command, envelope }: LogWorkMessage): Promise<CommandOutcome> {
    const streamId = ticketStreamId(ticketId);
    const ticket = await this.pipeline.load<TicketState, never>(streamId, this.tickets.decider as never);
    assertTicketScope(envelope.actor, ticket.state, ticketId);
    const earlier = ticket.events.find((e) => e.metadata.idempotencyKey === envelope.idempotency?.key);
    if (earlier) {
      // same entry again: the pipeline answers as the first time (or 409 id-reused)
      return outcome(ticketId, await this.pipeline.execute(streamId, this.tickets.decider, command, envelope));
    }
    // decide on the ticket first: authorization-required, exceeds-authorization, ticket-closed, ...
    const planned = this.tickets.decider.decide(command, ticket.state, { now: envelope.now, actor: envelope.actor });
    const work = planned.find((e) => e.type === 'WorkLogged');
    const policyId = work && (work.data as { policyId?: string | null }).policyId;
    if (!work || !policyId) {
      return outcome(ticketId, await this.pipeline.execute(streamId, this.tickets.decider, command, envelope));
    }
    const authorization = ticket.state.billing.authorizations[(work.data as { authorizationId: string }).authorizationId];
    const deduction = await this.pipeline.execute(
      policyStreamId(policyId),
      policyDecider,
      {
        type: 'DeductMinutes',
        policyId,
        entryId: command.entryId,
        ticketId,
        authorizationId: authorization.authorizationId,
        authorizedMinutes: authorization.minutesAuthorized,
        minutes: command.minutes,
        workedOn: command.workedOn,
        engineerId: command.engineerId,
        description: command.description,
        kind: command.kind ?? 'remote',
        customerId: ticket.state.customerId!,
      },
      { ...envelope, idempotency: undefined, ifMatch: undefined },
    );
    const deducted = (deduction.state as PolicyState).deductions.get(command.entryId)!;
    if (process.env.HELPDESK_FAULT === 'exit-after-deduction') process.exit(86); // fault injection for the repair test
    const r = await this.pipeline.execute(streamId, this.tickets.decider, { type: 'RecordDeductedWork', ticketId, deduction: deducted }, envelope);
    return outcome(ticketId, r);
  }
}

/** Repairs a policy-backed work log whose ticket append was lost (see LogWorkHandler). */
export async function recordDeductedWork(
  pipeline: CommandPipeline,
  decider: ReturnType<typeof createTicketDecider>,
  deduction: MinutesDeductedData,
  envelope: CommandEnvelope,
): Promise<boolean> {
  const r = await pipeline.execute(
    ticketStreamId(deduction.ticketId),
    decider,
    { type: 'RecordDeductedWork', ticketId: deduction.ticketId, deduction } as TicketCommand,
    envelope,
  );
  return r.events.length > 0;
}

@CommandHandler(CustomerCommandMessage)
export class CustomerCommandHandler implements ICommandHandler<CustomerCommandMessage, CommandOutcome> {
  constructor(private readonly pipeline: CommandPipeline) {}
  async execute({ customerId, command, envelope }: CustomerCommandMessage): Promise<CommandOutcome> {
    return outcome(customerId, await this.pipeline.execute(customerStreamId(customerId), customerDecider, command, envelope));
  }
}

@CommandHandler(PolicyCommandMessage)
export class PolicyCommandHandler implements ICommandHandler<PolicyCommandMessage, CommandOutcome> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tickets: TicketDeciderProvider,
  ) {}
  async execute({ policyId, command, envelope }: PolicyCommandMessage): Promise<CommandOutcome> {
    if (command.type === 'RegisterPolicy') {
      const customer = await this.pipeline.load<CustomerState, never>(customerStreamId(command.customerId), customerDecider as never);
      if (!customer.state.registration) throw new DomainError('not-found', 404, `customer ${command.customerId} not found`, { id: command.customerId });
      command = { ...command, timeZone: command.timeZone ?? this.defaultZone() };
    }
    return outcome(policyId, await this.pipeline.execute(policyStreamId(policyId), policyDecider, command, envelope));
  }

  private defaultZone(): string {
    const preset = this.tickets.rules.preset;
    const first = Object.values(preset.calendars)[0];
    return first?.zone ?? 'UTC';
  }
}

export const COMMAND_HANDLERS = [
  TicketCommandHandler,
  OpenTicketHandler,
  IssueQuoteHandler,
  LogWorkHandler,
  CustomerCommandHandler,
  PolicyCommandHandler,
];
