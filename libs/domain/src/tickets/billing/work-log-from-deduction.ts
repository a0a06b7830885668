import { MinutesDeductedData } from '../../policies/events';
import { WorkLoggedData } from './events';

/**
 * The WorkLogged data matching a policy deduction, for a repair process that finds a
 * MinutesDeducted on a policy stream without the WorkLogged (same entryId) on its ticket.
 */
export function workLogFromDeduction(d: MinutesDeductedData): WorkLoggedData {
  return {
    ticketId: d.ticketId,
    entryId: d.entryId,
    authorizationId: d.authorizationId,
    minutes: d.minutes,
    workedOn: d.workedOn,
    engineerId: d.engineerId,
    description: d.description,
    kind: d.kind,
    policyId: d.policyId,
    chargeMinor: null,
    currency: null,
    loggedBy: d.deductedBy,
    loggedAt: d.deductedAt,
  };
}
