/**
 * npm run backup -- <file> — a consistent online copy of the embedded event store (SQLite
 * backup API on a read-only connection, while the API serves), hash chains verified, with a
 * manifest. See apps/api/src/ops/backup.ts and docs/operations.md.
 */
import { run } from '../apps/api/src/ops/cli';

void run('backup', process.argv[2]).then((code) => process.exit(code));
