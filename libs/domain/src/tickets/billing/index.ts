export type {
  BillingEvent,
  QuoteIssued,
  QuoteIssuedData,
  ServiceAuthorized,
  ServiceAuthorizedData,
  QuoteDeclined,
  QuoteDeclinedData,
  WorkLogged,
  WorkLoggedData,
  QuoteTerms,
  QuoteKind,
  ApprovalRecord,
} from './events';
export { isBillingEvent, QUOTE_KINDS } from './events';
export type { BillingCommand, IssueQuote, AuthorizeService, LogWork, BillingTicket, RecordDeductedWork } from './commands';
export { isBillingCommand } from './commands';
export type { BillingState, BillingQuote, BillingAuthorization, QuoteStatus } from './state';
export { initialBillingState, evolveBilling, pendingQuote } from './state';
export { decideBilling } from './decide';
export { workLogFromDeduction } from './work-log-from-deduction';
export { priceForMinutes, chargeForEntry } from './money';
export * from './record-deducted-work';
