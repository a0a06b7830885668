import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandPipeline, Scheduler, deductionRepairer } from '@helpdesk/application';
import { createTicketRules } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import type { MailTransport, NotificationStore } from '@helpdesk/notifications';
import { COMMAND_HANDLERS, TicketDeciderProvider } from './application/handlers';
import { APP_CONFIG, AppConfig } from './config';
import { CustomerCommandsController } from './customers/customer-commands.controller';
import { CustomerQueriesController } from './customers/customer-queries.controller';
import { HealthController } from './health/health.controller';
import { AuthGuard } from './http/auth';
import { ProblemFilter } from './http/problem';
import { Envelopes } from './http/request';
import { InProcessReadPosition, PolledReadPosition, ReadPosition } from './infrastructure/read-position';
import { CLOCK, Clock, EVENT_STORE, PROJECTOR, READ_POSITION, READ_STORE, TICKET_RULES, systemClock } from './infrastructure/tokens';
import { QUERY_CONTROLLERS } from './queries/query-controllers';
import { SettingsController } from './settings/settings.controller';
import { TicketCommandsController } from './tickets/ticket-commands.controller';
import { TicketReadingController } from './tickets/ticket-reading.controller';
import { NOTIFICATION_CONTROLLERS } from './notifications/controllers';
import { NOTIFICATIONS, NotificationsRuntime } from './notifications/runtime';

export interface AppDependencies {
  config: AppConfig;
  events: EventStore;
  views: ReadStore;
  clock?: Clock;
  /** the operational store of notifications and webhooks (createApp opens the configured one) */
  notifications?: NotificationStore;
  /** tests: send e-mail through this instead of SMTP_URL */
  mailTransport?: MailTransport;
}

/** Starts the in-process projector and scheduler (embedded default) and closes the stores on shutdown. */
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('helpdesk');
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly scheduler: Scheduler,
    @Inject(NOTIFICATIONS) private readonly notifications: NotificationsRuntime,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.projector) {
      await this.notifications.startAtHead();
      await this.projector.start();
      this.scheduler.start(this.config.schedulerIntervalMs);
      this.logger.log('projector and scheduler running in this process');
    }
    this.notifications.startWorkers();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.notifications.stopWorkers();
    await this.projector?.stop();
    await this.views.close();
    await this.events.close();
    await this.notifications.store.close();
  }
}

@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    const { config, events, views } = deps;
    const clock = deps.clock ?? systemClock;
    const rules = createTicketRules(config.preset);
    const pipeline = new CommandPipeline(events);
    const deciderProvider = new TicketDeciderProvider(rules);
    const logger = new Logger('projector');
    const notifications = new NotificationsRuntime({
      config,
      events,
      views,
      store: deps.notifications!,
      now: () => clock.now(),
      log: new Logger('notifications'),
      runsProjector: config.projector === 'in-process',
      transport: deps.mailTransport,
    });
    const projector =
      config.projector === 'in-process'
        ? new Projector(events, views, [...allProjections(), deductionRepairer(pipeline, deciderProvider.decider), ...notifications.projections()], {
            log: (m) => logger.warn(m),
          })
        : null;
    const readPosition: ReadPosition = projector
      ? new InProcessReadPosition(projector)
      : new PolledReadPosition(views, allProjections().map((p) => p.name));
    const scheduler = new Scheduler(pipeline, views, deciderProvider.decider, () => clock.now(), (m) => logger.warn(m));
    if (notifications.digest) scheduler.addJob(notifications.digest);
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController, TicketCommandsController, CustomerCommandsController, ...QUERY_CONTROLLERS, SettingsController, CustomerQueriesController, TicketReadingController, ...NOTIFICATION_CONTROLLERS],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: events },
        { provide: READ_STORE, useValue: views },
        { provide: CLOCK, useValue: clock },
        { provide: TICKET_RULES, useValue: rules },
        { provide: PROJECTOR, useValue: projector },
        { provide: READ_POSITION, useValue: readPosition },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: TicketDeciderProvider, useValue: deciderProvider },
        { provide: Scheduler, useValue: scheduler },
        { provide: NOTIFICATIONS, useValue: notifications },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        Envelopes,
        Lifecycle,
        ...COMMAND_HANDLERS,
      ],
    };
  }
}
