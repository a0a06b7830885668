import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoReadStore } from '../src';
import { describeReadStoreContract, type ContractOptions } from './read-store.contract';

/**
 * Runs the contract against MongoDB (or FerretDB) when MONGO_URL is set, e.g.
 *   MONGO_URL=$(node -r @swc-node/register -e "require('./test/support/mongo-server').startFerretDb().then(s => console.log(s.url))")
 * Each test gets its own database, dropped afterwards.
 */
const url = process.env.MONGO_URL;
const runId = `rs_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

if (!url) {
  // eslint-disable-next-line no-console
  console.warn('MongoDB read-store suites SKIPPED: MONGO_URL not set');
  describe.skip('ReadStore contract: mongodb (SKIPPED: MONGO_URL not set)', () => {
    it('runs the read-store contract against MongoDB', () => undefined);
  });
} else {
  let counter = 0;
  let admin: MongoClient;

  // read by the contract when the tests run, so it can be filled in by beforeAll
  const options: ContractOptions = {};

  beforeAll(async () => {
    admin = new MongoClient(url);
    await admin.connect();
    // FerretDB v1 announces itself in buildInfo; its conditional updates are not atomic
    const info = await admin.db('admin').command({ buildInfo: 1 });
    options.atomicCompareAndSet = !('ferretdbVersion' in info);
  });

  afterAll(async () => {
    await admin?.close();
  });

  describeReadStoreContract('mongodb', async () => {
    const dbName = `${runId}_${++counter}`;
    const stores: MongoReadStore[] = [];
    const store = await MongoReadStore.connect(url, dbName);
    stores.push(store);
    return {
      store,
      reopen: async () => {
        const again = await MongoReadStore.connect(url, dbName);
        stores.push(again);
        return again;
      },
      cleanup: async () => {
        for (const s of stores) await s.close();
        await admin.db(dbName).dropDatabase();
      },
    };
  }, options);
}
