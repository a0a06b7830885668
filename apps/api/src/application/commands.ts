import { CommandEnvelope } from '@helpdesk/application';
import { CustomerCommand, PolicyCommand, TicketCommand } from '@helpdesk/domain';

type WithoutRules<C> = C extends unknown ? Omit<C, 'rules'> : never;
export type TicketCommandInput = WithoutRules<TicketCommand>;

/** A command on one ticket (everything but opening, quoting and logging work, which have their own handlers). */
export class TicketCommandMessage {
  constructor(
    readonly ticketId: string,
    readonly command: TicketCommandInput,
    readonly envelope: CommandEnvelope,
  ) {}
}

export class OpenTicketMessage {
  constructor(
    readonly command: Extract<TicketCommandInput, { type: 'OpenTicket' }>,
    readonly envelope: CommandEnvelope,
  ) {}
}

export class IssueQuoteMessage {
  constructor(
    readonly ticketId: string,
    readonly command: Extract<TicketCommandInput, { type: 'IssueQuote' }>,
    readonly envelope: CommandEnvelope,
  ) {}
}

export class LogWorkMessage {
  constructor(
    readonly ticketId: string,
    readonly command: Extract<TicketCommandInput, { type: 'LogWork' }>,
    readonly envelope: CommandEnvelope,
  ) {}
}

export class CustomerCommandMessage {
  constructor(
    readonly customerId: string,
    readonly command: CustomerCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

export class PolicyCommandMessage {
  constructor(
    readonly policyId: string,
    readonly command: PolicyCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** What every command answers (api.md): the stream version it produced and the global position of its last event. */
export interface CommandOutcome {
  id: string;
  version: number;
  position: number;
  replayed?: boolean;
}
