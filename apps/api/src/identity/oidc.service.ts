import { Inject, Injectable, Logger } from '@nestjs/common';
import { Actor } from '@helpdesk/domain';
import { APP_CONFIG, AppConfig } from '../config';
import { ProblemException, problem } from '../http/problem';
import { CREDENTIAL_STORE } from '../infrastructure/tokens';
import { CredentialStore } from '@helpdesk/identity';
import { IdentityService, KnownUser } from './identity.service';

/** the state of one sign-in with the provider, kept in a sealed cookie between login and callback */
interface FlowState {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  startedAt: number;
}

export const OIDC_COOKIE = 'hd_oidc';
const FLOW_MAX_AGE_S = 600;

type OpenIdClient = typeof import('openid-client');
type Jose = typeof import('jose');

/** openid-client and jose are ESM-only: loaded when single sign-on is used (require(esm) in Node >= 20.19) */
const loadClient = (): Promise<OpenIdClient> => import('openid-client');
const loadJose = (): Promise<Jose> => import('jose');

export class SsoRefused extends Error {
  constructor(
    readonly reason: 'sso-unknown-user' | 'sso-refused',
    message: string,
    readonly email: string | null = null,
    readonly userId: string | null = null,
  ) {
    super(message);
  }
}

const unauthenticated = (detail: string) =>
  new ProblemException(problem(401, 'unauthenticated', detail), { 'www-authenticate': 'Bearer realm="helpdesk"' });

/**
 * Single sign-on for staff with an OpenID provider (OIDC_ISSUER, OIDC_CLIENT_ID,
 * OIDC_CLIENT_SECRET): authorization code flow with PKCE (S256), state and nonce, through
 * openid-client. The person must already be an invited user, matched by the provider's
 * verified email; their roles stay ours. The first sign-in links the provider's subject to
 * the user (credential store), which also lets the API accept the provider's JWT access
 * tokens (audience OIDC_AUDIENCE, default the client id) as bearer tokens, checked against
 * its JWKS with jose. The provider's metadata is fetched when first needed (a provider that
 * is down does not stop the API from starting).
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('oidc');
  private configuration: Promise<import('openid-client').Configuration> | null = null;
  private jwks: ReturnType<Jose['createRemoteJWKSet']> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CREDENTIAL_STORE) private readonly credentials: CredentialStore,
    private readonly identity: IdentityService,
  ) {}

  get enabled(): boolean {
    return this.config.identity.oidc !== null;
  }

  private get settings() {
    const oidc = this.config.identity.oidc;
    if (!oidc) throw new ProblemException(problem(404, 'not-found', 'single sign-on is not configured'));
    return oidc;
  }

  private insecure(): boolean {
    return new URL(this.settings.issuer).protocol === 'http:';
  }

  private discover(): Promise<import('openid-client').Configuration> {
    if (!this.configuration) {
      const { issuer, clientId, clientSecret } = this.settings;
      this.configuration = loadClient()
        .then((client) =>
          client.discovery(new URL(issuer), clientId, clientSecret, undefined, this.insecure() ? { execute: [client.allowInsecureRequests] } : undefined),
        )
        .catch((err) => {
          this.configuration = null; // try again next time
          throw err;
        });
    }
    return this.configuration;
  }

  /** the URL to send the browser to, and the sealed flow state for the cookie */
  async startLogin(redirectUri: string): Promise<{ url: string; cookie: string }> {
    const client = await loadClient();
    const configuration = await this.discover();
    const verifier = client.randomPKCECodeVerifier();
    const flow: FlowState = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier,
      redirectUri,
      startedAt: Date.now(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, cookie: this.identity.keys.encrypt('oidc-state', JSON.stringify(flow)) };
  }

  /**
   * Completes the flow: exchanges the code (PKCE, state, nonce checked by openid-client) and
   * finds the invited person by the verified email. Throws SsoRefused for anyone else.
   */
  async completeLogin(sealed: string | undefined, query: string): Promise<KnownUser> {
    const flowText = sealed ? this.identity.keys.decrypt('oidc-state', sealed) : null;
    const flow = flowText ? (JSON.parse(flowText) as FlowState) : null;
    if (!flow || Date.now() - flow.startedAt > FLOW_MAX_AGE_S * 1000) throw new SsoRefused('sso-refused', 'the sign-in with the provider expired or was not started here');
    const client = await loadClient();
    const configuration = await this.discover().catch((err) => {
      throw new SsoRefused('sso-refused', `the identity provider cannot be reached: ${(err as Error).message}`);
    });
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, new URL(`${flow.redirectUri}?${query}`), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      if (typeof claims.email !== 'string' && tokens.access_token) {
        claims = { ...claims, ...(await client.fetchUserInfo(configuration, tokens.access_token, String(claims.sub))) };
      }
    } catch (err) {
      throw new SsoRefused('sso-refused', `the provider's answer was refused: ${(err as Error).message}`);
    }
    const subject = String(claims.sub);
    const email = typeof claims.email === 'string' ? claims.email : null;
    if (!email || claims.email_verified !== true) throw new SsoRefused('sso-refused', 'the provider did not give a verified email', email);
    const user = await this.identity.findUserByEmail(email);
    if (!user || user.state.kind !== 'staff' || user.state.status === 'deactivated') {
      throw new SsoRefused('sso-unknown-user', 'no staff member was invited with this email', email, user?.userId ?? null);
    }
    await this.credentials.linkOidcSubject(this.settings.issuer, subject, user.userId, this.identity.now());
    return user;
  }

  /** a token whose issuer is the configured provider (read without checking; verifyBearer checks) */
  isProviderToken(token: string): boolean {
    if (!this.config.identity.oidc) return false;
    const payload = token.split('.')[1];
    if (!payload) return false;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown };
      return typeof claims.iss === 'string' && claims.iss.replace(/\/+$/, '') === this.settings.issuer;
    } catch {
      return false;
    }
  }

  /** a provider's JWT access token: signature (JWKS), issuer, audience and expiry; then our person and their roles */
  async verifyBearer(token: string): Promise<Actor> {
    const jose = await loadJose();
    const { audience } = this.settings;
    const configuration = await this.discover().catch(() => {
      throw new ProblemException(problem(503, 'identity-provider-unavailable', 'the identity provider cannot be reached to check the token'), { 'retry-after': '5' });
    });
    const metadata = configuration.serverMetadata();
    if (!this.jwks) this.jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri!));
    let claims: import('jose').JWTPayload;
    try {
      ({ payload: claims } = await jose.jwtVerify(token, this.jwks, { issuer: metadata.issuer, audience }));
    } catch (err) {
      throw unauthenticated(`the provider's token was refused: ${(err as Error).message}`);
    }
    let userId = claims.sub ? await this.credentials.findOidcSubject(this.settings.issuer, claims.sub) : null;
    if (!userId && typeof claims.email === 'string' && claims.email_verified === true) userId = (await this.identity.findUserByEmail(claims.email))?.userId ?? null;
    const user = userId ? await this.identity.loadUser(userId) : null;
    if (!user || user.state.status !== 'active' || user.state.kind !== 'staff') {
      throw unauthenticated("the provider's token is not of an active staff member of this desk");
    }
    return this.identity.principalOf(user, 'token');
  }

  logFailure(err: unknown): void {
    this.logger.warn(`single sign-on refused: ${(err as Error).message}`);
  }
}
