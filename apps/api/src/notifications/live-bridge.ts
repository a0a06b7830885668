/**
 * New notifications reach the console live: each one recorded (in this process, or seen in
 * the store when the projector runs elsewhere) is pushed to its recipient's open streams of
 * GET /api/events/stream as `event: notification` with
 * `data: {"notificationId","kind","title","link","ticketId","policyId","createdAt"}`
 * (the title in the recipient's language; the console refetches GET /api/notifications for the rest).
 */
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { consolePathOf, titleOf, type NotificationRecord } from '@helpdesk/notifications';
import { LiveUpdates } from '../live/live-updates';
import { NOTIFICATIONS, NotificationsRuntime } from './runtime';

export function notificationFrame(n: NotificationRecord, rt: NotificationsRuntime) {
  return {
    notificationId: n.notificationId,
    kind: n.kind,
    title: titleOf(n, n.language, rt.renderContext),
    link: consolePathOf(n),
    ticketId: n.ticketId,
    policyId: n.policyId,
    createdAt: n.createdAt,
  };
}

@Injectable()
export class NotificationLiveBridge implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | null = null;
  constructor(
    @Inject(NOTIFICATIONS) private readonly rt: NotificationsRuntime,
    private readonly live: LiveUpdates,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.rt.feed.subscribeAll((n) => this.live.sendTo((actor) => actor.id === n.recipientId, 'notification', notificationFrame(n, this.rt)));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
