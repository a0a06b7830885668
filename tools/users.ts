/**
 * npm run users -- create-admin [--email <address>]
 *   Prints a one-time link that creates an administrator (POST /api/auth/setup, the console's
 *   /setup page), valid 24 hours. With --email the link accepts only that address. Works on
 *   the configured stores (DATA_DIR / READ_STORE, AUTH_SECRET or JWT_SECRET, PUBLIC_URL),
 *   also while the API runs: the server must use the same secret to accept the link.
 */
import { IdentityKeys } from '@helpdesk/identity';
import { loadConfigOrExit } from '../apps/api/src/config';
import { setupLink } from '../apps/api/src/identity/setup-link';
import { openCredentialStore } from '../apps/api/src/infrastructure/stores';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const [command] = process.argv.slice(2).filter((a) => !a.startsWith('--') && a !== arg('email'));
  if (command !== 'create-admin') {
    console.error('usage: npm run users -- create-admin [--email <address>]');
    return 2;
  }
  const email = arg('email');
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
    console.error(`not an email address: ${email}`);
    return 2;
  }
  const config = loadConfigOrExit();
  if (config.jwtSecretIsDefault && !process.env.AUTH_SECRET) console.error('(made with the development secret: set AUTH_SECRET or JWT_SECRET to match your server)');
  const store = await openCredentialStore(config);
  try {
    const { url, expiresAt } = await setupLink(store, new IdentityKeys(config.identity.secret), config.identity.publicUrl, new Date(), config.identity.setupLinkValidMinutes, {
      email: email ?? null,
    });
    console.error(`one-time link to create an administrator${email ? ` for ${email.trim().toLowerCase()}` : ''}, valid until ${expiresAt}:`);
    console.log(url);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
