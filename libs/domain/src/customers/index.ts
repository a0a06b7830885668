export * from './events';
export * from './commands';
export type { CustomerState } from './state';
export { initialCustomerState, evolveCustomer, isSuspendedAt } from './state';
export { decideRegisterCustomer } from './register-customer';
export { decideSuspendSupport } from './suspend-support';
export { decideLiftSuspension } from './lift-suspension';
export { decideChangeSupportLevel } from './change-support-level';
export { customerDecider, decideCustomer } from './decider';
