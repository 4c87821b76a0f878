import type { UnitOfWork } from '@mend/core';

import { auditIdentity, securityEvent } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { isStaff, type MembershipRole } from '../roles.js';
import type { ClientMetadata, LoginSessionService, TokenPair } from '../sessions/login-session.service.js';
import { changedRows } from '../sql.js';
import { hashEmailForThrottle } from '../throttle/throttle-keys.js';
import type { MfaTokenClaims, TokenService } from '../tokens/token.service.js';
import { normaliseEmail } from '../users/email.js';
import type { LoginThrottle } from './login-throttle.js';
import { amrFor, type SecondFactorMethod, type SecondFactorVerifier } from './second-factor.js';

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
 * {@link LoginService.completeWithSecondFactor} finishes the sign-in.
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
      return {
        kind: 'mfa_required',
        mfaToken: mfa.token,
        mfaTokenExpiresAt: mfa.expiresAt,
        mfaEnrolled: await this.secondFactor.isEnrolled(account.userId),
      };
    }
    const tokens = await this.startSession(
      { userId: account.userId, clinicId: chosen.clinicId, membershipId: chosen.membershipId },
      amrFor(null),
      input,
    );
    return { kind: 'tokens', tokens, demoSkipsMfa: isStaff(roles) && this.options.isDemo };
  }

  /** Second step of a staff sign-in: the MFA token and a TOTP or recovery code. */
  async completeWithSecondFactor(mfaToken: string, code: string, client: ClientMetadata): Promise<TokenPair> {
    const claims = await this.tokens.verifyMfaToken(mfaToken);
    const method = await this.secondFactor.verify(claims.userId, code);
    if (method === null) {
      await this.unitOfWork.run(
        claims.clinicId,
        (tx) =>
          auditIdentity(
            tx,
            { userId: claims.userId, membershipId: claims.membershipId, ip: client.ip ?? null },
            'auth.second_factor',
            { type: 'user', id: claims.userId },
            {},
            'failure',
          ),
        { userId: claims.userId },
      );
      throw new IdentityError(IdentityErrorCode.InvalidSecondFactor, 'The code is wrong or was already used');
    }
    return this.completeAfterSecondFactor(claims, method, client);
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

  private async startSession(
    claims: MfaTokenClaims,
    amr: readonly string[],
    client: ClientMetadata,
    secondFactor: SecondFactorMethod | null = null,
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
        const tokens = await this.sessions.start(
          tx,
          { userId: claims.userId, membershipId: claims.membershipId, roles: rows[0].roles, amr },
          client,
        );
        await auditIdentity(
          tx,
          { userId: claims.userId, membershipId: claims.membershipId, ip: client.ip ?? null },
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
      await this.unitOfWork.runWithoutClinic((tx) => tx.query('select 1 from users where id = app_current_user()'), {
        userId: '00000000-0000-4000-8000-000000000000',
      });
      return undefined;
    }
    const userId = rows[0].user_id;
    const users = await this.unitOfWork.runWithoutClinic(
      (tx) => tx.query<{ password_hash: string | null }>('select password_hash from users where id = $1', [userId]),
      { userId },
    );
    return {
      userId,
      passwordHash: users[0]?.password_hash ?? null,
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
        changedRows(tx, 'update users set password_hash = $2 where id = $1 and password_hash = $3', [
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
