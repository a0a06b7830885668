import { SupportLevel, SuspensionReason } from './events';

export type RegisterCustomer = {
  type: 'RegisterCustomer';
  customerId: string;
  name: string;
  supportLevel?: SupportLevel;
  calendarId?: string;
};

export type SuspendSupport = {
  type: 'SuspendSupport';
  customerId: string;
  reason: SuspensionReason;
  detail: string;
  /** 'YYYY-MM-DD' (suspended through that date, UTC) or an ISO instant; absent = permanent */
  until?: string;
};

export type LiftSuspension = {
  type: 'LiftSuspension';
  customerId: string;
  reason?: string;
};

export type ChangeSupportLevel = {
  type: 'ChangeSupportLevel';
  customerId: string;
  supportLevel: SupportLevel;
  /** why the level changes (recorded; the API requires it) */
  reason?: string;
};

export type CustomerCommand = RegisterCustomer | SuspendSupport | LiftSuspension | ChangeSupportLevel;
