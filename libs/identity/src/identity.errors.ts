import { DomainError, type FieldProblem } from '@mend/core';

/** Problem codes of identity (see the problem+json `code`). */
export enum IdentityErrorCode {
  /** Wrong email or password, unknown email, no usable membership: one answer for all. */
  InvalidCredentials = 'invalid_credentials',
  /** No valid access token, or its login session ended. */
  Unauthenticated = 'unauthenticated',
  InvalidRefreshToken = 'invalid_refresh_token',
  InvalidMfaToken = 'invalid_mfa_token',
  InvalidSecondFactor = 'invalid_second_factor',
  CsrfRejected = 'csrf_rejected',
  /** An invitation or password-reset link that is unknown, expired, used or revoked. */
  InvalidLink = 'invalid_or_expired_link',
  /** The email of an invitation already has an account whose password was not given. */
  ExistingAccountPassword = 'existing_account_password_mismatch',
  AlreadyMember = 'already_member',
  WeakPassword = 'weak_password',
  WrongCurrentPassword = 'wrong_current_password',
  InvalidRoles = 'invalid_roles',
  LastClinicAdmin = 'last_clinic_admin',
  MembershipDisabled = 'membership_disabled',
  MemberOfOtherClinics = 'member_of_other_clinics',
  InvalidSupervisionLink = 'invalid_supervision_link',
  InvalidClinicSettings = 'invalid_clinic_settings',
  Conflict = 'conflict',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  RateLimited = 'rate_limited',
}

const STATUS: Record<IdentityErrorCode, number> = {
  [IdentityErrorCode.InvalidCredentials]: 401,
  [IdentityErrorCode.Unauthenticated]: 401,
  [IdentityErrorCode.InvalidRefreshToken]: 401,
  [IdentityErrorCode.InvalidMfaToken]: 401,
  [IdentityErrorCode.InvalidSecondFactor]: 401,
  [IdentityErrorCode.CsrfRejected]: 403,
  [IdentityErrorCode.InvalidLink]: 400,
  [IdentityErrorCode.ExistingAccountPassword]: 422,
  [IdentityErrorCode.AlreadyMember]: 409,
  [IdentityErrorCode.WeakPassword]: 422,
  [IdentityErrorCode.WrongCurrentPassword]: 422,
  [IdentityErrorCode.InvalidRoles]: 422,
  [IdentityErrorCode.LastClinicAdmin]: 422,
  [IdentityErrorCode.MembershipDisabled]: 422,
  [IdentityErrorCode.MemberOfOtherClinics]: 422,
  [IdentityErrorCode.InvalidSupervisionLink]: 422,
  [IdentityErrorCode.InvalidClinicSettings]: 422,
  [IdentityErrorCode.Conflict]: 409,
  [IdentityErrorCode.Forbidden]: 403,
  [IdentityErrorCode.NotFound]: 404,
  [IdentityErrorCode.RateLimited]: 429,
};

export class IdentityError extends DomainError {
  /** Sent as Retry-After (429 only). */
  readonly retryAfterSeconds?: number;

  constructor(
    code: IdentityErrorCode,
    detail: string,
    options: { readonly retryAfterSeconds?: number; readonly errors?: readonly FieldProblem[] } = {},
  ) {
    super(code, STATUS[code], detail, options.errors);
    this.name = 'IdentityError';
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The one answer to every failed authentication: nothing tells which check failed. */
export function unauthenticated(): IdentityError {
  return new IdentityError(IdentityErrorCode.Unauthenticated, 'Sign in again: the credentials are missing or invalid');
}
