import { DecisionContext } from '../../shared';
import { BillingTicket, RecordDeductedWork } from './commands';
import { BillingEvent } from './events';
import { BillingState } from './state';
import { workLogFromDeduction } from './work-log-from-deduction';

/**
 * The ticket side of a policy-backed work log: records on the ticket the WorkLogged that
 * matches a MinutesDeducted already on the policy stream. The deduction is the decided fact
 * (the policy is the consistency boundary for its balance), so this never refuses; it is
 * idempotent by entryId, and is what both the LogWork handler and the repair process run.
 * The command's type lives in commands.ts with the other billing commands.
 */
export function decideRecordDeductedWork(
  command: RecordDeductedWork,
  _ticket: BillingTicket,
  billing: BillingState,
  _ctx: DecisionContext,
): BillingEvent[] {
  if (billing.workLogs[command.deduction.entryId]) return [];
  return [{ type: 'WorkLogged', data: workLogFromDeduction(command.deduction) }];
}
