import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SqliteCredentialStore } from '../src';
import { describeCredentialStoreContract, session } from './credential-store.contract';

describeCredentialStoreContract('sqlite (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'credentials-'));
  const store = SqliteCredentialStore.open(join(dir, 'credentials.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteCredentialStore specifics', () => {
  it('two processes (connections) on one file see each other and a one-time link is used once across them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credentials-'));
    const a = SqliteCredentialStore.open(join(dir, 'credentials.db'));
    const b = SqliteCredentialStore.open(join(dir, 'credentials.db'));
    try {
      await a.createSession(session('s1', 'u1'));
      expect(await b.getSession('s1')).not.toBeNull();
      expect(await b.deleteSessionsOf('u1')).toBe(1);
      expect(await a.getSession('s1')).toBeNull();
      expect(await a.useOneTime('setup', 'n1', '2026-01-01T00:00:00.000Z')).toBe(true);
      expect(await b.useOneTime('setup', 'n1', '2026-01-01T00:00:00.000Z')).toBe(false);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file written by a newer schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credentials-'));
    const file = join(dir, 'credentials.db');
    const a = SqliteCredentialStore.open(file);
    a.db.pragma('user_version = 99');
    await a.close();
    try {
      expect(() => SqliteCredentialStore.open(file)).toThrow(/newer version/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
