import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { SCHEMA_VERSION } from '@helpdesk/application';
import { AccessEvent, accessStreamId } from '@helpdesk/domain';
import { EventStore, WrongExpectedVersionError, chainEvents } from '@helpdesk/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';

/**
 * Appends access-log events (libs/domain/src/users/access.ts) to their stream: reads only
 * the stream's last event (for its version and hash: the chain covers the log) and appends
 * after it, again on a conflict. A sign-in never folds the stream.
 */
@Injectable()
export class AccessLog {
  private readonly logger = new Logger('access-log');
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async record(event: AccessEvent, meta: { actor: string; actorRoles?: string[]; correlationId: string }): Promise<bigint> {
    const d = event.data as { userId: string | null; at: string };
    const streamId = accessStreamId(d.userId, d.at);
    for (let attempt = 0; ; attempt++) {
      const [last] = await this.events.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      const version = last ? last.version : -1n;
      const [toAppend] = chainEvents(streamId, version + 1n, (last?.metadata.hash as string | undefined) ?? null, [
        {
          id: randomUUID(),
          type: event.type,
          data: event.data as unknown as Record<string, unknown>,
          metadata: {
            actor: meta.actor,
            actorRoles: meta.actorRoles ?? [],
            occurredAt: d.at,
            correlationId: meta.correlationId,
            causationId: null,
            schemaVersion: SCHEMA_VERSION,
          },
        },
      ]);
      try {
        const r = await this.events.append(streamId, [toAppend], version < 0n ? 'no-stream' : version);
        return r.position;
      } catch (err) {
        if (err instanceof WrongExpectedVersionError && attempt < 20) continue;
        throw err;
      }
    }
  }

  /** records without failing the request that caused it (the failure is logged) */
  async tryRecord(event: AccessEvent, meta: { actor: string; actorRoles?: string[]; correlationId: string }): Promise<void> {
    try {
      await this.record(event, meta);
    } catch (err) {
      this.logger.error(`could not record ${event.type}: ${(err as Error).message}`);
    }
  }
}
