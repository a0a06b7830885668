import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoCredentialStore } from '../src';
import { describeCredentialStoreContract } from './credential-store.contract';

/** The contract against MongoDB (FerretDB in the tests, started by jest's global setup). */
const url = process.env.MONGO_URL;
const runId = `cs_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

if (!url) {
  // eslint-disable-next-line no-console
  console.warn('MongoDB credential-store suites SKIPPED: MONGO_URL not set');
  describe.skip('CredentialStore contract: mongodb (SKIPPED: MONGO_URL not set)', () => {
    it('runs the credential-store contract against MongoDB', () => undefined);
  });
} else {
  let counter = 0;
  let admin: MongoClient;
  beforeAll(async () => {
    admin = new MongoClient(url);
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.close();
  });

  describeCredentialStoreContract('mongodb', async () => {
    const dbName = `${runId}_${++counter}`;
    const store = await MongoCredentialStore.connect(url, dbName);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await admin.db(dbName).dropDatabase();
      },
    };
  });
}
