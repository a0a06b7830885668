import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthView } from '../http/responses';
import { EventStore } from '@helpdesk/event-store';
import { Projector } from '@helpdesk/projections';
import { APP_CONFIG, AppConfig } from '../config';
import { Public } from '../http/auth';
import { EVENT_STORE, PROJECTOR, READ_POSITION } from '../infrastructure/tokens';
import { ReadPosition } from '../infrastructure/read-position';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_POSITION) private readonly readPosition: ReadPosition,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "The stores' state and the projection lag (positions behind the head); no token needed" })
  @ApiOkResponse({ type: HealthView })
  async health() {
    let head: bigint | null = null;
    let eventStoreError: string | null = null;
    try {
      head = await this.events.headPosition();
    } catch (err) {
      eventStoreError = (err as Error).message;
    }
    let position: bigint | null = null;
    let readStoreError: string | null = null;
    try {
      position = await this.readPosition.position();
    } catch (err) {
      readStoreError = (err as Error).message;
    }
    const projections = this.projector?.status() ?? [];
    const ok = !eventStoreError && !readStoreError && projections.every((p) => p.healthy);
    return {
      status: ok ? 'ok' : 'degraded',
      preset: { name: this.config.preset.name, version: this.config.preset.version },
      eventStore: { kind: this.config.eventStore, ok: !eventStoreError, headPosition: head === null ? null : Number(head), error: eventStoreError },
      readStore: { kind: this.config.readStore, ok: !readStoreError, position: position === null ? null : Number(position), error: readStoreError },
      projector: {
        mode: this.config.projector,
        lag: head !== null && position !== null ? Number(head - position) : null,
        projections,
      },
    };
  }
}
