import * as fs from 'fs';
import * as path from 'path';
import { EventStore, SqliteEventStore, SqliteEventStoreOptions } from '@helpdesk/event-store';
import { CredentialStore, MongoCredentialStore, SqliteCredentialStore } from '@helpdesk/identity';
import { openReadStoreAt, ReadStore, ReadStoreLocation } from '@helpdesk/read-store';
import { AppConfig } from '../config';

/**
 * Opens the configured event store: the embedded SQLite file under DATA_DIR, or EventStoreDB.
 * The embedded store runs `PRAGMA quick_check` only after an unclean shutdown (see
 * SqliteEventStoreOptions.integrityCheck); logEventStoreOpen says so when it did.
 */
export async function openEventStore(config: AppConfig, options: Pick<SqliteEventStoreOptions, 'readOnly' | 'integrityCheck'> = {}): Promise<EventStore> {
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
export async function openReadStore(config: AppConfig, file = 'views.db', options: { writerThread?: boolean } = {}): Promise<ReadStore> {
  const location = readStoreLocation(config, file, options);
  if (location.kind === 'sqlite') fs.mkdirSync(config.dataDir, { recursive: true });
  return openReadStoreAt(location);
}

/**
 * The configured read store as plain data (for another thread's connection). `writerThread`:
 * the embedded store commits on a thread of its own (bulk writers such as rebuilds).
 */
export function readStoreLocation(config: AppConfig, file = 'views.db', options: { writerThread?: boolean } = {}): ReadStoreLocation {
  if (config.readStore === 'mongodb') return { kind: 'mongodb', url: config.mongoUrl! };
  return { kind: 'sqlite', file: path.join(config.dataDir, file), writerThread: options.writerThread };
}

/** One line about the embedded store's integrity check at open, when it ran (null otherwise). */
export function eventStoreOpenNote(events: EventStore): string | null {
  if (!(events instanceof SqliteEventStore) || !events.integrityCheck.ran) return null;
  const c = events.integrityCheck;
  const why = c.reason === 'unclean-shutdown' ? `the last writer (pid ${c.stalePid}) did not close the event store` : 'requested';
  return `${why}: PRAGMA quick_check of ${events.file}: ${c.result} (${Math.round(c.milliseconds)} ms)`;
}

/**
 * Opens the credential store (libs/identity): beside the read store, in a file of its own
 * (`DATA_DIR/credentials.db`) or in `identity_*` collections of the MongoDB database.
 */
export async function openCredentialStore(config: AppConfig): Promise<CredentialStore> {
  if (config.readStore === 'mongodb') return MongoCredentialStore.connect(config.mongoUrl!);
  fs.mkdirSync(config.dataDir, { recursive: true });
  return SqliteCredentialStore.open(path.join(config.dataDir, 'credentials.db'));
}
