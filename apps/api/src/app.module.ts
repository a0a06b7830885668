import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandPipeline, Scheduler, deductionRepairer } from '@helpdesk/application';
import { createTicketRules } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { CredentialStore } from '@helpdesk/identity';
import { ReadStore } from '@helpdesk/read-store';
import { COMMAND_HANDLERS, TicketDeciderProvider } from './application/handlers';
import { APP_CONFIG, AppConfig } from './config';
import { CustomerCommandsController } from './customers/customer-commands.controller';
import { CustomerQueriesController } from './customers/customer-queries.controller';
import { HealthController } from './health/health.controller';
import { IDENTITY_CONTROLLERS, IDENTITY_PROVIDERS } from './identity';
import { AuthGuard } from './http/auth';
import { ProblemFilter } from './http/problem';
import { Envelopes } from './http/request';
import { InProcessReadPosition, PolledReadPosition, ReadPosition } from './infrastructure/read-position';
import { CLOCK, Clock, CREDENTIAL_STORE, EVENT_STORE, PROJECTOR, READ_POSITION, READ_STORE, TICKET_RULES, systemClock } from './infrastructure/tokens';
import { QUERY_CONTROLLERS } from './queries/query-controllers';
import { SettingsController } from './settings/settings.controller';
import { TicketCommandsController } from './tickets/ticket-commands.controller';
import { TicketReadingController } from './tickets/ticket-reading.controller';

export interface AppDependencies {
  config: AppConfig;
  events: EventStore;
  views: ReadStore;
  /** people's credentials and sessions (libs/identity) */
  credentials: CredentialStore;
  clock?: Clock;
}

/** Starts the in-process projector and scheduler (embedded default) and closes the stores on shutdown. */
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('helpdesk');
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(CREDENTIAL_STORE) private readonly credentials: CredentialStore,
    private readonly scheduler: Scheduler,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.projector) {
      await this.projector.start();
      this.scheduler.start(this.config.schedulerIntervalMs);
      this.logger.log('projector and scheduler running in this process');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.projector?.stop();
    await this.views.close();
    await this.credentials.close();
    await this.events.close();
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
    const projector =
      config.projector === 'in-process'
        ? new Projector(events, views, [...allProjections(), deductionRepairer(pipeline, deciderProvider.decider)], {
            log: (m) => logger.warn(m),
          })
        : null;
    const readPosition: ReadPosition = projector
      ? new InProcessReadPosition(projector)
      : new PolledReadPosition(views, allProjections().map((p) => p.name));
    const scheduler = new Scheduler(pipeline, views, deciderProvider.decider, () => clock.now(), (m) => logger.warn(m));
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController, TicketCommandsController, CustomerCommandsController, ...QUERY_CONTROLLERS, SettingsController, CustomerQueriesController, TicketReadingController, ...IDENTITY_CONTROLLERS],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: events },
        { provide: READ_STORE, useValue: views },
        { provide: CREDENTIAL_STORE, useValue: deps.credentials },
        { provide: CLOCK, useValue: clock },
        { provide: TICKET_RULES, useValue: rules },
        { provide: PROJECTOR, useValue: projector },
        { provide: READ_POSITION, useValue: readPosition },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: TicketDeciderProvider, useValue: deciderProvider },
        { provide: Scheduler, useValue: scheduler },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        Envelopes,
        Lifecycle,
        ...COMMAND_HANDLERS,
        ...IDENTITY_PROVIDERS,
      ],
    };
  }
}
