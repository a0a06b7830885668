import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCookieAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { DomainError, linkValidAt, normalizeEmail, userDecider } from '@helpdesk/domain';
import { readLinkToken, safeEqual } from '@helpdesk/identity';
import { AuthenticatedRequest, Public, cookieOf, isSecure } from '../http/auth';
import { ApiProblems } from '../http/openapi';
import { ProblemException, invalidRequest, problem } from '../http/problem';
import { Envelopes, correlationIdOf } from '../http/request';
import { AcceptInvitationDto, MeDto, PasswordResetCompleteDto, PasswordResetRequestDto, ProvidersDto, SetupDto, SignInDto } from './dtos';
import { SESSION_COOKIE, clearedSessionCookie, csrfInvalid, linkExpired, linkUsed } from './errors';
import { IdentityService, KnownUser, RequestInfo, SYSTEM_IDENTITY, defaultLanguage } from './identity.service';
import { OIDC_COOKIE, OidcService, SsoRefused } from './oidc.service';
import { SetUpAdministratorMessage, UserCommandMessage, UserCommandOutcome } from './user-handlers';

export function requestInfo(req: AuthenticatedRequest): RequestInfo {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null, correlationId: correlationIdOf(req), secure: isSecure(req) };
}

export function setSessionCookie(reply: FastifyReply, value: string, secure: boolean): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  void reply.header('cache-control', 'no-store');
}

const SESSION_COOKIE_DOC = { name: 'Set-Cookie', description: `${SESSION_COOKIE}=<opaque>; HttpOnly; SameSite=Lax; Path=/; Secure over https` };

/**
 * Sign-in and the one-time links (public: no session or token needed). Answers never tell
 * whether an email belongs to somebody: an unknown email and a wrong password get the same
 * status, body and (a dummy hash) time; a reset request is always 202.
 */
@ApiTags('sign-in')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly oidc: OidcService,
    private readonly bus: CommandBus,
    private readonly envelopes: Envelopes,
  ) {}

  @Get('providers')
  @Public()
  @ApiOperation({ summary: 'How people may sign in here (for the sign-in screen)' })
  @ApiResponse({ status: 200, type: ProvidersDto })
  providers(): ProvidersDto {
    return { password: true, oidc: this.oidc.enabled };
  }

  @Post('sign-in')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Sign in with email and password (and a second factor when enrolled); sets the session cookie and answers GET /api/me' })
  @ApiResponse({ status: 200, type: MeDto, headers: { 'Set-Cookie': { description: SESSION_COOKIE_DOC.description, schema: { type: 'string' } } } })
  @ApiProblems(400, [401, 'invalid-credentials (unknown email, wrong password, deactivated: one answer), mfa-required (with mfa: "totp")'], 429)
  async signIn(@Body() dto: SignInDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const info = requestInfo(req);
    const { session } = await this.identity.signIn(dto, info).then((r) => {
      setSessionCookie(reply, r.cookie, info.secure);
      return r;
    });
    return this.identity.me(this.identity.sessionPrincipal(session), session);
  }

  @Post('sign-out')
  @HttpCode(204)
  @Public()
  @ApiCookieAuth()
  @ApiHeader({ name: 'X-CSRF-Token', required: false, description: 'the session csrfToken (required when the session is still open)' })
  @ApiOperation({ summary: 'Ends the session of the cookie (if any) and clears the cookie' })
  @ApiResponse({ status: 204, description: 'signed out (also when the session had already ended)' })
  @ApiProblems([403, 'csrf-token-invalid'])
  async signOut(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const cookie = cookieOf(req, SESSION_COOKIE);
    const secure = isSecure(req);
    if (cookie) {
      const live = await this.identity.resumeSession(cookie, secure).catch(() => null);
      if (live) {
        const sent = req.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, live.csrfToken)) throw csrfInvalid();
        await this.identity.endSession(cookie, requestInfo(req));
      }
    }
    void reply.header('set-cookie', clearedSessionCookie(secure));
  }

  @Post('setup')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Creates the first administrator from the one-time setup link (printed at first start or by npm run users -- create-admin) and signs them in' })
  @ApiResponse({ status: 200, type: MeDto, headers: { 'Set-Cookie': { description: SESSION_COOKIE_DOC.description, schema: { type: 'string' } } } })
  @ApiProblems(
    [400, 'invalid-request, password-too-weak'],
    [409, 'setup-link-used, email-in-use'],
    [410, 'setup-link-expired (expired or unknown link)'],
    429,
  )
  async setup(@Body() dto: SetupDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const info = requestInfo(req);
    await this.identity.requireNotThrottled(info.ip ? [{ kind: 'address', key: info.ip }] : []);
    const parsed = readLinkToken(this.identity.keys, 'setup', dto.token);
    const record = parsed && parsed.subject === 'setup' ? await this.identity.credentials.getOneTime('setup', parsed.nonceId) : null;
    if (!parsed || !record || (record.expiresAt !== null && !linkValidAt(record.expiresAt, this.identity.now()))) {
      if (info.ip) await this.identity.throttle.fail([{ kind: 'address', key: info.ip }], this.identity.now());
      throw linkExpired('setup-link-expired', 'setup');
    }
    if (record.usedAt) throw linkUsed('setup-link-used', 'setup');
    const email = normalizeEmail(dto.email);
    if (record.email && record.email !== email) throw invalidRequest([{ path: 'email', message: 'must be the address this setup link was made for' }]);
    this.identity.requireStrongPassword(dto.password, { email, name: dto.name });
    const hash = await this.identity.hashPassword(dto.password);
    const userId = this.identity.newId();
    const envelope = { ...this.envelopes.for(req), actor: { id: 'system:setup', roles: [] } };
    // the email is checked before the link is spent
    const existing = await this.identity.findUserByEmail(email);
    if (existing) throw new DomainError('email-in-use', 409, `${email} already belongs to a user`, { userId: existing.userId });
    if (!(await this.identity.credentials.useOneTime('setup', parsed.nonceId, this.identity.now()))) throw linkUsed('setup-link-used', 'setup');
    const o = await this.bus.execute<SetUpAdministratorMessage, UserCommandOutcome>(
      new SetUpAdministratorMessage(
        { type: 'SetUpAdministrator', userId, invitationId: parsed.nonceId, email, name: dto.name, language: defaultLanguage(this.identity.config) },
        envelope,
      ),
    );
    await this.identity.credentials.setPassword(userId, hash, this.identity.now());
    const user: KnownUser = { userId, state: o.state, version: o.version };
    const { cookie, session } = await this.identity.startSession(user, 'setup', null, info);
    setSessionCookie(reply, cookie, info.secure);
    return this.identity.me(this.identity.sessionPrincipal(session), session);
  }

  @Post('invitations/accept')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Accepts an invitation: sets the password and signs in. Unknown, replaced and expired links get the same 410.' })
  @ApiResponse({ status: 200, type: MeDto, headers: { 'Set-Cookie': { description: SESSION_COOKIE_DOC.description, schema: { type: 'string' } } } })
  @ApiProblems([400, 'invalid-request, password-too-weak'], [409, 'invitation-used'], [410, 'invitation-expired (also unknown or replaced links)'], 429)
  async acceptInvitation(@Body() dto: AcceptInvitationDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const info = requestInfo(req);
    await this.identity.requireNotThrottled(info.ip ? [{ kind: 'address', key: info.ip }] : []);
    const parsed = readLinkToken(this.identity.keys, 'invitation', dto.token);
    const user = parsed ? await this.identity.loadUser(parsed.subject) : null;
    if (!parsed || !user) {
      if (info.ip) await this.identity.throttle.fail([{ kind: 'address', key: info.ip }], this.identity.now());
      throw linkExpired('invitation-expired', 'invitation');
    }
    const command = { type: 'AcceptInvitation' as const, userId: user.userId, invitationId: parsed.nonceId, method: 'password' as const, ...(dto.name ? { name: dto.name } : {}) };
    const actor = { id: user.userId, roles: [...user.state.roles] };
    // the link first (410/409), then the password (400)
    userDecider.decide(command, user.state, { now: this.identity.now(), actor });
    this.identity.requireStrongPassword(dto.password, { email: user.state.email, name: dto.name ?? user.state.name });
    const hash = await this.identity.hashPassword(dto.password);
    if (!(await this.identity.credentials.useOneTime('invitation', parsed.nonceId, this.identity.now()))) throw linkUsed('invitation-used', 'invitation');
    await this.identity.credentials.setPassword(user.userId, hash, this.identity.now());
    const o = await this.bus.execute<UserCommandMessage, UserCommandOutcome>(new UserCommandMessage(user.userId, command, { ...this.envelopes.for(req), actor }));
    const accepted: KnownUser = { userId: user.userId, state: o.state, version: o.version };
    const { cookie, session } = await this.identity.startSession(accepted, 'invitation', null, info);
    setSessionCookie(reply, cookie, info.secure);
    return this.identity.me(this.identity.sessionPrincipal(session), session);
  }

  @Post('password-reset')
  @HttpCode(202)
  @Public()
  @ApiOperation({ summary: 'Asks for a password-reset link by e-mail. Always 202 with the same body, whether or not the email is somebody\'s.' })
  @ApiResponse({ status: 202, description: 'accepted', schema: { type: 'object', properties: { status: { type: 'string', enum: ['accepted'] }, detail: { type: 'string' } } } })
  @ApiProblems(400, [429, 'too-many-attempts from this address (Retry-After)'])
  async requestReset(@Body() dto: PasswordResetRequestDto, @Req() req: AuthenticatedRequest) {
    const info = requestInfo(req);
    await this.identity.requireNotThrottled(info.ip ? [{ kind: 'address', key: info.ip }] : []);
    const envelope = { ...this.envelopes.for(req), actor: SYSTEM_IDENTITY };
    // the work happens after the answer, so neither the answer nor its timing depends on the email
    this.identity.background('password-reset request', () => this.identity.requestPasswordReset(dto.email, info, envelope));
    return { status: 'accepted', detail: 'if the address belongs to an active account, a reset link is on its way' };
  }

  @Post('password-reset/complete')
  @HttpCode(204)
  @Public()
  @ApiOperation({ summary: 'Sets a new password from a reset link; every session of the person ends' })
  @ApiResponse({ status: 204, description: 'the password was changed; sign in with it' })
  @ApiProblems([400, 'invalid-request, password-too-weak'], [409, 'reset-link-used'], [410, 'reset-link-expired (also unknown or replaced links)'], 429)
  async completeReset(@Body() dto: PasswordResetCompleteDto, @Req() req: AuthenticatedRequest): Promise<void> {
    const info = requestInfo(req);
    await this.identity.requireNotThrottled(info.ip ? [{ kind: 'address', key: info.ip }] : []);
    await this.identity.completePasswordReset(dto.token, dto.password, info);
  }

  @Get('oidc/login')
  @Public()
  @ApiOperation({ summary: 'Single sign-on: redirects to the OpenID provider (authorization code with PKCE); 404 when not configured' })
  @ApiResponse({ status: 302, description: "to the provider's authorization endpoint" })
  @ApiProblems([404, 'single sign-on is not configured'], [503, 'the provider cannot be reached'])
  async oidcLogin(@Req() req: AuthenticatedRequest, @Res() reply: FastifyReply) {
    if (!this.oidc.enabled) throw new DomainError('not-found', 404, 'single sign-on is not configured');
    let started: { url: string; cookie: string };
    try {
      started = await this.oidc.startLogin(this.callbackUrl(req));
    } catch (err) {
      this.oidc.logFailure(err);
      throw new ProblemException(problem(503, 'identity-provider-unavailable', 'the identity provider cannot be reached; try again shortly'), { 'retry-after': '5' });
    }
    void reply
      .header('set-cookie', `${OIDC_COOKIE}=${started.cookie}; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600${isSecure(req) ? '; Secure' : ''}`)
      .header('cache-control', 'no-store')
      .redirect(started.url, 302);
  }

  @Get('oidc/callback')
  @Public()
  @ApiOperation({ summary: 'Single sign-on: the provider sends the browser back here; redirects to / with the session cookie, or to /sign-in?error=<code>' })
  @ApiResponse({ status: 302, description: 'to / signed in, or to /sign-in?error=sso-unknown-user|sso-refused' })
  @ApiProblems([404, 'single sign-on is not configured'])
  async oidcCallback(@Req() req: AuthenticatedRequest, @Res() reply: FastifyReply) {
    if (!this.oidc.enabled) throw new DomainError('not-found', 404, 'single sign-on is not configured');
    const info = requestInfo(req);
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const clearFlow = `${OIDC_COOKIE}=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0${info.secure ? '; Secure' : ''}`;
    const home = this.identity.config.identity.publicUrlIsDefault ? '' : this.identity.config.identity.publicUrl;
    try {
      let user = await this.oidc.completeLogin(cookieOf(req, OIDC_COOKIE), query);
      if (user.state.status === 'invited') {
        const actor = { id: user.userId, roles: [...user.state.roles] };
        const o = await this.bus.execute<UserCommandMessage, UserCommandOutcome>(
          new UserCommandMessage(user.userId, { type: 'AcceptInvitation', userId: user.userId, invitationId: '', method: 'oidc' }, { ...this.envelopes.for(req), actor }),
        );
        user = { userId: user.userId, state: o.state, version: o.version };
      }
      const { cookie } = await this.identity.startSession(user, 'oidc', 'oidc', info);
      void reply
        .header('set-cookie', [clearFlow, `${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Lax${info.secure ? '; Secure' : ''}`])
        .header('cache-control', 'no-store')
        .redirect(`${home}/`, 302);
    } catch (err) {
      if (!(err instanceof SsoRefused)) throw err;
      this.oidc.logFailure(err);
      await this.identity.recordSsoFailure(err, info);
      void reply.header('set-cookie', clearFlow).redirect(`${home}/sign-in?error=${err.reason}`, 302);
    }
  }

  /** PUBLIC_URL's callback, or (when PUBLIC_URL is not set) the request's own origin */
  private callbackUrl(req: AuthenticatedRequest): string {
    const base = this.identity.config.identity.publicUrlIsDefault ? `${req.protocol}://${req.headers.host}` : this.identity.config.identity.publicUrl;
    return `${base}/api/auth/oidc/callback`;
  }
}

