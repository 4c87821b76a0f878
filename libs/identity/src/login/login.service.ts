import type { TenantTransaction, UnitOfWork } from '@mend/core';

import { auditIdentity, securityEvent, type AuditActor } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { isStaff, type MembershipRole } from '../roles.js';
import type { ClientMetadata, LoginSessionService, TokenPair } from '../sessions/login-session.service.js';
import { changedRows } from '../sql.js';
import { hashEmailForThrottle } from '../throttle/throttle-keys.js';
import type { MfaTokenClaims, TokenService } from '../tokens/token.service.js';
import { readPasswordHash } from '../users/credentials.js';
import { normaliseEmail } from '../users/email.js';
import type { LoginThrottle } from './login-throttle.js';
import { amrFor, type SecondFactorCheck, type SecondFactorMethod, type SecondFactorVerifier } from './second-factor.js';

export interface LoginInput extends ClientMetadata {
  readonly email: string;
  readonly password: string;
  /** Which membership to sign in to, when the user has several. */
  readonly membershipId?: string;
}

export interface MembershipChoice {
  readonly membershipId: string;
  readonly clinicId: string;
  readonly clinicName: string;
}

export type LoginResult =
  | { readonly kind: 'tokens'; readonly tokens: TokenPair; readonly demoSkipsMfa: boolean }
  | { readonly kind: 'choose_membership'; readonly memberships: readonly MembershipChoice[] }
  | {
      readonly kind: 'mfa_required';
      readonly mfaToken: string;
      readonly mfaTokenExpiresAt: Date;
      /** False: the user must enrol a second factor before signing in. */
      readonly mfaEnrolled: boolean;
    };

interface Account {
  readonly userId: string;
  readonly passwordHash: string | null;
  readonly memberships: readonly {
    readonly clinicId: string;
    readonly membershipId: string;
    readonly status: string;
  }[];
}

export interface LoginServiceOptions {
  /** MEND_DEMO=true: staff sign in without a second factor (never in production; the config refuses it). */
  readonly isDemo: boolean;
}

/**
 * Password sign-in. Unknown emails, wrong passwords, users without a password and
 * users without an active membership all get the same 401 after the same work (a
 * password verification against a dummy hash for unknown emails). The throttle is
 * asked before any verification. Staff memberships then need a second factor: the
 * answer is a short-lived MFA token instead of tokens, and
 * {@link LoginService.completeWithSecondFactor} finishes the sign-in (or, for a
 * staff member not enrolled yet, the MFA enrolment and
 * {@link LoginService.completeAfterEnrolment}).
 */
export class LoginService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly sessions: LoginSessionService,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly secondFactor: SecondFactorVerifier,
    private readonly options: LoginServiceOptions,
  ) {}

  async login(input: LoginInput): Promise<LoginResult> {
    const email = normaliseEmail(input.email);
    const emailHash = hashEmailForThrottle(email);
    const ip = input.ip ?? 'unknown';
    const decision = await this.throttle.check(emailHash, ip);
    if (!decision.allowed) {
      await this.recordFailure('auth.login_throttled', email, null, input.ip, decision.reason ?? 'throttled');
      throw new IdentityError(IdentityErrorCode.RateLimited, 'Too many sign-in attempts: try again later', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }

    const account = await this.findAccount(email);
    let isValid = false;
    if (account !== undefined && account.passwordHash !== null) {
      const verification = await this.hasher.verify(account.passwordHash, input.password);
      isValid = verification.isValid;
      if (verification.needsRehash) await this.rehash(account.userId, account.passwordHash, input.password);
    } else {
      await this.hasher.verifyAgainstDummy(input.password);
    }

    const active = isValid && account !== undefined ? account.memberships.filter((m) => m.status === 'active') : [];
    const chosen =
      input.membershipId !== undefined
        ? active.find((membership) => membership.membershipId === input.membershipId)
        : active.length === 1
          ? active[0]
          : undefined;
    if (
      account === undefined ||
      !isValid ||
      active.length === 0 ||
      (input.membershipId !== undefined && chosen === undefined)
    ) {
      await this.throttle.recordFailure(emailHash, ip);
      const reason =
        account === undefined
          ? 'unknown_email'
          : !isValid
            ? 'wrong_password'
            : active.length === 0
              ? 'no_active_membership'
              : 'membership_not_chosen';
      await this.recordFailure('auth.login_failed', email, account?.userId ?? null, input.ip, reason);
      throw invalidCredentials();
    }
    await this.throttle.recordSuccess(emailHash, ip);

    if (chosen === undefined) {
      // A right password but no clinic chosen yet: the security log has the step (no token is issued).
      await this.unitOfWork.runWithoutClinic((tx) =>
        securityEvent(tx, 'auth.membership_choice', {
          email,
          ip: input.ip ?? null,
          metadata: { userId: account.userId, memberships: active.length },
        }),
      );
      return { kind: 'choose_membership', memberships: await this.describe(account.userId, active) };
    }

    const roles = await this.activeRoles(account.userId, chosen.clinicId, chosen.membershipId);
    if (roles === undefined) throw invalidCredentials();
    if (isStaff(roles) && !this.options.isDemo) {
      const mfa = await this.tokens.issueMfaToken({
        userId: account.userId,
        clinicId: chosen.clinicId,
        membershipId: chosen.membershipId,
      });
      const mfaEnrolled = await this.secondFactor.isEnrolled(account.userId);
      // The password step of a staff sign-in, in the clinic's trail; `auth.login` follows the second factor.
      await this.unitOfWork.run(
        chosen.clinicId,
        (tx) =>
          auditIdentity(
            tx,
            { userId: account.userId, membershipId: chosen.membershipId, ip: input.ip ?? null },
            'auth.password_verified',
            { type: 'membership', id: chosen.membershipId },
            { secondFactor: 'required', mfaEnrolled },
          ),
        { userId: account.userId },
      );
      return { kind: 'mfa_required', mfaToken: mfa.token, mfaTokenExpiresAt: mfa.expiresAt, mfaEnrolled };
    }
    const tokens = await this.startSession(
      { userId: account.userId, clinicId: chosen.clinicId, membershipId: chosen.membershipId },
      amrFor(null),
      input,
    );
    return { kind: 'tokens', tokens, demoSkipsMfa: isStaff(roles) && this.options.isDemo };
  }

  /**
   * Second step of a staff sign-in: the MFA token and a TOTP or recovery code.
   * Every attempt is audited in the clinic of the token (`auth.mfa.verify`,
   * success or failure with a reason code); over the attempt limit the answer is
   * a 429 with Retry-After.
   */
  async completeWithSecondFactor(mfaToken: string, code: string, client: ClientMetadata): Promise<TokenPair> {
    const claims = await this.tokens.verifyMfaToken(mfaToken);
    const check = await this.checkSecondFactor(claims.userId, code);
    if (!check.ok) {
      await this.auditSecondFactorFailure(claims, client, 'auth.mfa.verify', check.reason);
      if (check.reason === 'rate_limited') {
        throw new IdentityError(
          IdentityErrorCode.RateLimited,
          'Too many attempts at a second factor: try again shortly',
          {
            retryAfterSeconds: check.retryAfterSeconds,
          },
        );
      }
      throw new IdentityError(IdentityErrorCode.InvalidSecondFactor, 'The code is wrong or was already used');
    }
    const method: SecondFactorMethod = check.method === 'totp' ? 'otp' : 'rc';
    return this.startSession(claims, amrFor(method), client, method, async (tx, actor) => {
      await auditIdentity(tx, actor, 'auth.mfa.verify', { type: 'user', id: claims.userId }, { method });
    });
  }

  /**
   * Starts the login session once a second factor was proven by other means (the
   * first confirmation of a new TOTP enrolment, in `../mfa/`).
   */
  completeAfterSecondFactor(
    claims: MfaTokenClaims,
    method: SecondFactorMethod,
    client: ClientMetadata,
  ): Promise<TokenPair> {
    return this.startSession(claims, amrFor(method), client, method);
  }

  /**
   * Finishes a staff sign-in whose second factor was just enrolled (the first
   * code of the new authenticator proved it): in one transaction, every other
   * login session of the user ends (the second factor changed), the enrolment
   * is audited, and the new login session starts.
   */
  completeAfterEnrolment(claims: MfaTokenClaims, client: ClientMetadata): Promise<TokenPair> {
    return this.startSession(claims, amrFor('otp'), client, 'otp', async (tx, actor) => {
      const revoked = await this.sessions.revokeAllOfUser(tx, claims.userId, 'mfa_changed');
      await auditIdentity(
        tx,
        actor,
        'auth.mfa.enroll',
        { type: 'user', id: claims.userId },
        { replaced: false, revokedLoginSessions: revoked },
      );
    });
  }

  /** A failed second-factor attempt, audited in the clinic the MFA token names (ids and a reason code). */
  async auditSecondFactorFailure(
    claims: MfaTokenClaims,
    client: ClientMetadata,
    action: string,
    reason: string,
  ): Promise<void> {
    await this.unitOfWork.run(
      claims.clinicId,
      (tx) =>
        auditIdentity(
          tx,
          { userId: claims.userId, membershipId: claims.membershipId, ip: client.ip ?? null },
          action,
          { type: 'user', id: claims.userId },
          { reason },
          'failure',
        ),
      { userId: claims.userId },
    );
  }

  private async checkSecondFactor(userId: string, code: string): Promise<SecondFactorCheck> {
    if (this.secondFactor.verifyDetailed !== undefined) return this.secondFactor.verifyDetailed(userId, code);
    try {
      const method = await this.secondFactor.verify(userId, code);
      if (method === null) return { ok: false, reason: 'invalid' };
      return { ok: true, method: method === 'otp' ? 'totp' : 'recovery_code' };
    } catch (error) {
      if (error instanceof IdentityError && error.status === 429) {
        return { ok: false, reason: 'rate_limited', retryAfterSeconds: error.retryAfterSeconds };
      }
      throw error;
    }
  }

  private async startSession(
    claims: MfaTokenClaims,
    amr: readonly string[],
    client: ClientMetadata,
    secondFactor: SecondFactorMethod | null = null,
    before?: (tx: TenantTransaction, actor: AuditActor) => Promise<void>,
  ): Promise<TokenPair> {
    return this.unitOfWork.run(
      claims.clinicId,
      async (tx) => {
        // The membership may have been disabled since the password step.
        const rows = await tx.query<{ roles: MembershipRole[] }>(
          `select roles from memberships
            where clinic_id = $1 and id = $2 and user_id = $3 and status = 'active'`,
          [claims.clinicId, claims.membershipId, claims.userId],
        );
        if (rows.length === 0) throw invalidCredentials();
        const actor: AuditActor = { userId: claims.userId, membershipId: claims.membershipId, ip: client.ip ?? null };
        if (before !== undefined) await before(tx, actor);
        const tokens = await this.sessions.start(
          tx,
          { userId: claims.userId, membershipId: claims.membershipId, roles: rows[0].roles, amr },
          client,
        );
        await auditIdentity(
          tx,
          actor,
          'auth.login',
          { type: 'login_session', id: tokens.loginSessionId },
          {
            amr: [...amr],
            secondFactor: secondFactor ?? 'none',
            demoSkipsMfa: this.options.isDemo && isStaff(rows[0].roles) && secondFactor === null,
          },
        );
        return tokens;
      },
      { userId: claims.userId },
    );
  }

  /** The user's memberships (ids and statuses through the reviewed lookup), then their password hash. */
  private async findAccount(email: string): Promise<Account | undefined> {
    const rows = await this.unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ user_id: string; clinic_id: string | null; membership_id: string | null; status: string | null }>(
        'select user_id, clinic_id, membership_id, status from login_lookup($1)',
        [email],
      ),
    );
    if (rows.length === 0) {
      // The same second round trip as a known email, so timing does not tell them apart.
      await this.unitOfWork.runWithoutClinic(
        (tx) => tx.query('select 1 from user_credentials where user_id = app_current_user()'),
        {
          userId: '00000000-0000-4000-8000-000000000000',
        },
      );
      return undefined;
    }
    const userId = rows[0].user_id;
    // user_credentials is self-only: the hash is read acting as that user.
    const passwordHash = await this.unitOfWork.runWithoutClinic((tx) => readPasswordHash(tx, userId), { userId });
    return {
      userId,
      passwordHash,
      memberships: rows
        .filter((row) => row.clinic_id !== null && row.membership_id !== null && row.status !== null)
        .map((row) => ({
          clinicId: row.clinic_id as string,
          membershipId: row.membership_id as string,
          status: row.status as string,
        })),
    };
  }

  /** Replaces a hash made with other parameters, unless the password changed meanwhile. */
  private async rehash(userId: string, oldHash: string, password: string): Promise<void> {
    const newHash = await this.hasher.hash(password);
    await this.unitOfWork.runWithoutClinic(
      (tx) =>
        changedRows(tx, 'update user_credentials set password_hash = $2 where user_id = $1 and password_hash = $3', [
          userId,
          newHash,
          oldHash,
        ]),
      { userId },
    );
  }

  private async activeRoles(
    userId: string,
    clinicId: string,
    membershipId: string,
  ): Promise<MembershipRole[] | undefined> {
    const rows = await this.unitOfWork.run(
      clinicId,
      (tx) =>
        tx.query<{ roles: MembershipRole[] }>(
          `select roles from memberships where clinic_id = $1 and id = $2 and user_id = $3 and status = 'active'`,
          [clinicId, membershipId, userId],
        ),
      { userId },
    );
    return rows[0]?.roles;
  }

  /** Clinic names for the choice, each read in its own clinic's unit of work. */
  private async describe(
    userId: string,
    memberships: readonly { clinicId: string; membershipId: string }[],
  ): Promise<MembershipChoice[]> {
    const choices: MembershipChoice[] = [];
    for (const membership of memberships) {
      const rows = await this.unitOfWork.run(
        membership.clinicId,
        (tx) => tx.query<{ name: string }>('select name from clinics where id = $1', [membership.clinicId]),
        { userId },
      );
      choices.push({
        membershipId: membership.membershipId,
        clinicId: membership.clinicId,
        clinicName: rows[0]?.name ?? '',
      });
    }
    return choices;
  }

  /**
   * A failed or throttled sign-in goes to the global security log (there is no
   * clinic yet): a hash of the email, never the address, and the user id when
   * the email is known.
   */
  private async recordFailure(
    event: string,
    email: string,
    userId: string | null,
    ip: string | null | undefined,
    reason: string,
  ): Promise<void> {
    await this.unitOfWork.runWithoutClinic((tx) =>
      securityEvent(tx, event, { email, ip: ip ?? null, metadata: { reason, ...(userId !== null && { userId }) } }),
    );
  }
}

export function invalidCredentials(): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidCredentials, 'The email or password is wrong');
}
