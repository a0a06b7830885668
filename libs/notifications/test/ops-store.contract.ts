/**
 * The contract every operational-store adapter passes, first on the port itself (insert if
 * absent, compare-and-set, filters, keyset pages), then on the notifications' records written
 * through it (the NotificationStore, which only uses the port). Usage, in a *.spec.ts:
 *
 *   describeOpsStoreContract('sqlite', async () => ({ store, reopen, cleanup }));
 */
import { decideNotifications, type NotifiableEvent, type NotificationDecision, type NotificationFacts, type Person } from '@helpdesk/domain/notifications';
import { NotificationStore, type MailDeliveryRecord, type OpsStore, type WebhookRecord } from '../src';

type Opened = { store: OpsStore; reopen: () => Promise<OpsStore>; cleanup: () => Promise<void> };

export interface OpsContractOptions {
  /** compare-and-set is atomic under races (MongoDB, SQLite; not FerretDB v1). Default true. */
  atomicCompareAndSet?: boolean;
}

const people: Person[] = [
  { id: 'ana', kind: 'staff', email: 'ana@example.test', name: 'Ana', roles: ['agent'], customerId: null, approver: false, status: 'active', language: 'es-MX' },
  { id: 'sara', kind: 'staff', email: 'sara@example.test', name: 'Sara', roles: ['supervisor'], customerId: null, approver: false, status: 'active', language: 'en' },
  { id: 'sam', kind: 'staff', email: null, name: 'Sam', roles: ['supervisor'], customerId: null, approver: false, status: 'active', language: null },
];

const facts: NotificationFacts = {
  ticket: { ticketId: 't1', customerId: 'acme', reporterId: null, openedByRole: 'agent', assigneeId: 'ana', subject: 'Correo', escalationLevel: 1, quoteIssuers: {} },
  policy: null,
  customerName: 'Acme',
  people,
  preferences: { sara: { email: {}, language: null, dailyDigest: true } },
  escalation: { levels: [{ level: 1, name: 'engineer' }], contacts: {} },
  defaultLanguage: 'es-MX',
  emailEnabled: true,
};

const warning = (id: string): NotifiableEvent => ({
  id,
  type: 'SlaWarningRecorded',
  streamId: 'ticket-t1',
  position: '7',
  occurredAt: '2026-11-16T16:00:00.000Z',
  actor: 'system:scheduler',
  data: { ticketId: 't1', targetId: '1.0', dueAt: '2026-11-17T16:00:00.000Z' },
});

const assigned = (id: string): NotifiableEvent => ({ ...warning(id), type: 'TicketAssigned', actor: 'boss', data: { ticketId: 't1', assigneeId: 'sara', assignedBy: 'boss' } });

const messageId = (d: NotificationDecision) => `<${d.notificationId}@example.test>`;

export function describeOpsStoreContract(name: string, open: () => Promise<Opened>, options: OpsContractOptions = {}): void {
  describe(`OpsStore contract: ${name}`, () => {
    let opened: Opened;
    let store: OpsStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      await store.ensureCollections([{ name: 'things', indexes: [{ fields: [['state', 1], ['at', 1]] }] }]);
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    it('inserts once: a second insert of the same _id writes nothing', async () => {
      expect(await store.insert('things', { _id: 'a', state: 'pending', n: 1 })).toBe(true);
      expect(await store.insert('things', { _id: 'a', state: 'sent', n: 2 })).toBe(false);
      expect(await store.get('things', 'a')).toEqual({ _id: 'a', _rev: 1, state: 'pending', n: 1 });
      expect(await store.get('things', 'zzz')).toBeNull();
      expect(await store.get('nothing-here', 'a')).toBeNull();
    });

    it('replaces only at the revision read (compare-and-set) and counts revisions', async () => {
      await store.insert('things', { _id: 'a', state: 'pending' });
      const read = (await store.get('things', 'a'))!;
      expect(await store.replace('things', { ...read, _rev: read._rev!, state: 'sent' })).toBe(true);
      // a writer still holding revision 1 loses
      expect(await store.replace('things', { ...read, _rev: read._rev!, state: 'failed' })).toBe(false);
      expect(await store.get('things', 'a')).toEqual({ _id: 'a', _rev: 2, state: 'sent' });
      expect(await store.replace('things', { _id: 'missing', _rev: 1 })).toBe(false);
    });

    it('lets exactly one of many racing writers win a revision (where the server makes it atomic)', async () => {
      await store.insert('things', { _id: 'a', state: 'pending' });
      const read = (await store.get('things', 'a'))!;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.replace('things', { ...read, _rev: read._rev!, by: i })));
      // read when the test runs: the Mongo suite learns in beforeAll whether the server is FerretDB
      if (options.atomicCompareAndSet !== false) expect(results.filter(Boolean)).toHaveLength(1);
      else expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect((await store.get('things', 'a'))!._rev).toBe(2);
    });

    it('finds by filter in sort order and pages with a keyset cursor', async () => {
      for (let i = 0; i < 12; i++) await store.insert('things', { _id: `d${String(i).padStart(2, '0')}`, state: i % 3 === 0 ? 'sent' : 'pending', at: `2026-11-16T16:00:${String(i % 5).padStart(2, '0')}.000Z` });
      await store.insert('things', { _id: 'nulls', state: 'pending', at: null });
      const all = await store.find('things', { filter: { state: 'pending' }, sort: [['at', 1]] });
      expect(all.map((d) => d._id)).toEqual(['nulls', 'd05', 'd10', 'd01', 'd11', 'd02', 'd07', 'd08', 'd04']);
      const first = await store.find('things', { filter: { state: 'pending', at: { $lte: '2026-11-16T16:00:02.000Z' } }, sort: [['at', -1]], limit: 3 });
      expect(first.map((d) => d._id)).toEqual(['d02', 'd07', 'd01']);
      const last = first[first.length - 1];
      const next = await store.find('things', { filter: { state: 'pending', at: { $lte: '2026-11-16T16:00:02.000Z' } }, sort: [['at', -1]], limit: 3, after: { values: [last.at as string], id: last._id } });
      expect(next.map((d) => d._id)).toEqual(['d11', 'd05', 'd10']);
      expect(await store.count('things', { state: { $in: ['sent'] } })).toBe(4);
      expect(await store.count('things', { state: { $ne: 'sent' } })).toBe(9);
      expect(await store.count('things', { missing: null })).toBe(13);
      expect((await store.getMany('things', ['d03', 'nope', 'd01'])).map((d) => d._id)).toEqual(['d03', 'd01']);
    });

    it('inserts and replaces several at once, each as if alone', async () => {
      await store.insert('things', { _id: 'b', state: 'old' });
      expect(await store.insertMany([{ collection: 'things', doc: { _id: 'a', state: 'new' } }, { collection: 'things', doc: { _id: 'b', state: 'new' } }, { collection: 'others', doc: { _id: 'c' } }])).toEqual([true, false, true]);
      expect((await store.getMany('things', ['a', 'b'])).map((d) => d.state)).toEqual(['new', 'old']);
      expect(await store.get('others', 'c')).toEqual({ _id: 'c', _rev: 1 });
      const [a, b] = await store.getMany('things', ['a', 'b']);
      expect(await store.replaceMany('things', [{ ...a, _rev: a._rev!, state: 'x' }, { ...b, _rev: b._rev! + 5, state: 'x' }])).toEqual([true, false]);
      expect((await store.getMany('things', ['a', 'b'])).map((d) => [d.state, d._rev])).toEqual([
        ['x', 2],
        ['old', 1],
      ]);
      await store.sync();
    });

    it('deletes', async () => {
      await store.insert('things', { _id: 'a' });
      expect(await store.delete('things', 'a')).toBe(true);
      expect(await store.delete('things', 'a')).toBe(false);
      expect(await store.get('things', 'a')).toBeNull();
    });

    it('keeps what it wrote across a reopen', async () => {
      await store.insert('things', { _id: 'a', nested: { x: [1, 2] }, text: 'ñandú <b>' });
      await store.close();
      store = await opened.reopen();
      expect(await store.get('things', 'a')).toEqual({ _id: 'a', _rev: 1, nested: { x: [1, 2] }, text: 'ñandú <b>' });
    });

    describe('notifications through the port', () => {
      let ns: NotificationStore;
      beforeEach(async () => {
        ns = new NotificationStore(store);
        await ns.init();
      });

      it('records each decided notification once, with a pending delivery for each immediate e-mail', async () => {
        const decided = decideNotifications(warning('e1'), facts);
        expect(decided.map((d) => [d.recipientId, d.email.channel])).toEqual([
          ['ana', 'immediate'],
          ['sara', 'immediate'],
          ['sam', 'none'],
        ]);
        const first = await ns.record(decided, '2026-11-16T16:00:01.000Z', messageId);
        expect(first).toHaveLength(3);
        // the replay after a crash records nothing new
        expect(await ns.record(decided, '2026-11-16T16:05:00.000Z', messageId)).toEqual([]);
        const ana = await ns.getNotification(decided[0].notificationId);
        expect(ana).toMatchObject({ recipientId: 'ana', kind: 'sla-warning', createdAt: '2026-11-16T16:00:01.000Z', readAt: null, email: { channel: 'immediate', deliveryId: decided[0].notificationId } });
        const due = await ns.dueMail('2026-11-16T16:00:01.000Z', 10);
        expect(due.map((d) => [d.recipientId, d.to, d.messageId, d.state, d.attempts])).toEqual([
          ['ana', 'ana@example.test', `<${decided[0].notificationId}@example.test>`, 'pending', 0],
          ['sara', 'sara@example.test', `<${decided[1].notificationId}@example.test>`, 'pending', 0],
        ]);
        expect(await ns.dueMail('2026-11-16T16:00:00.000Z', 10)).toEqual([]);
      });

      it('completes a delivery missing after a crash between the two inserts', async () => {
        const [d] = decideNotifications(warning('e2'), facts);
        // the notification is there, its delivery is not
        await store.insert('notifications', { _id: d.notificationId, ...d, email: { ...d.email, deliveryId: d.notificationId }, digestState: null, seq: 7, createdAt: 'x', readAt: null });
        expect(await ns.record([d], '2026-11-16T16:00:01.000Z', messageId)).toEqual([]);
        expect(await ns.getMailDelivery(d.notificationId)).toMatchObject({ state: 'pending', recipientId: 'ana' });
      });

      it("lists a person's own notifications newest first, unread only on request, and marks only their own read", async () => {
        for (let i = 0; i < 5; i++) await ns.record(decideNotifications(warning(`w${i}`), facts), `2026-11-16T16:0${i}:00.000Z`, messageId);
        const page1 = await ns.listFor('ana', { limit: 2 });
        expect(page1.items.map((n) => n.cause.eventId)).toEqual(['w4', 'w3']);
        const page2 = await ns.listFor('ana', { limit: 2, cursor: page1.nextCursor! });
        const page3 = await ns.listFor('ana', { limit: 2, cursor: page2.nextCursor! });
        expect([...page2.items, ...page3.items].map((n) => n.cause.eventId)).toEqual(['w2', 'w1', 'w0']);
        expect(page3.nextCursor).toBeNull();
        const target = page1.items[0];
        expect(await ns.markRead('sara', target.notificationId, '2026-11-16T17:00:00.000Z')).toBeNull(); // not hers
        expect(await ns.markRead('ana', target.notificationId, '2026-11-16T17:00:00.000Z')).toMatchObject({ readAt: '2026-11-16T17:00:00.000Z' });
        expect(await ns.markRead('ana', target.notificationId, '2026-11-16T18:00:00.000Z')).toMatchObject({ readAt: '2026-11-16T17:00:00.000Z' });
        expect(await ns.countUnread('ana')).toBe(4);
        expect((await ns.listFor('ana', { limit: 10, unreadOnly: true })).items.map((n) => n.cause.eventId)).toEqual(['w3', 'w2', 'w1', 'w0']);
        await expect(ns.listFor('ana', { limit: 2, cursor: 'garbage' })).rejects.toThrow('cursor');
      });

      it('keeps digest notifications waiting until a digest takes them', async () => {
        const prefs = { ...facts, preferences: { sara: { email: {}, language: null, dailyDigest: true } } };
        const [d] = decideNotifications(assigned('a1'), prefs);
        expect(d).toMatchObject({ recipientId: 'sara', kind: 'ticket-assigned', email: { channel: 'digest' } });
        await ns.record([d], '2026-11-16T16:00:00.000Z', messageId);
        expect(await ns.dueMail('2030-01-01T00:00:00.000Z', 10)).toEqual([]);
        const waiting = await ns.waitingForDigest('2026-11-17T00:00:00.000Z');
        expect(waiting.map((n) => n.notificationId)).toEqual([d.notificationId]);
        expect(await ns.waitingForDigest('2026-11-16T16:00:00.000Z')).toEqual([]);
        expect(await ns.includeInDigest(waiting[0], 'digest-1')).toBe(true);
        expect(await ns.includeInDigest(waiting[0], 'digest-2')).toBe(false); // stale: another digest cannot take it
        expect(await ns.waitingForDigest('2026-11-17T00:00:00.000Z')).toEqual([]);
        expect(await ns.getNotification(d.notificationId)).toMatchObject({ digestState: 'included', email: { deliveryId: 'digest-1' } });
      });

      it('updates a delivery only at the revision read', async () => {
        await ns.record(decideNotifications(warning('e3'), facts), '2026-11-16T16:00:00.000Z', messageId);
        const [due] = await ns.dueMail('2026-11-16T16:00:00.000Z', 1);
        const claimed = await ns.updateMailDelivery({ ...due, attempts: 1, inFlight: { since: 'now', by: 'me' } } as MailDeliveryRecord);
        expect(claimed).toMatchObject({ attempts: 1, _rev: 2 });
        expect(await ns.updateMailDelivery({ ...due, attempts: 1 })).toBeNull();
        const sent = await ns.updateMailDelivery({ ...claimed!, state: 'sent', inFlight: null });
        expect(sent).toMatchObject({ state: 'sent', _rev: 3 });
        expect((await ns.listMailDeliveries({ state: 'sent' }, 10)).items.map((d) => d.deliveryId)).toEqual([due.deliveryId]);
      });

      it('stores preferences per person', async () => {
        expect(await ns.preferencesOf('ana')).toEqual({ email: {}, language: null, dailyDigest: false, updatedAt: null });
        await ns.updatePreferences('ana', (p) => ({ ...p, email: { ...p.email, 'ticket-assigned': false }, language: 'en' }), '2026-11-16T16:00:00.000Z');
        await ns.updatePreferences('ana', (p) => ({ ...p, dailyDigest: true }), '2026-11-16T16:01:00.000Z');
        expect(await ns.preferencesOf('ana')).toEqual({ email: { 'ticket-assigned': false }, language: 'en', dailyDigest: true, updatedAt: '2026-11-16T16:01:00.000Z' });
        expect(await ns.preferencesOfMany(['ana', 'sara'])).toEqual({ ana: { email: { 'ticket-assigned': false }, language: 'en', dailyDigest: true } });
      });

      it('keeps webhooks and their deliveries', async () => {
        const w: WebhookRecord = {
          _id: 'w1',
          webhookId: 'w1',
          url: 'https://erp.example/hook',
          eventTypes: ['TicketOpened'],
          customerId: null,
          description: null,
          secret: 'whsec_x',
          state: 'enabled',
          disabledAt: null,
          disabledReason: null,
          consecutiveFailures: 0,
          disabledCount: 0,
          fromPosition: '0',
          createdAt: '2026-11-16T16:00:00.000Z',
          createdBy: 'root',
          updatedAt: '2026-11-16T16:00:00.000Z',
        };
        expect(await ns.insertWebhook(w)).toBe(true);
        expect(await ns.insertWebhook(w)).toBe(false);
        const stored = (await ns.getWebhook('w1'))!;
        expect(await ns.updateWebhook({ ...stored, consecutiveFailures: 1 })).toMatchObject({ consecutiveFailures: 1 });
        expect(await ns.updateWebhook({ ...stored, consecutiveFailures: 2 })).toBeNull();
        const base = { webhookId: 'w1', eventType: 'TicketOpened', position: '1', seq: 1, payload: '{}', state: 'pending' as const, attempts: 0, inFlight: null, lastStatus: null, lastError: null, log: [], replays: 0, updatedAt: 'x', deliveredAt: null };
        await ns.insertWebhookDelivery({ _id: 'm1', deliveryId: 'm1', eventId: 'e1', nextAttemptAt: '2026-11-16T16:00:00.000Z', createdAt: '2026-11-16T16:00:00.000Z', ...base });
        await ns.insertWebhookDelivery({ _id: 'm2', deliveryId: 'm2', eventId: 'e2', nextAttemptAt: '2026-11-16T16:10:00.000Z', createdAt: '2026-11-16T16:00:01.000Z', ...base });
        expect((await ns.dueWebhookDeliveries('2026-11-16T16:05:00.000Z', 10)).map((d) => d.deliveryId)).toEqual(['m1']);
        expect(await ns.nextWebhookAt()).toBe('2026-11-16T16:00:00.000Z');
        expect((await ns.listWebhookDeliveries('w1', {}, 1)).items.map((d) => d.deliveryId)).toEqual(['m2']);
        expect(await ns.deleteWebhook('w1')).toBe(true);
        expect(await ns.listWebhooks()).toEqual([]);
      });

      it('keeps the escalation contacts', async () => {
        expect(await ns.escalationContacts()).toEqual({ levels: {}, updatedAt: null, updatedBy: null });
        await ns.setEscalationContacts({ '2': ['quique'] }, 'root', '2026-11-16T16:00:00.000Z');
        await ns.setEscalationContacts({ '2': ['quique'], '3': ['omar'] }, 'root', '2026-11-16T16:01:00.000Z');
        expect(await ns.escalationContacts()).toEqual({ levels: { '2': ['quique'], '3': ['omar'] }, updatedAt: '2026-11-16T16:01:00.000Z', updatedBy: 'root' });
      });
    });
  });
}
