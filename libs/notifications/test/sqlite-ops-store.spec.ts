import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SqliteOpsStore, type OpsStore } from '../src';
import { describeOpsStoreContract } from './ops-store.contract';

describeOpsStoreContract('sqlite (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ops-store-'));
  const file = join(dir, 'notifications.db');
  const stores: OpsStore[] = [SqliteOpsStore.open(file)];
  return {
    store: stores[0],
    reopen: async () => {
      const again = SqliteOpsStore.open(file);
      stores.push(again);
      return again;
    },
    cleanup: async () => {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
