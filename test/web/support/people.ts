/**
 * People for the browser suites, made through the identity API as an administrator would:
 * invitations accepted with a password, then signed in through the console's own sign-in form.
 */
import type { Page } from 'playwright-core';
import type { WebApp } from './web-app';

export const PASSWORD = 'nopal azul sobre la mesa 7';

export interface Person {
  userId: string;
  email: string;
  name: string;
}

/** invites (as an administrator's bearer token) and accepts the invitation with PASSWORD */
export async function invite(
  web: WebApp,
  body: { email: string; name: string; kind: 'staff' | 'contact'; roles?: string[]; customerId?: string; approver?: boolean },
): Promise<Person> {
  const admin = web.token('root', ['admin']);
  const inv = await web.call(admin, 'POST', '/api/users/invitations', body, 201);
  const token = new URL(inv.body.invitationUrl as string).searchParams.get('token');
  const res = await fetch(`${web.baseUrl}/api/auth/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`accepting the invitation of ${body.email}: ${res.status} ${await res.text()}`);
  return { userId: inv.body.userId as string, email: body.email, name: body.name };
}

/** signs in through the console's sign-in screen and waits for the signed-in console */
export async function signInThroughUi(page: Page, web: WebApp, email: string, path = '/'): Promise<void> {
  await page.goto(`${web.baseUrl}${path}`);
  await page.waitForURL(/\/sign-in/);
  await page.getByRole('textbox', { name: 'Correo electrónico' }).fill(email);
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.locator('#app[data-session="signed-in"]').waitFor();
}
