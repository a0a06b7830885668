export {
  EventStoreDbEventStore,
  EventStoreDbSubscription,
  DEFAULT_MAX_APPENDS_IN_FLIGHT,
  DEFAULT_SUBSCRIPTION_BATCH_SIZE,
  type EventStoreDbOptions,
  type EventStoreDbClientLike,
} from './eventstoredb-event-store';
export { Semaphore } from './semaphore';
export {
  toExpectedRevision,
  toActualVersion,
  toReadPosition,
  toStoredEvent,
  mapClientError,
  isSystemEvent,
} from './mapping';
