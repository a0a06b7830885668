/**
 * Backup and restore of the embedded event store, for `npm run backup -- <file>` and
 * `npm run restore -- <file>` (tools/backup.ts, tools/restore.ts), and in the image, where
 * there is no TypeScript loader: `node dist/apps/api/src/ops/cli.js backup|restore <file>`.
 * Exit codes: 0 done, 1 the data is wrong (broken chain, manifest mismatch), 2 the request is
 * (usage, configuration, a DATA_DIR that is not empty, a file that exists).
 */
import { loadConfigOrExit } from '../config';
import { OpsError, backupEventStore, restoreEventStore } from './backup';

export async function run(command: string | undefined, file: string | undefined): Promise<number> {
  if ((command !== 'backup' && command !== 'restore') || !file) {
    console.error('usage: npm run backup -- <file>   |   npm run restore -- <file>   (DATA_DIR: the embedded store)');
    return 2;
  }
  const config = loadConfigOrExit();
  const log = (m: string) => console.log(m);
  try {
    if (command === 'backup') {
      const r = await backupEventStore(config, file, log);
      console.log(
        `backup written: ${r.file} — ${r.events} events in ${r.streams} streams, head position ${r.head}, heads digest ${r.headsDigest}, ` +
          `${(r.bytes / 1024 / 1024).toFixed(1)} MB, sha256 ${r.sha256}, ${r.seconds.toFixed(1)} s; hash chains intact`,
      );
    } else {
      const r = await restoreEventStore(config, file, log);
      console.log(
        `restored into ${r.dataDir}: ${r.events} events, head position ${r.head}, heads digest ${r.headsDigest}; ` +
          `read models rebuilt (${r.rebuiltProjections.join(', ')}) in ${r.seconds.toFixed(1)} s`,
      );
    }
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    return err instanceof OpsError ? err.exitCode : 1;
  }
}

if (require.main === module) {
  void run(process.argv[2], process.argv[3]).then((code) => process.exit(code));
}
