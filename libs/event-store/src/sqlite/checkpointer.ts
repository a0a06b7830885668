import { Worker } from 'worker_threads';

/**
 * Moves WAL pages into the database file from a worker thread with its own connection
 * (PASSIVE checkpoints never block the writer), so the fsync of the main file stays out of
 * the appenders' commit path. The writer nudges it every few thousand events; the writer's
 * own auto-checkpoint is only a far-off safety net.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private sinceLast = 0;

  constructor(
    file: string,
    private readonly everyEvents = 10_000,
  ) {
    const source = `
      const { workerData, parentPort } = require('worker_threads');
      const Database = require(workerData.module);
      const db = new Database(workerData.file);
      db.pragma('busy_timeout = 1000');
      parentPort.on('message', (m) => {
        if (m === 'checkpoint') {
          try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next time */ }
        } else {
          try { db.close(); } catch {}
          parentPort.postMessage('closed');
        }
      });
    `;
    this.worker = new Worker(source, { eval: true, workerData: { file, module: require.resolve('better-sqlite3') } });
    this.worker.unref();
  }

  /** the writer appended `events` more events */
  appended(events: number): void {
    this.sinceLast += events;
    if (this.sinceLast >= this.everyEvents) {
      this.sinceLast = 0;
      this.worker.postMessage('checkpoint');
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('message', done);
      this.worker.once('exit', done);
      this.worker.postMessage('close');
    });
    await this.worker.terminate();
  }
}
