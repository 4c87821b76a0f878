import type { SystemTransaction, TenantTransaction, UnitOfWork } from '@mend/core';

import { auditIdentity } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { LoginService } from '../login/login.service.js';
import type { ClientMetadata, LoginSessionService, Principal, TokenPair } from '../sessions/login-session.service.js';
import type { MfaTokenClaims, TokenService } from '../tokens/token.service.js';
import type { MfaEnrollmentConfirmation, MfaEnrollmentStart, MfaService } from './mfa.service.js';

export interface MfaEnrollmentCompleted {
  /** Shown to the user once; only their hashes are stored. */
  readonly recoveryCodes: readonly string[];
  /** When the enrolment finished a sign-in (it came with an MFA token): the new login session's tokens. */
  readonly tokens?: TokenPair;
}

/**
 * Enrolling a TOTP authenticator, from either of two starting points:
 *
 * - the MFA token of a staff sign-in whose user has no second factor yet: the
 *   password was just proven, and the first code of the new authenticator
 *   completes the sign-in. A user who already has a second factor cannot
 *   enrol over it this way (409): a stolen password alone must not replace it.
 * - a signed-in session: a first enrolment, or (only when the session itself
 *   proved the current second factor, amr includes otp) a replacement.
 *
 * Confirming a new second factor ends every other login session of the user
 * (in every clinic). Starts, confirmations and failures are audited with ids
 * and reason codes only: never a seed, a code or a recovery code.
 */
export class MfaEnrollmentService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mfa: MfaService,
    private readonly login: LoginService,
    private readonly tokens: TokenService,
    private readonly sessions: LoginSessionService,
  ) {}

  async startWithMfaToken(mfaToken: string, client: ClientMetadata): Promise<MfaEnrollmentStart> {
    const claims = await this.tokens.verifyMfaToken(mfaToken);
    // One short transaction at a time: the MFA store runs its own.
    const email = await this.unitOfWork.runWithoutClinic((tx) => emailOf(tx, claims.userId), {
      userId: claims.userId,
    });
    const started = await this.mfa.startEnrollment(claims.userId, email);
    await this.unitOfWork.run(
      claims.clinicId,
      (tx) => auditIdentity(tx, actorOf(claims, client), 'auth.mfa.enroll_start', { type: 'user', id: claims.userId }),
      { userId: claims.userId },
    );
    return started;
  }

  /** `tx` is the request's unit of work, acting as the principal. */
  async startInSession(tx: TenantTransaction, principal: Principal): Promise<MfaEnrollmentStart> {
    const replaceExisting = principal.amr.includes('otp');
    // In the request's own transaction (it acts as the user): one connection, and the write rolls back with it.
    const started = await this.mfa.within(tx).startEnrollment(principal.userId, await emailOf(tx, principal.userId), {
      replaceExisting,
    });
    await auditIdentity(
      tx,
      principal,
      'auth.mfa.enroll_start',
      { type: 'user', id: principal.userId },
      { replaceExisting },
    );
    return started;
  }

  async confirmWithMfaToken(mfaToken: string, code: string, client: ClientMetadata): Promise<MfaEnrollmentCompleted> {
    const claims = await this.tokens.verifyMfaToken(mfaToken);
    const confirmation = await this.mfa.confirmEnrollment(claims.userId, code);
    if (!confirmation.ok) {
      await this.login.auditSecondFactorFailure(claims, client, 'auth.mfa.enroll', confirmation.reason);
      throw confirmationError(confirmation);
    }
    const tokens = await this.login.completeAfterEnrolment(claims, client);
    return { recoveryCodes: confirmation.recoveryCodes, tokens };
  }

  /**
   * `tx` is the request's unit of work, acting as the principal. A failure is
   * audited in a unit of work of its own (the request's is rolled back by the error).
   */
  async confirmInSession(tx: TenantTransaction, principal: Principal, code: string): Promise<MfaEnrollmentCompleted> {
    const confirmation = await this.mfa.within(tx).confirmEnrollment(principal.userId, code);
    if (!confirmation.ok) {
      await this.login.auditSecondFactorFailure(
        { userId: principal.userId, clinicId: principal.clinicId, membershipId: principal.membershipId },
        { ip: principal.ip ?? null },
        'auth.mfa.enroll',
        confirmation.reason,
      );
      throw confirmationError(confirmation);
    }
    const revoked = await this.sessions.revokeAllOfUser(tx, principal.userId, 'mfa_changed', {
      clinicId: principal.clinicId,
      loginSessionId: principal.loginSessionId,
    });
    await auditIdentity(
      tx,
      principal,
      'auth.mfa.enroll',
      { type: 'user', id: principal.userId },
      { replaced: principal.amr.includes('otp'), revokedLoginSessions: revoked },
    );
    return { recoveryCodes: confirmation.recoveryCodes };
  }
}

async function emailOf(tx: SystemTransaction, userId: string): Promise<string> {
  // The user's own row (users self policy): the account label in the authenticator app.
  const rows = await tx.query<{ email: string }>('select email from users where id = $1', [userId]);
  if (rows[0] === undefined) throw new IdentityError(IdentityErrorCode.Unauthenticated, 'Sign in again');
  return rows[0].email;
}

function actorOf(
  claims: MfaTokenClaims,
  client: ClientMetadata,
): { userId: string; membershipId: string; ip: string | null } {
  return { userId: claims.userId, membershipId: claims.membershipId, ip: client.ip ?? null };
}

function confirmationError(confirmation: Extract<MfaEnrollmentConfirmation, { ok: false }>): IdentityError {
  switch (confirmation.reason) {
    case 'rate_limited':
      return new IdentityError(
        IdentityErrorCode.RateLimited,
        'Too many attempts at a second factor: try again shortly',
        {
          retryAfterSeconds: confirmation.retryAfterSeconds,
        },
      );
    case 'not_started':
      return new IdentityError(IdentityErrorCode.Conflict, 'No enrolment is in progress: start it again');
    case 'invalid':
    case 'replayed':
    case 'not_enrolled':
      return new IdentityError(
        IdentityErrorCode.InvalidSecondFactor,
        'The code is wrong: check the time of the device and try the current code',
      );
  }
}
