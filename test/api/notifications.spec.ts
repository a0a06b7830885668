/**
 * Notifications end to end: the real API (embedded stores, in-process projector with the
 * notifier), a real SMTP server in this process receiving and parsing every message, people
 * in the users read model. Each kind must reach exactly the right people (and, by e-mail,
 * nobody else); a customer's people never hear about another customer.
 */
import { randomUUID } from 'crypto';
import { Writable } from 'stream';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/smtp-receiver';
import { anonymous, PASSWORD, signIn, tokenOf } from '../support/identity';
import { IdentityService } from '../../apps/api/src/identity/identity.service';
import { SseClient } from '../support/sse';
import { createPeople, type People, type TestPerson } from '../support/people';
import { startTestApp, type TestApp } from '../support/test-app';
import { NOTIFICATIONS, NotificationsRuntime } from '../../apps/api/src/notifications/runtime';

const PUBLIC_URL = 'https://console.example.test';

const staff = (key: string, roles: string[], language: TestPerson['language'] = 'es-MX', status?: TestPerson['status']): TestPerson => ({
  key,
  kind: 'staff',
  email: `${key}@staff.example.test`,
  name: `Persona ${key}`,
  roles,
  language,
  status,
});
/** a customer's contact; `domain` names the customer in the address (acme, globex) */
const contact = (key: string, customerId: string, domain: string, approver: boolean, language: TestPerson['language'] = 'es-MX'): TestPerson => ({
  key,
  kind: 'contact',
  email: `${key}@${domain}.example.test`,
  name: `Persona ${key}`,
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
  people: People;
  /** a person's user id */
  id: (key: string) => string;
  address: (key: string) => string;
  as: (key: string) => { Authorization: string };
  settle: () => Promise<void>;
  mailsOf: (kindHeader: string) => ReceivedMail[];
  /** every message the SMTP server accepted since the world began (never cleared) */
  allMails: ReceivedMail[];
  /** a person's notifications (GET /api/notifications), without their invitation */
  notificationsOf: (key: string, query?: string) => Promise<Array<Record<string, any>>>;
}

async function world(peopleOf: (acme: string, globex: string) => TestPerson[], env: Record<string, string> = {}, preset = 'intecnia'): Promise<World> {
  const allMails: ReceivedMail[] = [];
  const smtp = await startSmtpReceiver({ onMail: (m) => allMails.push(m) });
  const t = await startTestApp({
    preset,
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Mesa de ayuda <soporte@intecnia.example.test>', PUBLIC_URL, MAIL_RETRY_INITIAL_MS: '1000', NOTIFY_POLL_MS: '50', ...env },
  });
  const admin = t.auth('root', ['admin']);
  const acme = (await t.http.post('/api/customers').set(admin).send({ name: 'Acme' }).expect(201)).body.customerId as string;
  const globex = (await t.http.post('/api/customers').set(admin).send({ name: 'Globex' }).expect(201)).body.customerId as string;
  const people = await createPeople(t, smtp, peopleOf(acme, globex));
  const settle = async () => {
    await t.caughtUp(Number(await t.events.headPosition()));
    const rt = t.app.get(NOTIFICATIONS) as NotificationsRuntime;
    await rt.mail?.idle();
  };
  await settle();
  smtp.clear();
  return {
    t,
    smtp,
    acme,
    globex,
    people,
    id: (key) => people.get(key).userId,
    address: (key) => people.get(key).email,
    as: (key) => people.auth(key),
    // the projector and the notifier have seen everything, and the dispatcher sent what was due
    settle,
    mailsOf: (kind) => smtp.mails.filter((m) => m.headers.get('x-helpdesk-kind') === kind),
    allMails,
    notificationsOf: async (key, query = '') =>
      (await t.http.get(`/api/notifications?limit=200${query}`).set(people.auth(key)).expect(200)).body.items.filter((n: { kind: string }) => n.kind !== 'user-invited'),
  };
}

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
    staff('gone', ['supervisor'], 'es-MX', 'deactivated'),
    contact('carla', acme, 'acme', true),
    contact('ciro', acme, 'acme', false, 'es-CO'),
    contact('gina', globex, 'globex', true),
    contact('gus', globex, 'globex', false),
  ];

  beforeAll(async () => {
    w = await world(people);
    // the quality lead is named for level 2, the operations manager for level 3
    await w.t.http
      .put('/api/notification-settings/escalation-contacts')
      .set(w.as('adri'))
      .send({ levels: [{ level: 2, userIds: [w.id('quique')] }, { level: 3, userIds: [w.id('omar')] }] })
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
    await w.t.http.post(`/api/tickets/${ticketId}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('ana') }).expect(200);
    await w.t.http.post(`/api/tickets/${otherTicketId}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('beto') }).expect(200);
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
    const items = await w.notificationsOf('ana');
    expect(items).toEqual([
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
    expect(mail.messageId).toBe(`<${items[0].notificationId}@intecnia.example.test>`);
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

  it('quote declined: the assignee only', async () => {
    const quoteId = randomUUID();
    await w.t.http.post(`/api/tickets/${ticketId}/quotes`).set(w.as('ana')).send({ quoteId, kind: 'per-event', minutes: 30, hourlyRateMinor: 85050, currency: 'MXN', description: 'Cambio de disco' }).expect(201);
    await w.settle();
    w.smtp.clear();
    await w.t.http.post(`/api/tickets/${ticketId}/quotes/${quoteId}/authorization`).set(w.as('carla')).send({ decision: 'decline', comment: 'Muy caro' }).expect(200);
    await w.settle();
    const declined = w.mailsOf('quote-declined');
    expect(recipients(declined)).toEqual([w.address('ana')]);
    expect(w.smtp.mails).toHaveLength(1);
    expect(declined[0].subject).toContain(subject);
    expect(declined[0].text).toContain(`${PUBLIC_URL}/tickets/${ticketId}`);
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
    await w.t.http.post(`/api/tickets/${id}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('beto') }).expect(200);
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
    const lead = await w.notificationsOf('quique');
    expect(lead.find((n) => n.ticketId === id && n.kind === 'sla-breach')).toMatchObject({ kind: 'sla-breach', reason: 'escalation-contact', params: expect.objectContaining({ nextLevel: 2, nextLevelName: 'quality lead' }) });
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
    // every message a contact ever received (invitation included) is one of their own
    // notifications (by its Message-ID), addressed to them alone, about their own customer
    for (const [key, customerId] of [['carla', w.acme], ['ciro', w.acme], ['gina', w.globex], ['gus', w.globex]] as const) {
      const received = w.allMails.filter((m) => m.rcpt.includes(w.address(key)));
      expect(received.length).toBeGreaterThan(1);
      for (const m of received) expect([m.rcpt, m.to]).toEqual([[w.address(key)], [w.address(key)]]);
      const own = (await w.t.http.get('/api/notifications?limit=200').set(w.as(key)).expect(200)).body.items as Array<{ notificationId: string; customerId: string | null }>;
      expect(own.every((n) => n.customerId === customerId)).toBe(true);
      const ownIds = new Set(own.map((n) => `<${n.notificationId}@intecnia.example.test>`));
      expect(received.filter((m) => !ownIds.has(m.messageId))).toEqual([]);
    }
    for (const id of ['gina', 'gus']) {
      const list = await w.notificationsOf(id);
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((n) => n.customerId === w.globex)).toBe(true);
      expect(list.map((n) => n.ticketId)).not.toContain(ticketId);
    }
    for (const id of ['carla', 'ciro']) {
      const list = await w.notificationsOf(id);
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((n) => n.customerId === w.acme)).toBe(true);
    }
  });

  it('pushes each new notification to its recipient’s live stream, and to nobody else’s', async () => {
    await w.t.app.listen(0, '127.0.0.1');
    const base = await w.t.app.getUrl();
    const session = await signIn(w.t, w.address('ana'));
    const mine = await SseClient.open(`${base}/api/events/stream`, { Cookie: session.cookie });
    const other = await SseClient.open(`${base}/api/events/stream`, w.as('beto'));
    try {
      await mine.next((e) => e.event === 'ready');
      await other.next((e) => e.event === 'ready');
      const opened = await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Monitor', description: 'x' }).expect(201);
      const ticket = opened.body.ticketId;
      await w.t.http.post(`/api/tickets/${ticket}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('ana') }).expect(200);
      const frame = await mine.next((e) => e.event === 'notification');
      expect(frame.id).toBeNull();
      expect(JSON.parse(frame.data)).toEqual({
        notificationId: expect.any(String),
        kind: 'ticket-assigned',
        title: 'Ticket asignado: Monitor',
        link: `/tickets/${ticket}`,
        ticketId: ticket,
        policyId: null,
        createdAt: expect.any(String),
      });
      // beto sees the change of the ticket, not ana's notification
      await other.next((e) => e.event === 'change' && JSON.parse(e.data).type === 'TicketAssigned');
      await w.settle();
      expect(other.events.filter((e) => e.event === 'notification')).toEqual([]);
    } finally {
      mine.close();
      other.close();
    }
  });

  it('marks one’s own notification read, never someone else’s', async () => {
    const fresh = await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Teclado', description: 'x' }).expect(201);
    await w.t.http.post(`/api/tickets/${fresh.body.ticketId}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('ana') }).expect(200);
    await w.settle();
    const list = await w.t.http.get('/api/notifications?unread=true').set(w.as('ana')).expect(200);
    expect(list.body.unreadCount).toBeGreaterThanOrEqual(2);
    const first = list.body.items[0];
    await w.t.http.post(`/api/notifications/${first.notificationId}/read`).set(w.as('beto')).expect(404);
    const read = await w.t.http.post(`/api/notifications/${first.notificationId}/read`).set(w.as('ana')).expect(200);
    expect(read.body).toMatchObject({ notificationId: first.notificationId, readAt: expect.any(String) });
    const after = await w.t.http.get('/api/notifications?unread=true').set(w.as('ana')).expect(200);
    expect(after.body.unreadCount).toBe(list.body.unreadCount - 1);
    expect(after.body.items.map((n: { notificationId: string }) => n.notificationId)).not.toContain(first.notificationId);
    await w.t.http.get('/api/notifications?limit=0').set(w.as('ana')).expect(400);
    const malformed = await w.t.http.get('/api/notifications?cursor=not%2Fa%2Fcursor').set(w.as('ana')).expect(400);
    expect(malformed.body).toMatchObject({ code: 'invalid-request', errors: [{ path: 'cursor', message: expect.any(String) }] });
    const bad = await w.t.http.get('/api/notifications?cursor=nonsense').set(w.as('ana')).expect(422);
    expect(bad.body).toMatchObject({ code: 'invalid-cursor', errors: [{ path: 'cursor', message: expect.any(String) }] });
    await w.t.http.get('/api/notifications').expect(401);
    // with the console's session: reading needs the cookie, marking read the CSRF token too
    const session = await signIn(w.t, w.address('ana'));
    const mine = await session.get('/api/notifications?unread=true').expect(200);
    expect(mine.body.unreadCount).toBe(after.body.unreadCount);
    const next = mine.body.items[0].notificationId;
    const noCsrf = await w.t.http.post(`/api/notifications/${next}/read`).set('Cookie', session.cookie).send({}).expect(403);
    expect(noCsrf.body.code).toBe('csrf-token-invalid');
    await session.post(`/api/notifications/${next}/read`).expect(200);
    expect((await session.get('/api/notifications?unread=true').expect(200)).body.unreadCount).toBe(after.body.unreadCount - 1);
  });

  it('an invitation and a password reset: only the person, in their language, with a one-time link that works', async () => {
    w.smtp.clear();
    const inv = await w.t.http.post('/api/users/invitations').set(w.as('adri')).send({ email: 'nora@acme.example.test', name: 'Nora', kind: 'contact', customerId: w.acme, approver: false, language: 'en' }).expect(201);
    await w.settle();
    const invitations = w.mailsOf('user-invited');
    expect(recipients(invitations)).toEqual(['nora@acme.example.test']);
    expect(w.smtp.mails).toHaveLength(1);
    expect(invitations[0].subject).toMatch(/^Invitation to the .+ help desk$/);
    const link = /(https:\/\/console\.example\.test\/invitation\?token=[^\s"<>]+)/.exec(invitations[0].text)?.[1];
    expect(link).toBeDefined();
    expect(invitations[0].html).toContain(link!.replace(/&/g, '&amp;'));
    // the token is in the message only, never in the console's list
    const token = tokenOf(link!);
    expect(JSON.stringify((await w.t.http.get('/api/notifications?limit=200').set(w.t.auth(inv.body.userId, ['customer'], w.acme)).expect(200)).body)).not.toContain(token);
    await anonymous(w.t).post('/api/auth/invitations/accept').send({ token, password: PASSWORD }).expect(200);

    w.smtp.clear();
    await anonymous(w.t).post('/api/auth/password-reset').send({ email: w.address('ciro') }).expect(202);
    await w.t.app.get(IdentityService).settle();
    await w.settle();
    const resets = w.mailsOf('password-reset');
    expect(recipients(resets)).toEqual([w.address('ciro')]);
    expect(resets[0].subject).toBe('Restablecer su contraseña'); // ciro's language, es-CO
    expect(w.smtp.mails).toHaveLength(1);
    const reset = /(https:\/\/console\.example\.test\/[^\s"<>]*\?token=[^\s"<>]+)/.exec(resets[0].text)?.[1];
    expect(reset).toBeDefined();
    await anonymous(w.t).post('/api/auth/password-reset/complete').send({ token: tokenOf(reset!), password: 'otra frase nueva y larga' }).expect(204);
    await signIn(w.t, w.address('ciro'), 'otra frase nueva y larga');
  });
});

describe('notifications: policies, contact attempts and the auto-close', () => {
  let w: World;
  beforeAll(async () => {
    w = await world((acme, globex) => [staff('ana', ['agent']), staff('fina', ['finance']), staff('sara', ['supervisor']), contact('carla', acme, 'acme', true), contact('ciro', acme, 'acme', false), contact('gina', globex, 'globex', true)]);
  });
  afterAll(async () => {
    await w.t.close();
    await w.smtp.close();
  });

  it('policy at 80% and at 100% used: the customer approvers and finance, once each', async () => {
    const policyId = randomUUID();
    await w.t.http.post('/api/policies').set(w.as('fina')).send({ policyId, customerId: w.acme, plan: 'basic', startsOn: '2026-01-15' }).expect(201);
    await w.t.http.post('/api/policies').set(w.as('fina')).send({ customerId: w.globex, plan: 'basic', startsOn: '2026-01-15' }).expect(201);
    const ticket = (await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Migración', description: 'x' }).expect(201)).body.ticketId;
    const quote = (await w.t.http.post(`/api/tickets/${ticket}/quotes`).set(w.as('ana')).send({ kind: 'policy-estimate', minutes: 300, description: 'Migración completa' }).expect(201)).body.quoteId;
    await w.t.http.post(`/api/tickets/${ticket}/quotes/${quote}/authorization`).set(w.as('carla')).send({ decision: 'accept' }).expect(200);
    await w.settle();
    w.smtp.clear();
    const log = (minutes: number) => w.t.http.post(`/api/tickets/${ticket}/work-logs`).set(w.as('ana')).send({ minutes, workedOn: '2026-11-16', description: 'migración' }).expect(201);
    await log(200); // 67%: nothing
    await w.settle();
    expect(w.mailsOf('policy-usage-80')).toEqual([]);
    await log(40); // 80%
    await log(30); // 90%: nothing new
    await w.settle();
    expect(recipients(w.mailsOf('policy-usage-80'))).toEqual([w.address('carla'), w.address('fina')].sort());
    expect(w.mailsOf('policy-usage-80')[0].subject).toMatch(/^Póliza POL-2026-\w+: 80 % utilizada$/);
    expect(w.mailsOf('policy-usage-80')[0].text).toContain(`${PUBLIC_URL}/policies/${policyId}`);
    await log(30); // 100%
    await w.settle();
    expect(recipients(w.mailsOf('policy-exhausted'))).toEqual([w.address('carla'), w.address('fina')].sort());
    expect(w.mailsOf('policy-usage-80')).toHaveLength(2);
    expect(w.smtp.mails.flatMap((m) => m.rcpt)).not.toContain(w.address('gina'));
  });

  it('policy 30 days before expiry: recorded once by the scheduler, told to approvers and finance', async () => {
    w.smtp.clear();
    const policyId = randomUUID();
    // valid until 2026-12-19: the notice is due from 2026-11-19 (Mexico City)
    await w.t.http.post('/api/policies').set(w.as('fina')).send({ policyId, customerId: w.acme, plan: 'business', startsOn: '2025-12-20' }).expect(201);
    await w.settle();
    w.t.clock.set('2026-11-19T05:59:00.000Z');
    expect(await w.t.runScheduler()).toMatchObject({ expiryNotices: 0, errors: [] });
    w.t.clock.set('2026-11-19T06:00:00.000Z');
    expect(await w.t.runScheduler()).toMatchObject({ expiryNotices: 1, errors: [] });
    expect(await w.t.runScheduler()).toMatchObject({ expiryNotices: 0, errors: [] });
    const events = await w.t.events.readStream(`policy-${policyId}`);
    expect(events.filter((e) => e.type === 'PolicyExpiryApproaching').map((e) => e.data)).toEqual([expect.objectContaining({ validUntil: '2026-12-19', daysLeft: 30, noticeDays: 30 })]);
    await w.settle();
    const mails = w.mailsOf('policy-expiring');
    expect(recipients(mails)).toEqual([w.address('carla'), w.address('fina')].sort());
    expect(mails[0].subject).toMatch(/vence en 30 días$/);
    expect(mails[0].text).toContain('19 de diciembre de 2026');
  });

  it('contact attempts and the auto-close: the reporter each time; the assignee too at the close', async () => {
    w.t.clock.set('2026-11-23T16:00:00.000Z'); // Monday 10:00 local
    const id = (await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Respaldo', description: 'Restaurar' }).expect(201)).body.ticketId;
    await w.t.http.post(`/api/tickets/${id}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('ana') }).expect(200);
    await w.t.http.post(`/api/tickets/${id}/messages`).set(w.as('ana')).send({ body: 'Revisamos', visibility: 'public' }).expect(201);
    await w.t.http.post(`/api/tickets/${id}/awaiting-customer`).set(w.as('ana')).send({ question: '¿De qué fecha?' }).expect(200);
    await w.settle();
    w.smtp.clear();
    const attempt = (body: Record<string, unknown>) => w.t.http.post(`/api/tickets/${id}/contact-attempts`).set(w.as('ana')).send(body).expect(201);
    await attempt({ channel: 'phone', note: 'sin respuesta (nota interna)' });
    w.t.clock.set('2026-11-24T16:00:00.000Z');
    await attempt({ channel: 'email', note: 'sin respuesta' });
    w.t.clock.set('2026-11-25T16:00:00.000Z');
    await attempt({ channel: 'phone', note: 'último', closeAfter: '2026-11-27' });
    await w.settle();
    const attempts = w.mailsOf('contact-attempt');
    expect(recipients(attempts)).toEqual([w.address('ciro'), w.address('ciro'), w.address('ciro')]);
    expect(attempts.map((m) => m.subject)).toEqual(['Intento de contacto 1: Respaldo', 'Intento de contacto 2: Respaldo', 'Intento de contacto 3: Respaldo']);
    expect(attempts.map((m) => m.text).join('\n')).not.toContain('nota interna');

    w.t.clock.set('2026-11-28T06:00:00.000Z');
    expect(await w.t.runScheduler()).toMatchObject({ autoClosed: 1, errors: [] });
    await w.settle();
    expect(recipients(w.mailsOf('ticket-auto-closed'))).toEqual([w.address('ana'), w.address('ciro')].sort());
  });
});

describe('notifications: preferences and the daily digest', () => {
  let w: World;
  beforeAll(async () => {
    w = await world((acme) => [staff('ana', ['agent']), staff('beto', ['agent']), staff('sara', ['supervisor']), contact('carla', acme, 'acme', true), contact('ciro', acme, 'acme', false)]);
  });
  afterAll(async () => {
    await w.t.close();
    await w.smtp.close();
  });

  it('answers the defaults: every kind on, the obligations fixed, the account language', async () => {
    const r = await w.t.http.get('/api/me/notification-preferences').set(w.as('carla')).expect(200);
    expect(r.body).toMatchObject({
      language: 'es-MX',
      languageSource: 'account',
      dailyDigest: false,
      digestHour: 8,
      timeZone: 'America/Mexico_City',
      emailEnabled: true,
      updatedAt: null,
      mandatoryKinds: ['quote-awaiting-authorization', 'user-invited', 'password-reset'],
    });
    expect(Object.values(r.body.email).every((v) => v === true)).toBe(true);
    expect(Object.keys(r.body.email)).toHaveLength(17);
    // a token's subject without a user record gets the deployment's language
    const token = await w.t.http.get('/api/me/notification-preferences').set(w.t.auth('someone', ['auditor'])).expect(200);
    expect(token.body).toMatchObject({ language: 'es-MX', languageSource: 'default' });
  });

  it('refuses to turn off an obligation (400 naming the field) and changes nothing', async () => {
    const r = await w.t.http
      .patch('/api/me/notification-preferences')
      .set(w.as('carla'))
      .send({ email: { 'quote-awaiting-authorization': false, 'ticket-assigned': false }, language: 'en' })
      .expect(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ code: 'invalid-request', errors: [{ path: 'email.quote-awaiting-authorization', message: expect.stringContaining('cannot be turned off') }] });
    expect((await w.t.http.get('/api/me/notification-preferences').set(w.as('carla')).expect(200)).body).toMatchObject({ language: 'es-MX', updatedAt: null });
    for (const [body, path] of [
      [{ email: { 'no-such-kind': false } }, 'email.no-such-kind'],
      [{ email: { 'ticket-assigned': 'no' } }, 'email.ticket-assigned'],
      [{ language: 'fr' }, 'language'],
      [{ dailyDigest: 'yes' }, 'dailyDigest'],
      [{ other: 1 }, 'other'],
    ] as const) {
      const bad = await w.t.http.patch('/api/me/notification-preferences').set(w.as('carla')).send(body).expect(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('a kind turned off stays in the console only; the language preference wins over the account', async () => {
    const r = await w.t.http.patch('/api/me/notification-preferences').set(w.as('ana')).send({ email: { 'ticket-assigned': false }, language: 'en' }).expect(200);
    expect(r.body).toMatchObject({ language: 'en', languageSource: 'preference', email: expect.objectContaining({ 'ticket-assigned': false, 'sla-warning': true }) });
    const id = (await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Impresora', description: 'x' }).expect(201)).body.ticketId;
    await w.t.http.post(`/api/tickets/${id}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('ana') }).expect(200);
    await w.t.http.post(`/api/tickets/${id}/messages`).set(w.as('ciro')).send({ body: 'hola', visibility: 'public' }).expect(201);
    await w.settle();
    expect(w.smtp.to(w.address('ana')).map((m) => m.subject)).toEqual(['The customer replied: Impresora']);
    const list = await w.notificationsOf('ana');
    expect(list.map((n) => [n.kind, n.title, n.email])).toEqual([
      ['customer-replied', 'The customer replied: Impresora', expect.objectContaining({ state: 'sent' })],
      ['ticket-assigned', 'Ticket assigned to you: Impresora', { state: 'suppressed', reason: 'preference-off', digest: false, attempts: 0, sentAt: null }],
    ]);
    // turning it on again
    const on = await w.t.http.patch('/api/me/notification-preferences').set(w.as('ana')).send({ email: { 'ticket-assigned': true }, language: null }).expect(200);
    expect(on.body).toMatchObject({ languageSource: 'account', email: expect.objectContaining({ 'ticket-assigned': true }) });
  });

  it('daily digest: non-urgent kinds wait and go out in one message a day, exactly once; urgent ones at once', async () => {
    await w.t.http.patch('/api/me/notification-preferences').set(w.as('beto')).send({ dailyDigest: true }).expect(200);
    w.t.clock.set('2026-11-16T16:00:00.000Z'); // Monday 16 Nov (a holiday) 10:00 local
    const id = (await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Licencias', description: 'x' }).expect(201)).body.ticketId;
    await w.t.http.post(`/api/tickets/${id}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('beto') }).expect(200);
    await w.t.http.post(`/api/tickets/${id}/messages`).set(w.as('ciro')).send({ body: 'urge', visibility: 'public' }).expect(201);
    await w.settle();
    expect(w.smtp.to(w.address('beto'))).toEqual([]);
    const waiting = await w.notificationsOf('beto');
    expect(waiting.map((n) => n.email)).toEqual([
      { state: 'pending', reason: null, digest: true, attempts: 0, sentAt: null },
      { state: 'pending', reason: null, digest: true, attempts: 0, sentAt: null },
    ]);
    // before 08:00 local nothing; from 08:00 one digest; again: nothing more
    w.t.clock.set('2026-11-17T13:59:00.000Z');
    await w.t.runScheduler();
    await w.settle();
    expect(w.smtp.to(w.address('beto'))).toEqual([]);
    w.t.clock.set('2026-11-17T14:00:00.000Z');
    await Promise.all([w.t.runScheduler(), w.t.runScheduler()]);
    await w.t.runScheduler();
    await w.settle();
    const digests = w.mailsOf('digest');
    expect(recipients(digests)).toEqual([w.address('beto')]);
    expect(digests[0].subject).toBe('Resumen del 17 de noviembre de 2026: 2 notificaciones');
    expect(digests[0].text).toContain('Ticket asignado: Licencias');
    expect(digests[0].text).toContain('El cliente respondió: Licencias');
    expect(digests[0].text).toContain(`${PUBLIC_URL}/tickets/${id}`);
    const after = await w.notificationsOf('beto');
    expect(after.map((n) => [n.email.state, n.email.digest])).toEqual([
      ['sent', true],
      ['sent', true],
    ]);
    // an urgent kind is not digested: the SLA warning goes at once
    const v = await w.t.http.get(`/api/tickets/${id}`).set(w.as('beto')).expect(200);
    w.t.clock.set(v.body.sla.warningAt);
    await w.t.runScheduler();
    await w.settle();
    expect(w.smtp.to(w.address('beto')).map((m) => m.subject)).toEqual(['Resumen del 17 de noviembre de 2026: 2 notificaciones', 'Tiempo de respuesta en riesgo: Licencias']);
    // the next day's digest has nothing to send
    w.t.clock.set('2026-11-18T14:00:00.000Z');
    await w.t.runScheduler();
    await w.settle();
    expect(w.mailsOf('digest')).toHaveLength(1);
  });
});

describe('notifications: the start log', () => {
  it('names the SMTP server and the sender, never the password', async () => {
    const smtp = await startSmtpReceiver();
    const logs = new LogLines();
    const t = await startTestApp({ preset: 'impera', logStream: logs, env: { LOG_LEVEL: 'info', SMTP_URL: smtp.url.replace('smtp://', 'smtp://mesa:s3cret-pass@'), MAIL_FROM: 'Mesa <soporte@impera.example.test>' } });
    try {
      const line = logs.messages().find((m) => m.startsWith('notifications: e-mail through'));
      expect(line).toContain(`127.0.0.1:${smtp.port}`);
      expect(line).toContain('soporte@impera.example.test');
      expect(logs.text).not.toContain('s3cret-pass');
      expect(logs.messages().some((m) => m.includes('SMTP_URL is not set'))).toBe(false);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});

describe('notifications: an SMTP server that refuses', () => {
  let w: World;
  beforeAll(async () => {
    w = await world((acme) => [staff('ana', ['agent']), staff('beto', ['agent']), staff('adri', ['admin']), staff('sara', ['supervisor']), contact('ciro', acme, 'acme', false)], { MAIL_MAX_ATTEMPTS: '3', MAIL_RETRY_INITIAL_MS: '60000' });
  });
  afterAll(async () => {
    await w.t.close();
    await w.smtp.close();
  });
  const rt = () => w.t.app.get(NOTIFICATIONS) as NotificationsRuntime;
  const later = async (minutes: number) => {
    w.t.clock.advanceMinutes(minutes);
    rt().mail!.wake();
  };

  it('retries after 4xx with backoff, fails at once on 5xx, and shows the failure to admins only; a retry re-sends the same Message-ID', async () => {
    let calls = 0;
    w.smtp.reply = ({ rcpt }) => {
      if (!rcpt.includes(w.address('ana'))) return null;
      calls++;
      return calls === 1 ? { code: 451, message: 'Try again later' } : { code: 550, message: 'Mailbox unavailable' };
    };
    const id = (await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Switch', description: 'x' }).expect(201)).body.ticketId;
    await w.t.http.post(`/api/tickets/${id}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('ana') }).expect(200);
    await w.smtp.waitForRefusals(1);
    await w.settle();
    let d = (await w.t.http.get(`/api/notification-deliveries?kind=ticket-assigned&recipientId=${w.id('ana')}`).set(w.as('adri')).expect(200)).body.items[0];
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('451'), failureReason: null });
    // not before the backoff (60 s)
    await later(0.5);
    await w.settle();
    expect(w.smtp.refused).toHaveLength(1);
    await later(1);
    await w.smtp.waitForRefusals(2);
    await w.settle();
    d = (await w.t.http.get('/api/notification-deliveries?state=failed').set(w.as('adri')).expect(200)).body.items[0];
    expect(d).toMatchObject({ recipientId: w.id('ana'), kind: 'ticket-assigned', state: 'failed', attempts: 2, failureReason: expect.stringContaining('550') });
    expect(d.log.map((l: { attempt: number; code: number; outcome: string }) => [l.attempt, l.code, l.outcome])).toEqual([
      [1, 451, 'retry'],
      [2, 550, 'failed'],
    ]);
    expect(w.smtp.refused.map((r) => r.messageId)).toEqual([d.messageId, d.messageId]);
    // the person sees it failed; nobody but an admin sees the deliveries
    const mine = await w.notificationsOf('ana');
    expect(mine[0].email).toMatchObject({ state: 'failed', reason: expect.stringContaining('550'), attempts: 2 });
    for (const who of ['ana', 'sara', 'ciro']) await w.t.http.get('/api/notification-deliveries').set(w.as(who)).expect(403);
    await w.t.http.get('/api/notification-deliveries?state=bogus').set(w.as('adri')).expect(400);
    expect((await w.t.http.get('/api/notification-deliveries?cursor=nonsense').set(w.as('adri')).expect(422)).body.code).toBe('invalid-cursor');

    // the admin retries once the mailbox is fixed: same Message-ID
    w.smtp.reply = () => null;
    await w.t.http.post(`/api/notification-deliveries/${d.deliveryId}/retry`).set(w.as('ana')).expect(403);
    const retried = await w.t.http.post(`/api/notification-deliveries/${d.deliveryId}/retry`).set(w.as('adri')).expect(200);
    expect(retried.body).toMatchObject({ state: 'pending', attempts: 2 });
    await w.smtp.waitFor((m) => m.some((x) => x.rcpt.includes(w.address('ana'))));
    await w.settle();
    expect(w.smtp.to(w.address('ana')).map((m) => m.messageId)).toEqual([d.messageId]);
    const sent = await w.t.http.post(`/api/notification-deliveries/${d.deliveryId}/retry`).set(w.as('adri')).expect(409);
    expect(sent.body.code).toBe('delivery-not-failed');
    await w.t.http.post('/api/notification-deliveries/nope/retry').set(w.as('adri')).expect(404);
  });

  it('gives up after the attempts run out on repeated 4xx', async () => {
    w.smtp.reply = ({ rcpt }) => (rcpt.includes(w.address('beto')) ? { code: 421, message: 'Service not available' } : null);
    const before = w.smtp.refused.length;
    const id = (await w.t.http.post('/api/tickets').set(w.as('ciro')).send({ department: 'support', subject: 'Router', description: 'x' }).expect(201)).body.ticketId;
    await w.t.http.post(`/api/tickets/${id}/assignment`).set(w.as('sara')).send({ assigneeId: w.id('beto') }).expect(200);
    await w.smtp.waitForRefusals(before + 1);
    await w.settle();
    await later(1); // backoff 60 s
    await w.smtp.waitForRefusals(before + 2);
    await w.settle();
    await later(2); // backoff 120 s
    await w.smtp.waitForRefusals(before + 3);
    await w.settle();
    const d = (await w.t.http.get(`/api/notification-deliveries?kind=ticket-assigned&recipientId=${w.id('beto')}`).set(w.as('adri')).expect(200)).body.items[0];
    expect(d).toMatchObject({ state: 'failed', attempts: 3, failureReason: expect.stringMatching(/^gave up after 3 attempts: .*421/) });
    await later(60);
    await w.settle();
    expect(w.smtp.refused.length).toBe(before + 3);
  });
});

/** the JSON log lines the API writes */
class LogLines extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
  messages(): string[] {
    return this.text
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => String((JSON.parse(l) as { msg?: unknown }).msg ?? ''));
  }
}

describe('notifications without SMTP_URL', () => {
  it('keeps them in the console only, and says so at start', async () => {
    const logs = new LogLines();
    const t = await startTestApp({ preset: 'impera', logStream: logs, env: { LOG_LEVEL: 'info' } });
    try {
      expect(logs.messages()).toContain('notifications: SMTP_URL is not set, so notifications stay in the console only (no e-mail is sent)');
      const c = (await t.http.post('/api/customers').set(t.auth('root', ['admin'])).send({ name: 'Acme' }).expect(201)).body.customerId;
      const people = await createPeople(t, null, [staff('ana', ['agent'])]);
      const ana = people.get('ana');
      const id = (await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], c)).send({ department: 'support', subject: 'x', description: 'x' }).expect(201)).body.ticketId;
      const r = await t.http.post(`/api/tickets/${id}/assignment`).set(t.auth('sara', ['supervisor'])).send({ assigneeId: ana.userId }).expect(200);
      await t.caughtUp(r.body.position);
      const list = await t.http.get('/api/notifications').set(people.auth('ana')).expect(200);
      expect(list.body.items.map((n: { kind: string; email: unknown }) => [n.kind, n.email])).toEqual([
        ['ticket-assigned', { state: 'suppressed', reason: 'smtp-not-configured', digest: false, attempts: 0, sentAt: null }],
        ['user-invited', { state: 'suppressed', reason: 'smtp-not-configured', digest: false, attempts: 0, sentAt: null }],
      ]);
      expect((await t.http.get('/api/me/notification-preferences').set(people.auth('ana')).expect(200)).body.emailEnabled).toBe(false);
      expect((await t.http.get('/api/notification-deliveries').set(t.auth('root', ['admin'])).expect(200)).body.items).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
