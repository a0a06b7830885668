/**
 * npm run restore -- <file> — restores a backup into an EMPTY DATA_DIR (refused otherwise),
 * verified against its manifest, and rebuilds the read models. See apps/api/src/ops/backup.ts.
 */
import { run } from '../apps/api/src/ops/cli';

void run('restore', process.argv[2]).then((code) => process.exit(code));
