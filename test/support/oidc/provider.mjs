/**
 * A real OpenID provider for the single sign-on tests: oidc-provider (v9, ESM-only, so it
 * runs in a process of its own). Protocol:
 *   1. it listens on 127.0.0.1, on a port the system picks, and prints `PORT <n>`;
 *   2. it reads one JSON line on stdin: { clientId, clientSecret, redirectUris, audience,
 *      accounts: [{ sub, email, emailVerified, name, password }] } (the API's port is known
 *      only once the API listens, and the API needs the issuer first);
 *   3. it prints `READY`. It exits when stdin closes.
 * Sign-in is a real interaction: a login form (GET /interaction/<uid>) posted to
 * /interaction/<uid>/login with `login` and `password`, checked against the accounts.
 * Consent is granted automatically for the configured client (first-party). Access tokens
 * asked for the `audience` resource are JWTs (RS256) the API checks against the JWKS.
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;
process.stdout.write(`PORT ${port}\n`);

const lines = createInterface({ input: process.stdin });
const setup = await new Promise((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
lines.on('close', () => process.exit(0));

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };
const accounts = new Map(setup.accounts.map((a) => [a.sub, a]));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: setup.clientId,
      client_secret: setup.clientSecret,
      redirect_uris: setup.redirectUris,
      grant_types: ['authorization_code', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  scopes: ['openid', 'email', 'profile'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, client, oneOf) => oneOf,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== setup.audience) throw new Error(`unknown resource ${resource}`);
        return { scope: 'api', audience: setup.audience, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: account.email, email_verified: account.emailVerified, name: account.name };
      },
    };
  },
  // first-party client: the grant covers what it asks for, no consent screen
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    grant.addResourceScope(setup.audience, 'api');
    await grant.save();
    return grant;
  },
});

const readBody = (req) =>
  new Promise((resolve) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(new URLSearchParams(body)));
  });

const callback = provider.callback();
server.on('request', async (req, res) => {
  const m = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url);
  if (!m) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>Sign in</title><p id="prompt">${details.prompt.name} ${JSON.stringify(details.prompt.details)}</p><form method="post" action="/interaction/${details.uid}/login">` +
          `<input name="login"><input name="password" type="password"><button>Sign in</button></form>`,
      );
      return;
    }
    const form = await readBody(req);
    const account = accounts.get(form.get('login'));
    if (!account || account.password !== form.get('password')) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('wrong login or password');
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(err?.message ?? err));
  }
});

process.stdout.write('READY\n');
