/**
 * Where a read store lives, as plain data: what another thread (a projection worker of a
 * rebuild) needs to open its own connection to the same store.
 */
import { MongoReadStore } from './mongo-read-store';
import type { ReadStore } from './read-store.port';
import { SqliteReadStore } from './sqlite-read-store';

export type ReadStoreLocation =
  | { kind: 'sqlite'; file: string; writerThread?: boolean }
  | { kind: 'mongodb'; url: string; database?: string };

export async function openReadStoreAt(location: ReadStoreLocation): Promise<ReadStore> {
  switch (location.kind) {
    case 'sqlite':
      return SqliteReadStore.open(location.file, { writerThread: location.writerThread });
    case 'mongodb':
      return MongoReadStore.connect(location.url, location.database);
  }
}
