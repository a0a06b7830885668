/**
 * `customers` read model: name, support level, calendar and the latest suspension not
 * lifted (folded with the domain's `evolveCustomer`; whether it is still in force is
 * decided at query time with `isSuspendedAt`).
 */
import { evolveCustomer, initialCustomerState, normalizeText } from '@helpdesk/domain';
import type { CustomerEvent, CustomerState, SupportLevel, SupportSuspendedData } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { COLLECTIONS, domainEvent, occurredAt, streamEntityId, utcIso } from './common';

export const CUSTOMER_EVENT_TYPES = ['CustomerRegistered', 'SupportSuspended', 'SupportReinstated', 'SupportLevelChanged'] as const;

export interface CustomerDoc extends Doc, CustomerFields {
  state: CustomerState;
}

export interface CustomerFields {
  customerId: string;
  name: string | null;
  /** the name normalized for search and sorting (accents stripped, lower case); absent in documents from before it */
  nameKey?: string | null;
  supportLevel: SupportLevel | null;
  calendarId: string | null;
  registeredAt: string | null;
  /** the latest suspension not lifted (it may have run out by time) */
  suspension: SupportSuspendedData | null;
  version: number;
  lastPosition: number;
  updatedAt: string;
}

export function applyCustomerEvent(doc: CustomerDoc | null, event: LeanStoredEvent): CustomerDoc {
  const customerId = (event.data.customerId as string | undefined) ?? streamEntityId(event, 'customer-');
  const state = evolveCustomer(doc?.state ?? initialCustomerState(), domainEvent<CustomerEvent>(event));
  return {
    _id: customerId,
    customerId,
    name: state.registration?.name ?? null,
    nameKey: state.registration ? normalizeText(state.registration.name) : null,
    supportLevel: state.supportLevel,
    calendarId: state.registration?.calendarId ?? null,
    registeredAt: utcIso(state.registration?.registeredAt),
    suspension: state.suspension,
    state,
    version: Number(event.version),
    lastPosition: Number(event.position),
    updatedAt: occurredAt(event),
  };
}

export const customersProjection: Projection = {
  name: 'customers',
  collections: [{ name: COLLECTIONS.customers, indexes: [{ fields: [['name', 1]] }, { fields: [['nameKey', 1]] }] }],
  handles: new Set<string>(CUSTOMER_EVENT_TYPES),
  async apply(event, ctx) {
    if (!event.streamId.startsWith('customer-')) return;
    const customerId = (event.data.customerId as string | undefined) ?? streamEntityId(event, 'customer-');
    await ctx.update<CustomerDoc>(COLLECTIONS.customers, customerId, (doc) => applyCustomerEvent(doc, event));
  },
};
