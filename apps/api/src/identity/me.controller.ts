import { Body, Controller, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCookieAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'crypto';
import * as OTPAuth from 'otpauth';
import * as QRCode from 'qrcode';
import { DomainError } from '@helpdesk/domain';
import { AllowedWhileEnrollingMfa, AuthenticatedRequest } from '../http/auth';
import { ApiProblems } from '../http/openapi';
import { forbidden, invalidRequest } from '../http/problem';
import { Envelopes } from '../http/request';
import { MeDto, PreferencesDto, RecoveryCodesDto, SecondFactorDto, TotpCodeDto, TotpEnrolmentDto } from './dtos';
import { IdentityService, KnownUser, recoveryCodeHash } from './identity.service';
import { UserCommandMessage, UserCommandOutcome } from './user-handlers';
import { AccessLog } from './access-log';

const CSRF_HEADER = { name: 'X-CSRF-Token', required: false, description: 'required with the session cookie: the csrfToken of GET /api/me' };
const RECOVERY_CODES = 10;

/** ten codes of ten characters (a-z, 2-9), shown as xxxxx-xxxxx */
function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return Array.from({ length: RECOVERY_CODES }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Who am I, my preferences, my second factor. */
@ApiTags('me')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly identity: IdentityService,
    private readonly bus: CommandBus,
    private readonly envelopes: Envelopes,
    private readonly accessLog: AccessLog,
  ) {}

  @Get()
  @AllowedWhileEnrollingMfa()
  @ApiOperation({ summary: 'Who am I: id, kind, name, email, roles, customer, approver, language, how I authenticated, the CSRF token of my session' })
  @ApiResponse({ status: 200, type: MeDto })
  @ApiProblems(401)
  me(@Req() req: AuthenticatedRequest) {
    return this.identity.me(req.principal!, req.session ?? null);
  }

  @Patch('preferences')
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Changes my preferences (language)' })
  @ApiResponse({ status: 200, type: MeDto })
  @ApiProblems(400, 401, [403, 'csrf-token-invalid; forbidden for a token whose subject is no user'])
  async preferences(@Body() dto: PreferencesDto, @Req() req: AuthenticatedRequest) {
    const user = await this.requireUser(req);
    await this.bus.execute<UserCommandMessage, UserCommandOutcome>(
      new UserCommandMessage(user.userId, { type: 'ChangeUserPreferences', userId: user.userId, ...(dto.language ? { language: dto.language } : {}) }, this.envelopes.for(req)),
    );
    return this.identity.me(req.principal!, req.session ?? null);
  }

  @Post('mfa/totp')
  @HttpCode(201)
  @AllowedWhileEnrollingMfa()
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Starts TOTP enrolment (staff): a new secret and its QR code; confirm with POST /api/me/mfa/totp/verify' })
  @ApiResponse({ status: 201, type: TotpEnrolmentDto })
  @ApiProblems(401, [403, 'forbidden (customers, tokens), csrf-token-invalid'], [409, 'mfa-already-enabled'])
  async startTotp(@Req() req: AuthenticatedRequest): Promise<TotpEnrolmentDto> {
    const user = await this.requireStaff(req);
    const credentials = await this.identity.credentials.getCredentials(user.userId);
    if (credentials?.totp) throw new DomainError('mfa-already-enabled', 409, 'a second factor is already enrolled: disable it first to enrol another');
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await this.identity.credentials.setPendingTotp(user.userId, this.identity.keys.encrypt('totp-secrets', secret), this.identity.now());
    const otpauthUrl = this.identity.totpFor(secret, user.state.email!).toString();
    return { secret, otpauthUrl, qrCodeDataUrl: await QRCode.toDataURL(otpauthUrl) };
  }

  @Post('mfa/totp/verify')
  @HttpCode(200)
  @AllowedWhileEnrollingMfa()
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Confirms TOTP enrolment with a first code; answers the recovery codes (shown once). Other sessions of mine end.' })
  @ApiResponse({ status: 200, type: RecoveryCodesDto })
  @ApiProblems(400, 401, [403, 'forbidden (customers, tokens), csrf-token-invalid'], [409, 'mfa-not-started'], [422, 'mfa-code-invalid'], 429)
  async verifyTotp(@Body() dto: TotpCodeDto, @Req() req: AuthenticatedRequest): Promise<RecoveryCodesDto> {
    const user = await this.requireStaff(req);
    const keys = [{ kind: 'account', key: user.state.email! }];
    await this.identity.requireNotThrottled(keys);
    const credentials = await this.identity.credentials.getCredentials(user.userId);
    const sealed = credentials?.pendingTotp?.secret;
    const secret = sealed ? this.identity.keys.decrypt('totp-secrets', sealed) : null;
    if (!secret) throw new DomainError('mfa-not-started', 409, 'start the enrolment first (POST /api/me/mfa/totp)');
    const step = this.identity.totpStep(secret, dto.code);
    const now = this.identity.now();
    if (step === null) {
      await this.identity.throttle.fail(keys, now);
      throw new DomainError('mfa-code-invalid', 422, 'the code does not match: check the time of your device and enter a current code');
    }
    const codes = newRecoveryCodes();
    await this.identity.credentials.enableTotp(user.userId, { secret: sealed!, enabledAt: now, lastStep: step }, codes.map(recoveryCodeHash), now);
    const info = { correlationId: this.envelopes.for(req).correlationId };
    await this.accessLog.record({ type: 'MfaEnabled', data: { userId: user.userId, method: 'totp', at: now } }, { actor: user.userId, actorRoles: user.state.roles, correlationId: info.correlationId });
    await this.endOtherSessions(req, user);
    return { recoveryCodes: codes };
  }

  @Post('mfa/totp/disable')
  @HttpCode(204)
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'Removes my TOTP second factor (with a current code or a recovery code); refused when my role requires one' })
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiProblems(400, 401, [403, 'forbidden (customers, tokens), csrf-token-invalid'], [409, 'mfa-not-enabled'], [422, 'mfa-code-invalid, mfa-required-by-role'], 429)
  async disableTotp(@Body() dto: SecondFactorDto, @Req() req: AuthenticatedRequest): Promise<void> {
    const user = await this.requireStaff(req);
    const credentials = await this.identity.credentials.getCredentials(user.userId);
    if (!credentials?.totp) throw new DomainError('mfa-not-enabled', 409, 'no second factor is enrolled');
    if (this.identity.requiresMfa(user)) throw new DomainError('mfa-required-by-role', 422, 'your role requires a second factor (MFA_REQUIRED_ROLES)');
    await this.checkCode(user, credentials, dto);
    const now = this.identity.now();
    await this.identity.credentials.disableTotp(user.userId, now);
    await this.accessLog.record(
      { type: 'MfaDisabled', data: { userId: user.userId, method: 'totp', by: user.userId, at: now } },
      { actor: user.userId, actorRoles: user.state.roles, correlationId: this.envelopes.for(req).correlationId },
    );
    await this.endOtherSessions(req, user);
  }

  @Post('mfa/recovery-codes')
  @HttpCode(200)
  @ApiHeader(CSRF_HEADER)
  @ApiOperation({ summary: 'New recovery codes (the old ones stop working), with a current code' })
  @ApiResponse({ status: 200, type: RecoveryCodesDto })
  @ApiProblems(400, 401, [403, 'forbidden (customers, tokens), csrf-token-invalid'], [409, 'mfa-not-enabled'], [422, 'mfa-code-invalid'], 429)
  async recoveryCodes(@Body() dto: TotpCodeDto, @Req() req: AuthenticatedRequest): Promise<RecoveryCodesDto> {
    const user = await this.requireStaff(req);
    const credentials = await this.identity.credentials.getCredentials(user.userId);
    if (!credentials?.totp) throw new DomainError('mfa-not-enabled', 409, 'no second factor is enrolled');
    await this.checkCode(user, credentials, { totpCode: dto.code });
    const codes = newRecoveryCodes();
    await this.identity.credentials.replaceRecoveryCodes(user.userId, codes.map(recoveryCodeHash), this.identity.now());
    return { recoveryCodes: codes };
  }

  private async checkCode(user: KnownUser, credentials: NonNullable<Awaited<ReturnType<IdentityService['credentials']['getCredentials']>>>, dto: SecondFactorDto) {
    const keys = [{ kind: 'account', key: user.state.email! }];
    await this.identity.requireNotThrottled(keys);
    if (!dto.totpCode && !dto.recoveryCode) throw invalidRequest([{ path: 'totpCode', message: 'send totpCode or recoveryCode' }]);
    if (!(await this.identity.checkSecondFactor(user.userId, credentials, dto))) {
      await this.identity.throttle.fail(keys, this.identity.now());
      throw new DomainError('mfa-code-invalid', 422, 'the code is not valid (or was already used)');
    }
  }

  /** my sessions other than this one end (the second factor changed); this one counts as verified */
  private async endOtherSessions(req: AuthenticatedRequest, user: KnownUser): Promise<void> {
    const current = req.session;
    await this.identity.revokeSessionsExcept(user.userId, current?.id ?? null, 'mfa-changed', req.principal!, this.envelopes.for(req).correlationId);
    if (current) await this.identity.credentials.updateSession(current.id, { mfa: true, mfaEnrollmentRequired: false });
  }

  private async requireUser(req: AuthenticatedRequest): Promise<KnownUser> {
    const user = await this.identity.loadUser(req.principal!.id);
    if (!user) throw forbidden('a token whose subject is no user has no stored preferences or second factor');
    return user;
  }

  private async requireStaff(req: AuthenticatedRequest): Promise<KnownUser> {
    const user = await this.requireUser(req);
    if (user.state.kind !== 'staff') throw forbidden('the second factor is for staff');
    return user;
  }
}
