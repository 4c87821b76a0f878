import type { TenantTransaction } from '@mend/core';

import type { Clock } from '../clock.js';
import { auditIdentity } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { LoginThrottle } from '../login/login-throttle.js';
import type { LoginSessionService, Principal } from '../sessions/login-session.service.js';
import { hashEmailForThrottle } from '../throttle/throttle-keys.js';
import { storePasswordHash } from '../users/credentials.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertAcceptablePassword } from './password-policy.js';

/**
 * A signed-in user changes their own password (the current one is required).
 * Every other login session of theirs, in every clinic, ends in the same
 * transaction: the next request on any of them is refused.
 */
export class PasswordService {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly sessions: LoginSessionService,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {}

  /** `tx` acts as the principal (app.user_id): the users policy lets it change only their own row. */
  async change(
    tx: TenantTransaction,
    principal: Principal,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const rows = await tx.query<{ email: string; password_hash: string | null }>(
      `select u.email, c.password_hash
         from users u left join user_credentials c on c.user_id = u.id
        where u.id = $1 and u.id = app_current_user()`,
      [principal.userId],
    );
    const user = rows[0];
    if (user === undefined) throw new IdentityError(IdentityErrorCode.Unauthenticated, 'Sign in again');
    // A stolen session must not become a password oracle: the current password
    // is throttled like a sign-in (same account + IP counters), asked before argon2.
    const emailHash = hashEmailForThrottle(user.email);
    const ip = principal.ip ?? 'unknown';
    const decision = await this.throttle.check(emailHash, ip);
    if (!decision.allowed) {
      throw new IdentityError(IdentityErrorCode.RateLimited, 'Too many attempts: try again later', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    const verification =
      user.password_hash === null ? { isValid: false } : await this.hasher.verify(user.password_hash, currentPassword);
    if (!verification.isValid) {
      await this.throttle.recordFailure(emailHash, ip);
      throw new IdentityError(IdentityErrorCode.WrongCurrentPassword, 'The current password is wrong');
    }
    await this.throttle.recordSuccess(emailHash, ip);
    assertAcceptablePassword(newPassword, 'newPassword', { email: user.email });
    if (newPassword === currentPassword) {
      throw new IdentityError(IdentityErrorCode.WeakPassword, 'The new password must differ from the current one', {
        errors: [{ field: 'newPassword', rule: 'passwordPolicy', message: 'Choose a password you have not used here' }],
      });
    }
    const now = this.clock.now();
    await storePasswordHash(tx, principal.userId, await this.hasher.hash(newPassword), now);
    const revoked = await this.sessions.revokeAllOfUser(tx, principal.userId, 'password_changed', {
      clinicId: principal.clinicId,
      loginSessionId: principal.loginSessionId,
    });
    await auditIdentity(
      tx,
      principal,
      'user.password_change',
      { type: 'user', id: principal.userId },
      {
        revokedLoginSessions: revoked,
      },
    );
  }
}
