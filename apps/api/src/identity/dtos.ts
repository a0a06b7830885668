import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@helpdesk/identity';
import {
  BooleanField,
  DateOrInstantField,
  EmailAddressField,
  EnumField,
  EnumListField,
  PasswordField,
  PatternField,
  QueryIntField,
  TextField,
} from '../http/fields';

export { EMAIL_DOCUMENT_PATTERN } from '../http/fields';
export const LINK_TOKEN_PATTERN = '^[A-Za-z0-9-]{1,100}\\.[A-Za-z0-9-]{1,100}\\.[A-Za-z0-9_-]{43}$';
const TOTP_PATTERN = '^[0-9]{6}$';
const RECOVERY_PATTERN = '^[A-Za-z0-9-]{8,32}$';

export const STAFF_ROLE_VALUES = ['agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;
export const ROLE_VALUES = ['customer', ...STAFF_ROLE_VALUES] as const;
export const LANGUAGE_VALUES = ['es-MX', 'es-CO', 'en'] as const;

const CURSOR_PATTERN = '^[A-Za-z0-9_-]{1,2000}$';

const emailField = () => EmailAddressField({ max: 254, description: 'an e-mail address, compared without case; surrounding spaces ignored' });
const linkToken = (what: string) => PatternField({ pattern: LINK_TOKEN_PATTERN, maxLength: 300, message: `must be the token of ${what}`, description: `the token of ${what}` });
const newPassword = (description?: string) => PasswordField({ min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH, ...(description ? { description } : {}) });
const totpField = (description?: string) =>
  PatternField({ optional: true, pattern: TOTP_PATTERN, message: 'must be 6 digits', ...(description ? { description } : {}) });
const recoveryField = (description?: string) =>
  PatternField({ optional: true, pattern: RECOVERY_PATTERN, message: 'must be a recovery code', ...(description ? { description } : {}) });

// ------------------------------------------------------------------ sign-in and links

export class SignInDto {
  @emailField() email!: string;
  @PasswordField({ min: 1, max: 1024, enforceMin: true }) password!: string;
  @totpField('the 6-digit code of the authenticator app (accounts with a second factor)') totpCode?: string;
  @recoveryField('one of the recovery codes, instead of totpCode') recoveryCode?: string;
}

export class AcceptInvitationDto {
  @linkToken('an invitation link') token!: string;
  @newPassword(`at least ${MIN_PASSWORD_LENGTH} characters, not a common password (400 password-too-weak)`) password!: string;
  @TextField({ optional: true, max: 200, description: 'corrects the name the person was invited with' }) name?: string;
}

export class PasswordResetRequestDto {
  @emailField() email!: string;
}

export class PasswordResetCompleteDto {
  @linkToken('a password-reset link') token!: string;
  @newPassword() password!: string;
}

export class SetupDto {
  @emailField() email!: string;
  @linkToken('the setup link printed at first start') token!: string;
  @TextField({ max: 200 }) name!: string;
  @newPassword() password!: string;
}

// ------------------------------------------------------------------ me

export class PreferencesDto {
  @EnumField(LANGUAGE_VALUES, { optional: true }) language?: (typeof LANGUAGE_VALUES)[number];
}

export class TotpCodeDto {
  @PatternField({ pattern: TOTP_PATTERN, message: 'must be 6 digits', description: 'a current code of the authenticator app' }) code!: string;
}

export class SecondFactorDto {
  @totpField() totpCode?: string;
  @recoveryField() recoveryCode?: string;
}

// ------------------------------------------------------------------ users

export class InviteUserDto {
  @emailField() email!: string;
  @TextField({ max: 200, example: 'Ana López' }) name!: string;
  @EnumField(['staff', 'contact'] as const) kind!: 'staff' | 'contact';
  @EnumListField(ROLE_VALUES, { optional: true, minItems: 1, maxItems: 5, unique: true, description: 'staff: required, staff roles; contacts hold only `customer`' })
  roles?: string[];
  @TextField({ optional: true, max: 100, description: 'contacts: the customer they belong to' }) customerId?: string;
  @BooleanField({ optional: true, description: 'contacts: may accept or decline quotes', openapi: { default: false } }) approver?: boolean;
  @EnumField(LANGUAGE_VALUES, { optional: true, description: "default: the preset's locale" }) language?: (typeof LANGUAGE_VALUES)[number];
}

const reasonField = () => TextField({ max: 2000 });

export class ChangeRolesDto {
  @reasonField() reason!: string;
  @EnumListField(STAFF_ROLE_VALUES, { minItems: 1, maxItems: 5, unique: true }) roles!: string[];
}

export class ApproverDto {
  @reasonField() reason!: string;
  @BooleanField({ description: 'true grants, false revokes' }) approver!: boolean;
}

export class ReasonDto {
  @reasonField() reason!: string;
}

export class UsersQueryDto {
  @EnumField(['staff', 'contact'] as const, { optional: true }) kind?: 'staff' | 'contact';
  @TextField({ optional: true, max: 100, blankAllowed: true }) customerId?: string;
  @EnumField(ROLE_VALUES, { optional: true }) role?: string;
  @EnumField(['invited', 'active', 'deactivated'] as const, { optional: true }) status?: 'invited' | 'active' | 'deactivated';
  @QueryIntField({ optional: true, min: 1, max: 200, openapi: { default: 50 } }) limit?: number;
  @PatternField({ optional: true, pattern: CURSOR_PATTERN, message: 'must be a cursor returned by this query (nextCursor)', description: 'opaque cursor from the previous page (nextCursor)' })
  cursor?: string;
}

export class AccessQueryDto {
  @DateOrInstantField({ optional: true, description: 'YYYY-MM-DD (from its start, UTC) or an ISO instant (inclusive)' }) from?: string;
  @DateOrInstantField({ optional: true, description: 'YYYY-MM-DD (through its end, UTC) or an ISO instant (exclusive)' }) to?: string;
  @TextField({ optional: true, max: 100, blankAllowed: true }) userId?: string;
  @QueryIntField({ optional: true, min: 1, max: 200, openapi: { default: 50 } }) limit?: number;
  @PatternField({ optional: true, pattern: CURSOR_PATTERN, message: 'must be a cursor returned by this query (nextCursor)', description: 'opaque cursor from the previous page (nextCursor)' })
  cursor?: string;
}

// ------------------------------------------------------------------ answers (OpenAPI)

export class MeDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['staff', 'contact', 'token'], description: 'token: a bearer token whose subject is no user' }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true, description: 'an address as the server accepts it: local@domain.tld, no white space (not necessarily RFC 5321)' }) email!: string | null;
  @ApiProperty({ enum: ROLE_VALUES, isArray: true }) roles!: string[];
  @ApiProperty({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) customerName!: string | null;
  @ApiProperty({ description: 'contacts: may accept or decline quotes' }) approver!: boolean;
  @ApiProperty({ enum: LANGUAGE_VALUES }) language!: string;
  @ApiProperty({ enum: ['session', 'token'] }) authenticatedBy!: string;
  @ApiProperty({ type: String, nullable: true, description: 'send as X-CSRF-Token on every cookie-authenticated write' }) csrfToken!: string | null;
  @ApiProperty() mfaEnabled!: boolean;
  @ApiProperty({ description: 'the role requires a second factor (MFA_REQUIRED_ROLES); with mfaEnabled false only enrolment is allowed' }) mfaRequired!: boolean;
}

export class ProvidersDto {
  @ApiProperty({ example: true }) password!: boolean;
  @ApiProperty({ description: 'single sign-on is configured (GET /api/auth/oidc/login)' }) oidc!: boolean;
}

export class UserDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ['staff', 'contact'] }) kind!: string;
  @ApiProperty({ description: 'an address as the server accepts it: local@domain.tld, no white space (not necessarily RFC 5321)' }) email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLE_VALUES, isArray: true }) roles!: string[];
  @ApiProperty({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty() approver!: boolean;
  @ApiProperty({ enum: ['invited', 'active', 'deactivated'] }) status!: string;
  @ApiPropertyOptional({ enum: LANGUAGE_VALUES, description: 'staff readers only' }) language?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'staff readers only' }) invitedAt?: string;
  @ApiPropertyOptional({ description: 'staff readers only' }) invitedBy?: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time', description: 'staff readers only' }) activatedAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time', description: 'staff readers only' }) deactivatedAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time', description: 'staff readers only: the pending invitation link expires then' })
  invitationExpiresAt?: string | null;
  @ApiPropertyOptional({ description: 'staff readers only' }) version?: number;
  @ApiPropertyOptional({ description: 'staff readers only' }) lastPosition?: number;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class InvitationAnswerDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uri', description: 'the one-time link to pass on, shown once, when no e-mail is configured (SMTP_URL)' })
  invitationUrl!: string | null;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty() version!: number;
  @ApiProperty() position!: number;
}

export class UserCommandAnswerDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ description: "the user stream's version" }) version!: number;
  @ApiProperty({ description: 'global position (send as X-Min-Position to read your write)' }) position!: number;
}

export class AccessEntryDto {
  @ApiProperty() entryId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    enum: [
      'signed-in',
      'sign-in-failed',
      'signed-out',
      'sessions-revoked',
      'password-changed',
      'mfa-enabled',
      'mfa-disabled',
      'user-invited',
      'invitation-accepted',
      'invitation-renewed',
      'roles-changed',
      'approver-granted',
      'approver-revoked',
      'user-deactivated',
      'user-reactivated',
      'password-reset-requested',
    ],
  })
  action!: string;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true }) by!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'reason, method, from/to roles, count...' }) detail!: Record<string, unknown>;
  @ApiProperty() streamId!: string;
  @ApiProperty() position!: number;
}

export class AccessPageDto {
  @ApiProperty({ type: [AccessEntryDto] }) items!: AccessEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'base32 secret, for typing into the app' }) secret!: string;
  @ApiProperty({ description: 'otpauth:// URI' }) otpauthUrl!: string;
  @ApiProperty({ description: 'the URI as a PNG QR code (data: URL)' }) qrCodeDataUrl!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'shown once; each works once instead of a code' }) recoveryCodes!: string[];
}
