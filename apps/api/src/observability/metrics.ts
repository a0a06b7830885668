import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommandObserver } from '@helpdesk/application';
import type { GroupCommitReport } from '@helpdesk/event-store';

export const METRICS = Symbol('METRICS');

/** Where projection lag is read from at scrape time: the log's head and each projection's checkpoint. */
export interface LagSource {
  head(): Promise<bigint>;
  checkpoints(): Promise<Array<{ projection: string; checkpoint: bigint; healthy?: boolean }>>;
}

/** What one scheduler pass did (Scheduler.observer). */
export interface SchedulerPass {
  seconds: number;
  warnings: number;
  breaches: number;
  autoClosed: number;
  policiesExpired: number;
  /** PolicyExpiryApproaching recorded (notifications) */
  expiryNotices?: number;
  errors: number;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COUNT_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

type Child<T> = T extends Histogram<string> ? ReturnType<T['labels']> : T extends Counter<string> ? ReturnType<T['labels']> : never;

/**
 * The process's Prometheus metrics, on a registry of its own (one per app: tests start many).
 * Everything here is cheap on the hot path: label children are looked up once per label set
 * and kept in a Map; lag and head are read only when Prometheus scrapes.
 *
 * Names: helpdesk_* for the application, process_* and nodejs_* for the process (prom-client's
 * default metrics). See docs/operations.md for the list and what to alert on.
 */
export class Metrics implements CommandObserver {
  readonly registry = new Registry();

  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly httpChildren = new Map<string, Child<Histogram<'method' | 'route' | 'status'>>>();
  private readonly commands: Counter<'type' | 'outcome'>;
  private readonly commandChildren = new Map<string, Child<Counter<'type' | 'outcome'>>>();
  private readonly commandDuration: Histogram<'type'>;
  private readonly commandDurationChildren = new Map<string, Child<Histogram<'type'>>>();
  private readonly commandRetries: Counter<'type'>;
  private readonly appendDuration: Histogram<'outcome'>;
  private readonly appendOk: Child<Histogram<'outcome'>>;
  private readonly appendFailed: Child<Histogram<'outcome'>>;
  private readonly groupCommitDuration: Histogram<string>;
  private readonly groupCommitAppends: Histogram<string>;
  private readonly groupCommitEvents: Histogram<string>;
  private readonly groupCommitFailures: Counter<string>;
  private readonly schedulerRuns: Counter<'outcome'>;
  private readonly schedulerActions: Counter<'action'>;
  private readonly schedulerDuration: Histogram<string>;
  private readonly schedulerLastRun: Gauge<string>;
  private lagSource: LagSource | null = null;

  /**
   * REGISTRATION POINT for delivery metrics (notifications and webhooks). Their code gets the
   * Metrics instance (`@Inject(METRICS) metrics: Metrics | null`, null when metrics are off)
   * and calls these; the series are declared here so that names and labels stay in one place.
   * Further metrics of theirs: `new Counter({ ..., registers: [metrics.registry] })`.
   */
  readonly deliveries: {
    /** channel: email | in-app | ...; outcome: sent | failed | retried | dropped */
    notification(channel: string, outcome: 'sent' | 'failed' | 'retried' | 'dropped', seconds?: number): void;
    /** outcome: delivered | failed | retried | dropped; seconds: the HTTP call to the receiver */
    webhook(outcome: 'delivered' | 'failed' | 'retried' | 'dropped', seconds?: number): void;
  };

  constructor(options: { defaultMetrics?: boolean; app?: string } = {}) {
    const registers = [this.registry];
    if (options.app) this.registry.setDefaultLabels({ app: options.app });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });

    this.httpDuration = new Histogram({
      name: 'helpdesk_http_request_duration_seconds',
      help: 'HTTP requests by method, route template (unmatched: no route) and status code: time from the request to the response',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commands = new Counter({
      name: 'helpdesk_commands_total',
      help: 'Commands executed, by command type and outcome (accepted, unchanged, replayed, refused, conflict, failed)',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.commandDuration = new Histogram({
      name: 'helpdesk_command_duration_seconds',
      help: 'Command execution time (load, decide, append, retries), by command type',
      labelNames: ['type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commandRetries = new Counter({
      name: 'helpdesk_command_retries_total',
      help: 'Commands re-run after a version conflict (another writer appended to the stream meanwhile)',
      labelNames: ['type'],
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'helpdesk_event_store_append_duration_seconds',
      help: 'Event store appends from the call to the acknowledgment (durable), by outcome',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.appendOk = this.appendDuration.labels('ok');
    this.appendFailed = this.appendDuration.labels('error');
    this.groupCommitDuration = new Histogram({
      name: 'helpdesk_event_store_group_commit_duration_seconds',
      help: 'Embedded event store: one group commit (transaction and fsync)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.groupCommitAppends = new Histogram({
      name: 'helpdesk_event_store_group_commit_appends',
      help: 'Embedded event store: appends folded into one group commit (batch size)',
      buckets: COUNT_BUCKETS,
      registers,
    });
    this.groupCommitEvents = new Histogram({
      name: 'helpdesk_event_store_group_commit_events',
      help: 'Embedded event store: events written by one group commit',
      buckets: COUNT_BUCKETS,
      registers,
    });
    this.groupCommitFailures = new Counter({
      name: 'helpdesk_event_store_group_commit_failures_total',
      help: 'Embedded event store: group commits that failed as a whole (every append of it refused)',
      registers,
    });
    this.schedulerRuns = new Counter({
      name: 'helpdesk_scheduler_runs_total',
      help: 'Scheduler passes (SLA warnings and breaches, auto-close, policy expiry), by outcome (ok, errors)',
      labelNames: ['outcome'],
      registers,
    });
    this.schedulerActions = new Counter({
      name: 'helpdesk_scheduler_actions_total',
      help: 'Facts the scheduler recorded, by action (sla-warning, sla-breach, auto-close, policy-expired)',
      labelNames: ['action'],
      registers,
    });
    this.schedulerDuration = new Histogram({
      name: 'helpdesk_scheduler_run_duration_seconds',
      help: 'Duration of one scheduler pass',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
      registers,
    });
    this.schedulerLastRun = new Gauge({
      name: 'helpdesk_scheduler_last_run_timestamp_seconds',
      help: 'When the last scheduler pass ended (Unix time)',
      registers,
    });

    const source = () => this.lagSource;
    let scrape: Promise<{ head: bigint | null; checkpoints: Awaited<ReturnType<LagSource['checkpoints']>> }> | null = null;
    // one read of head and checkpoints per scrape, shared by the gauges below
    const read = () => {
      if (!scrape) {
        const s = source();
        scrape = (async () => {
          if (!s) return { head: null, checkpoints: [] };
          const [head, checkpoints] = await Promise.all([s.head().catch(() => null), s.checkpoints().catch(() => [])]);
          return { head, checkpoints };
        })();
        void scrape.finally(() => setImmediate(() => (scrape = null)));
      }
      return scrape;
    };
    new Gauge({
      name: 'helpdesk_event_store_head_position',
      help: 'Global position of the newest event in the log',
      registers,
      async collect() {
        const { head } = await read();
        this.reset();
        if (head !== null) this.set(Number(head));
      },
    });
    new Gauge({
      name: 'helpdesk_projection_checkpoint_position',
      help: "Each projection's checkpoint (global position of the last event it applied)",
      labelNames: ['projection'],
      registers,
      async collect() {
        const { checkpoints } = await read();
        this.reset();
        for (const c of checkpoints) this.labels(c.projection).set(Number(c.checkpoint));
      },
    });
    new Gauge({
      name: 'helpdesk_projection_lag_positions',
      help: 'Positions each projection is behind the head of the log (readiness fails above READY_MAX_LAG)',
      labelNames: ['projection'],
      registers,
      async collect() {
        const { head, checkpoints } = await read();
        this.reset();
        if (head === null) return;
        for (const c of checkpoints) this.labels(c.projection).set(Math.max(0, Number(head - c.checkpoint)));
      },
    });
    new Gauge({
      name: 'helpdesk_projection_healthy',
      help: '1 while a projection runs without error (in-process or projector app), 0 while it is retrying',
      labelNames: ['projection'],
      registers,
      async collect() {
        const { checkpoints } = await read();
        this.reset();
        for (const c of checkpoints) if (c.healthy !== undefined) this.labels(c.projection).set(c.healthy ? 1 : 0);
      },
    });

    const notifications = new Counter({
      name: 'helpdesk_notification_deliveries_total',
      help: 'Notification deliveries by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    const notificationDuration = new Histogram({
      name: 'helpdesk_notification_delivery_duration_seconds',
      help: 'Time to hand one notification to its channel (e.g. the SMTP server), by channel',
      labelNames: ['channel'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const webhooks = new Counter({
      name: 'helpdesk_webhook_deliveries_total',
      help: 'Webhook deliveries by outcome',
      labelNames: ['outcome'],
      registers,
    });
    const webhookDuration = new Histogram({
      name: 'helpdesk_webhook_delivery_duration_seconds',
      help: "Webhook delivery time (the receiver's answer included)",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.deliveries = {
      notification(channel, outcome, seconds) {
        notifications.labels(channel, outcome).inc();
        if (seconds !== undefined) notificationDuration.labels(channel).observe(seconds);
      },
      webhook(outcome, seconds) {
        webhooks.labels(outcome).inc();
        if (seconds !== undefined) webhookDuration.observe(seconds);
      },
    };
  }

  /** where projection lag is read at scrape time */
  setLagSource(source: LagSource): void {
    this.lagSource = source;
  }

  /** one HTTP request (route: the route template, e.g. /api/tickets/:id; 'unmatched' without a route) */
  http(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.httpChildren.get(key);
    if (!child) {
      child = this.httpDuration.labels(method, route, String(status));
      this.httpChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** CommandObserver: one executed command */
  command(report: Parameters<CommandObserver['command']>[0]): void {
    const key = `${report.type} ${report.outcome}`;
    let counter = this.commandChildren.get(key);
    if (!counter) {
      counter = this.commands.labels(report.type, report.outcome);
      this.commandChildren.set(key, counter);
    }
    counter.inc();
    let duration = this.commandDurationChildren.get(report.type);
    if (!duration) {
      duration = this.commandDuration.labels(report.type);
      this.commandDurationChildren.set(report.type, duration);
    }
    duration.observe(report.seconds);
    if (report.attempts > 1) this.commandRetries.labels(report.type).inc(report.attempts - 1);
  }

  /** CommandObserver: one append */
  append(report: Parameters<CommandObserver['append']>[0]): void {
    (report.ok ? this.appendOk : this.appendFailed).observe(report.seconds);
  }

  /** the embedded event store's group commits (SqliteEventStore.commitObserver) */
  readonly groupCommit = (report: GroupCommitReport): void => {
    if (!report.ok) {
      this.groupCommitFailures.inc();
      return;
    }
    this.groupCommitDuration.observe(report.seconds);
    this.groupCommitAppends.observe(report.appends);
    this.groupCommitEvents.observe(report.events);
  };

  /** one scheduler pass (Scheduler.observer) */
  readonly schedulerPass = (pass: SchedulerPass): void => {
    this.schedulerRuns.labels(pass.errors > 0 ? 'errors' : 'ok').inc();
    this.schedulerDuration.observe(pass.seconds);
    this.schedulerLastRun.set(Date.now() / 1000);
    if (pass.warnings) this.schedulerActions.labels('sla-warning').inc(pass.warnings);
    if (pass.breaches) this.schedulerActions.labels('sla-breach').inc(pass.breaches);
    if (pass.autoClosed) this.schedulerActions.labels('auto-close').inc(pass.autoClosed);
    if (pass.policiesExpired) this.schedulerActions.labels('policy-expired').inc(pass.policiesExpired);
    if (pass.expiryNotices) this.schedulerActions.labels('policy-expiry-notice').inc(pass.expiryNotices);
  };

  /** the text Prometheus scrapes */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
