/**
 * Notifications end to end: the real API (embedded stores, in-process projector with the
 * notifier), a real SMTP server in this process receiving and parsing every message, people
 * in the users read model. Each kind must reach exactly the right people (and, by e-mail,
 * nobody else); a customer's people never hear about another customer.
 */
import { randomUUID } from 'crypto';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/smtp-receiver';
import { seedPeople, type TestPerson } from '../support/people';
import { startTestApp, type TestApp } from '../support/test-app';

const PUBLIC_URL = 'https://console.example.test';

const staff = (userId: string, roles: string[], language: TestPerson['language'] = 'es-MX'): TestPerson => ({ userId, kind: 'staff', email: `${userId}@staff.example.test`, name: userId, roles, language });
const contact = (userId: string, customerId: string, approver: boolean, language: TestPerson['language'] = 'es-MX'): TestPerson => ({
  userId,
  kind: 'contact',
  email: `${userId}@${customerId}.example.test`,
  name: userId,
  roles: ['customer'],
  customerId,
  approver,
  language,
});

interface World {
  t: TestApp;
  smtp: SmtpReceiver;
  acme: string;
  globex: string;
  address: (userId: string) => string;
  as: (userId: string) => { Authorization: string };
  settle: () => Promise<void>;
  mailsOf: (kindHeader: string) => ReceivedMail[];
}

async function world(people: (acme: string, globex: string) => TestPerson[], env: Record<string, string> = {}, preset = 'intecnia'): Promise<World> {
  const smtp = await startSmtpReceiver();
  const t = await startTestApp({
    preset,
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Mesa de ayuda <soporte@intecnia.example.test>', PUBLIC_URL, MAIL_RETRY_INITIAL_MS: '1000', NOTIFY_POLL_MS: '50', ...env },
  });
  const admin = t.auth('root', ['admin']);
  const acme = (await t.http.post('/api/customers').set(admin).send({ name: 'Acme' }).expect(201)).body.customerId as string;
  const globex = (await t.http.post('/api/customers').set(admin).send({ name: 'Globex' }).expect(201)).body.customerId as string;
  const list = people(acme, globex);
  await seedPeople(t.views, list);
  const byId = new Map(list.map((p) => [p.userId, p]));
  return {
    t,
    smtp,
    acme,
    globex,
    address: (id) => byId.get(id)!.email,
    as: (id) => {
      const p = byId.get(id)!;
      return t.auth(id, p.roles, p.customerId ?? undefined);
    },
    // the projector and the notifier have seen everything, and the dispatcher sent what was due
    settle: async () => {
      await t.caughtUp(Number(await t.events.headPosition()));
      const rt = t.app.get(NOTIFICATIONS) as NotificationsRuntime;
      await rt.mail?.idle();
    },
    mailsOf: (kind) => smtp.mails.filter((m) => m.headers.get('x-helpdesk-kind') === kind),
  };
}

import { NOTIFICATIONS, NotificationsRuntime } from '../../apps/api/src/notifications/runtime';

const recipients = (mails: ReceivedMail[]) => mails.flatMap((m) => m.rcpt).sort();

describe('notifications: each kind reaches the right people and no one else', () => {
  let w: World;
  const people = (acme: string, globex: string) => [
    staff('ana', ['agent']),
    staff('beto', ['agent']),
    staff('sara', ['supervisor'], 'en'),
    staff('quique', ['supervisor']),
    staff('omar', ['supervisor']),
    staff('fina', ['finance']),
    staff('adri', ['admin']),
    staff('gone', ['supervisor'], 'es-MX'),
    contact('carla', acme, true),
    contact('ciro', acme, false, 'es-CO'),
    contact('gina', globex, true),
    contact('gus', globex, false),
  ];

  beforeAll(async () => {
    w = await world(people);
    await seedPeople(w.t.views, [{ ...staff('gone', ['supervisor']), status: 'deactivated' }]);
    // the quality lead is named for level 2, the operations manager for level 3
    await w.t.http
      .put('/api/notification-settings/escalation-contacts')
      .set(w.as('adri'))
      .send({ levels: [{ level: 2, userIds: ['quique'] }, { level: 3, userIds: ['omar'] }] })
      .expect(200);
  });
  afterAll(async () => {
    await w.t.close();
    await w.smtp.close();
  });

  let ticketId: string;
  let otherTicketId: string;
  const subject = 'Correo <b>caído</b> & "lento"';

  it('assignment: only the new assignee, by e-mail in their language, with a link to the ticket', async () => {
    const opened = await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject, description: 'No llegan correos' }).expect(201);
    ticketId = opened.body.ticketId;
    otherTicketId = (await w.t.http.post('/api/tickets').set(w.as('gus')).send({ department: 'support', subject: 'Globex: VPN', description: 'x' }).expect(201)).body.ticketId;
    await w.t.http.post(`/api/tickets/${ticketId}/assignment`).set(w.as('sara')).send({ assigneeId: 'ana' }).expect(200);
    await w.t.http.post(`/api/tickets/${otherTicketId}/assignment`).set(w.as('sara')).send({ assigneeId: 'beto' }).expect(200);
    await w.settle();
    const mails = w.mailsOf('ticket-assigned');
    expect(recipients(mails)).toEqual([w.address('ana'), w.address('beto')].sort());
    const mail = mails.find((m) => m.rcpt[0] === w.address('ana'))!;
    expect(mail.subject).toBe(`Ticket asignado: ${subject}`);
    expect(mail.from).toBe('soporte@intecnia.example.test');
    expect(mail.text).toContain(`${PUBLIC_URL}/tickets/${ticketId}`);
    // everything escaped in the HTML part
    expect(mail.html).toContain('Correo &lt;b&gt;caído&lt;/b&gt; &amp; &quot;lento&quot;');
    expect(mail.html).not.toContain('<b>caído</b>');
    expect(mail.html).toContain(`href="${PUBLIC_URL}/tickets/${ticketId}"`);
    // the Message-ID is the notification's, and the console lists it
    const list = await w.t.http.get('/api/notifications').set(w.as('ana')).expect(200);
    expect(list.body).toMatchObject({ unreadCount: 1, nextCursor: null });
    expect(list.body.items).toEqual([
      expect.objectContaining({
        kind: 'ticket-assigned',
        reason: 'assignee',
        ticketId,
        link: `/tickets/${ticketId}`,
        title: `Ticket asignado: ${subject}`,
        readAt: null,
        email: { state: 'sent', reason: null, digest: false, attempts: 1, sentAt: expect.any(String) },
        cause: expect.objectContaining({ eventType: 'TicketAssigned' }),
      }),
    ]);
    expect(mail.messageId).toBe(`<${list.body.items[0].notificationId}@intecnia.example.test>`);
  });

  it('quote issued: the customer approvers only; accepted: the assignee', async () => {
    w.smtp.clear();
    const quoteId = randomUUID();
    await w.t.http.post(`/api/tickets/${ticketId}/quotes`).set(w.as('ana')).send({ quoteId, kind: 'per-event', minutes: 90, hourlyRateMinor: 85050, currency: 'MXN', description: 'Revisión del MX' }).expect(201);
    await w.t.http.post(`/api/tickets/${otherTicketId}/quotes`).set(w.as('beto')).send({ kind: 'per-event', minutes: 60, hourlyRateMinor: 50000, currency: 'MXN', description: 'VPN' }).expect(201);
    await w.settle();
    const awaiting = w.mailsOf('quote-awaiting-authorization');
    expect(recipients(awaiting)).toEqual([w.address('carla'), w.address('gina')].sort());
    const carla = w.smtp.to(w.address('carla'));
    expect(carla).toHaveLength(1);
    expect(carla[0].subject).toBe(`Cotización por autorizar: ${subject}`);
    // 90 min at 850.50/h = 1,275.75 MXN, exactly
    expect(carla[0].text).toContain('$1,275.75');
    expect(carla[0].text).toContain('1 h 30 min');
    expect(carla[0].text).not.toContain('Globex');

    await w.t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(w.as('carla')).send({ decision: 'accept', purchaseOrder: 'OC-77' }).expect(200);
    await w.settle();
    expect(recipients(w.mailsOf('quote-accepted'))).toEqual([w.address('ana')]);
    expect(w.mailsOf('quote-accepted')[0].text).toContain('OC-77');
  });

  it("customer reply: the assignee; a question to the customer: the reporter, in the reporter's language", async () => {
    w.smtp.clear();
    await w.t.http.post(`/api/tickets/${ticketId}/messages`).set(w.as('ciro')).send({ body: 'Ya reinicié el servidor', visibility: 'public' }).expect(201);
    await w.t.http.post(`/api/tickets/${ticketId}/messages`).set(w.as('ana')).send({ body: 'nota interna', visibility: 'internal' }).expect(201);
    await w.settle();
    expect(recipients(w.mailsOf('customer-replied'))).toEqual([w.address('ana')]);
    expect(w.mailsOf('customer-replied')[0].text).toContain('Ya reinicié el servidor');

    await w.t.http.post(`/api/tickets/${ticketId}/awaiting-customer`).set(w.as('ana')).send({ question: '¿Qué versión de Exchange?' }).expect(200);
    await w.settle();
    const asked = w.mailsOf('awaiting-customer');
    expect(recipients(asked)).toEqual([w.address('ciro')]);
    expect(asked[0].subject).toBe(`Necesitamos información: ${subject}`);
    expect(asked[0].text).toContain('¿Qué versión de Exchange?');
    expect(asked[0].text).not.toContain('nota interna');
  });

  it('SLA warning: assignee and active supervisors; breach: also the next escalation level; in each one’s language', async () => {
    // a fresh ticket on the split-day calendar, assigned to beto
    const r = await w.t.http.post('/api/tickets').set(w.as('carla')).send({ department: 'support', subject: 'Firewall caído', description: 'x' }).expect(201);
    const id = r.body.ticketId as string;
    await w.t.http.post(`/api/tickets/${id}/assignment`).set(w.as('sara')).send({ assigneeId: 'beto' }).expect(200);
    await w.settle();
    w.smtp.clear();
    const v = await w.t.http.get(`/api/tickets/${id}`).set(w.as('beto')).expect(200);
    w.t.clock.set(v.body.sla.warningAt);
    expect(await w.t.runScheduler()).toMatchObject({ errors: [] });
    await w.settle();
    const mine = (m: ReceivedMail) => m.subject.endsWith('Firewall caído');
    const warned = w.mailsOf('sla-warning').filter(mine);
    expect(recipients(warned)).toEqual([w.address('beto'), w.address('omar'), w.address('quique'), w.address('sara')].sort());
    expect(warned.find((m) => m.rcpt[0] === w.address('sara'))!.subject).toBe('Response target at risk: Firewall caído');
    expect(warned.find((m) => m.rcpt[0] === w.address('beto'))!.subject).toBe('Tiempo de respuesta en riesgo: Firewall caído');

    w.smtp.clear();
    w.t.clock.set(v.body.sla.responseDueAt);
    expect(await w.t.runScheduler()).toMatchObject({ errors: [] });
    await w.settle();
    const breached = w.mailsOf('sla-breach').filter(mine);
    expect(recipients(breached)).toEqual([w.address('beto'), w.address('omar'), w.address('quique'), w.address('sara')].sort());
    // the quality lead (level 2, the next level) is told as such
    const lead = await w.t.http.get('/api/notifications').set(w.as('quique')).expect(200);
    expect(lead.body.items.find((n: { ticketId: string; kind: string }) => n.ticketId === id && n.kind === 'sla-breach')).toMatchObject({ kind: 'sla-breach', reason: 'escalation-contact', params: expect.objectContaining({ nextLevel: 2, nextLevelName: 'quality lead' }) });
    expect(breached.find((m) => m.rcpt[0] === w.address('quique'))!.text).toContain('2: quality lead');
    // nobody outside: no customer, no finance, not the deactivated supervisor
    expect(w.smtp.mails.flatMap((m) => m.rcpt)).not.toEqual(expect.arrayContaining([w.address('gone')]));
  });

  it('support suspended: the customer’s own contacts only', async () => {
    w.smtp.clear();
    await w.t.http.post(`/api/customers/${w.globex}/suspension`).set(w.as('sara')).send({ reason: 'abusive-language', detail: 'insultos', until: '2026-12-31' }).expect(200);
    await w.settle();
    expect(recipients(w.mailsOf('support-suspended'))).toEqual([w.address('gina'), w.address('gus')].sort());
    expect(w.mailsOf('support-suspended')[0].text).not.toContain('insultos');
  });

  it('a customer never gets another customer’s mail, nor sees it in the console', async () => {
    const acmeMail = w.smtp.mails.filter((m) => m.rcpt.some((r) => r.endsWith('acme.example.test')));
    expect(acmeMail.map((m) => m.text).join('\n')).not.toContain('Globex');
    for (const id of ['gina', 'gus']) {
      const list = await w.t.http.get('/api/notifications?limit=200').set(w.as(id)).expect(200);
      expect(list.body.items.every((n: { customerId: string }) => n.customerId === w.globex)).toBe(true);
      expect(list.body.items.map((n: { ticketId: string | null }) => n.ticketId)).not.toContain(ticketId);
    }
    for (const id of ['carla', 'ciro']) {
      const list = await w.t.http.get('/api/notifications?limit=200').set(w.as(id)).expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      expect(list.body.items.every((n: { customerId: string }) => n.customerId === w.acme)).toBe(true);
    }
  });

  it('marks one’s own notification read, never someone else’s', async () => {
    const list = await w.t.http.get('/api/notifications?unread=true').set(w.as('ana')).expect(200);
    const first = list.body.items[0];
    await w.t.http.post(`/api/notifications/${first.notificationId}/read`).set(w.as('beto')).expect(404);
    const read = await w.t.http.post(`/api/notifications/${first.notificationId}/read`).set(w.as('ana')).expect(200);
    expect(read.body).toMatchObject({ notificationId: first.notificationId, readAt: expect.any(String) });
    const after = await w.t.http.get('/api/notifications?unread=true').set(w.as('ana')).expect(200);
    expect(after.body.unreadCount).toBe(list.body.unreadCount - 1);
    expect(after.body.items.map((n: { notificationId: string }) => n.notificationId)).not.toContain(first.notificationId);
    await w.t.http.get('/api/notifications?limit=0').set(w.as('ana')).expect(400);
    const bad = await w.t.http.get('/api/notifications?cursor=nonsense').set(w.as('ana')).expect(400);
    expect(bad.body).toMatchObject({ code: 'invalid-request', errors: [{ path: 'cursor', message: expect.any(String) }] });
    await w.t.http.get('/api/notifications').expect(401);
  });
});
