import type { SystemTransaction, TenantTransaction, UnitOfWork } from '@mend/core';

import type { Clock } from '../clock.js';
import { auditIdentity, OPERATOR, type AuditActor } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import { passwordResetLink } from '../links.js';
import type { LoginSessionService } from '../sessions/login-session.service.js';
import { changedRows } from '../sql.js';
import { issueOpaqueToken, parseOpaqueToken, secretMatches } from '../tokens/opaque-token.js';
import { storePasswordHash } from '../users/credentials.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertAcceptablePassword } from './password-policy.js';

/** A reset link works for one hour, once. */
export const PASSWORD_RESET_TTL_MS = 60 * 60_000;

export interface IssuedPasswordReset {
  readonly resetId: string;
  readonly membershipId: string;
  readonly link: string;
  readonly expiresAt: Date;
}

interface ResetRow {
  user_id: string;
  membership_id: string;
  token_hash: Buffer;
  expires_at: Date;
  used_at: Date | null;
  status: string;
}

/**
 * Password reset links. Until email delivery exists, a clinic admin (or an
 * operator with the CLI) issues a link for a member and hands it over; the link
 * names its clinic and row, is stored hashed, works once within an hour, and
 * consuming it ends every login session of the user. A reset never touches the
 * second factor: staff still need it to sign in.
 */
export class PasswordResetService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly sessions: LoginSessionService,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  /**
   * A clinic admin issues a link for a member of their clinic. A person who also
   * belongs to another clinic is refused: the password is theirs in every clinic,
   * and one clinic's admin must not take over an account another clinic relies on
   * (an operator can still issue it with the CLI).
   */
  async issueForMember(tx: TenantTransaction, actor: AuditActor, membershipId: string): Promise<IssuedPasswordReset> {
    const member = await this.activeMember(tx, membershipId);
    const elsewhere = await tx.query(
      `select 1 from login_lookup($1) where clinic_id is distinct from $2 and status = 'active'`,
      [member.email, tx.clinicId],
    );
    if (elsewhere.length > 0) {
      throw new IdentityError(
        IdentityErrorCode.MemberOfOtherClinics,
        'This person also belongs to another clinic: they change their password themselves, or an operator issues the link',
      );
    }
    return this.issue(tx, member, actor);
  }

  /** The CLI's path (an operator): by email, in one clinic. */
  async issueByEmail(clinicId: string, email: string): Promise<IssuedPasswordReset> {
    return this.unitOfWork.run(clinicId, async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `select m.id from memberships m join users u on u.id = m.user_id
          where m.clinic_id = $1 and u.email = lower($2)`,
        [clinicId, email.trim()],
      );
      if (rows.length === 0)
        throw new IdentityError(IdentityErrorCode.NotFound, 'No member of this clinic has that email');
      return this.issue(tx, await this.activeMember(tx, rows[0].id), OPERATOR);
    });
  }

  /** Sets the new password and ends every login session of the user; 400 for a bad, used or expired link. */
  async consume(
    token: string,
    newPassword: string,
    ip: string | null = null,
  ): Promise<{ userId: string; clinicId: string }> {
    const presented = parseOpaqueToken(token);
    if (presented === undefined) throw invalidLink();
    // First a read to learn the user (the update below must act as them), and to
    // refuse a bad link before spending a password hash on it.
    const { first, email } = await this.unitOfWork.run(presented.clinicId, async (tx) => {
      const reset = await this.usableReset(tx, presented.rowId, presented.secret);
      // Visible through the users policy for members of the current clinic.
      const users = await tx.query<{ email: string }>('select email from users where id = $1', [reset.user_id]);
      return { first: reset, email: users[0]?.email };
    });
    assertAcceptablePassword(newPassword, 'newPassword', { email });
    const passwordHash = await this.hasher.hash(newPassword);

    return this.unitOfWork.run(
      presented.clinicId,
      async (tx) => {
        const reset = await this.usableReset(tx, presented.rowId, presented.secret, true);
        if (reset.user_id !== first.user_id) throw invalidLink();
        const now = this.clock.now();
        await storePasswordHash(tx, reset.user_id, passwordHash, now);
        // This link and every other open link of the member are spent.
        await changedRows(
          tx,
          `update password_resets set used_at = $3 where clinic_id = $1 and user_id = $2 and used_at is null`,
          [tx.clinicId, reset.user_id, now],
        );
        const revoked = await this.sessions.revokeAllOfUser(tx, reset.user_id, 'password_reset');
        await auditIdentity(
          tx,
          { userId: reset.user_id, membershipId: reset.membership_id, ip },
          'user.password_reset',
          { type: 'user', id: reset.user_id },
          { resetId: presented.rowId, revokedLoginSessions: revoked },
        );
        return { userId: reset.user_id, clinicId: tx.clinicId };
      },
      { userId: first.user_id },
    );
  }

  private async issue(
    tx: TenantTransaction,
    member: { id: string; user_id: string },
    actor: AuditActor,
  ): Promise<IssuedPasswordReset> {
    const issuedByMembershipId = actor.membershipId;
    const now = this.clock.now();
    // One open link per member: an older one stops working.
    await changedRows(
      tx,
      `update password_resets set used_at = $3 where clinic_id = $1 and membership_id = $2 and used_at is null`,
      [tx.clinicId, member.id, now],
    );
    const token = issueOpaqueToken(tx.clinicId);
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
    await tx.query(
      `insert into password_resets (clinic_id, id, user_id, membership_id, token_hash, issued_by_membership_id,
                                    created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tx.clinicId, token.rowId, member.user_id, member.id, token.secretHash, issuedByMembershipId, now, expiresAt],
    );
    await auditIdentity(
      tx,
      actor,
      'user.password_reset_link',
      { type: 'membership', id: member.id },
      {
        resetId: token.rowId,
      },
    );
    return {
      resetId: token.rowId,
      membershipId: member.id,
      link: passwordResetLink(this.publicUrl, token.token),
      expiresAt,
    };
  }

  private async activeMember(
    tx: TenantTransaction,
    membershipId: string,
  ): Promise<{ id: string; user_id: string; email: string }> {
    const rows = await tx.query<{ id: string; user_id: string; email: string; status: string }>(
      `select m.id, m.user_id, u.email, m.status
         from memberships m join users u on u.id = m.user_id
        where m.clinic_id = $1 and m.id = $2`,
      [tx.clinicId, membershipId],
    );
    const member = rows[0];
    if (member === undefined) throw new IdentityError(IdentityErrorCode.NotFound, 'No such member');
    if (member.status !== 'active') {
      throw new IdentityError(IdentityErrorCode.MembershipDisabled, 'The member is disabled: enable them first');
    }
    return member;
  }

  private async usableReset(
    tx: SystemTransaction,
    resetId: string,
    secret: string,
    forUpdate = false,
  ): Promise<ResetRow> {
    const rows = await tx.query<ResetRow>(
      `select r.user_id, r.membership_id, r.token_hash, r.expires_at, r.used_at, m.status
         from password_resets r
         join memberships m on m.clinic_id = r.clinic_id and m.id = r.membership_id
        where r.clinic_id = app_current_clinic() and r.id = $1
        ${forUpdate ? 'for update of r' : ''}`,
      [resetId],
    );
    const reset = rows[0];
    if (
      reset === undefined ||
      !secretMatches(secret, reset.token_hash) ||
      reset.used_at !== null ||
      new Date(reset.expires_at).getTime() <= this.clock.now().getTime() ||
      reset.status !== 'active'
    ) {
      throw invalidLink();
    }
    return reset;
  }
}

function invalidLink(): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidLink, 'This link is invalid, expired or already used');
}
