/**
 * Jest global setup: when MONGO_URL is not set and Go is available, builds and starts the
 * FerretDB test server so the MongoDB suites run over the real wire protocol. With
 * REQUIRE_MONGO=1 (CI) failing to start it fails the run instead of skipping those suites.
 */
import { MongoTestServer, startFerretDb } from './mongo-server';

declare global {
  // eslint-disable-next-line no-var
  var __FERRETDB__: MongoTestServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.MONGO_URL) return;
  try {
    const server = await startFerretDb({ startTimeoutMs: 60_000 });
    globalThis.__FERRETDB__ = server;
    process.env.MONGO_URL = server.url;
    console.log(`\nFerretDB test server for the MongoDB suites: ${server.url}`);
  } catch (err) {
    if (process.env.REQUIRE_MONGO === '1') throw new Error(`REQUIRE_MONGO=1 but the FerretDB test server did not start: ${(err as Error).message}`);
    console.warn(`\nMongoDB suites will be SKIPPED: no MONGO_URL and the FerretDB test server could not start (${(err as Error).message})`);
  }
}
