import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandPipeline, Scheduler, deductionRepairer } from '@helpdesk/application';
import { createTicketDecider, createTicketRules } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import type { NotificationStore } from '@helpdesk/notifications';
import { AppConfig } from '../../api/src/config';
import { NotificationsRuntime } from '../../api/src/notifications/runtime';

const PROJECTOR = Symbol('PROJECTOR');
const SCHEDULER = Symbol('SCHEDULER');
const STORES = Symbol('STORES');
const NOTIFICATIONS = Symbol('NOTIFICATIONS');

class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projector');
  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(STORES) private readonly stores: { events: EventStore; views: ReadStore; config: AppConfig },
    @Inject(NOTIFICATIONS) private readonly notifications: NotificationsRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifications.startAtHead();
    await this.projector.start();
    this.notifications.startWorkers();
    this.scheduler.start(this.stores.config.schedulerIntervalMs);
    this.logger.log(`projecting ${this.projector.status().map((s) => s.projection).join(', ')}; scheduler every ${this.stores.config.schedulerIntervalMs} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.notifications.stopWorkers();
    await this.projector.stop();
    await this.stores.views.close();
    await this.stores.events.close();
    await this.notifications.store.close();
  }
}

/**
 * The projector app: subscribes to $all from each projection's stored checkpoint, keeps the
 * read models, and runs the scheduler, the deduction repairer and the notifications (notifier,
 * webhook recorder, e-mail and webhook dispatchers, daily digest). In the embedded default the
 * API runs the same pieces in its own process instead (PROJECTOR=in-process).
 */
@Module({})
export class ProjectorModule {
  static register(config: AppConfig, events: EventStore, views: ReadStore, store: NotificationStore): DynamicModule {
    const logger = new Logger('projector');
    const pipeline = new CommandPipeline(events);
    const decider = createTicketDecider(createTicketRules(config.preset));
    const notifications = new NotificationsRuntime({ config, events, views, store, now: () => new Date(), log: new Logger('notifications'), runsProjector: true });
    const projector = new Projector(events, views, [...allProjections(), deductionRepairer(pipeline, decider), ...notifications.projections()], { log: (m) => logger.warn(m) });
    const scheduler = new Scheduler(pipeline, views, decider, () => new Date(), (m) => logger.warn(m));
    if (notifications.digest) scheduler.addJob(notifications.digest);
    return {
      module: ProjectorModule,
      providers: [
        { provide: PROJECTOR, useValue: projector },
        { provide: SCHEDULER, useValue: scheduler },
        { provide: STORES, useValue: { events, views, config } },
        { provide: NOTIFICATIONS, useValue: notifications },
        ProjectorLifecycle,
      ],
    };
  }
}
