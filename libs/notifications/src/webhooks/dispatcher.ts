/**
 * Sends the pending webhook deliveries: each attempt is logged before the request (like the
 * e-mail), signed per Standard Webhooks with the subscription's secret and a fresh timestamp,
 * sent to the address the SSRF guard checked, and its answer recorded (status, body excerpt,
 * duration). A 2xx is delivered; anything else is retried with exponential backoff until the
 * attempts run out. A target the guard refuses fails at once. After `disableAfter` deliveries
 * failed in a row the subscription is disabled and the admins are told.
 */
import { backoffMs, DEFAULT_RETRY, DeliveryWorker, type RetryPolicy, type WorkerOptions } from '../delivery-worker';
import type { NotificationStore } from '../notification-store';
import type { AttemptLog, WebhookDeliveryRecord, WebhookRecord } from '../records';
import { postWebhook, type WebhookPoster, type WebhookResponse } from './client';
import { webhookHeaders } from './signing';
import { checkTarget, systemResolver, TargetRefusedError, type AllowList, type Resolver } from './ssrf';

export interface WebhookDispatcherOptions extends WorkerOptions {
  allow: AllowList;
  retry?: RetryPolicy;
  /** failed deliveries in a row that disable a subscription */
  disableAfter: number;
  timeoutMs?: number;
  resolver?: Resolver;
  poster?: WebhookPoster;
  /** a subscription was disabled automatically (tell the admins) */
  onDisabled?: (webhook: WebhookRecord) => Promise<void> | void;
  onOutcome?: (outcome: 'sent' | 'retry' | 'failed', delivery: WebhookDeliveryRecord) => void;
}

const LOG_LIMIT = 20;

export class WebhookDispatcher extends DeliveryWorker<WebhookDeliveryRecord> {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly store: NotificationStore,
    private readonly options: WebhookDispatcherOptions,
  ) {
    super(options);
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  protected due(now: string, limit: number): Promise<WebhookDeliveryRecord[]> {
    return this.store.dueWebhookDeliveries(now, limit);
  }

  protected nextDueAt(): Promise<string | null> {
    return this.store.nextWebhookAt();
  }

  protected async claim(due: WebhookDeliveryRecord[]): Promise<WebhookDeliveryRecord[]> {
    const startedAt = this.now().toISOString();
    const webhooks = new Map<string, WebhookRecord | null>();
    for (const d of due) if (!webhooks.has(d.webhookId)) webhooks.set(d.webhookId, await this.store.getWebhook(d.webhookId));
    const claims: WebhookDeliveryRecord[] = [];
    for (const d of due) {
      const webhook = webhooks.get(d.webhookId);
      if (!webhook || webhook.state !== 'enabled') {
        // nothing is sent for a deleted or disabled subscription (a replay after enabling it can)
        await this.store.updateWebhookDelivery({ ...d, state: 'failed', inFlight: null, lastError: webhook ? 'webhook disabled' : 'webhook deleted', updatedAt: startedAt });
        continue;
      }
      const attempt = d.attempts + 1;
      const log: AttemptLog[] = d.log.map((l) => (l.outcome === null ? { ...l, outcome: 'interrupted' as const } : l));
      log.push({ attempt, startedAt, finishedAt: null, outcome: null, code: null, response: null, durationMs: null });
      claims.push({ ...d, attempts: attempt, inFlight: { since: startedAt, by: this.instanceId }, log: log.slice(-LOG_LIMIT), updatedAt: startedAt });
    }
    if (claims.length === 0) return [];
    return (await this.store.updateWebhookDeliveries(claims)).filter((c): c is WebhookDeliveryRecord => c !== null);
  }

  protected async deliver(claimed: WebhookDeliveryRecord): Promise<void> {
    const webhook = await this.store.getWebhook(claimed.webhookId);
    const attempt = claimed.attempts;
    const t0 = Date.now();
    let response: WebhookResponse | null = null;
    let error: string | null = null;
    let permanent = false;
    try {
      if (!webhook) throw new TargetRefusedError('the webhook was deleted');
      const target = await checkTarget(webhook.url, this.options.allow, this.options.resolver ?? systemResolver);
      const timestamp = Math.floor(this.now().getTime() / 1000);
      response = await (this.options.poster ?? postWebhook)(target, webhookHeaders(webhook.secret, claimed.deliveryId, timestamp, claimed.payload), claimed.payload, this.options.timeoutMs ?? 10_000);
      if (response.status < 200 || response.status > 299) error = `HTTP ${response.status}`;
    } catch (err) {
      permanent = err instanceof TargetRefusedError;
      error = permanent ? `refused: ${(err as Error).message}` : ((err as Error)?.message ?? String(err));
    }
    const ok = error === null;
    const round = attempt - (claimed.attemptsBefore ?? 0);
    const outcome: 'sent' | 'retry' | 'failed' = ok ? 'sent' : permanent || round >= this.retry.maxAttempts ? 'failed' : 'retry';
    const at = this.now().toISOString();
    const finished: WebhookDeliveryRecord = {
      ...claimed,
      inFlight: null,
      state: outcome === 'sent' ? 'sent' : outcome === 'failed' ? 'failed' : 'pending',
      lastStatus: response?.status ?? null,
      lastError: error,
      deliveredAt: ok ? at : claimed.deliveredAt,
      nextAttemptAt: outcome === 'retry' ? new Date(this.now().getTime() + backoffMs(this.retry, round)).toISOString() : claimed.nextAttemptAt,
      updatedAt: at,
      log: claimed.log.map((l) =>
        l.attempt === attempt && l.outcome === null
          ? { ...l, finishedAt: at, durationMs: Date.now() - t0, outcome, code: response?.status ?? null, response: response ? response.body.slice(0, 500) : error }
          : l,
      ),
    };
    const stored = await this.store.updateWebhookDelivery(finished);
    if (!stored) return;
    this.options.onOutcome?.(outcome, stored);
    if (outcome !== 'retry') await this.countOutcome(claimed.webhookId, outcome === 'sent', error);
  }

  /** consecutive failed deliveries per subscription; disables it at the limit */
  private async countOutcome(webhookId: string, success: boolean, lastError: string | null): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const w = await this.store.getWebhook(webhookId);
      if (!w) return;
      const consecutiveFailures = success ? 0 : w.consecutiveFailures + 1;
      if (consecutiveFailures === w.consecutiveFailures) return;
      const at = this.now().toISOString();
      const disable = !success && w.state === 'enabled' && consecutiveFailures >= this.options.disableAfter;
      const next: WebhookRecord = {
        ...w,
        consecutiveFailures,
        updatedAt: at,
        ...(disable ? { state: 'disabled' as const, disabledAt: at, disabledReason: `${consecutiveFailures} failed deliveries in a row; last: ${lastError}`, disabledCount: w.disabledCount + 1 } : {}),
      };
      const stored = await this.store.updateWebhook(next);
      if (!stored) continue;
      if (disable) {
        this.log(`webhook ${w.webhookId} disabled after ${consecutiveFailures} failed deliveries`);
        await this.options.onDisabled?.(stored);
      }
      return;
    }
  }
}
