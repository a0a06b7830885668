/**
 * In a real browser against the real server, signed in as finance: billed minutes by customer,
 * policy and month (chart with its table, totals), the CSV download equal to the API's (bytes
 * and rows against the API's JSON), policy balances with burn rate and projected exhaustion,
 * per-event charges in the preset's currency, and the reconciliation verdict: green, then red
 * listing a difference put into a read model, then green again after a rebuild. axe on every
 * tab; screenshots at 1280 and 375 pixels.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { allProjections, rebuildProjections } from '@helpdesk/projections';
import type { EventStore } from '@helpdesk/event-store';
import type { ReadStore } from '@helpdesk/read-store';
import { EVENT_STORE, READ_STORE } from '../../apps/api/src/infrastructure/tokens';
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, screenshot, settled, type Chromium } from './support/browser';
import { browserSession, invitePerson, openAs, signInApi, type ApiSession, type Person } from './support/accounts';
import { horizontalOverflow } from './support/layout';
import { WebApp, startWebApp, todayInMexico } from './support/web-app';
import { DateTime } from 'luxon';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

jest.setTimeout(240_000);

/** RFC 4180 records of a CSV text (quoted fields, doubled quotes, CRLF) */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

describeBrowser('console: finance', () => {
  let web: WebApp;
  let chromium: Chromium;
  let tmp: string;
  const contexts: BrowserContext[] = [];
  let finance: Person;
  let financeApi: ApiSession;
  let ana: ApiSession;
  const today = todayInMexico();
  const zone = 'America/Mexico_City';
  /** day `day` of the month `n` months before this one, in the company's zone */
  const monthsAgo = (n: number, day: number) => DateTime.now().setZone(zone).startOf('month').minus({ months: n }).set({ day }).toISODate()!;
  const from = monthsAgo(3, 1);

  const as = async (person: Person, urlPath: string, viewport = DESKTOP): Promise<Page> => {
    const context = await browserSession(chromium.browser, web, person, viewport);
    contexts.push(context);
    return openAs(context, web, urlPath);
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-finance-'));
    web = await startWebApp({ env: { PASSWORD_SCRYPT_LN: '10' } });
    chromium = await launchChromium();
    const admin = web.token('root', ['admin']);
    const hotels = randomUUID();
    const clinic = randomUUID();
    await web.call(admin, 'POST', '/api/customers', { customerId: hotels, name: 'Hoteles del Bajío' });
    await web.call(admin, 'POST', '/api/customers', { customerId: clinic, name: 'Clínica Santa Fe' });
    await web.call(admin, 'POST', '/api/policies', { policyId: randomUUID(), customerId: hotels, plan: 'basic', startsOn: from });
    const agent = await invitePerson(web, { email: 'ana.robles@mesa.example.mx', name: 'Ana Robles', kind: 'staff', roles: ['agent'] });
    finance = await invitePerson(web, { email: 'fernanda.ruiz@mesa.example.mx', name: 'Fernanda Ruiz', kind: 'staff', roles: ['finance'] });
    const carla = await invitePerson(web, { email: 'carla.nunez@hoteles.example.mx', name: 'Carla Núñez', kind: 'contact', customerId: hotels, approver: true });
    const jorge = await invitePerson(web, { email: 'jorge.salas@clinica.example.mx', name: 'Jorge Salas', kind: 'contact', customerId: clinic, approver: true });
    ana = await signInApi(web, agent);
    financeApi = await signInApi(web, finance);
    const hotelsApi = await signInApi(web, carla);
    const clinicApi = await signInApi(web, jorge);

    // hotels: a policy estimate, 155 minutes of work against the policy over three months
    const t1 = randomUUID();
    await hotelsApi.call('POST', '/api/tickets', { ticketId: t1, department: 'support', subject: 'Migrar buzones de correo', description: 'Doce buzones al dominio nuevo.' });
    const q1 = randomUUID();
    await ana.call('POST', `/api/tickets/${t1}/quotes`, { quoteId: q1, kind: 'policy-estimate', minutes: 240, description: 'Migración de buzones' });
    await hotelsApi.call('POST', `/api/tickets/${t1}/quotes/${q1}/authorization`, { decision: 'accept' });
    await ana.call('POST', `/api/tickets/${t1}/work-logs`, { minutes: 45, workedOn: monthsAgo(2, 10), description: 'Inventario de buzones' });
    await ana.call('POST', `/api/tickets/${t1}/work-logs`, { minutes: 20, workedOn: monthsAgo(1, 5), description: 'Registros MX del dominio nuevo' });
    await ana.call('POST', `/api/tickets/${t1}/work-logs`, { minutes: 60, workedOn: today, description: 'Primeros seis buzones' });
    await ana.call('POST', `/api/tickets/${t1}/work-logs`, { minutes: 30, workedOn: today, description: '=HYPERLINK("x"), con "comillas", y coma' });
    // clinic: a per-event quote at $1,000.00 MXN per hour, with a purchase order, 30 minutes last month and 45 today
    const t2 = randomUUID();
    await clinicApi.call('POST', '/api/tickets', { ticketId: t2, department: 'support', subject: 'Respaldo del servidor de archivos', description: 'Configurar respaldos nocturnos.' });
    const q2 = randomUUID();
    await ana.call('POST', `/api/tickets/${t2}/quotes`, {
      quoteId: q2,
      kind: 'per-event',
      minutes: 90,
      hourlyRateMinor: 100_000,
      currency: 'MXN',
      paymentTerms: '30 días',
      purchaseOrderRequired: true,
      description: 'Respaldos nocturnos con verificación',
    });
    await clinicApi.call('POST', `/api/tickets/${t2}/quotes/${q2}/authorization`, { decision: 'accept', purchaseOrder: 'OC-2231' });
    await ana.call('POST', `/api/tickets/${t2}/work-logs`, { minutes: 30, workedOn: monthsAgo(1, 15), description: 'Revisión del servidor de archivos' });
    await ana.call('POST', `/api/tickets/${t2}/work-logs`, { minutes: 45, workedOn: today, description: 'Configuración de los respaldos' });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await web?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('billed minutes by customer, policy and month, with totals, a chart and its table; the CSV equals the API', async () => {
    const page = await as(finance, `/finance?from=${from}&to=${today}`);
    await page.waitForURL(/\/finance/);
    await page.getByTestId('billed-table').waitFor();
    await settled(page);
    expect(await page.getByTestId('billed-total').getAttribute('data-minutes')).toBe('230');
    expect(await page.getByTestId('billed-table').innerText()).toContain('Hoteles del Bajío');
    expect(await page.getByTestId('billed-table').innerText()).toContain('Por evento (sin póliza)');
    expect(await page.getByTestId('billed-table').innerText()).toMatch(/POL-\d{4}-/);
    // the chart, and its table view
    await page.locator('[data-testid="billed-chart"] .recharts-surface').first().waitFor();
    await expectAccessible(page, 'billed minutes');
    await screenshot(page, 'finance');
    await page.getByTestId('billed-chart').getByText('Tabla', { exact: true }).click();
    const chartTable = page.getByTestId('billed-chart-table');
    await chartTable.waitFor();
    expect(await chartTable.innerText()).toContain('3 h 50 min');
    await expectAccessible(page, 'billed minutes (table view)');

    // the CSV: saved as the API sends it, and its rows are the API's JSON rows
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('billed-csv').click()]);
    const file = path.join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const saved = fs.readFileSync(file, 'utf8');
    const query = `from=${from}&to=${today}`;
    const apiCsv = await financeApi.call('GET', `/api/finance/billed-minutes?${query}&format=csv`);
    expect(saved).toBe(apiCsv.body);
    const json = await financeApi.call('GET', `/api/finance/billed-minutes?${query}`);
    const [header, ...records] = parseCsv(saved);
    expect(header).toEqual(['workedOn', 'loggedAt', 'customerId', 'ticketId', 'entryId', 'policyId', 'authorizationId', 'quoteId', 'engineerId', 'kind', 'minutes', 'chargeMinor', 'currency', 'description']);
    const rows = json.body.rows as Array<Record<string, unknown>>;
    expect(records).toHaveLength(rows.length);
    expect(rows).toHaveLength(6);
    const asText = (v: unknown, column: string) => (v === null || v === undefined ? '' : column === 'description' && /^[=+\-@\t\r]/.test(String(v)) ? `'${v}` : String(v));
    // the CSV's loggedAt column is the row's `at` (when the work was logged); every other column is the field of its name
    const field = (c: string) => (c === 'loggedAt' ? 'at' : c);
    expect(records).toEqual(rows.map((r) => header.map((c) => asText(r[field(c)], c))));
  });

  it('policy balances with validity, burn rate and projected exhaustion; per-event charges in pesos', async () => {
    const page = await as(finance, `/finance?tab=balances&from=${from}&to=${today}`);
    await page.getByTestId('balances-table').waitFor();
    await settled(page);
    const row = page.locator('[data-testid="balances-table"] tbody tr').first();
    expect(await row.getAttribute('data-minutes-left')).toBe('145');
    expect(await row.innerText()).toContain('Quedan 2 h 25 min de 5 h');
    const burn = Number(await row.getByTestId('burn-rate').getAttribute('data-minutes-per-month'));
    const balances = await financeApi.call('GET', '/api/finance/policy-balances');
    expect(burn).toBe(balances.body.items[0].burn.minutesPerMonth);
    expect(burn).toBeGreaterThan(0);
    expect(await row.getByTestId('projected-exhaustion').getAttribute('data-date')).toBe(balances.body.items[0].projectedExhaustionOn);
    await expectAccessible(page, 'policy balances');
    await screenshot(page, 'finance-balances');

    await page.getByTestId('tab-charges').click();
    await page.getByTestId('charges-table').waitFor();
    await settled(page);
    // at $1,000.00 an hour: 30 minutes are $500.00, the next 45 are $750.00; together exactly $1,250.00
    const charges = page.locator('[data-testid="charges-table"] tbody tr');
    expect(await charges.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-charge-minor')))).toEqual(['50000', '75000']);
    expect(await charges.nth(1).getByTestId('charge-amount').innerText()).toBe('$750.00 MXN');
    expect(await charges.nth(1).innerText()).toContain('OC OC-2231');
    expect(await page.getByTestId('charges-total').innerText()).toBe('$1,250.00 MXN');
    const api = await financeApi.call('GET', `/api/finance/charges?from=${from}&to=${today}`);
    expect(api.body.items.map((c: { chargeMinor: number }) => String(c.chargeMinor))).toEqual(['50000', '75000']);
    await expectAccessible(page, 'per-event charges');
    await screenshot(page, 'finance-charges');
  });

  it('reconciliation: green, then red listing a difference put into a read model, then green after a rebuild', async () => {
    const page = await as(finance, `/finance?tab=reconciliation&from=${from}&to=${today}`);
    const verdict = page.getByTestId('reconciliation-verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(await verdict.innerText()).toContain('sin diferencias');
    await expectAccessible(page, 'the reconciliation (green)');

    // a billed row changed in the read model behind the projector's back
    const views = web.app.get<ReadStore>(READ_STORE);
    const rows = await views.find<{ _id: string; _pos: number; minutes: number; ticketId: string; entryId: string }>('billed', { filter: {} });
    const row = rows.find((r) => r.minutes === 60)!;
    await views.applyBatch([{ kind: 'put', collection: 'billed', doc: { ...row, minutes: 50, _pos: row._pos + 1_000_000 } }]);
    await page.getByTestId('reconciliation-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="reconciliation-verdict"]')?.getAttribute('data-ok') === 'false', undefined, { timeout: 20_000 });
    const difference = page.locator(`[data-testid="reconciliation-differences"] tr[data-kind="billed-row"][data-id="${row.ticketId}/${row.entryId}"][data-field="minutes"]`);
    await difference.waitFor();
    expect(await difference.innerText()).toMatch(/60\s+50/);
    const count = Number(await verdict.getAttribute('data-differences'));
    expect(await page.locator('[data-testid="reconciliation-differences"] tbody tr').count()).toBe(count);
    await expectAccessible(page, 'the reconciliation (differences)');
    await screenshot(page, 'finance-reconciliation');

    // rebuilt from the log: green again
    await rebuildProjections(web.app.get<EventStore>(EVENT_STORE), views, allProjections());
    await page.getByTestId('reconciliation-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="reconciliation-verdict"]')?.getAttribute('data-ok') === 'true', undefined, { timeout: 20_000 });
    expect(await page.locator('[data-testid="reconciliation-differences"]').count()).toBe(0);
  });

  it('the finance screens fit a 375-pixel-wide phone', async () => {
    for (const [tab, name] of [
      ['billed', 'finance'],
      ['balances', 'finance-balances'],
      ['reconciliation', 'finance-reconciliation'],
    ] as const) {
      const page = await as(finance, `/finance?tab=${tab}&from=${from}&to=${today}`, PHONE);
      await settled(page);
      if (tab === 'reconciliation') await page.getByTestId('reconciliation-verdict').waitFor();
      expect(await horizontalOverflow(page)).toEqual({ overflow: 0, offenders: [] });
      await expectAccessible(page, `${name} on a phone`);
      await screenshot(page, name);
    }
  });
});
