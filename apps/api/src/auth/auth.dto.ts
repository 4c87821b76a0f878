import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';

import { MEMBERSHIP_ROLES, type MembershipRole } from '@mend/contracts';

/** Longest password accepted (characters); a longer one is refused before any hashing. */
const PASSWORD_MAX = 128;
/** Bodies may carry tokens up to this length; ours are far shorter. */
const TOKEN_MAX = 4096;

export const TOKEN_DELIVERIES = ['body', 'cookie'] as const;
export type TokenDelivery = (typeof TOKEN_DELIVERIES)[number];

export class LoginRequest {
  @ApiProperty({ example: 'counselor@demo.mend.example', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: 'As typed: never trimmed or changed', maxLength: PASSWORD_MAX, format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  password: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The membership to sign in to, when the answer listed several (`membershipChoiceRequired`)',
  })
  @IsOptional()
  @IsUUID()
  membershipId?: string;

  @ApiPropertyOptional({
    enum: TOKEN_DELIVERIES,
    default: 'body',
    description:
      '`body`: tokens in the response (API clients, Bearer). `cookie`: HttpOnly cookies for browsers, with a CSRF cookie to echo in X-CSRF-Token on unsafe methods; the body then carries no token.',
  })
  @IsOptional()
  @IsIn(TOKEN_DELIVERIES)
  tokenDelivery?: TokenDelivery;
}

export class MembershipChoiceResponse {
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ format: 'uuid' }) clinicId: string;
  @ApiProperty() clinicName: string;
}

/** Tokens, or the next step of the sign-in. */
export class LoginResponse {
  @ApiProperty({ description: 'True: send a TOTP or recovery code with `mfaToken` to POST /api/v1/auth/mfa/verify' })
  mfaRequired: boolean;

  @ApiProperty({ description: 'True: sign in again naming one of `memberships` (no tokens were issued)' })
  membershipChoiceRequired: boolean;

  @ApiPropertyOptional({ type: [MembershipChoiceResponse] })
  memberships?: MembershipChoiceResponse[];

  @ApiPropertyOptional({ description: 'Short-lived (5 min) proof of the password step; only for /auth/mfa/verify' })
  mfaToken?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  mfaTokenExpiresAt?: string;

  @ApiPropertyOptional({ description: 'False: the user must enrol a second factor first' })
  mfaEnrolled?: boolean;

  @ApiPropertyOptional({
    description:
      'Present and true only in the embedded demo (MEND_DEMO=true), which lets staff sign in without a second factor. Production never does.',
  })
  demoSkipsMfa?: boolean;

  @ApiPropertyOptional({ enum: ['Bearer'] })
  tokenType?: 'Bearer';

  @ApiPropertyOptional({ description: 'JWT (HS256), at most 10 minutes; absent with tokenDelivery=cookie' })
  accessToken?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  accessTokenExpiresAt?: string;

  @ApiPropertyOptional({
    description: 'Opaque, single use: each refresh returns a new one. Absent with tokenDelivery=cookie',
  })
  refreshToken?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the login session (12 h after sign-in)' })
  refreshTokenExpiresAt?: string;

  @ApiPropertyOptional({
    description: 'With tokenDelivery=cookie: the value to send in X-CSRF-Token (also in its cookie)',
  })
  csrfToken?: string;

  @ApiPropertyOptional({ format: 'uuid' }) loginSessionId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) clinicId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) membershipId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) userId?: string;

  @ApiPropertyOptional({ enum: MEMBERSHIP_ROLES, isArray: true })
  roles?: MembershipRole[];

  @ApiPropertyOptional({ type: [String], example: ['pwd', 'otp'], description: 'How the user authenticated' })
  amr?: string[];
}

export class MfaVerifyRequest {
  @ApiProperty({ description: 'The `mfaToken` of the login answer' })
  @IsString()
  @MaxLength(TOKEN_MAX)
  mfaToken: string;

  @ApiProperty({ description: 'A 6-digit TOTP code or a recovery code', example: '123456' })
  @IsString()
  @Length(6, 32)
  code: string;

  @ApiPropertyOptional({ enum: TOKEN_DELIVERIES, default: 'body' })
  @IsOptional()
  @IsIn(TOKEN_DELIVERIES)
  tokenDelivery?: TokenDelivery;
}

export class RefreshRequest {
  @ApiPropertyOptional({
    description: 'The refresh token (API clients). Browsers send none: the refresh cookie is used, with X-CSRF-Token.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_MAX)
  refreshToken?: string;
}

export class LogoutRequest {
  @ApiPropertyOptional({
    description: 'The refresh token of the login session to end (else the cookie or the access token)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_MAX)
  refreshToken?: string;
}

export class LoginSessionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
  @ApiProperty({ format: 'date-time', description: 'Ends after 15 minutes without activity' }) idleExpiresAt: string;
  @ApiProperty({ format: 'date-time', description: '12 hours after sign-in' }) absoluteExpiresAt: string;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ type: [String] }) amr: string[];
  @ApiProperty({ description: 'The login session of this request' }) isCurrent: boolean;
}

export class LoginSessionIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class ChangePasswordRequest {
  @ApiProperty({ format: 'password', maxLength: PASSWORD_MAX })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  currentPassword: string;

  @ApiProperty({
    format: 'password',
    minLength: 8,
    maxLength: PASSWORD_MAX,
    description: '8 to 128 characters, any characters, as typed; common passwords are refused',
  })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  newPassword: string;
}

export class ResetPasswordRequest {
  @ApiProperty({ description: 'The `token` query parameter of the reset link' })
  @IsString()
  @MaxLength(TOKEN_MAX)
  token: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: PASSWORD_MAX })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  newPassword: string;
}

export class ForgotPasswordRequest {
  @ApiProperty({ example: 'someone@example.org' })
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class AcceptedResponse {
  @ApiProperty({ example: 'If an account exists for this email, a reset link will be sent to it.' })
  message: string;
}

export class MfaEnrollStartRequest {
  @ApiPropertyOptional({
    description:
      'The `mfaToken` of a staff sign-in whose user has no second factor yet (`mfaEnrolled: false`). Omit it when signed in (access token): then a first enrolment, or a replacement if this login session proved the current second factor (amr includes otp).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_MAX)
  mfaToken?: string;
}

export class MfaEnrollStartResponse {
  @ApiProperty({
    description: 'For a QR code in the authenticator app (TOTP, SHA-1, 6 digits, 30 s). Shown once, never logged.',
    example: 'otpauth://totp/Mend:counselor%40demo.mend.example?secret=…&issuer=Mend&algorithm=SHA1&digits=6&period=30',
  })
  otpauthUri: string;

  @ApiProperty({ description: 'The same seed in Base32, for typing into the app by hand' })
  secret: string;
}

export class MfaEnrollConfirmRequest {
  @ApiPropertyOptional({ description: 'The `mfaToken` the enrolment started with, if it started from a sign-in' })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_MAX)
  mfaToken?: string;

  @ApiProperty({ description: 'The current 6-digit code of the newly added authenticator', example: '123456' })
  @IsString()
  @Length(6, 32)
  code: string;

  @ApiPropertyOptional({
    enum: TOKEN_DELIVERIES,
    default: 'body',
    description: 'With an mfaToken: how to deliver the tokens',
  })
  @IsOptional()
  @IsIn(TOKEN_DELIVERIES)
  tokenDelivery?: TokenDelivery;
}

/** The recovery codes (once), and with an mfaToken the completed sign-in. */
export class MfaEnrollConfirmResponse extends LoginResponse {
  @ApiProperty({
    type: [String],
    example: ['ABCDE-FGHJK'],
    description: 'Ten single-use recovery codes, shown this once only (only their hashes are stored)',
  })
  recoveryCodes: string[];
}
