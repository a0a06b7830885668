import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoOpsStore, type OpsStore } from '../src';
import { describeOpsStoreContract, type OpsContractOptions } from './ops-store.contract';

/** The contract against MongoDB (FerretDB in the tests) when MONGO_URL is set; each test gets its own database. */
const url = process.env.MONGO_URL;
const runId = `ops_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

if (!url) {
  // eslint-disable-next-line no-console
  console.warn('MongoDB operational-store suites SKIPPED: MONGO_URL not set');
  describe.skip('OpsStore contract: mongodb (SKIPPED: MONGO_URL not set)', () => {
    it('runs the operational-store contract against MongoDB', () => undefined);
  });
} else {
  let counter = 0;
  let admin: MongoClient;
  const options: OpsContractOptions = {};

  beforeAll(async () => {
    admin = new MongoClient(url);
    await admin.connect();
    // FerretDB v1 announces itself in buildInfo; its conditional updates are not atomic under races
    const info = await admin.db('admin').command({ buildInfo: 1 });
    options.atomicCompareAndSet = !('ferretdbVersion' in info);
  });
  afterAll(async () => {
    await admin?.close();
  });

  describeOpsStoreContract(
    'mongodb',
    async () => {
      const dbName = `${runId}_${++counter}`;
      const stores: OpsStore[] = [await MongoOpsStore.connect(url, { dbName })];
      return {
        store: stores[0],
        reopen: async () => {
          const again = await MongoOpsStore.connect(url, { dbName });
          stores.push(again);
          return again;
        },
        cleanup: async () => {
          for (const s of stores) await s.close();
          await admin.db(dbName).dropDatabase();
        },
      };
    },
    options,
  );
}
