import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandPipeline, Scheduler, deductionRepairer } from '@helpdesk/application';
import { createTicketDecider, createTicketRules } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import type { NotificationStore } from '@helpdesk/notifications';
import { lagSource } from '../../api/src/app.module';
import { AppConfig } from '../../api/src/config';
import { checkReadiness } from '../../api/src/health/readiness';
import { Metrics } from '../../api/src/observability/metrics';
import { OpsServer } from '../../api/src/observability/ops-server';
import { NotificationsRuntime, embeddedNotificationStore } from '../../api/src/notifications/runtime';

const PROJECTOR = Symbol('PROJECTOR');
const SCHEDULER = Symbol('SCHEDULER');
const STORES = Symbol('STORES');
const NOTIFICATIONS = Symbol('NOTIFICATIONS');
const METRICS = Symbol('METRICS');

export class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projector');
  private ops: OpsServer | null = null;
  private draining = false;
  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(STORES) private readonly stores: { events: EventStore; views: ReadStore; config: AppConfig },
    @Inject(METRICS) private readonly metrics: Metrics | null,
    @Inject(NOTIFICATIONS) private readonly notifications: NotificationsRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifications.startAtHead();
    await this.projector.start();
    this.notifications.startWorkers();
    this.scheduler.start(this.stores.config.schedulerIntervalMs);
    this.logger.log(`projecting ${this.projector.status().map((s) => s.projection).join(', ')}; scheduler every ${this.stores.config.schedulerIntervalMs} ms`);
    const { address, token } = this.stores.config.metrics;
    if (address) {
      // the projector has no API port: metrics and probes on METRICS_ADDRESS
      const json = (status: number, body: unknown) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });
      this.ops = new OpsServer(address, token, {
        '/metrics': async () => ({ status: 200, ...(await this.metrics!.exposition()) }),
        '/health/live': async () => json(200, { status: 'ok' }),
        '/health/ready': async () => {
          const report = await checkReadiness({
            events: this.stores.events,
            readPosition: async () => this.projector.position(),
            probeReadStore: () => this.stores.views.getCheckpoint(allProjections()[0].name),
            maxLag: this.stores.config.readyMaxLag,
            draining: this.draining,
          });
          return json(report.status === 'ready' ? 200 : 503, { ...report, projections: this.projector.status() });
        },
      });
      const bound = await this.ops.start();
      this.logger.log(`metrics and health on http://${bound.address}:${bound.port} (/metrics, /health/live, /health/ready)`);
    }
  }

  /** where metrics and probes are served (METRICS_ADDRESS; port 0 gets an ephemeral port) */
  opsAddress() {
    return this.ops?.bound() ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    this.draining = true;
    await this.scheduler.stop();
    await this.notifications.stopWorkers();
    await this.projector.stop();
    await this.ops?.close();
    await this.stores.views.close();
    await this.stores.events.close();
    await this.notifications.store.close();
  }
}

/**
 * The projector app: subscribes to $all from each projection's stored checkpoint, keeps the
 * read models, and runs the scheduler, the deduction repairer and the notifications (notifier,
 * webhook recorder, e-mail and webhook dispatchers, daily digest). In the embedded default the
 * API runs the same pieces in its own process instead (PROJECTOR=in-process). Run ONE of it
 * (docs/operations.md: single instance, no lease).
 */
@Module({})
export class ProjectorModule {
  static register(config: AppConfig, events: EventStore, views: ReadStore, store?: NotificationStore): DynamicModule {
    const logger = new Logger('projector');
    const pipeline = new CommandPipeline(events);
    const decider = createTicketDecider(createTicketRules(config.preset));
    const metrics = config.metrics.address ? new Metrics({ app: 'projector' }) : null;
    const notifications = new NotificationsRuntime({
      config,
      events,
      views,
      // embedded (the tests): beside the read models; the app's main passes the configured one
      store: store ?? embeddedNotificationStore(config),
      now: () => new Date(),
      log: new Logger('notifications'),
      runsProjector: true,
      metrics,
    });
    const projector = new Projector(events, views, [...allProjections(), deductionRepairer(pipeline, decider), ...notifications.projections()], { log: (m) => logger.warn(m) });
    const scheduler = new Scheduler(pipeline, views, decider, () => new Date(), (m) => logger.warn(m));
    if (notifications.digest) scheduler.addJob(notifications.digest);
    if (metrics) {
      pipeline.observer = metrics;
      scheduler.observer = metrics.schedulerPass;
      metrics.setLagSource(lagSource(events, views, projector));
    }
    return {
      module: ProjectorModule,
      providers: [
        { provide: PROJECTOR, useValue: projector },
        { provide: SCHEDULER, useValue: scheduler },
        { provide: STORES, useValue: { events, views, config } },
        { provide: NOTIFICATIONS, useValue: notifications },
        { provide: METRICS, useValue: metrics },
        ProjectorLifecycle,
      ],
    };
  }
}
