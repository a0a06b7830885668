/**
 * Sends the pending e-mail deliveries, exactly once in effect:
 *  1. before sending, the delivery is marked in flight and its attempt logged (a
 *     compare-and-set on its revision, committed to disk);
 *  2. the message goes out with the delivery's Message-ID, which is derived from the cause and
 *     the recipient and never changes;
 *  3. the outcome is recorded: sent; or, for a transient failure (4xx, connection), pending again
 *     after an exponential backoff until the attempts run out; or failed with its reason (5xx).
 * A process that stops between 2 and 3 leaves the delivery in flight: the next dispatcher sends
 * it again with the same Message-ID (the receiving side de-duplicates on it), never with a new one.
 */
import type { NotificationLanguage } from '@helpdesk/domain/notifications';
import { backoffMs, DEFAULT_RETRY, DeliveryWorker, type RetryPolicy, type WorkerOptions } from '../delivery-worker';
import type { NotificationStore } from '../notification-store';
import type { AttemptLog, MailDeliveryRecord, NotificationRecord } from '../records';
import { renderDigestMail, renderNotificationMail, type RenderContext, type RenderedMail } from './templates';
import { classifySmtpError, MailSendError, type MailTransport, type SendResult } from './transport';

export interface MailDispatcherOptions extends WorkerOptions {
  from: string;
  retry?: RetryPolicy;
  render: RenderContext;
  /** called after each final outcome (metrics) */
  onOutcome?: (outcome: 'sent' | 'retry' | 'failed', delivery: MailDeliveryRecord) => void;
}

const LOG_LIMIT = 20;

export class UndeliverableError extends Error {}

export class MailDispatcher extends DeliveryWorker<MailDeliveryRecord> {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly store: NotificationStore,
    private readonly transport: MailTransport,
    private readonly options: MailDispatcherOptions,
  ) {
    super(options);
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  protected due(now: string, limit: number): Promise<MailDeliveryRecord[]> {
    return this.store.dueMail(now, limit);
  }

  protected nextDueAt(): Promise<string | null> {
    return this.store.nextMailAt();
  }

  /** the message of a delivery (a notification, or a day's digest) */
  async compose(d: MailDeliveryRecord): Promise<RenderedMail> {
    if (d.type === 'digest') {
      const items = await this.store.getNotifications(d.notificationIds);
      if (items.length === 0) throw new UndeliverableError('the digest has no notifications');
      return renderDigestMail(items, d.language, d.digestDate ?? d.createdAt.slice(0, 10), this.options.render);
    }
    const n: NotificationRecord | null = await this.store.getNotification(d.notificationIds[0]);
    if (!n) throw new UndeliverableError(`notification ${d.notificationIds[0]} not found`);
    return renderNotificationMail(n, d.language as NotificationLanguage, this.options.render);
  }

  protected async claim(due: MailDeliveryRecord[]): Promise<MailDeliveryRecord[]> {
    const startedAt = this.now().toISOString();
    const claims = due.map((d) => {
      const attempt = d.attempts + 1;
      const log: AttemptLog[] = d.log.map((l) => (l.outcome === null ? { ...l, outcome: 'interrupted' as const } : l));
      log.push({ attempt, startedAt, finishedAt: null, outcome: null, code: null, response: null, durationMs: null });
      return { ...d, attempts: attempt, inFlight: { since: startedAt, by: this.instanceId }, log: log.slice(-LOG_LIMIT), updatedAt: startedAt };
    });
    // 1. written before sending; one that changed meanwhile (an admin, another dispatcher) is left to its next look
    return (await this.store.updateMailDeliveries(claims)).filter((c): c is MailDeliveryRecord => c !== null);
  }

  protected async deliver(claimed: MailDeliveryRecord): Promise<void> {
    const attempt = claimed.attempts;
    const t0 = Date.now();
    let result: SendResult | null = null;
    let error: MailSendError | null = null;
    try {
      const mail = await this.compose(claimed);
      // 2. sent with the delivery's own Message-ID
      result = await this.transport.send({
        from: this.options.from,
        to: claimed.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: claimed.messageId,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Helpdesk-Kind': String(claimed.kind) },
      });
      // fault injection for the crash test: the message left, its outcome is not recorded
      if (process.env.HELPDESK_FAULT === 'exit-after-mail-send') process.exit(86);
    } catch (err) {
      error = err instanceof UndeliverableError ? new MailSendError(err.message, null, true) : classifySmtpError(err);
    }
    // 3. the outcome
    await this.finish(claimed, attempt, result, error, Date.now() - t0);
  }

  private async finish(claimed: MailDeliveryRecord, attempt: number, result: SendResult | null, error: MailSendError | null, durationMs: number): Promise<void> {
    let current: MailDeliveryRecord | null = claimed;
    for (let i = 0; i < 5 && current; i++) {
      const at = this.now().toISOString();
      const round = attempt - (current.attemptsBefore ?? 0);
      const o = outcome(result, error, round, this.retry);
      const log = current.log.map((l) =>
        l.attempt === attempt && l.outcome === null
          ? { ...l, finishedAt: at, durationMs, code: result?.code ?? error?.code ?? null, response: result?.response ?? error?.message ?? null, outcome: o }
          : l,
      );
      const next: MailDeliveryRecord = {
        ...current,
        inFlight: null,
        log,
        updatedAt: at,
        state: o === 'sent' ? 'sent' : o === 'failed' ? 'failed' : 'pending',
        sentAt: o === 'sent' ? at : current.sentAt,
        lastError: error ? error.message : current.lastError,
        failureReason: o === 'failed' ? (error!.permanent ? error!.message : `gave up after ${round} attempts: ${error!.message}`) : null,
        nextAttemptAt: o === 'retry' ? new Date(this.now().getTime() + backoffMs(this.retry, round)).toISOString() : current.nextAttemptAt,
      };
      const stored = await this.store.updateMailDelivery(next);
      if (stored) {
        this.options.onOutcome?.(o, stored);
        if (o === 'failed') this.log(`mail ${stored.deliveryId} to ${stored.recipientId} failed: ${stored.failureReason}`);
        return;
      }
      current = await this.store.getMailDelivery(claimed.deliveryId);
    }
  }
}

function outcome(result: SendResult | null, error: MailSendError | null, round: number, retry: RetryPolicy): 'sent' | 'retry' | 'failed' {
  if (result && !error) return 'sent';
  if (!error || error.permanent || round >= retry.maxAttempts) return 'failed';
  return 'retry';
}
