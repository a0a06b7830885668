/**
 * New notifications as they are recorded, per recipient, in this process: the hook the
 * console's live stream (GET /api/events/stream, `event: notification`) listens to. The
 * notifier publishes here when it runs in the same process as the API (PROJECTOR=in-process);
 * with an external projector, `pollInto` feeds it from the store instead.
 */
import type { NotificationRecord } from './records';

export type FeedListener = (notification: NotificationRecord) => void;

export class NotificationFeed {
  private readonly listeners = new Map<string, Set<FeedListener>>();
  private readonly everyone = new Set<FeedListener>();

  /** listen to one recipient's new notifications; returns the unsubscribe function */
  subscribe(recipientId: string, listener: FeedListener): () => void {
    let set = this.listeners.get(recipientId);
    if (!set) this.listeners.set(recipientId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0) this.listeners.delete(recipientId);
    };
  }

  /** every new notification (metrics, tests) */
  subscribeAll(listener: FeedListener): () => void {
    this.everyone.add(listener);
    return () => this.everyone.delete(listener);
  }

  publish(records: NotificationRecord[]): void {
    for (const n of records) {
      for (const l of this.everyone) safe(l, n);
      for (const l of this.listeners.get(n.recipientId) ?? []) safe(l, n);
    }
  }

  get listenerCount(): number {
    let n = this.everyone.size;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}

function safe(listener: FeedListener, n: NotificationRecord): void {
  try {
    listener(n);
  } catch {
    /* a listener's failure is its own */
  }
}
