import { DecisionContext } from '../../shared';
import { decideAuthorizeService } from './authorize-service';
import { BillingCommand, BillingTicket } from './commands';
import { BillingEvent } from './events';
import { decideIssueQuote } from './issue-quote';
import { decideLogWork } from './log-work';
import { decideRecordDeductedWork } from './record-deducted-work';
import { BillingState } from './state';

/** The billing part of the ticket aggregate; the ticket lifecycle composes it. */
export function decideBilling(command: BillingCommand, ticket: BillingTicket, billing: BillingState, ctx: DecisionContext): BillingEvent[] {
  switch (command.type) {
    case 'IssueQuote':
      return decideIssueQuote(command, ticket, billing, ctx);
    case 'AuthorizeService':
      return decideAuthorizeService(command, ticket, billing, ctx);
    case 'LogWork':
      return decideLogWork(command, ticket, billing, ctx);
    case 'RecordDeductedWork':
      return decideRecordDeductedWork(command, ticket, billing, ctx);
  }
}
