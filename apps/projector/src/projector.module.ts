import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandPipeline, Scheduler, deductionRepairer } from '@helpdesk/application';
import { createTicketDecider, createTicketRules } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import { AppConfig } from '../../api/src/config';

const PROJECTOR = Symbol('PROJECTOR');
const SCHEDULER = Symbol('SCHEDULER');
const STORES = Symbol('STORES');

class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projector');
  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(STORES) private readonly stores: { events: EventStore; views: ReadStore; config: AppConfig },
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
    this.scheduler.start(this.stores.config.schedulerIntervalMs);
    this.logger.log(`projecting ${this.projector.status().map((s) => s.projection).join(', ')}; scheduler every ${this.stores.config.schedulerIntervalMs} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.projector.stop();
    await this.stores.views.close();
    await this.stores.events.close();
  }
}

/**
 * The projector app: subscribes to $all from each projection's stored checkpoint, keeps the
 * read models, and runs the scheduler and the deduction repairer. In the embedded default the
 * API runs the same pieces in its own process instead (PROJECTOR=in-process).
 */
@Module({})
export class ProjectorModule {
  static register(config: AppConfig, events: EventStore, views: ReadStore): DynamicModule {
    const logger = new Logger('projector');
    const pipeline = new CommandPipeline(events);
    const decider = createTicketDecider(createTicketRules(config.preset));
    const projector = new Projector(events, views, [...allProjections(), deductionRepairer(pipeline, decider)], { log: (m) => logger.warn(m) });
    const scheduler = new Scheduler(pipeline, views, decider, () => new Date(), (m) => logger.warn(m));
    return {
      module: ProjectorModule,
      providers: [
        { provide: PROJECTOR, useValue: projector },
        { provide: SCHEDULER, useValue: scheduler },
        { provide: STORES, useValue: { events, views, config } },
        ProjectorLifecycle,
      ],
    };
  }
}
