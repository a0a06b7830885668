import { Decider, DecisionContext } from '../shared';
import { PolicyCommand } from './commands';
import { decideDeductMinutes } from './deduct-minutes';
import { PolicyEvent } from './events';
import { decideExpirePolicy, decideRecordPolicyExpiryApproaching } from './expire-policy';
import { decideRegisterPolicy } from './register-policy';
import { evolvePolicy, initialPolicyState, PolicyState } from './state';

export function decidePolicy(command: PolicyCommand, state: PolicyState, ctx: DecisionContext): PolicyEvent[] {
  switch (command.type) {
    case 'RegisterPolicy':
      return decideRegisterPolicy(command, state, ctx);
    case 'DeductMinutes':
      return decideDeductMinutes(command, state, ctx);
    case 'ExpirePolicy':
      return decideExpirePolicy(command, state, ctx);
    case 'RecordPolicyExpiryApproaching':
      return decideRecordPolicyExpiryApproaching(command, state, ctx);
  }
}

/** Policy aggregate, stream `policy-${policyId}`: the consistency boundary of its balance across tickets. */
export const policyDecider: Decider<PolicyCommand, PolicyState, PolicyEvent> = {
  initialState: initialPolicyState,
  evolve: evolvePolicy,
  decide: decidePolicy,
};
