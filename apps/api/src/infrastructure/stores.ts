import * as fs from 'fs';
import * as path from 'path';
import { EventStore, SqliteEventStore } from '@helpdesk/event-store';
import { MongoReadStore, ReadStore, SqliteReadStore } from '@helpdesk/read-store';
import { AppConfig } from '../config';

/** Opens the configured event store: the embedded SQLite file under DATA_DIR, or EventStoreDB. */
export async function openEventStore(config: AppConfig, options: { readOnly?: boolean } = {}): Promise<EventStore> {
  if (config.eventStore === 'eventstoredb') {
    // loaded only when selected: the gRPC client is heavy
    const { EventStoreDbEventStore } = await import('@helpdesk/event-store/eventstoredb');
    const store = EventStoreDbEventStore.connect(config.eventStoreUrl!);
    await store.ping();
    return store;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return SqliteEventStore.open(path.join(config.dataDir, 'events.db'), options);
}

/**
 * Opens the configured read store. The embedded one is a SQLite file beside the event store:
 * durable across restarts (the projector resumes from its checkpoint, no full replay), with
 * each page of projected documents and its checkpoint committed in one transaction.
 */
export async function openReadStore(config: AppConfig, file = 'views.db'): Promise<ReadStore> {
  if (config.readStore === 'mongodb') return MongoReadStore.connect(config.mongoUrl!);
  fs.mkdirSync(config.dataDir, { recursive: true });
  return SqliteReadStore.open(path.join(config.dataDir, file));
}
