import { randomUUID } from 'node:crypto';

import { CoreError, CoreErrorCode, isValidTimezone, type TenantTransaction, type UnitOfWork } from '@mend/core';

import type { Clock } from '../clock.js';
import { auditIdentity, OPERATOR } from '../identity-audit.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { assertAcceptablePassword } from '../passwords/password-policy.js';
import { normaliseRoles, type MembershipRole } from '../roles.js';
import { changedRows } from '../sql.js';
import { storePasswordHash } from '../users/credentials.js';
import { isPlausibleEmail, normaliseEmail } from '../users/email.js';

export interface NewMember {
  readonly email: string;
  readonly password: string;
  readonly roles: readonly string[];
  readonly displayName?: string;
}

export interface ProvisionedMember {
  readonly userId: string;
  readonly membershipId: string;
  /** False: the email already had an account, which was linked (its password kept unless reset). */
  readonly isNewUser: boolean;
}

/** A member checked and hashed outside any transaction, ready to be written. */
interface PreparedMember {
  readonly email: string;
  readonly roles: MembershipRole[];
  readonly userId: string;
  readonly isNewUser: boolean;
  /** Null: an existing account whose password stays. */
  readonly passwordHash: string | null;
  readonly displayName: string | null;
}

/**
 * Operator paths (the CLI and the demo seed), never reachable over HTTP: a new
 * clinic with its first admin, and members created directly with a password.
 */
export class ProvisioningService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates the clinic and an active clinic_admin membership for the email given,
   * in one transaction (a refused password leaves no clinic behind).
   */
  async createClinic(input: {
    readonly clinicId?: string;
    readonly name: string;
    readonly timezone?: string;
    readonly admin: Omit<NewMember, 'roles'>;
  }): Promise<{ clinicId: string } & ProvisionedMember> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw invalid('name', 'The clinic name is 1 to 200 characters');
    const timezone = input.timezone ?? 'UTC';
    if (!isValidTimezone(timezone)) {
      throw invalid('timezone', 'The time zone must be an IANA zone such as Europe/Lisbon');
    }
    const admin = await this.prepare({ ...input.admin, roles: ['clinic_admin'] }, false);
    const clinicId = input.clinicId ?? randomUUID();
    return this.unitOfWork.run(
      clinicId,
      async (tx) => {
        await tx.query('insert into clinics (id, name, timezone, created_at) values ($1, $2, $3, $4)', [
          clinicId,
          name,
          timezone,
          this.clock.now(),
        ]);
        await auditIdentity(tx, OPERATOR, 'clinic.create', { type: 'clinic', id: clinicId });
        return { clinicId, ...(await this.write(tx, admin)) };
      },
      { userId: admin.userId },
    );
  }

  /**
   * Makes the email an active member of the clinic with these roles, creating the
   * user when the email is new. An existing account keeps its password unless
   * `resetPassword` (the demo seed, so that its printed password always works).
   */
  async ensureMember(
    clinicId: string,
    member: NewMember,
    options: { readonly resetPassword?: boolean } = {},
  ): Promise<ProvisionedMember> {
    const prepared = await this.prepare(member, options.resetPassword === true);
    return this.unitOfWork.run(clinicId, (tx) => this.write(tx, prepared), { userId: prepared.userId });
  }

  private async prepare(member: NewMember, resetPassword: boolean): Promise<PreparedMember> {
    const email = normaliseEmail(member.email);
    if (!isPlausibleEmail(email)) throw invalid('email', 'The email address is not valid');
    const roles = normaliseRoles(member.roles);
    const existing = await this.unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ user_id: string }>('select distinct user_id from login_lookup($1)', [email]),
    );
    const existingUserId = existing[0]?.user_id;
    const mustHash = existingUserId === undefined || resetPassword;
    if (mustHash) assertAcceptablePassword(member.password, 'password', { email });
    return {
      email,
      roles,
      userId: existingUserId ?? randomUUID(),
      isNewUser: existingUserId === undefined,
      passwordHash: mustHash ? await this.hasher.hash(member.password) : null,
      displayName: member.displayName?.trim() || null,
    };
  }

  /** Writes the user (new, or its password reset) and the membership; `tx` acts as that user. */
  private async write(tx: TenantTransaction, member: PreparedMember): Promise<ProvisionedMember> {
    const now = this.clock.now();
    if (member.isNewUser) {
      await tx.query(`insert into users (id, email, display_name, created_at) values ($1, $2, $3, $4)`, [
        member.userId,
        member.email,
        member.displayName,
        now,
      ]);
    }
    if (member.passwordHash !== null) await storePasswordHash(tx, member.userId, member.passwordHash, now);
    const rows = await tx.query<{ id: string }>(
      'select id from memberships where clinic_id = $1 and user_id = $2 for update',
      [tx.clinicId, member.userId],
    );
    let membershipId = rows[0]?.id;
    if (membershipId !== undefined) {
      await changedRows(
        tx,
        `update memberships set roles = $3, status = 'active', disabled_at = null where clinic_id = $1 and id = $2`,
        [tx.clinicId, membershipId, member.roles],
      );
    } else {
      membershipId = randomUUID();
      await tx.query(
        `insert into memberships (clinic_id, id, user_id, roles, status, created_at)
         values ($1, $2, $3, $4, 'active', $5)`,
        [tx.clinicId, membershipId, member.userId, member.roles, now],
      );
    }
    await auditIdentity(
      tx,
      OPERATOR,
      'membership.provision',
      { type: 'membership', id: membershipId },
      {
        roles: member.roles,
        newUser: member.isNewUser,
        passwordSet: member.passwordHash !== null,
      },
    );
    return { userId: member.userId, membershipId, isNewUser: member.isNewUser };
  }
}

function invalid(field: string, message: string): CoreError {
  return new CoreError(CoreErrorCode.ValidationFailed, message, [{ field, rule: 'invalid', message }]);
}
