import { Projector } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';

/** How far the read models have caught up; used by X-Min-Position (read-your-writes) and health. */
export interface ReadPosition {
  position(): Promise<bigint>;
  waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
}

/** The projector runs in this process: wait on its notifications. */
export class InProcessReadPosition implements ReadPosition {
  constructor(private readonly projector: Projector) {}
  async position(): Promise<bigint> {
    return this.projector.position();
  }
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.projector.waitFor(position, timeoutMs);
  }
}

/** The projector runs elsewhere (apps/projector): poll its checkpoints in the read store. */
export class PolledReadPosition implements ReadPosition {
  constructor(
    private readonly store: ReadStore,
    private readonly checkpointNames: string[],
    private readonly pollMs = 25,
  ) {}
  async position(): Promise<bigint> {
    const all = await Promise.all(this.checkpointNames.map((n) => this.store.getCheckpoint(n)));
    return all.reduce((min, p) => (p < min ? p : min), all[0] ?? 0n);
  }
  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.position()) >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }
}
