/**
 * In a real browser against the real server, with a real SMTP server (smtp-server, in this
 * process) and a real HTTP receiver for webhooks that verifies each signature:
 * - an agent with the console open hears of a ticket assigned to her live (the bell's count
 *   changes without a reload), opens the notification, and it is marked read;
 * - a customer's approver sees the quote awaiting her authorization, never another
 *   customer's, and it opens the portal's view of the ticket;
 * - preferences: a mandatory kind is locked (the API refuses turning it off, naming the
 *   field), an optional one is turned off and stays off (re-read from the API and the screen);
 * - an administrator subscribes a webhook to the local receiver, sees the secret once, the
 *   delivery logged with its HTTP status, a failed delivery and its replay; disables it;
 * - the e-mail deliveries tab: a message the SMTP server refused (550) shows as failed with
 *   the reply, and is sent again with the same Message-ID.
 * axe on every screen; screenshots (Spanish) at 1280 and 375 pixels.
 */
import { randomUUID } from 'crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, screenshot, settled, type Chromium } from './support/browser';
import { PASSWORD, browserSession, openAs, signInApi, type ApiSession, type Person } from './support/accounts';
import { horizontalOverflow } from './support/layout';
import { WebApp, startWebApp, todayInMexico } from './support/web-app';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

jest.setTimeout(300_000);

const MAIL_FROM = 'Mesa de ayuda <soporte@mesa.example.mx>';
const LINK = /(https?:\/\/[^\s"<>]+\/invitation\?token=[^\s"<>]+)/;

describeBrowser('console: notifications, preferences, webhooks and e-mail deliveries', () => {
  let web: WebApp;
  let chromium: Chromium;
  let smtp: SmtpReceiver;
  let hooks: WebhookReceiver;
  const contexts: BrowserContext[] = [];
  let admin: Person;
  let ana: Person;
  let carla: Person;
  let jorge: Person;
  let anaApi: ApiSession;
  let saraApi: ApiSession;
  let carlaApi: ApiSession;
  let jorgeApi: ApiSession;
  let adminApi: ApiSession;
  let hotels: string;
  let clinic: string;
  let hotelsTicket: string;
  let clinicTicket: string;

  const as = async (person: Person, urlPath: string, viewport = DESKTOP): Promise<Page> => {
    const context = await browserSession(chromium.browser, web, person, viewport);
    contexts.push(context);
    return openAs(context, web, urlPath);
  };

  /** an invitation (as an administrator's bearer token) whose link arrives by e-mail, accepted with PASSWORD */
  const invite = async (body: { email: string; name: string; kind: 'staff' | 'contact'; roles?: string[]; customerId?: string; approver?: boolean }): Promise<Person> => {
    const root = web.token('root', ['admin']);
    const inv = await web.call(root, 'POST', '/api/users/invitations', { approver: false, ...body }, 201);
    expect(inv.body.invitationUrl).toBeNull(); // with SMTP the link goes by e-mail only
    const mails = await smtp.waitFor((m) => m.some((x) => x.rcpt.includes(body.email) && LINK.test(x.text)), 20_000);
    const link = LINK.exec(mails.filter((x) => x.rcpt.includes(body.email) && LINK.test(x.text)).pop()!.text)![1];
    const res = await fetch(`${web.baseUrl}/api/auth/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: new URL(link).searchParams.get('token'), password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`accepting the invitation of ${body.email}: ${res.status} ${await res.text()}`);
    return { userId: inv.body.userId as string, email: body.email, name: body.name };
  };

  const bell = (page: Page) => page.getByTestId('notification-bell');
  const unreadOf = async (page: Page) => Number(await bell(page).getAttribute('data-unread'));

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hooks = await startWebhookReceiver();
    web = await startWebApp({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM,
        NOTIFY_POLL_MS: '50',
        MAIL_MAX_ATTEMPTS: '2',
        MAIL_RETRY_INITIAL_MS: '200',
        WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_MAX_ATTEMPTS: '1',
        WEBHOOK_DISABLE_AFTER: '5',
      },
    });
    chromium = await launchChromium();
    const root = web.token('root', ['admin']);
    hotels = randomUUID();
    clinic = randomUUID();
    await web.call(root, 'POST', '/api/customers', { customerId: hotels, name: 'Hoteles del Bajío' });
    await web.call(root, 'POST', '/api/customers', { customerId: clinic, name: 'Clínica Santa Fe' });
    await web.call(root, 'POST', '/api/policies', { policyId: randomUUID(), customerId: hotels, plan: 'business', startsOn: todayInMexico() });
    admin = await invite({ email: 'adriana.valdez@mesa.example.mx', name: 'Adriana Valdez', kind: 'staff', roles: ['admin'] });
    ana = await invite({ email: 'ana.robles@mesa.example.mx', name: 'Ana Robles', kind: 'staff', roles: ['agent'] });
    const sara = await invite({ email: 'sara.ibarra@mesa.example.mx', name: 'Sara Ibarra', kind: 'staff', roles: ['supervisor'] });
    carla = await invite({ email: 'carla.nunez@hoteles.example.mx', name: 'Carla Núñez', kind: 'contact', customerId: hotels, approver: true });
    jorge = await invite({ email: 'jorge.salas@clinica.example.mx', name: 'Jorge Salas', kind: 'contact', customerId: clinic, approver: true });
    anaApi = await signInApi(web, ana);
    saraApi = await signInApi(web, sara);
    carlaApi = await signInApi(web, carla);
    jorgeApi = await signInApi(web, jorge);
    adminApi = await signInApi(web, admin);
    hotelsTicket = randomUUID();
    clinicTicket = randomUUID();
    await carlaApi.call('POST', '/api/tickets', { ticketId: hotelsTicket, department: 'support', subject: 'Cableado de la recepción', description: 'Tender red en la recepción.' });
    await jorgeApi.call('POST', '/api/tickets', { ticketId: clinicTicket, department: 'support', subject: 'Nuevo servidor de archivos', description: 'Cotizar un servidor.' });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
    await hooks?.close();
    await smtp?.close();
  });

  it('an agent with the console open hears of a ticket assigned to her, live, and opening it marks it read', async () => {
    const page = await as(ana, '/queue');
    await page.locator('#app[data-live="open"]').waitFor();
    await settled(page);
    // what she had before (her own invitation), as the API counts it
    const before = (await anaApi.call('GET', '/api/notifications?unread=true')).body.unreadCount as number;
    expect(await unreadOf(page)).toBe(before);
    await page.evaluate(() => (window.__noReload = true));

    await saraApi.call('POST', `/api/tickets/${hotelsTicket}/assignment`, { assigneeId: ana.userId });
    // the bell changes without a reload: the notification came through the event stream
    await page.waitForFunction((n: number) => document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread') === String(n), before + 1, { timeout: 15_000 });
    expect(await page.evaluate(() => window.__noReload)).toBe(true);
    expect(await bell(page).getAttribute('aria-label')).toBe(`Notificaciones: ${before + 1} sin leer`);
    expect(await page.getByTestId('notification-count').innerText()).toBe(String(before + 1));

    await bell(page).click();
    const panel = page.getByTestId('notification-panel');
    await panel.waitFor();
    const item = panel.getByTestId('notification').first();
    expect(await item.getAttribute('data-kind')).toBe('ticket-assigned');
    expect(await item.getAttribute('data-read')).toBe('false');
    const text = await item.innerText();
    expect(text).toContain('Cableado de la recepción');
    expect(text).toContain('Sin leer');
    expect(text).toContain('Usted es la persona asignada');
    expect(text).toMatch(/\d{2}:\d{2}/); // when, in the company's zone
    expect(await panel.getByTestId('notification-unread-count').innerText()).toBe(`${before + 1} sin leer`);
    await expectAccessible(page, 'the notification panel');
    await screenshot(page, 'notifications');

    await item.getByTestId('notification-open').click();
    await page.waitForURL(`**/tickets/${hotelsTicket}`);
    await page.waitForFunction((n: number) => document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread') === String(n), before);
    const mine = await anaApi.call('GET', '/api/notifications');
    expect(mine.body.unreadCount).toBe(before);
    const assigned = mine.body.items.find((n: { kind: string }) => n.kind === 'ticket-assigned');
    expect(assigned).toMatchObject({ ticketId: hotelsTicket, reason: 'assignee' });
    expect(assigned.readAt).toEqual(expect.any(String));
    // and the panel says so in words
    await bell(page).click();
    expect(await page.getByTestId('notification-panel').getByTestId('notification').first().getAttribute('data-read')).toBe('true');
    expect(await page.getByTestId('notification-panel').getByTestId('notification').first().innerText()).toContain('Leída');
    // the rest at once: the bell then says none, in words
    await page.getByTestId('notification-mark-all-read').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread') === '0');
    expect(await bell(page).getAttribute('aria-label')).toBe('Notificaciones: ninguna sin leer');
    expect(await page.getByTestId('notification-count').count()).toBe(0);
    expect((await anaApi.call('GET', '/api/notifications?unread=true')).body.unreadCount).toBe(0);
  });

  it("a customer's approver sees the quote awaiting her authorization, and never another customer's", async () => {
    // Jorge's mail is refused by the SMTP server (for the deliveries tab below)
    smtp.reply = ({ rcpt }) => (rcpt.includes(jorge.email) ? { code: 550, message: 'mailbox unavailable' } : null);
    await anaApi.call('POST', `/api/tickets/${hotelsTicket}/quotes`, { kind: 'per-event', minutes: 240, hourlyRateMinor: 85_000, currency: 'MXN', paymentTerms: 'Contado', description: 'Cableado estructurado, 8 nodos' });
    await saraApi.call('POST', `/api/tickets/${clinicTicket}/assignment`, { assigneeId: ana.userId });
    await anaApi.call('POST', `/api/tickets/${clinicTicket}/quotes`, { kind: 'per-event', minutes: 600, hourlyRateMinor: 90_000, currency: 'MXN', description: 'Instalación de servidor' });

    const page = await as(carla, '/portal', PHONE);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread')) >= 1, undefined, { timeout: 15_000 });
    await bell(page).click();
    const panel = page.getByTestId('notification-panel');
    await panel.waitFor();
    await settled(page);
    const items = panel.getByTestId('notification');
    const kinds = await items.evaluateAll((els: any[]) => els.map((e) => e.getAttribute('data-kind'))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(kinds).toContain('quote-awaiting-authorization');
    const all = await panel.innerText();
    expect(all).toContain('Cableado de la recepción');
    expect(all).not.toContain('Nuevo servidor de archivos');
    expect(all).toContain('Usted autoriza las cotizaciones de su empresa');
    // the API agrees: only her customer's
    const hers = await carlaApi.call('GET', '/api/notifications');
    expect(hers.body.items.length).toBeGreaterThan(0);
    for (const n of hers.body.items) {
      expect(n.ticketId === null || n.ticketId === hotelsTicket).toBe(true);
      expect(n.customerId === null || n.customerId === hotels).toBe(true);
    }
    const his = await jorgeApi.call('GET', '/api/notifications');
    expect(his.body.items.map((n: { ticketId: string | null }) => n.ticketId)).toContain(clinicTicket);
    expect(his.body.items.map((n: { ticketId: string | null }) => n.ticketId)).not.toContain(hotelsTicket);
    // and one of hers is 404 to him
    await jorgeApi.call('POST', `/api/notifications/${hers.body.items[0].notificationId}/read`, undefined, 404);

    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, offenders: [] });
    await expectAccessible(page, 'the notification panel on a phone');
    await screenshot(page, 'notifications');

    // it opens the portal's view of the ticket, and is read
    const quote = panel.locator('[data-testid="notification"][data-kind="quote-awaiting-authorization"]');
    await quote.getByTestId('notification-open').click();
    await page.waitForURL(`**/portal/tickets/${hotelsTicket}`);
    const after = await carlaApi.call('GET', '/api/notifications');
    expect(after.body.items.find((n: { kind: string }) => n.kind === 'quote-awaiting-authorization').readAt).toEqual(expect.any(String));
    // the e-mail's link (/tickets/<id>) also lands a contact on the portal's view
    await page.goto(`${web.baseUrl}/tickets/${hotelsTicket}`);
    await page.waitForURL(`**/portal/tickets/${hotelsTicket}`);
  });

  it('preferences: a mandatory kind is locked, an optional one is turned off and stays off', async () => {
    const page = await as(carla, '/portal');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Preferencias de notificación' }).click();
    const form = page.getByTestId('notification-preferences');
    await form.waitFor();
    expect(await page.getByTestId('email-enabled').getAttribute('data-email-enabled')).toBe('true');
    expect(await page.getByTestId('email-enabled').innerText()).toContain('Este servidor envía correos');
    const mandatory = page.getByRole('checkbox', { name: 'Cotización por autorizar' });
    expect(await mandatory.isChecked()).toBe(true);
    expect(await mandatory.isDisabled()).toBe(true);
    expect(await page.getByTestId('pref-quote-awaiting-authorization').innerText()).toContain('Obligatoria');
    expect(await page.getByTestId('mandatory-hint').innerText()).toContain('no se pueden desactivar');
    // a contact is not offered staff matters
    expect(await page.getByTestId('pref-sla-breach').count()).toBe(0);
    const optional = page.getByRole('checkbox', { name: 'Póliza al 80 % de uso' });
    expect(await optional.isChecked()).toBe(true);
    await expectAccessible(page, 'the notification preferences');
    await screenshot(page, 'notification-preferences');

    await optional.uncheck();
    await page.getByRole('switch', { name: 'Resumen diario' }).check();
    await page.getByTestId('preferences-save').click();
    await page.getByTestId('preferences-saved').waitFor();
    const prefs = await carlaApi.call('GET', '/api/me/notification-preferences');
    expect(prefs.body.email['policy-usage-80']).toBe(false);
    expect(prefs.body.email['quote-awaiting-authorization']).toBe(true);
    expect(prefs.body.dailyDigest).toBe(true);
    // the server refuses turning off an obligation, naming the field
    const refused = await carlaApi.call('PATCH', '/api/me/notification-preferences', { email: { 'quote-awaiting-authorization': false } }, 400);
    expect(JSON.stringify(refused.body)).toContain('email.quote-awaiting-authorization');

    // read again after a reload
    await page.reload();
    await page.locator('#app[data-session="signed-in"]').waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Preferencias de notificación' }).click();
    await page.getByTestId('notification-preferences').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Póliza al 80 % de uso' }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: 'Cotización por autorizar' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Resumen diario' }).isChecked()).toBe(true);

    // on a phone
    const phone = await as(carla, '/portal', PHONE);
    await phone.getByTestId('user-menu').click();
    await phone.getByRole('menuitem', { name: 'Preferencias de notificación' }).click();
    await phone.getByTestId('notification-preferences').waitFor();
    await settled(phone);
    await expectAccessible(phone, 'the notification preferences on a phone');
    await screenshot(phone, 'notification-preferences');
  });

  it('an administrator subscribes a webhook, keeps the secret shown once, and reads its deliveries; a failed one is replayed', async () => {
    const page = await as(admin, '/admin/webhooks');
    await page.getByTestId('webhooks-tab').waitFor();
    await settled(page);
    expect(await page.getByTestId('webhooks-empty').count()).toBe(1);
    await page.getByTestId('webhook-create').click();
    const form = page.getByTestId('webhook-form');
    await form.waitFor();
    await form.getByLabel('URL de destino').fill(hooks.url('/erp'));
    await form.getByLabel('Descripción').fill('ERP de Hoteles');
    await form.locator('input[data-event-type="TicketOpened"]').check();
    expect(await form.innerText()).toContain('Elija al menos uno. Elegidos: 1.');
    await expectAccessible(page, 'the webhook form');
    await screenshot(page, 'admin-webhook-form');
    await page.getByTestId('webhook-form-submit').click();
    const secretBox = page.getByTestId('webhook-secret');
    await secretBox.waitFor();
    const secret = await page.getByTestId('webhook-secret-value').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    hooks.secrets.set('/erp', secret);
    expect(await secretBox.innerText()).toContain('no se volverá a mostrar');
    const row = page.getByTestId('webhook-row');
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('enabled');
    expect(await row.innerText()).toContain('Activa');
    // the list never shows the secret again
    const listed = await adminApi.call('GET', '/api/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const webhookId = listed.body.items[0].webhookId as string;

    // an event it subscribed to reaches the receiver, signed
    const t1 = randomUUID();
    await carlaApi.call('POST', '/api/tickets', { ticketId: t1, department: 'support', subject: 'Impresora del lobby', description: 'No imprime.' });
    await hooks.waitFor((h) => h.some((x) => x.path === '/erp' && String(x.json.data.streamId).includes(t1)), 20_000);
    const first = hooks.hooks.find((x) => x.path === '/erp' && String(x.json.data.streamId).includes(t1))!;
    expect(first.signatureValid).toBe(true);
    expect(first.json.type).toBe('TicketOpened');

    await page.getByTestId('webhook-deliveries-open').click();
    const deliveries = page.getByTestId('webhook-deliveries');
    await deliveries.waitFor();
    const delivered = deliveries.locator(`[data-testid="webhook-delivery"][data-delivery-id="${first.id}"]`);
    await delivered.waitFor({ timeout: 15_000 });
    await page.waitForFunction((id: string) => document.querySelector(`[data-delivery-id="${id}"]`)?.getAttribute('data-state') === 'sent', first.id, { timeout: 15_000 });
    expect(await delivered.getByTestId('delivery-last-status').innerText()).toBe('200');
    expect(await delivered.innerText()).toContain('Entregada');
    await delivered.getByTestId('delivery-attempts-toggle').click();
    expect(await deliveries.getByTestId('attempts-log').innerText()).toContain('200');
    expect(new URL(page.url()).searchParams.get('webhook')).toBe(webhookId);
    await expectAccessible(page, 'the delivery log of a webhook');
    await screenshot(page, 'admin-webhook-deliveries');

    // the receiver answers 500: the delivery fails (one attempt here), then it is replayed
    hooks.statuses.set('/erp', 500);
    const t2 = randomUUID();
    await carlaApi.call('POST', '/api/tickets', { ticketId: t2, department: 'support', subject: 'Red de huéspedes', description: 'Sin señal.' });
    await hooks.waitFor((h) => h.some((x) => x.path === '/erp' && String(x.json.data.streamId).includes(t2)), 20_000);
    const failedId = hooks.hooks.find((x) => String(x.json.data.streamId).includes(t2))!.id;
    const failedRow = deliveries.locator(`[data-testid="webhook-delivery"][data-delivery-id="${failedId}"]`);
    await page.waitForFunction(
      (id: string) => {
        const el = document.querySelector(`[data-delivery-id="${id}"]`);
        if (el?.getAttribute('data-state') === 'failed') return true;
        (document.querySelector('[data-testid="webhook-deliveries-refresh"]') as any)?.click(); // eslint-disable-line @typescript-eslint/no-explicit-any
        return false;
      },
      failedId,
      { timeout: 20_000, polling: 500 },
    );
    expect(await failedRow.getByTestId('delivery-last-status').innerText()).toBe('500');
    expect(await failedRow.innerText()).toContain('Fallida');
    // filter by state
    await deliveries.getByTestId('webhook-delivery-filter').getByText('Fallida').click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="webhook-delivery"]')).every((e: any) => e.getAttribute('data-state') === 'failed')); // eslint-disable-line @typescript-eslint/no-explicit-any
    await deliveries.getByTestId('webhook-delivery-filter').getByText('Todas').click();
    await settled(page);
    hooks.statuses.set('/erp', 200);
    await failedRow.getByTestId('delivery-replay').click();
    await page.waitForFunction((id: string) => document.querySelector(`[data-delivery-id="${id}"]`)?.getAttribute('data-state') === 'sent', failedId, { timeout: 20_000 });
    const sameId = hooks.hooks.filter((x) => x.id === failedId);
    expect(sameId.length).toBe(2); // the replay carries the same webhook-id
    expect(sameId.every((x) => x.signatureValid)).toBe(true);
    expect(await failedRow.getByTestId('delivery-last-status').innerText()).toBe('200');

    // disable it: its state is said in words
    await page.keyboard.press('Escape');
    await page.getByTestId('webhook-toggle').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="webhook-row"]')?.getAttribute('data-state') === 'disabled');
    expect(await page.getByTestId('webhook-row').innerText()).toContain('Desactivada');
    await page.getByTestId('webhook-toggle').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="webhook-row"]')?.getAttribute('data-state') === 'enabled');
    await expectAccessible(page, 'the webhooks');
    await screenshot(page, 'admin-webhooks');

    const phone = await as(admin, '/admin/webhooks', PHONE);
    await phone.getByTestId('webhook-row').waitFor();
    await settled(phone);
    expect(await horizontalOverflow(phone)).toEqual({ overflow: 0, offenders: [] });
    await expectAccessible(phone, 'the webhooks on a phone');
    await screenshot(phone, 'admin-webhooks');

    // delete it (confirmed): gone from the screen and the API
    await page.getByTestId('webhook-delete').click();
    const confirm = page.getByTestId('webhook-delete-form');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain(hooks.url('/erp'));
    await page.getByTestId('webhook-delete-form-submit').click();
    await page.getByTestId('webhooks-empty').waitFor();
    expect((await adminApi.call('GET', '/api/webhooks')).body.items).toEqual([]);
  });

  it('e-mail deliveries: a message the SMTP server refused shows failed with its reply, and is sent again with the same Message-ID', async () => {
    const page = await as(admin, '/admin/deliveries');
    await page.getByTestId('mail-deliveries-tab').waitFor();
    await page.getByTestId('mail-delivery-filter').getByText('Fallida').click();
    const failed = page.locator(`[data-testid="mail-delivery"][data-kind="quote-awaiting-authorization"]`);
    await failed.first().waitFor({ timeout: 20_000 });
    await settled(page);
    expect(await failed.first().getAttribute('data-state')).toBe('failed');
    expect(await failed.first().innerText()).toContain(jorge.email);
    expect(await failed.first().innerText()).toContain('Fallida');
    await failed.first().getByTestId('delivery-attempts-toggle').click();
    expect(await page.getByTestId('attempts-log').innerText()).toContain('550');
    const messageId = (await adminApi.call('GET', '/api/notification-deliveries?state=failed')).body.items.find((d: { to: string }) => d.to === jorge.email).messageId as string;
    await expectAccessible(page, 'the e-mail deliveries');
    await screenshot(page, 'admin-mail-deliveries');

    smtp.reply = () => null;
    await failed.first().getByTestId('mail-retry').click();
    await smtp.waitFor((m) => m.some((x) => x.rcpt.includes(jorge.email) && x.messageId === messageId), 20_000);
    await page.getByTestId('mail-delivery-filter').getByText('Entregada').click();
    await page.locator('[data-testid="mail-delivery"][data-kind="quote-awaiting-authorization"]').first().waitFor({ timeout: 20_000 });
    const sent = (await adminApi.call('GET', '/api/notification-deliveries?state=sent')).body.items.find((d: { messageId: string }) => d.messageId === messageId);
    expect(sent).toMatchObject({ state: 'sent', to: jorge.email });

    const phone = await as(admin, '/admin/deliveries', PHONE);
    await phone.getByTestId('mail-deliveries-table').waitFor();
    await settled(phone);
    expect(await horizontalOverflow(phone)).toEqual({ overflow: 0, offenders: [] });
    await expectAccessible(phone, 'the e-mail deliveries on a phone');
    await screenshot(phone, 'admin-mail-deliveries');
  });

  it('escalation contacts: an administrator names who is told at a level; an empty level says the supervisors are told', async () => {
    const page = await as(admin, '/admin/escalation');
    const form = page.getByTestId('escalation-contacts');
    await form.waitFor();
    await settled(page);
    const view = (await adminApi.call('GET', '/api/notification-settings/escalation-contacts')).body as { levels: Array<{ level: number; name: string; userIds: string[] }> };
    expect(view.levels.length).toBeGreaterThan(0);
    const level = view.levels[0];
    const box = page.getByTestId(`escalation-level-${level.level}`);
    expect(await box.innerText()).toContain('se avisa a los supervisores');
    expect(await box.innerText()).toContain(`Nivel ${level.level}: ${level.name}`);
    await box.locator('input').first().click();
    await page.getByRole('option', { name: 'Sara Ibarra' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('escalation-save').click();
    await page.waitForFunction(() => /Última modificación/.test(document.querySelector('[data-testid="escalation-contacts"]')?.textContent ?? ''));
    const saved = (await adminApi.call('GET', '/api/notification-settings/escalation-contacts')).body as typeof view;
    expect(saved.levels.find((l) => l.level === level.level)!.userIds).toEqual([saraApi.person.userId]);
    expect(await box.innerText()).not.toContain('se avisa a los supervisores');
    await expectAccessible(page, 'the escalation contacts');
    await screenshot(page, 'admin-escalation');
  });
});
