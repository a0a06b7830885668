/**
 * Webhooks end to end: subscriptions through the API, deliveries to a real HTTP receiver that
 * verifies each signature with the documented algorithm, retries with backoff, the delivery
 * log, replay, automatic disabling with a notice to the admins, and the SSRF guard.
 */
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { createPeople, type People } from '../support/people';
import { startTestApp, type TestApp } from '../support/test-app';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { NOTIFICATIONS, NotificationsRuntime } from '../../apps/api/src/notifications/runtime';

describe('webhooks', () => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  let hooks: WebhookReceiver;
  let acme: string;
  let globex: string;
  let people: People;
  const admin = () => people.auth('adri');
  const rt = () => t.app.get(NOTIFICATIONS) as NotificationsRuntime;
  const settle = async () => {
    await t.caughtUp(Number(await t.events.headPosition()));
    await rt().webhooks!.idle();
    await rt().mail!.idle();
  };
  const later = async (minutes: number) => {
    t.clock.advanceMinutes(minutes);
    rt().webhooks!.wake();
    await settle();
  };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hooks = await startWebhookReceiver();
    t = await startTestApp({
      preset: 'impera',
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'soporte@impera.example.test',
        WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_MAX_ATTEMPTS: '2',
        WEBHOOK_RETRY_INITIAL_MS: '60000',
        WEBHOOK_DISABLE_AFTER: '2',
        NOTIFY_POLL_MS: '50',
        PUBLIC_URL: 'https://console.example.test',
      },
    });
    people = await createPeople(t, smtp, [
      { key: 'adri', kind: 'staff', email: 'adri@staff.example.test', name: 'Adri', roles: ['admin'] },
      { key: 'alma', kind: 'staff', email: 'alma@staff.example.test', name: 'Alma', roles: ['admin', 'supervisor'], language: 'en' },
      { key: 'ana', kind: 'staff', email: 'ana@staff.example.test', name: 'Ana', roles: ['agent'] },
    ]);
    await rt().mail!.idle();
    smtp.clear();
    acme = (await t.http.post('/api/customers').set(admin()).send({ name: 'Acme' }).expect(201)).body.customerId;
    globex = (await t.http.post('/api/customers').set(admin()).send({ name: 'Globex' }).expect(201)).body.customerId;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await hooks.close();
  });

  const subscribe = async (path: string, body: Record<string, unknown>) => {
    const r = await t.http.post('/api/webhooks').set(admin()).send({ url: hooks.url(path), ...body }).expect(201);
    hooks.secrets.set(path, r.body.secret);
    return r.body;
  };

  it('creates a subscription, shows its secret once, and lists it without', async () => {
    const created = await subscribe('/erp', { eventTypes: ['TicketOpened', 'MessagePosted'], description: 'ERP' });
    expect(created).toMatchObject({ webhookId: expect.stringMatching(/^[0-9a-f-]{36}$/), url: hooks.url('/erp'), eventTypes: ['TicketOpened', 'MessagePosted'], state: 'enabled', consecutiveFailures: 0, createdBy: people.get('adri').userId });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const list = await t.http.get('/api/webhooks').set(admin()).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ webhookId: created.webhookId })]);
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    const one = await t.http.get(`/api/webhooks/${created.webhookId}`).set(admin()).expect(200);
    expect(one.body).not.toHaveProperty('secret');
    await t.http.get('/api/webhooks/nope').set(admin()).expect(404);
    for (const who of [people.auth('ana'), t.auth('sara', ['supervisor']), t.auth('cli', ['customer'], acme)]) {
      await t.http.get('/api/webhooks').set(who).expect(403);
      await t.http.post('/api/webhooks').set(who).send({ url: hooks.url('/x'), eventTypes: ['TicketOpened'] }).expect(403);
    }
    await t.http.get('/api/webhooks').expect(401);
  });

  it('refuses bad subscriptions with 400 naming the field (what the document refuses), 422 for well-formed refusals', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: hooks.url('/x'), eventTypes: [] }, 'eventTypes'],
      [{ url: hooks.url('/x'), eventTypes: ['NoSuchEvent'] }, 'eventTypes'],
      [{ url: hooks.url('/x'), eventTypes: ['TicketOpened', 'TicketOpened'] }, 'eventTypes'],
      [{ url: hooks.url('/x'), eventTypes: ['TicketOpened'], secret: 'plain' }, 'secret'],
      [{ url: hooks.url('/x'), eventTypes: ['TicketOpened'], secret: `whsec_${Buffer.alloc(8).toString('base64')}AAAAAAAAAAAAAAAAAAAAAAAAAA` }, 'secret'],
      [{ eventTypes: ['TicketOpened'] }, 'url'],
      [{ url: 'ftp://127.0.0.1/x', eventTypes: ['TicketOpened'] }, 'url'],
      [{ url: hooks.url('/x'), eventTypes: ['TicketOpened'], extra: true }, 'extra'],
    ];
    for (const [body, path] of cases) {
      const r = await t.http.post('/api/webhooks').set(admin()).send(body).expect(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    for (const [body, path, code] of [
      [{ url: hooks.url('/x'), eventTypes: ['TicketOpened'], customerId: 'no-such-customer' }, 'customerId', 'unknown-customer'],
      [{ url: `http://user:pw@127.0.0.1:${hooks.port}/x`, eventTypes: ['TicketOpened'] }, 'url', 'webhook-target-refused'],
      [{ url: 'http://no-such-host.invalid/x', eventTypes: ['TicketOpened'] }, 'url', 'webhook-target-refused'],
    ] as const) {
      const r = await t.http.post('/api/webhooks').set(admin()).send(body).expect(422);
      expect(r.body).toMatchObject({ code, errors: [{ path }] });
    }
  });

  it('SSRF guard: refuses loopback, link-local, private, unique-local, multicast and unspecified targets not allowed', async () => {
    for (const url of [
      `http://[::1]:${hooks.port}/x`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.8/hook',
      'http://192.168.1.20/hook',
      'http://172.20.0.1/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://224.0.0.5/hook',
      'http://0.0.0.0/hook',
      `http://127.0.0.2:${hooks.port}/x`,
      'http://[::ffff:10.0.0.1]/hook',
    ]) {
      const r = await t.http.post('/api/webhooks').set(admin()).send({ url, eventTypes: ['TicketOpened'] }).expect(422);
      expect(r.body.code).toBe('webhook-target-refused');
      expect(r.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(/loopback, link-local, private, unique-local, multicast or unspecified/) }]);
    }
  });

  it('delivers signed events after the subscription, never internal messages, only the chosen customer’s to a filtered one', async () => {
    const globexOnly = await subscribe('/globex', { eventTypes: ['TicketOpened'], customerId: globex });
    const opened = await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], acme)).send({ department: 'support', subject: 'Correo caído', description: 'x' }).expect(201);
    const ticketId = opened.body.ticketId;
    await t.http.post(`/api/tickets/${ticketId}/messages`).set(t.auth('ana', ['agent'])).send({ body: 'nota interna secreta', visibility: 'internal' }).expect(201);
    await t.http.post(`/api/tickets/${ticketId}/messages`).set(t.auth('ana', ['agent'])).send({ body: 'Hola, revisamos', visibility: 'public' }).expect(201);
    await t.http.post('/api/tickets').set(t.auth('gus', ['customer'], globex)).send({ department: 'support', subject: 'VPN', description: 'x' }).expect(201);
    await settle();
    await hooks.waitFor((h) => h.filter((x) => x.path === '/erp').length === 3 && h.some((x) => x.path === '/globex'));
    const erp = hooks.hooks.filter((h) => h.path === '/erp');
    expect(erp.map((h) => h.json.type)).toEqual(expect.arrayContaining(['TicketOpened', 'TicketOpened', 'MessagePosted']));
    expect(erp.every((h) => h.signatureValid)).toBe(true);
    expect(hooks.hooks.map((h) => h.body).join('\n')).not.toContain('nota interna secreta');
    const first = erp.find((h) => h.json.type === 'TicketOpened' && h.json.data.ticketId === ticketId)!;
    expect(first.json).toEqual({
      type: 'TicketOpened',
      timestamp: expect.stringMatching(/Z$/),
      data: expect.objectContaining({ eventId: expect.any(String), streamId: `ticket-${ticketId}`, position: expect.stringMatching(/^\d+$/), customerId: acme, ticketId, subject: 'Correo caído' }),
    });
    expect(first.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Math.abs(first.timestamp - Math.floor(t.clock.now().getTime() / 1000))).toBeLessThan(5);
    const globexHooks = hooks.hooks.filter((h) => h.path === '/globex');
    expect(globexHooks.map((h) => h.json.data.customerId)).toEqual([globex]);
    expect(globexHooks[0].signatureValid).toBe(true);
    // the delivery log
    const log = await t.http.get(`/api/webhooks/${globexOnly.webhookId}/deliveries`).set(admin()).expect(200);
    expect(log.body).toEqual({
      items: [expect.objectContaining({ deliveryId: globexHooks[0].id, eventType: 'TicketOpened', state: 'sent', attempts: 1, lastStatus: 200, log: [expect.objectContaining({ attempt: 1, outcome: 'sent', code: 200 })] })],
      nextCursor: null,
    });
    const bad = await t.http.get(`/api/webhooks/${globexOnly.webhookId}/deliveries?cursor=nonsense`).set(admin()).expect(422);
    expect(bad.body).toMatchObject({ code: 'invalid-cursor', errors: [{ path: 'cursor', message: expect.any(String) }] });
  });

  it('retries failures with backoff, logs each status, disables the subscription after repeated failure and tells the admins; replay after enabling', async () => {
    hooks.statuses.set('/down', 503);
    const down = await subscribe('/down', { eventTypes: ['TicketOpened'] });
    const before = hooks.hooks.length;
    await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], acme)).send({ department: 'support', subject: 'Uno', description: 'x' }).expect(201);
    await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], acme)).send({ department: 'support', subject: 'Dos', description: 'x' }).expect(201);
    await settle();
    const downHooks = () => hooks.hooks.slice(before).filter((h) => h.path === '/down');
    expect(downHooks()).toHaveLength(2);
    // not before the backoff
    await later(0.5);
    expect(downHooks()).toHaveLength(2);
    await later(1);
    expect(downHooks()).toHaveLength(4);
    expect(new Set(downHooks().map((h) => h.id)).size).toBe(2); // the same webhook-id on each attempt
    expect(downHooks().every((h) => h.signatureValid)).toBe(true);
    const log = (await t.http.get(`/api/webhooks/${down.webhookId}/deliveries?state=failed`).set(admin()).expect(200)).body.items;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ state: 'failed', attempts: 2, lastStatus: 503, lastError: 'HTTP 503' });
    expect(log[0].log.map((l: { code: number; outcome: string }) => [l.code, l.outcome])).toEqual([
      [503, 'retry'],
      [503, 'failed'],
    ]);
    // two failed deliveries in a row: disabled, admins told (console and e-mail): the first administrator, adri, alma
    const w = (await t.http.get(`/api/webhooks/${down.webhookId}`).set(admin()).expect(200)).body;
    expect(w).toMatchObject({ state: 'disabled', consecutiveFailures: 2, disabledReason: expect.stringContaining('2 failed deliveries in a row') });
    for (const id of ['adri', 'alma']) {
      const n = await t.http.get('/api/notifications').set(people.auth(id)).expect(200);
      expect(n.body.items.filter((x: { kind: string }) => x.kind !== 'user-invited')).toEqual([
        expect.objectContaining({ kind: 'webhook-disabled', reason: 'admin', link: `/webhooks/${down.webhookId}`, params: expect.objectContaining({ webhookId: down.webhookId, consecutiveFailures: 2 }) }),
      ]);
    }
    await smtp.waitFor((m) => m.filter((x) => x.headers.get('x-helpdesk-kind') === 'webhook-disabled').length === 3);
    const notices = smtp.mails.filter((x) => x.headers.get('x-helpdesk-kind') === 'webhook-disabled');
    expect(notices.flatMap((m) => m.rcpt).sort()).toEqual(['adri@staff.example.test', 'alma@staff.example.test', 'root@staff.example.test']);
    expect(notices.find((m) => m.rcpt[0] === 'alma@staff.example.test')!.subject).toBe(`Webhook disabled: ${hooks.url('/down')}`);
    expect(smtp.mails.flatMap((m) => m.rcpt)).not.toContain('ana@staff.example.test');
    // a disabled subscription records nothing new
    await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], acme)).send({ department: 'support', subject: 'Tres', description: 'x' }).expect(201);
    await settle();
    expect((await t.http.get(`/api/webhooks/${down.webhookId}/deliveries`).set(admin()).expect(200)).body.items).toHaveLength(2);

    // replay: refused while disabled; after enabling, the same webhook-id and body arrive, newly signed
    const target = log[0];
    const refused = await t.http.post(`/api/webhooks/${down.webhookId}/deliveries/${target.deliveryId}/replay`).set(admin()).expect(409);
    expect(refused.body.code).toBe('webhook-disabled');
    const enabled = await t.http.patch(`/api/webhooks/${down.webhookId}`).set(admin()).send({ enabled: true }).expect(200);
    expect(enabled.body).toMatchObject({ state: 'enabled', consecutiveFailures: 0, disabledAt: null });
    hooks.statuses.set('/down', 200);
    const replay = await t.http.post(`/api/webhooks/${down.webhookId}/deliveries/${target.deliveryId}/replay`).set(admin()).expect(202);
    expect(replay.body).toMatchObject({ state: 'pending', replays: 1 });
    await settle();
    const replayed = downHooks().filter((h) => h.id === target.deliveryId);
    expect(replayed).toHaveLength(3);
    expect(replayed[2]).toMatchObject({ status: 200, signatureValid: true, body: replayed[0].body });
    const after = (await t.http.get(`/api/webhooks/${down.webhookId}/deliveries`).set(admin()).expect(200)).body.items.find((d: { deliveryId: string }) => d.deliveryId === target.deliveryId);
    expect(after).toMatchObject({ state: 'sent', attempts: 3, lastStatus: 200, replays: 1, deliveredAt: expect.any(String) });
    // a delivery still being retried cannot be replayed
    hooks.statuses.set('/down', 500);
    const again = await t.http.post(`/api/webhooks/${down.webhookId}/deliveries/${target.deliveryId}/replay`).set(admin()).expect(202);
    expect(again.body.replays).toBe(2);
    await settle();
    const pending = await t.http.post(`/api/webhooks/${down.webhookId}/deliveries/${target.deliveryId}/replay`).set(admin()).expect(409);
    expect(pending.body.code).toBe('delivery-pending');
    hooks.statuses.set('/down', 200);
    await later(1);
    expect((await t.http.get(`/api/webhooks/${down.webhookId}/deliveries?state=sent`).set(admin()).expect(200)).body.items.map((d: { deliveryId: string; attempts: number }) => [d.deliveryId, d.attempts])).toEqual([[target.deliveryId, 5]]);
    await t.http.post(`/api/webhooks/${down.webhookId}/deliveries/nope/replay`).set(admin()).expect(404);
  });

  it('deletes a subscription: 204, then 404, and nothing more is sent to it', async () => {
    const gone = await subscribe('/gone', { eventTypes: ['TicketOpened'] });
    await t.http.delete(`/api/webhooks/${gone.webhookId}`).set(admin()).expect(204);
    await t.http.delete(`/api/webhooks/${gone.webhookId}`).set(admin()).expect(404);
    await t.http.get(`/api/webhooks/${gone.webhookId}/deliveries`).set(admin()).expect(404);
    await t.http.post('/api/tickets').set(t.auth('cli', ['customer'], acme)).send({ department: 'support', subject: 'Cuatro', description: 'x' }).expect(201);
    await settle();
    expect(hooks.hooks.filter((h) => h.path === '/gone')).toEqual([]);
  });
});
