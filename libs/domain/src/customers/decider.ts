import { Decider, DecisionContext } from '../shared';
import { decideChangeSupportLevel } from './change-support-level';
import { CustomerCommand } from './commands';
import { CustomerEvent } from './events';
import { decideLiftSuspension } from './lift-suspension';
import { decideRegisterCustomer } from './register-customer';
import { CustomerState, evolveCustomer, initialCustomerState } from './state';
import { decideSuspendSupport } from './suspend-support';

export function decideCustomer(command: CustomerCommand, state: CustomerState, ctx: DecisionContext): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return decideRegisterCustomer(command, state, ctx);
    case 'SuspendSupport':
      return decideSuspendSupport(command, state, ctx);
    case 'LiftSuspension':
      return decideLiftSuspension(command, state, ctx);
    case 'ChangeSupportLevel':
      return decideChangeSupportLevel(command, state, ctx);
  }
}

/** Customer aggregate, stream `customer-${customerId}`. */
export const customerDecider: Decider<CustomerCommand, CustomerState, CustomerEvent> = {
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: decideCustomer,
};
