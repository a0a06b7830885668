export * from './events';
export * from './commands';
export type { UserState, UserStatus } from './state';
export { initialUserState, evolveUser, linkValidAt } from './state';
export { normalizeEmail, requireEmail } from './rules';
export { invitationExpired, invitationUsed } from './accept-invitation';
export { userDecider, decideUser } from './decider';
export * from './email-claim';
export * from './access';
