/**
 * With PROJECTOR=external the notifier runs in the projector app, not in the API: the API
 * does not see notifications being recorded and looks at the notification store instead
 * (every second), pushing what is new to the recipients' open streams. Here the projector's
 * part (the projections, the notifier) runs in this process apart from the API, on the same
 * stores, like test/api/live-updates.spec.ts does for the read models.
 */
import * as path from 'path';
import { NotificationStore, SqliteOpsStore } from '@helpdesk/notifications';
import { Projector, allProjections } from '@helpdesk/projections';
import { APP_CONFIG, type AppConfig } from '../../apps/api/src/config';
import { NotificationsRuntime } from '../../apps/api/src/notifications/runtime';
import { createPeople, type People } from '../support/people';
import { SseClient } from '../support/sse';
import { startTestApp, type TestApp } from '../support/test-app';

describe('notifications reach the live stream when the projector runs elsewhere (PROJECTOR=external)', () => {
  let t: TestApp;
  let projector: Projector;
  let projectorSide: NotificationsRuntime;
  let people: People;
  let base: string;
  const open: SseClient[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { PROJECTOR: 'external', MIN_POSITION_WAIT_MS: '3000', NOTIFY_POLL_MS: '50' } });
    const config = t.app.get<symbol, AppConfig>(APP_CONFIG);
    // the projector app's notifications: its own handle on the notification store
    projectorSide = new NotificationsRuntime({
      config,
      events: t.events,
      views: t.views,
      store: new NotificationStore(SqliteOpsStore.open(path.join(t.dataDir, 'notifications.db'))),
      now: () => t.clock.now(),
      log: { log: () => undefined, warn: () => undefined },
      runsProjector: true,
    });
    await projectorSide.startAtHead();
    projector = new Projector(t.events, t.views, [...allProjections(), ...projectorSide.projections()]);
    await projector.start();
    people = await createPeople(t, null, [
      { key: 'ana', kind: 'staff', email: 'ana@staff.example.test', name: 'Ana', roles: ['agent'], language: 'en' },
      { key: 'beto', kind: 'staff', email: 'beto@staff.example.test', name: 'Beto', roles: ['agent'] },
    ]);
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    // the API looks at the store every second: let it see the invitations before streams open
    // (what it has not looked at yet is new to it, and pushed, even if recorded just before)
    await new Promise((r) => setTimeout(r, 1500));
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await projector.stop();
    await projectorSide.store.close();
    await t.close();
  });

  it("pushes the notification the projector recorded to its recipient's stream only", async () => {
    const stream = async (key: string) => {
      const s = await SseClient.open(`${base}/api/events/stream`, people.auth(key));
      open.push(s);
      await s.next((e) => e.event === 'ready');
      return s;
    };
    const ana = await stream('ana');
    const beto = await stream('beto');
    const c = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Acme' }).expect(201)).body.customerId;
    const ticketId = (await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], c)).send({ department: 'support', subject: 'Escáner', description: 'x' }).expect(201)).body.ticketId;
    await t.http.post(`/api/tickets/${ticketId}/assignment`).set(t.auth('sara', ['supervisor'])).send({ assigneeId: people.get('ana').userId }).expect(200);
    const frame = await ana.next((e) => e.event === 'notification', 10_000);
    expect(JSON.parse(frame.data)).toEqual({
      notificationId: expect.any(String),
      kind: 'ticket-assigned',
      title: 'Ticket assigned to you: Escáner',
      link: `/tickets/${ticketId}`,
      ticketId,
      policyId: null,
      createdAt: expect.any(String),
    });
    // recorded by the projector's notifier, listed by the API
    const list = (await t.http.get('/api/notifications').set(people.auth('ana')).expect(200)).body.items;
    expect(list.map((n: { notificationId: string }) => n.notificationId)).toContain(JSON.parse(frame.data).notificationId);
    // beto saw the ticket change, and after two more looks at the store still no notification
    await beto.next((e) => e.event === 'change' && JSON.parse(e.data).type === 'TicketAssigned');
    await new Promise((r) => setTimeout(r, 2200));
    expect(beto.events.filter((e) => e.event === 'notification')).toEqual([]);
    expect(ana.events.filter((e) => e.event === 'notification')).toHaveLength(1);
  });
});
