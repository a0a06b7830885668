/**
 * In a real browser against the real server. Audit (an auditor): who accepted or declined
 * which quote, with terms, purchase order and the rights they had, filtered by period and
 * customer, downloaded as the API's CSV; the access log with a failed sign-in, filtered by
 * person, downloaded as CSV. Administration (an administrator): invite a contact and get the
 * one-time link, send a new link, deactivate and reactivate with a reason; register a
 * customer, suspend its support and lift the suspension, read its history; register a policy
 * and read its certificate number and coverage; read the active settings. axe on every
 * screen; screenshots at 1280 and 375 pixels.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, screenshot, settled, type Chromium } from './support/browser';
import { browserSession, invitePerson, openAs, signInApi, type ApiSession, type Person } from './support/accounts';
import { horizontalOverflow } from './support/layout';
import { WebApp, startWebApp, todayInMexico } from './support/web-app';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

jest.setTimeout(300_000);

describeBrowser('console: audit and administration', () => {
  let web: WebApp;
  let chromium: Chromium;
  let tmp: string;
  const contexts: BrowserContext[] = [];
  let auditor: Person;
  let auditorApi: ApiSession;
  let admin: Person;
  let carla: Person;
  let hotels: string;
  let clinic: string;
  const today = todayInMexico();

  const as = async (person: Person, urlPath: string, viewport = DESKTOP): Promise<Page> => {
    const context = await browserSession(chromium.browser, web, person, viewport);
    contexts.push(context);
    return openAs(context, web, urlPath);
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-audit-'));
    web = await startWebApp({ env: { PASSWORD_SCRYPT_LN: '10' } });
    chromium = await launchChromium();
    const root = web.token('root', ['admin']);
    hotels = randomUUID();
    clinic = randomUUID();
    await web.call(root, 'POST', '/api/customers', { customerId: hotels, name: 'Hoteles del Bajío' });
    await web.call(root, 'POST', '/api/customers', { customerId: clinic, name: 'Clínica Santa Fe' });
    await web.call(root, 'POST', '/api/policies', { policyId: randomUUID(), customerId: hotels, plan: 'business', startsOn: today });
    admin = await invitePerson(web, { email: 'adriana.valdez@mesa.example.mx', name: 'Adriana Valdez', kind: 'staff', roles: ['admin'] });
    auditor = await invitePerson(web, { email: 'aurelio.mendez@mesa.example.mx', name: 'Aurelio Méndez', kind: 'staff', roles: ['auditor'] });
    const ana = await signInApi(web, await invitePerson(web, { email: 'ana.robles@mesa.example.mx', name: 'Ana Robles', kind: 'staff', roles: ['agent'] }));
    carla = await invitePerson(web, { email: 'carla.nunez@hoteles.example.mx', name: 'Carla Núñez', kind: 'contact', customerId: hotels, approver: true });
    const jorge = await invitePerson(web, { email: 'jorge.salas@clinica.example.mx', name: 'Jorge Salas', kind: 'contact', customerId: clinic, approver: true });
    auditorApi = await signInApi(web, auditor);
    const hotelsApi = await signInApi(web, carla);
    const clinicApi = await signInApi(web, jorge);
    // an accepted per-event quote with a purchase order (hotels), a declined one (clinic)
    const t1 = randomUUID();
    await hotelsApi.call('POST', '/api/tickets', { ticketId: t1, department: 'support', subject: 'Cableado de la recepción', description: 'Tender red en la recepción.' });
    await ana.call('POST', `/api/tickets/${t1}/quotes`, { kind: 'per-event', minutes: 240, hourlyRateMinor: 85_000, currency: 'MXN', paymentTerms: 'Contado', purchaseOrderRequired: true, description: 'Cableado estructurado, 8 nodos' });
    const q1 = (await ana.call('GET', `/api/tickets/${t1}`)).body.quotes[0].quoteId;
    await hotelsApi.call('POST', `/api/tickets/${t1}/quotes/${q1}/authorization`, { decision: 'accept', purchaseOrder: 'OC-5510' });
    const t2 = randomUUID();
    await clinicApi.call('POST', '/api/tickets', { ticketId: t2, department: 'support', subject: 'Nuevo servidor de archivos', description: 'Cotizar un servidor.' });
    await ana.call('POST', `/api/tickets/${t2}/quotes`, { kind: 'per-event', minutes: 600, hourlyRateMinor: 90_000, currency: 'MXN', description: 'Instalación de servidor' });
    const q2 = (await ana.call('GET', `/api/tickets/${t2}`)).body.quotes[0].quoteId;
    await clinicApi.call('POST', `/api/tickets/${t2}/quotes/${q2}/authorization`, { decision: 'decline', comment: 'Fuera de presupuesto' });
    // a failed sign-in for the access log
    const failed = await fetch(`${web.baseUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: carla.email, password: 'no es la contraseña' }) });
    expect(failed.status).toBe(401);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('authorizations: who accepted or declined what, filtered by customer, and the CSV equals the API', async () => {
    const page = await as(auditor, `/audit?from=${today}&to=${today}`);
    const table = page.getByTestId('authorizations-table');
    await table.waitFor();
    await settled(page);
    expect(await table.locator('tbody tr').count()).toBe(2);
    const accepted = table.locator('tbody tr[data-decision="accept"]');
    expect(await accepted.innerText()).toContain('Autorizó');
    expect(await accepted.innerText()).toContain('OC-5510');
    expect(await accepted.innerText()).toContain('$3,400.00 MXN');
    expect(await accepted.innerText()).toContain('Carla Núñez');
    expect(await accepted.getByTestId('approval').getAttribute('data-approver')).toBe('true');
    expect(await table.locator('tbody tr[data-decision="decline"]').innerText()).toContain('Fuera de presupuesto');
    await expectAccessible(page, 'the authorizations audit');
    await screenshot(page, 'audit');

    // one customer only
    await page.getByTestId('filter-customer').click();
    await page.getByRole('option', { name: 'Clínica Santa Fe' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="authorizations-table"] tbody tr').length === 1);
    expect(await table.locator('tbody tr').getAttribute('data-decision')).toBe('decline');

    // the CSV is the API's, byte for byte
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('authorizations-csv').click()]);
    const file = path.join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const url = new URL(page.url());
    const from = url.searchParams.get('from')!;
    const zoneFrom = encodeURIComponent(new Date(`${from}T00:00:00-06:00`).toISOString().replace('.000Z', 'Z'));
    expect(zoneFrom).toBeTruthy();
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^at,decision,customerId,ticketId,quoteId/);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(2);
    const api = await auditorApi.call('GET', `/api/audit/authorizations?customerId=${clinic}&format=csv`);
    expect(csv).toBe(api.body);
  });

  it('the access log shows the failed sign-in, filters by person and downloads as CSV', async () => {
    const page = await as(auditor, `/audit?tab=access&from=${today}&to=${today}`);
    const table = page.getByTestId('access-table');
    await table.waitFor();
    await settled(page);
    const failed = table.locator('tbody tr[data-action="sign-in-failed"]');
    expect(await failed.count()).toBe(1);
    expect(await failed.innerText()).toContain('Inicio de sesión fallido');
    expect(await failed.innerText()).toContain(carla.email);
    await expectAccessible(page, 'the access log');
    await screenshot(page, 'audit-access');

    await page.getByTestId('access-person').click();
    await page.getByRole('option', { name: /Carla Núñez/ }).click();
    // (an empty table while the filtered page loads would pass "every row": at least one row, all hers)
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid="access-table"] tbody tr')];
      return shown.length > 0 && shown.every((r: any) => r.textContent.includes('Carla')); // eslint-disable-line @typescript-eslint/no-explicit-any
    });
    const rows = await table.locator('tbody tr').count();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('access-csv').click()]);
    const file = path.join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,action,userId,email,by,ip,userAgent,detail,entryId,streamId,position');
    expect(lines).toHaveLength(rows + 1);
  });

  it('people: invite a contact and hand over the one-time link; a new link; deactivate and reactivate', async () => {
    const page = await as(admin, '/');
    await page.waitForURL(/\/admin\/people/);
    await page.getByTestId('people-table').waitFor();
    await settled(page);
    await expectAccessible(page, 'people');
    await screenshot(page, 'admin-people');

    await page.getByTestId('invite-open').click();
    const form = page.getByTestId('invite-form');
    await form.getByText('Contacto de un cliente').click();
    await form.getByRole('textbox', { name: 'Nombre' }).fill('René Ortiz');
    await form.getByRole('textbox', { name: 'Correo electrónico' }).fill('rene.ortiz@hoteles.example.mx');
    await form.getByRole('combobox', { name: 'Cliente' }).click();
    await page.getByRole('option', { name: 'Hoteles del Bajío' }).click();
    await expectAccessible(page, 'the invitation form');
    await page.getByTestId('invite-form-submit').click();
    const link = page.getByTestId('invitation-url');
    await link.waitFor();
    const first = await link.inputValue();
    expect(first).toMatch(/token=/);
    const row = page.locator('[data-testid="people-table"] tr[data-email="rene.ortiz@hoteles.example.mx"]');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('invited');

    // a new link replaces the first one
    await row.getByTestId('person-actions').click();
    await page.getByTestId('person-renew').click();
    await page.getByTestId('renew-form-submit').click();
    await page.waitForFunction((old) => (document.querySelector('[data-testid="invitation-url"]') as any)?.value !== old, first);
    expect(await link.inputValue()).not.toBe(first);

    // Carla: deactivated with a reason, then reactivated
    const carlaRow = page.locator(`[data-testid="people-table"] tr[data-email="${carla.email}"]`);
    await carlaRow.getByTestId('person-actions').click();
    await page.getByTestId('person-deactivate').click();
    await page.getByTestId('person-deactivate-form').getByTestId('reason').fill('Dejó la empresa');
    await page.getByTestId('person-deactivate-form-submit').click();
    await page.waitForFunction((email) => document.querySelector(`[data-testid="people-table"] tr[data-email="${email}"]`)?.getAttribute('data-status') === 'deactivated', carla.email);
    await carlaRow.getByTestId('person-actions').click();
    await page.getByTestId('person-reactivate').click();
    await page.getByTestId('person-reactivate-form').getByTestId('reason').fill('Regresó como consultora');
    await page.getByTestId('person-reactivate-form-submit').click();
    await page.waitForFunction((email) => document.querySelector(`[data-testid="people-table"] tr[data-email="${email}"]`)?.getAttribute('data-status') === 'active', carla.email);
  });

  it('customers: register one, suspend its support and lift the suspension, with its history', async () => {
    const page = await as(admin, '/admin/customers');
    await page.getByTestId('customers-table').waitFor();
    await page.getByTestId('customer-register').click();
    await page.getByTestId('customer-form').getByRole('textbox', { name: 'Nombre' }).fill('Constructora del Norte');
    await page.getByTestId('customer-form-submit').click();
    const row = page.locator('[data-testid="customers-table"] tr[data-name="Constructora del Norte"]');
    await row.waitFor();
    await row.getByTestId('customer-actions').click();
    await page.getByTestId('customer-suspend').click();
    await page.getByTestId('suspend-form').getByRole('textbox', { name: /Detalle/ }).fill('Insultos al personal en tres tickets');
    await expectAccessible(page, 'the suspension form');
    await page.getByTestId('suspend-form-submit').click();
    await row.locator('[data-suspended="true"]').waitFor();
    await row.getByTestId('customer-actions').click();
    await page.getByTestId('customer-reinstate').click();
    await page.getByTestId('reinstate-form').getByRole('textbox', { name: 'Motivo' }).fill('Disculpa formal recibida');
    await page.getByTestId('reinstate-form-submit').click();
    await row.locator('[data-suspended="false"]').waitFor();
    await row.getByTestId('customer-actions').click();
    await page.getByTestId('customer-history-open').click();
    const history = page.getByTestId('customer-history');
    await history.waitFor();
    const text = await history.innerText();
    expect(text).toContain('Cliente registrado');
    expect(text).toContain('Soporte suspendido');
    expect(text).toContain('Suspensión levantada');
    expect(text).toContain('Disculpa formal recibida');
    expect(text).toContain('Adriana Valdez');
    await expectAccessible(page, 'a customer’s history');
    await page.keyboard.press('Escape');
    await settled(page);
    await screenshot(page, 'admin-customers');
  });

  it('policies: register one and read its certificate number and coverage; the settings, read-only', async () => {
    const page = await as(admin, '/admin/policies');
    await page.getByTestId('policies-table').waitFor();
    await page.getByTestId('policy-register').click();
    const form = page.getByTestId('policy-form');
    await form.getByRole('combobox', { name: 'Cliente' }).click();
    await page.getByRole('option', { name: 'Clínica Santa Fe' }).click();
    await form.getByRole('combobox', { name: 'Plan' }).click();
    await page.getByRole('option', { name: /Póliza Corporativa/ }).click();
    await expectAccessible(page, 'the policy form');
    await page.getByTestId('policy-form-submit').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="policies-table"] tbody tr').length === 2);
    await settled(page);
    await expectAccessible(page, 'policies');
    await screenshot(page, 'admin-policies');
    const row = page.locator('[data-testid="policies-table"] tbody tr').filter({ hasText: 'Clínica Santa Fe' });
    await row.getByTestId('policy-open').click();
    const detail = page.getByTestId('policy-detail');
    await detail.waitFor();
    expect(await page.getByTestId('policy-certificate').innerText()).toMatch(/^POL-\d{4}-/);
    expect(await detail.innerText()).toContain('70 h');
    await expectAccessible(page, 'a policy’s certificate');
    await page.keyboard.press('Escape');

    await page.getByTestId('tab-settings').click();
    const settings = page.getByTestId('settings-tab');
    await settings.waitFor();
    expect(await settings.innerText()).toContain('America/Mexico_City');
    expect(await settings.innerText()).toContain('MXN');
    await expectAccessible(page, 'the settings');
    await screenshot(page, 'admin-settings');
  });

  it('the audit and administration screens fit a 375-pixel-wide phone', async () => {
    for (const [who, urlPath, name] of [
      ['auditor', `/audit?from=${today}&to=${today}`, 'audit'],
      ['admin', '/admin/people', 'admin-people'],
      ['admin', '/admin/customers', 'admin-customers'],
      ['admin', '/admin/policies', 'admin-policies'],
      ['admin', '/admin/settings', 'admin-settings'],
    ] as const) {
      const page = await as(who === 'auditor' ? auditor : admin, urlPath, PHONE);
      await settled(page);
      expect({ name, ...(await horizontalOverflow(page)) }).toEqual({ name, overflow: 0, offenders: [] });
      await expectAccessible(page, `${name} on a phone`);
      await screenshot(page, name);
    }
  });
});
