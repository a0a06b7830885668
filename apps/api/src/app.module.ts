import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandPipeline, Scheduler, deductionRepairer } from '@helpdesk/application';
import { createTicketRules } from '@helpdesk/domain';
import { EventStore, SqliteEventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { CredentialStore } from '@helpdesk/identity';
import { ReadStore } from '@helpdesk/read-store';
import { COMMAND_HANDLERS, TicketDeciderProvider } from './application/handlers';
import { APP_CONFIG, AppConfig } from './config';
import { AttachmentStore } from './attachments/attachment-store.port';
import { ATTACHMENT_STORE, openAttachmentStore } from './attachments/attachments';
import { AttachmentsController } from './attachments/attachments.controller';
import { LiveUpdates } from './live/live-updates';
import { LiveUpdatesController, LiveUpdatesLifecycle } from './live/live-updates.controller';
import { CustomerCommandsController } from './customers/customer-commands.controller';
import { CustomerQueriesController } from './customers/customer-queries.controller';
import { HealthController } from './health/health.controller';
import { IDENTITY_CONTROLLERS, IDENTITY_PROVIDERS } from './identity';
import { AuthGuard } from './http/auth';
import { ProblemFilter } from './http/problem';
import { Envelopes } from './http/request';
import { InProcessReadPosition, PolledReadPosition, ReadPosition } from './infrastructure/read-position';
import { Shutdown } from './infrastructure/shutdown';
import { LagSource, METRICS, Metrics } from './observability/metrics';
import { MetricsController } from './observability/metrics.controller';
import { OpsServer } from './observability/ops-server';
import { INSIGHTS_CONTROLLERS, INSIGHTS_PROVIDERS } from './insights';
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
  /** default: opened from the configuration (files under DATA_DIR/attachments, or GridFS with READ_STORE=mongodb) */
  attachments?: AttachmentStore;
  /** set by createApp when metrics are on */
  metrics?: Metrics | null;
  shutdown?: Shutdown;
}

/** metrics are collected only when something serves them (METRICS_TOKEN or METRICS_ADDRESS) */
export function metricsEnabled(config: AppConfig): boolean {
  return config.metrics.token !== null || config.metrics.address !== null;
}

/** Serves the metrics on METRICS_ADDRESS (when set) from start-up to shutdown. */
export class MetricsListener implements OnModuleInit, OnApplicationShutdown {
  private server: OpsServer | null = null;
  private readonly logger = new Logger('metrics');
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics | null,
  ) {}

  async onModuleInit(): Promise<void> {
    const address = this.config.metrics.address;
    if (!address || !this.metrics) return;
    const metrics = this.metrics;
    const scrape = async () => ({ status: 200, ...(await metrics.exposition()) });
    this.server = new OpsServer(address, this.config.metrics.token, { '/metrics': scrape, '/api/metrics': scrape }, (err) =>
      this.logger.error(`metrics: ${(err as Error)?.message ?? err}`),
    );
    const bound = await this.server.start();
    this.logger.log(`metrics on http://${bound.address}:${bound.port}/metrics${this.config.metrics.token ? ' (token required)' : ''}`);
  }

  /** the bound address (tests configure port 0) */
  address() {
    return this.server?.bound() ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}

/** Starts the in-process projector and scheduler (embedded default) and closes the stores on shutdown. */
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('helpdesk');
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(ATTACHMENT_STORE) private readonly attachments: AttachmentStore,
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
    await this.attachments.close();
    await this.views.close();
    await this.credentials.close();
    await this.events.close();
  }
}

@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    const { config, events, views } = deps;
    const metrics = deps.metrics ?? null;
    const clock = deps.clock ?? systemClock;
    const rules = createTicketRules(config.preset);
    const pipeline = new CommandPipeline(events);
    if (metrics) {
      pipeline.observer = metrics;
      if (events instanceof SqliteEventStore) events.commitObserver = metrics.groupCommit;
    }
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
    if (metrics) {
      scheduler.observer = metrics.schedulerPass;
      metrics.setLagSource(lagSource(events, views, projector));
    }
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        MetricsController,
        TicketCommandsController,
        CustomerCommandsController,
        ...QUERY_CONTROLLERS,
        SettingsController,
        CustomerQueriesController,
        TicketReadingController,
        AttachmentsController,
        LiveUpdatesController,
        ...IDENTITY_CONTROLLERS,
        ...INSIGHTS_CONTROLLERS,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: events },
        { provide: READ_STORE, useValue: views },
        { provide: CREDENTIAL_STORE, useValue: deps.credentials },
        { provide: CLOCK, useValue: clock },
        { provide: TICKET_RULES, useValue: rules },
        { provide: PROJECTOR, useValue: projector },
        { provide: READ_POSITION, useValue: readPosition },
        { provide: LiveUpdates, useValue: new LiveUpdates(events, views, readPosition, { heartbeatMs: config.liveHeartbeatMs }) },
        LiveUpdatesLifecycle,
        { provide: ATTACHMENT_STORE, useFactory: async () => deps.attachments ?? (await openAttachmentStore(config)) },
        { provide: CommandPipeline, useValue: pipeline },
        { provide: TicketDeciderProvider, useValue: deciderProvider },
        { provide: Scheduler, useValue: scheduler },
        { provide: METRICS, useValue: metrics },
        { provide: Shutdown, useValue: deps.shutdown ?? new Shutdown() },
        MetricsListener,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        Envelopes,
        Lifecycle,
        ...COMMAND_HANDLERS,
        ...IDENTITY_PROVIDERS,
        ...INSIGHTS_PROVIDERS,
      ],
    };
  }
}

/** projection lag at scrape time: the projector in this process, or the checkpoints the projector app stores */
export function lagSource(events: EventStore, views: ReadStore, projector: Projector | null): LagSource {
  const names = [...allProjections().map((p) => p.name), 'deduction-repairer'];
  return {
    head: () => events.headPosition(),
    checkpoints: async () =>
      projector
        ? projector.status().map((s) => ({ projection: s.projection, checkpoint: BigInt(s.checkpoint), healthy: s.healthy }))
        : Promise.all(names.map(async (n) => ({ projection: n, checkpoint: await views.getCheckpoint(n) }))),
  };
}
