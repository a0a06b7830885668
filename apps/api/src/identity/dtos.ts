import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
const EMAIL = new RegExp(EMAIL_PATTERN);
export const LINK_TOKEN_PATTERN = '^[A-Za-z0-9-]{1,100}\\.[A-Za-z0-9-]{1,100}\\.[A-Za-z0-9_-]{43}$';
const LINK_TOKEN = new RegExp(LINK_TOKEN_PATTERN);
const TOTP_PATTERN = '^[0-9]{6}$';
const RECOVERY_PATTERN = '^[A-Za-z0-9-]{8,32}$';
const NOT_BLANK = /\S/;
const DATE_OR_INSTANT = '^\\d{4}-\\d{2}-\\d{2}(T[\\d:.]+(Z|[+-]\\d{2}:\\d{2}))?$';

export const STAFF_ROLE_VALUES = ['agent', 'supervisor', 'auditor', 'finance', 'admin'] as const;
export const ROLE_VALUES = ['customer', ...STAFF_ROLE_VALUES] as const;
export const LANGUAGE_VALUES = ['es-MX', 'es-CO', 'en'] as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

class EmailField {
  @ApiProperty({ format: 'email', maxLength: 254, pattern: EMAIL_PATTERN, example: 'ana.lopez@example.mx', description: 'compared without case; surrounding spaces ignored' })
  @Transform(trim) @IsString() @MaxLength(254) @Matches(EMAIL, { message: 'email must be an email address' }) email!: string;
}

// ------------------------------------------------------------------ sign-in and links

export class SignInDto extends EmailField {
  @ApiProperty({ format: 'password', minLength: 1, maxLength: 1024 })
  @IsString() @MinLength(1) @MaxLength(1024) password!: string;
  @ApiPropertyOptional({ pattern: TOTP_PATTERN, description: 'the 6-digit code of the authenticator app (accounts with a second factor)' })
  @IsOptional() @IsString() @Matches(new RegExp(TOTP_PATTERN), { message: 'totpCode must be 6 digits' }) totpCode?: string;
  @ApiPropertyOptional({ pattern: RECOVERY_PATTERN, description: 'one of the recovery codes, instead of totpCode' })
  @IsOptional() @IsString() @Matches(new RegExp(RECOVERY_PATTERN), { message: 'recoveryCode must be a recovery code' }) recoveryCode?: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ pattern: LINK_TOKEN_PATTERN, maxLength: 300, description: 'the token of the invitation link' })
  @IsString() @MaxLength(300) @Matches(LINK_TOKEN, { message: 'token must be the token of an invitation link' }) token!: string;
  @ApiProperty({ format: 'password', minLength: 12, maxLength: 256, description: 'at least 12 characters, not a common password' })
  @IsString() @MaxLength(1024) password!: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'corrects the name the person was invited with' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @Matches(NOT_BLANK, { message: 'name must not be blank' }) name?: string;
}

export class PasswordResetRequestDto extends EmailField {}

export class PasswordResetCompleteDto {
  @ApiProperty({ pattern: LINK_TOKEN_PATTERN, maxLength: 300, description: 'the token of the reset link' })
  @IsString() @MaxLength(300) @Matches(LINK_TOKEN, { message: 'token must be the token of a password-reset link' }) token!: string;
  @ApiProperty({ format: 'password', minLength: 12, maxLength: 256 })
  @IsString() @MaxLength(1024) password!: string;
}

export class SetupDto extends EmailField {
  @ApiProperty({ pattern: LINK_TOKEN_PATTERN, maxLength: 300, description: 'the token of the setup link printed at first start' })
  @IsString() @MaxLength(300) @Matches(LINK_TOKEN, { message: 'token must be the token of a setup link' }) token!: string;
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString() @MinLength(1) @MaxLength(200) @Matches(NOT_BLANK, { message: 'name must not be blank' }) name!: string;
  @ApiProperty({ format: 'password', minLength: 12, maxLength: 256 })
  @IsString() @MaxLength(1024) password!: string;
}

// ------------------------------------------------------------------ me

export class PreferencesDto {
  @ApiPropertyOptional({ enum: LANGUAGE_VALUES }) @IsOptional() @IsIn(LANGUAGE_VALUES) language?: (typeof LANGUAGE_VALUES)[number];
}

export class TotpCodeDto {
  @ApiProperty({ pattern: TOTP_PATTERN, description: 'a current code of the authenticator app' })
  @IsString() @Matches(new RegExp(TOTP_PATTERN), { message: 'code must be 6 digits' }) code!: string;
}

export class SecondFactorDto {
  @ApiPropertyOptional({ pattern: TOTP_PATTERN }) @IsOptional() @IsString() @Matches(new RegExp(TOTP_PATTERN), { message: 'totpCode must be 6 digits' }) totpCode?: string;
  @ApiPropertyOptional({ pattern: RECOVERY_PATTERN })
  @IsOptional() @IsString() @Matches(new RegExp(RECOVERY_PATTERN), { message: 'recoveryCode must be a recovery code' }) recoveryCode?: string;
}

// ------------------------------------------------------------------ users

export class InviteUserDto extends EmailField {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Ana López' })
  @IsString() @MinLength(1) @MaxLength(200) @Matches(NOT_BLANK, { message: 'name must not be blank' }) name!: string;
  @ApiProperty({ enum: ['staff', 'contact'] }) @IsIn(['staff', 'contact']) kind!: 'staff' | 'contact';
  @ApiPropertyOptional({ enum: STAFF_ROLE_VALUES, isArray: true, minItems: 1, maxItems: 5, uniqueItems: true, description: 'staff: required; contacts hold only `customer`' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5) @ArrayUnique() @IsIn(ROLE_VALUES, { each: true }) roles?: string[];
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'contacts: the customer they belong to' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) customerId?: string;
  @ApiPropertyOptional({ description: 'contacts: may accept or decline quotes', default: false }) @IsOptional() @IsBoolean() approver?: boolean;
  @ApiPropertyOptional({ enum: LANGUAGE_VALUES, description: "default: the preset's locale" }) @IsOptional() @IsIn(LANGUAGE_VALUES) language?: (typeof LANGUAGE_VALUES)[number];
}

class ReasonField {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString() @MinLength(1) @MaxLength(2000) @Matches(NOT_BLANK, { message: 'reason must not be blank' }) reason!: string;
}

export class ChangeRolesDto extends ReasonField {
  @ApiProperty({ enum: STAFF_ROLE_VALUES, isArray: true, minItems: 1, maxItems: 5, uniqueItems: true })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5) @ArrayUnique() @IsIn(STAFF_ROLE_VALUES, { each: true }) roles!: string[];
}

export class ApproverDto extends ReasonField {
  @ApiProperty({ description: 'true grants, false revokes' }) @IsBoolean() approver!: boolean;
}

export class ReasonDto extends ReasonField {}

export class UsersQueryDto {
  @ApiPropertyOptional({ enum: ['staff', 'contact'] }) @IsOptional() @IsIn(['staff', 'contact']) kind?: 'staff' | 'contact';
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) customerId?: string;
  @ApiPropertyOptional({ enum: ROLE_VALUES }) @IsOptional() @IsIn(ROLE_VALUES) role?: string;
  @ApiPropertyOptional({ enum: ['invited', 'active', 'deactivated'] }) @IsOptional() @IsIn(['invited', 'active', 'deactivated']) status?: 'invited' | 'active' | 'deactivated';
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ maxLength: 2000, description: 'opaque cursor from the previous page (nextCursor)' }) @IsOptional() @IsString() @MaxLength(2000) cursor?: string;
}

export class AccessQueryDto {
  @ApiPropertyOptional({ pattern: DATE_OR_INSTANT, description: 'YYYY-MM-DD (from its start, UTC) or an ISO instant (inclusive)' })
  @IsOptional() @Matches(new RegExp(DATE_OR_INSTANT), { message: 'from must be YYYY-MM-DD or an ISO 8601 instant' }) from?: string;
  @ApiPropertyOptional({ pattern: DATE_OR_INSTANT, description: 'YYYY-MM-DD (through its end, UTC) or an ISO instant (exclusive)' })
  @IsOptional() @Matches(new RegExp(DATE_OR_INSTANT), { message: 'to must be YYYY-MM-DD or an ISO 8601 instant' }) to?: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) userId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) cursor?: string;
}

// ------------------------------------------------------------------ answers (OpenAPI)

export class MeDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['staff', 'contact', 'token'], description: 'token: a bearer token whose subject is no user' }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true, format: 'email' }) email!: string | null;
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
  @ApiProperty({ format: 'email' }) email!: string;
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
