/**
 * The notification pieces of a process, built from the configuration: the store, the live
 * feed, and in the process that runs the projector (the API by default, apps/projector with
 * PROJECTOR=external) the notifier and webhook recorder projections, the e-mail and webhook
 * dispatchers and the daily digest job.
 */
import type { Preset } from '@helpdesk/domain';
import { isNotificationLanguage, type NotificationDecision, type NotificationLanguage } from '@helpdesk/domain/notifications';
import type { EventStore } from '@helpdesk/event-store';
import type { Projection } from '@helpdesk/projections';
import type { ReadStore } from '@helpdesk/read-store';
import {
  DigestJob,
  FactsGatherer,
  MailDispatcher,
  MongoOpsStore,
  NOTIFIER_NAME,
  NotificationFeed,
  NotificationStore,
  SqliteOpsStore,
  ThreadedMailTransport,
  WEBHOOK_RECORDER_NAME,
  WebhookDispatcher,
  describeSmtpUrl,
  notify,
  notifierProjection,
  parseAllowList,
  webhookRecorder,
  type MailTransport,
  type NotificationRecord,
  type NotifierDeps,
  type RenderContext,
  type WebhookRecord,
  type WebhookRecorder,
} from '@helpdesk/notifications';
import * as path from 'path';
import type { AppConfig } from '../config';
import { Counter } from 'prom-client';
import type { Metrics } from '../observability/metrics';
import { identityLinks, linkBuilder, type IdentityLinks } from './links';

export const NOTIFICATIONS = Symbol('NOTIFICATIONS');

/** the company's language (the preset's locale) */
export function presetLanguage(preset: Preset): NotificationLanguage {
  return isNotificationLanguage(preset.locale) ? preset.locale : 'es-MX';
}

/** the company's zone: the calendar of the default support level */
export function presetZone(preset: Preset): string {
  const level = preset.supportLevels.find((l) => l.level === preset.defaultSupportLevel) ?? preset.supportLevels[0];
  return (level && preset.calendars[level.calendarId]?.zone) ?? Object.values(preset.calendars)[0]?.zone ?? 'UTC';
}

export function presetCompanyName(preset: Preset): string {
  return preset.company?.name || preset.title;
}

/** opens the configured operational store: SQLite beside the event store, or the MongoDB of the read models */
export async function openNotificationStore(config: AppConfig): Promise<NotificationStore> {
  const ops = config.readStore === 'mongodb' ? await MongoOpsStore.connect(config.mongoUrl!) : SqliteOpsStore.open(path.join(config.dataDir, 'notifications.db'));
  const store = new NotificationStore(ops);
  await store.init();
  return store;
}

/** the embedded operational store, opened at once (its collections are created by startAtHead) */
export function embeddedNotificationStore(config: AppConfig): NotificationStore {
  if (config.readStore === 'mongodb') throw new Error('with READ_STORE=mongodb, open the notification store with openNotificationStore');
  return new NotificationStore(SqliteOpsStore.open(path.join(config.dataDir, 'notifications.db')));
}

export interface RuntimeDeps {
  config: AppConfig;
  events: EventStore;
  views: ReadStore;
  store: NotificationStore;
  now: () => Date;
  log: { log(m: string): void; warn(m: string): void };
  /** this process runs the projector (records, dispatches, digests) */
  runsProjector: boolean;
  /** tests: another transport than SMTP */
  transport?: MailTransport;
  identity?: IdentityLinks;
  /** null when metrics are off */
  metrics?: Metrics | null;
}

export class NotificationsRuntime {
  readonly feed = new NotificationFeed();
  readonly store: NotificationStore;
  readonly gatherer: FactsGatherer;
  readonly renderContext: RenderContext;
  readonly language: NotificationLanguage;
  readonly zone: string;
  readonly emailEnabled: boolean;
  readonly mail: MailDispatcher | null;
  readonly webhooks: WebhookDispatcher | null;
  readonly digest: DigestJob | null;
  readonly recorder: WebhookRecorder | null;
  readonly notifier: NotifierDeps;
  private readonly mailDomain: string;
  private readonly recordedCounter: Counter<'kind'> | null;
  private transport: MailTransport | null = null;
  private poller: NodeJS.Timeout | null = null;

  constructor(private readonly deps: RuntimeDeps) {
    const { config } = deps;
    const n = config.notifications;
    this.store = deps.store;
    this.language = presetLanguage(config.preset);
    this.zone = presetZone(config.preset);
    this.emailEnabled = n.smtpUrl !== null;
    this.mailDomain = (/@([^\s>]+)>?\s*$/.exec(n.mailFrom ?? '')?.[1] ?? new URL(n.publicUrl).hostname).toLowerCase();
    const nowIso = () => deps.now().toISOString();
    const metrics = deps.metrics ?? null;
    this.recordedCounter = metrics
      ? new Counter({ name: 'helpdesk_notifications_recorded_total', help: 'Notifications recorded (console), by kind', labelNames: ['kind'], registers: [metrics.registry] })
      : null;
    const seconds = (log: Array<{ durationMs: number | null }>) => {
      const ms = log[log.length - 1]?.durationMs;
      return typeof ms === 'number' ? ms / 1000 : undefined;
    };
    this.gatherer = new FactsGatherer(deps.events, deps.views, deps.store, { preset: config.preset, defaultLanguage: this.language, emailEnabled: this.emailEnabled });
    this.renderContext = {
      zone: this.zone,
      companyName: presetCompanyName(config.preset),
      links: linkBuilder(n.publicUrl, deps.identity ?? identityLinks(n.publicUrl, config.identity.secret)),
    };
    this.notifier = {
      gatherer: this.gatherer,
      store: deps.store,
      now: nowIso,
      messageIdOf: (d: NotificationDecision) => this.messageIdOf(d.notificationId),
      onRecorded: (records) => this.recorded(records),
    };
    if (!deps.runsProjector) {
      this.mail = null;
      this.webhooks = null;
      this.digest = null;
      this.recorder = null;
      return;
    }
    this.recorder = webhookRecorder({ store: deps.store, gatherer: this.gatherer, now: nowIso, onRecorded: () => this.webhooks?.wake() });
    this.transport = this.emailEnabled ? (deps.transport ?? new ThreadedMailTransport(n.smtpUrl!, { maxConnections: n.mail.concurrency, timeoutMs: n.mail.timeoutMs })) : null;
    this.mail = this.transport
      ? new MailDispatcher(deps.store, this.transport, {
          from: n.mailFrom!,
          render: this.renderContext,
          retry: { maxAttempts: n.mail.maxAttempts, initialBackoffMs: n.mail.initialBackoffMs, maxBackoffMs: n.mail.maxBackoffMs },
          concurrency: n.mail.concurrency,
          pollMs: n.pollMs,
          leaseMs: Math.max(60_000, 4 * n.mail.timeoutMs),
          now: deps.now,
          log: (m) => deps.log.warn(m),
          onOutcome: (o, d) => metrics?.deliveries.notification('email', o === 'sent' ? 'sent' : o === 'retry' ? 'retried' : 'failed', seconds(d.log)),
        })
      : null;
    this.webhooks = new WebhookDispatcher(deps.store, {
      allow: parseAllowList(n.webhooks.allowHosts),
      retry: { maxAttempts: n.webhooks.maxAttempts, initialBackoffMs: n.webhooks.initialBackoffMs, maxBackoffMs: n.webhooks.maxBackoffMs },
      disableAfter: n.webhooks.disableAfter,
      timeoutMs: n.webhooks.timeoutMs,
      concurrency: n.webhooks.concurrency,
      pollMs: n.pollMs,
      leaseMs: Math.max(60_000, 4 * n.webhooks.timeoutMs),
      now: deps.now,
      log: (m) => deps.log.warn(m),
      onDisabled: (w) => this.webhookDisabled(w),
      onOutcome: (o, d) => metrics?.deliveries.webhook(o === 'sent' ? 'delivered' : o === 'retry' ? 'retried' : 'failed', seconds(d.log)),
    });
    this.digest = new DigestJob(deps.store, { hour: n.digestHour, zone: this.zone, messageIdOf: (id) => this.messageIdOf(id), onCreated: () => this.mail?.wake() });
  }

  /** `<id@domain>`: derived from the delivery id, so the same on every attempt */
  messageIdOf(deliveryId: string): string {
    return `<${deliveryId}@${this.mailDomain}>`;
  }

  /** the projections this process adds to its projector */
  projections(): Projection[] {
    return this.recorder ? [notifierProjection(this.notifier), this.recorder] : [];
  }

  /**
   * Before the projector starts: a notifier or recorder that has never run starts at the head
   * of the log, so a deployment that adds notifications does not notify its whole history.
   */
  async startAtHead(): Promise<void> {
    await this.store.init();
    if (!this.deps.runsProjector) return;
    const head = await this.deps.events.headPosition();
    if (head === 0n) return;
    for (const name of [NOTIFIER_NAME, WEBHOOK_RECORDER_NAME]) {
      if ((await this.deps.views.getCheckpoint(name)) === 0n) await this.deps.views.setCheckpoint(name, head);
    }
  }

  startWorkers(): void {
    if (!this.deps.runsProjector) {
      this.startPolling();
      return;
    }
    if (this.mail) {
      this.mail.start();
      this.deps.log.log(`notifications: e-mail through ${describeSmtpUrl(this.deps.config.notifications.smtpUrl!)} from ${this.deps.config.notifications.mailFrom}`);
    } else {
      this.deps.log.warn('notifications: SMTP_URL is not set, so notifications stay in the console only (no e-mail is sent)');
    }
    this.webhooks?.start();
  }

  async stopWorkers(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await this.mail?.stop();
    await this.webhooks?.stop();
    this.transport?.close();
  }

  private recorded(records: NotificationRecord[]): void {
    const metrics = this.deps.metrics;
    if (metrics) {
      for (const r of records) {
        this.recordedCounter!.labels(r.kind).inc();
        metrics.deliveries.notification('in-app', 'sent');
        if (r.email.channel === 'none') metrics.deliveries.notification('email', 'dropped');
      }
    }
    this.feed.publish(records);
    if (records.some((r) => r.email.channel === 'immediate')) this.mail?.wake();
  }

  private async webhookDisabled(w: WebhookRecord): Promise<void> {
    // the recorder records nothing more for it from now on (not after its cache expires)
    this.recorder?.invalidate();
    await notify(
      this.notifier,
      {
        id: `webhook-disabled:${w.webhookId}:${w.disabledCount}`,
        type: 'WebhookDisabled',
        streamId: `webhook-${w.webhookId}`,
        position: null,
        occurredAt: w.disabledAt ?? this.deps.now().toISOString(),
        actor: 'system:webhooks',
        data: { webhookId: w.webhookId, url: w.url, consecutiveFailures: w.consecutiveFailures, lastError: w.disabledReason },
      },
      null,
    );
  }

  /**
   * With an external projector the API does not see notifications being recorded: it looks
   * at the store every second and feeds the live stream with what is new.
   */
  private startPolling(): void {
    let since: string | null = null;
    const seen = new Set<string>();
    const poll = async () => {
      if (this.feed.listenerCount === 0 && since !== null) return;
      const page = await this.store.listAll({}, 200);
      const fresh = page.items.filter((n) => since === null || n.createdAt > since || (n.createdAt === since && !seen.has(n._id)));
      if (since !== null && fresh.length > 0) this.feed.publish(fresh.reverse());
      const newest = page.items[0]?.createdAt ?? since ?? '';
      if (newest !== since) seen.clear();
      for (const n of page.items) if (n.createdAt === newest) seen.add(n._id);
      since = newest;
    };
    this.poller = setInterval(() => void poll().catch(() => undefined), 1000);
    this.poller.unref?.();
  }
}
