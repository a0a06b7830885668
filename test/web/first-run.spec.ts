/**
 * In a real browser, the first minutes of a new desk: the one-time setup link the server
 * prints opens the console's "first administrator" screen, which creates the account and
 * signs in; an invitation link opens "accept the invitation" (password chosen, signed in);
 * a stale password-reset link says so. axe on each screen; screenshots.
 */
import { IdentityBootstrap } from '../../apps/api/src/identity/setup-link';
import { DESKTOP, PHONE, describeBrowser, expectAccessible, launchChromium, newContext, screenshot, type Chromium } from './support/browser';
import { PASSWORD } from './support/people';
import { WebApp, seedCustomer, startWebApp } from './support/web-app';

jest.setTimeout(120_000);

describeBrowser('console: the first run of a desk', () => {
  let web: WebApp;
  let chromium: Chromium;

  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await web?.close();
  });

  it('the setup link creates the first administrator and signs in', async () => {
    const link = web.app.get(IdentityBootstrap).lastSetupLink;
    expect(link).toMatch(/\/setup\?token=/);
    const context = await newContext(chromium.browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}${new URL(link!).pathname}${new URL(link!).search}`);
    await page.getByRole('heading', { name: 'Primer administrador' }).waitFor();
    await expectAccessible(page, 'the setup screen');
    await page.getByRole('textbox', { name: 'Nombre' }).fill('Rocío Admin');
    await page.getByRole('textbox', { name: 'Correo electrónico' }).fill('rocio@impera.test');
    await page.getByLabel('Contraseña').fill(PASSWORD);
    await screenshot(page, 'setup');
    await page.getByRole('button', { name: 'Crear cuenta y entrar' }).click();
    await page.locator('#app[data-session="signed-in"]').waitFor();
    await page.getByRole('button', { name: 'Cuenta de Rocío Admin' }).waitFor();
    await expectAccessible(page, 'the administrator’s start page');
    // the link is spent
    const again = await context.newPage();
    await again.goto(`${web.baseUrl}${new URL(link!).pathname}${new URL(link!).search}`);
    await context.close();
  });

  it('an invitation link opens the acceptance screen, which signs the person in', async () => {
    const { customerId } = await seedCustomer(web, 'Hoteles del Bajío');
    const inv = await web.call(web.token('root', ['admin']), 'POST', '/api/users/invitations', { email: 'carla@hoteles.test', name: 'Carla Ruiz', kind: 'contact', customerId, approver: true }, 201);
    const url = new URL(inv.body.invitationUrl as string);
    const context = await newContext(chromium.browser, { viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}${url.pathname}${url.search}`);
    await page.getByRole('heading', { name: 'Aceptar la invitación' }).waitFor();
    await page.getByLabel('Contraseña').fill('corta');
    await page.getByText('Debe tener al menos 12 caracteres.').waitFor();
    await page.getByLabel('Contraseña').fill(PASSWORD);
    await expectAccessible(page, 'the invitation screen');
    await screenshot(page, 'invitation');
    await page.getByRole('button', { name: 'Aceptar y entrar' }).click();
    await page.waitForURL('**/portal');
    await page.getByRole('heading', { name: 'Mis tickets' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });

  it('a stale password-reset link says so in Spanish', async () => {
    const context = await newContext(chromium.browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}/password-reset?token=not-a-real-token`);
    await page.getByRole('heading', { name: 'Nueva contraseña' }).waitFor();
    await page.getByRole('textbox', { name: 'Nueva contraseña' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.locator('[data-problem-code]').waitFor();
    expect(await page.locator('[data-problem-code]').innerText()).not.toMatch(/[a-z]+-[a-z]+-[a-z]+/); // a sentence, not a code
    await expectAccessible(page, 'the password-reset screen');
    await context.close();
  });
});

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
