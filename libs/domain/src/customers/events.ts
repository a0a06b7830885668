import { DomainEvent } from '../shared';

export type SupportLevel = 1 | 2 | 3;
export const SUSPENSION_REASONS = ['abusive-language', 'pressure', 'false-report', 'other'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export const customerStreamId = (customerId: string) => `customer-${customerId}`;

export type CustomerRegisteredData = {
  customerId: string;
  name: string;
  /** service tier (seed 004); null when the preset does not use tiers */
  supportLevel: SupportLevel | null;
  calendarId: string | null;
  registeredBy: string;
  registeredAt: string;
};

export type SupportSuspendedData = {
  customerId: string;
  reason: SuspensionReason;
  detail: string;
  /** the `until` as given by the command (a date or an instant), null = permanent */
  until: string | null;
  /**
   * first instant (UTC) at which support is available again; null = permanent.
   * A date-only `until` means "suspended through that date": it ends at the next
   * day's 00:00 UTC.
   */
  endsAt: string | null;
  suspendedBy: string;
  suspendedAt: string;
};

export type SupportReinstatedData = {
  customerId: string;
  reason: string | null;
  reinstatedBy: string;
  reinstatedAt: string;
};

export type SupportLevelChangedData = {
  customerId: string;
  from: SupportLevel | null;
  to: SupportLevel;
  /** why; absent in events recorded before the reason was asked for */
  reason?: string | null;
  changedBy: string;
  changedAt: string;
};

export type CustomerRegistered = DomainEvent<'CustomerRegistered', CustomerRegisteredData>;
export type SupportSuspended = DomainEvent<'SupportSuspended', SupportSuspendedData>;
export type SupportReinstated = DomainEvent<'SupportReinstated', SupportReinstatedData>;
export type SupportLevelChanged = DomainEvent<'SupportLevelChanged', SupportLevelChangedData>;

export type CustomerEvent = CustomerRegistered | SupportSuspended | SupportReinstated | SupportLevelChanged;
