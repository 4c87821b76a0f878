import { randomUUID } from 'node:crypto';

import { CoreError, CoreErrorCode, type TenantTransaction, type UnitOfWork } from '@mend/core';

import type { Clock } from '../clock.js';
import { auditIdentity, auditRead, type AuditActor } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import { invitationLink } from '../links.js';
import type { LoginThrottle } from '../login/login-throttle.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { assertAcceptablePassword } from '../passwords/password-policy.js';
import { normaliseRoles, type MembershipRole } from '../roles.js';
import { changedRows } from '../sql.js';
import { hashEmailForThrottle } from '../throttle/throttle-keys.js';
import { issueOpaqueToken, parseOpaqueToken, secretMatches } from '../tokens/opaque-token.js';
import { readPasswordHash, storePasswordHash } from '../users/credentials.js';
import { isPlausibleEmail, normaliseEmail } from '../users/email.js';

/** An invitation works for seven days, once. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

export interface IssuedInvitation {
  readonly invitationId: string;
  readonly email: string;
  readonly roles: readonly MembershipRole[];
  /** Until email delivery exists, the inviter hands this over. */
  readonly link: string;
  readonly expiresAt: Date;
}

export interface PendingInvitation {
  readonly invitationId: string;
  readonly email: string;
  readonly roles: readonly MembershipRole[];
  readonly invitedByMembershipId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface AcceptedInvitation {
  readonly clinicId: string;
  readonly membershipId: string;
  readonly userId: string;
  /** False: the email already had an account (in another clinic), now linked to this one. */
  readonly isNewUser: boolean;
}

export interface AcceptInvitationInput {
  readonly token: string;
  readonly password: string;
  readonly displayName?: string;
  readonly ip?: string | null;
}

interface InvitationRow {
  email: string;
  roles: MembershipRole[];
  token_hash: Buffer;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Invitations to a clinic, for staff and clients: single use, seven days, stored
 * hashed. Accepting one with a new email creates the user with the password
 * given; with the email of an existing account (a person who belongs to another
 * clinic) it requires that account's password and links the account, never
 * replacing its password — otherwise whoever holds the link could take over an
 * account that other clinics rely on. A client invitation creates a client
 * membership (the cases issue links it to a client record).
 */
export class InvitationService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  /** `actor` is the inviting clinic admin, or {@link OPERATOR} from the CLI. */
  async create(
    tx: TenantTransaction,
    actor: AuditActor,
    input: { readonly email: string; readonly roles: readonly string[] },
  ): Promise<IssuedInvitation> {
    const email = normaliseEmail(input.email);
    if (!isPlausibleEmail(email)) {
      throw new CoreError(CoreErrorCode.ValidationFailed, 'The request is invalid: see errors', [
        { field: 'email', rule: 'isEmail', message: 'email must be an email address' },
      ]);
    }
    const roles = normaliseRoles(input.roles);
    // Only this clinic's members are visible here (RLS): nothing leaks about other clinics.
    const members = await tx.query<{ status: string }>(
      `select m.status from memberships m join users u on u.id = m.user_id
        where m.clinic_id = $1 and u.email = $2`,
      [tx.clinicId, email],
    );
    if (members.some((member) => member.status === 'active')) {
      throw new IdentityError(IdentityErrorCode.AlreadyMember, 'This email already belongs to an active member');
    }
    const now = this.clock.now();
    // One live invitation per email: a new one replaces the older.
    await changedRows(
      tx,
      `update invitations set revoked_at = $3
        where clinic_id = $1 and email = $2 and accepted_at is null and revoked_at is null`,
      [tx.clinicId, email, now],
    );
    const token = issueOpaqueToken(tx.clinicId);
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    await tx.query(
      `insert into invitations (clinic_id, id, email, roles, token_hash, invited_by_membership_id, created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tx.clinicId, token.rowId, email, roles, token.secretHash, actor.membershipId, now, expiresAt],
    );
    await auditIdentity(tx, actor, 'invitation.create', { type: 'invitation', id: token.rowId }, { roles });
    return { invitationId: token.rowId, email, roles, link: invitationLink(this.publicUrl, token.token), expiresAt };
  }

  /** Invitations not yet accepted, revoked or expired (audited as `invitation.list`). */
  async listPending(tx: TenantTransaction, actor?: AuditActor): Promise<PendingInvitation[]> {
    const rows = await tx.query<{
      id: string;
      email: string;
      roles: MembershipRole[];
      invited_by_membership_id: string | null;
      created_at: Date;
      expires_at: Date;
    }>(
      `select id, email, roles, invited_by_membership_id, created_at, expires_at
         from invitations
        where clinic_id = $1 and accepted_at is null and revoked_at is null and expires_at > $2
        order by created_at desc, id`,
      [tx.clinicId, this.clock.now()],
    );
    await auditRead(tx, actor, 'invitation.list', { type: 'clinic', id: tx.clinicId }, { count: rows.length });
    return rows.map((row) => ({
      invitationId: row.id,
      email: row.email,
      roles: row.roles,
      invitedByMembershipId: row.invited_by_membership_id,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    }));
  }

  /** Withdraws a pending invitation; 404 when unknown or no longer pending. */
  async revoke(tx: TenantTransaction, actor: AuditActor, invitationId: string): Promise<void> {
    const count = await changedRows(
      tx,
      `update invitations set revoked_at = $3
        where clinic_id = $1 and id = $2 and accepted_at is null and revoked_at is null`,
      [tx.clinicId, invitationId, this.clock.now()],
    );
    if (count === 0) throw new IdentityError(IdentityErrorCode.NotFound, 'No such pending invitation');
    await auditIdentity(tx, actor, 'invitation.revoke', { type: 'invitation', id: invitationId });
  }

  async accept(input: AcceptInvitationInput): Promise<AcceptedInvitation> {
    const presented = parseOpaqueToken(input.token);
    if (presented === undefined) throw invalidInvitation();
    const { clinicId } = presented;
    const invitation = await this.unitOfWork.run(clinicId, (tx) => this.usable(tx, presented.rowId, presented.secret));

    const existing = await this.unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ user_id: string }>('select distinct user_id from login_lookup($1)', [invitation.email]),
    );
    const existingUserId = existing[0]?.user_id;
    let passwordHash: string | null = null;
    if (existingUserId !== undefined) {
      await this.verifyExistingPassword(existingUserId, invitation.email, input);
    } else {
      assertAcceptablePassword(input.password, 'password', { email: invitation.email });
      passwordHash = await this.hasher.hash(input.password);
    }
    const userId = existingUserId ?? randomUUID();
    const displayName = input.displayName?.trim() === '' ? undefined : input.displayName?.trim();

    try {
      return await this.unitOfWork.run(
        clinicId,
        async (tx) => {
          const current = await this.usable(tx, presented.rowId, presented.secret, true);
          const now = this.clock.now();
          if (passwordHash !== null) {
            await tx.query(`insert into users (id, email, display_name, created_at) values ($1, $2, $3, $4)`, [
              userId,
              current.email,
              displayName ?? null,
              now,
            ]);
            await storePasswordHash(tx, userId, passwordHash, now);
          } else if (displayName !== undefined) {
            await changedRows(tx, 'update users set display_name = $2 where id = $1 and display_name is null', [
              userId,
              displayName,
            ]);
          }
          const membershipId = await this.joinClinic(tx, userId, current.roles, now);
          await changedRows(
            tx,
            `update invitations set accepted_at = $3, accepted_membership_id = $4 where clinic_id = $1 and id = $2`,
            [clinicId, presented.rowId, now, membershipId],
          );
          await auditIdentity(
            tx,
            { userId, membershipId, ip: input.ip ?? null },
            'invitation.accept',
            { type: 'membership', id: membershipId },
            { invitationId: presented.rowId, roles: current.roles, newUser: passwordHash !== null },
          );
          return { clinicId, membershipId, userId, isNewUser: passwordHash !== null };
        },
        { userId },
      );
    } catch (error) {
      // Two invitations of one new email accepted at the same instant: the second user insert loses.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new IdentityError(IdentityErrorCode.Conflict, 'The account was created meanwhile: try again');
      }
      throw error;
    }
  }

  /** Adds (or re-enables) the membership; an active one already there is a conflict. */
  private async joinClinic(tx: TenantTransaction, userId: string, roles: MembershipRole[], now: Date): Promise<string> {
    const rows = await tx.query<{ id: string; status: string }>(
      'select id, status from memberships where clinic_id = $1 and user_id = $2 for update',
      [tx.clinicId, userId],
    );
    const membership = rows[0];
    if (membership?.status === 'active') {
      throw new IdentityError(IdentityErrorCode.AlreadyMember, 'You are already a member of this clinic');
    }
    if (membership !== undefined) {
      await changedRows(
        tx,
        `update memberships set status = 'active', disabled_at = null, roles = $3 where clinic_id = $1 and id = $2`,
        [tx.clinicId, membership.id, roles],
      );
      return membership.id;
    }
    const membershipId = randomUUID();
    await tx.query(
      `insert into memberships (clinic_id, id, user_id, roles, status, created_at) values ($1, $2, $3, $4, 'active', $5)`,
      [tx.clinicId, membershipId, userId, roles, now],
    );
    return membershipId;
  }

  /** An existing account joins only with its own password (throttled like a sign-in). */
  private async verifyExistingPassword(userId: string, email: string, input: AcceptInvitationInput): Promise<void> {
    const emailHash = hashEmailForThrottle(email);
    const ip = input.ip ?? 'unknown';
    const decision = await this.throttle.check(emailHash, ip);
    if (!decision.allowed) {
      throw new IdentityError(IdentityErrorCode.RateLimited, 'Too many attempts: try again later', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    const hash = await this.unitOfWork.runWithoutClinic((tx) => readPasswordHash(tx, userId), { userId });
    const isValid = hash !== null && (await this.hasher.verify(hash, input.password)).isValid;
    if (!isValid) {
      await this.throttle.recordFailure(emailHash, ip);
      throw new IdentityError(
        IdentityErrorCode.ExistingAccountPassword,
        'This email already has a Mend account: accept with the password of that account',
      );
    }
    await this.throttle.recordSuccess(emailHash, ip);
  }

  private async usable(
    tx: TenantTransaction,
    invitationId: string,
    secret: string,
    forUpdate = false,
  ): Promise<InvitationRow> {
    const rows = await tx.query<InvitationRow>(
      `select email, roles, token_hash, expires_at, accepted_at, revoked_at
         from invitations where clinic_id = $1 and id = $2 ${forUpdate ? 'for update' : ''}`,
      [tx.clinicId, invitationId],
    );
    const invitation = rows[0];
    if (
      invitation === undefined ||
      !secretMatches(secret, invitation.token_hash) ||
      invitation.accepted_at !== null ||
      invitation.revoked_at !== null ||
      new Date(invitation.expires_at).getTime() <= this.clock.now().getTime()
    ) {
      throw invalidInvitation();
    }
    return invitation;
  }
}

function invalidInvitation(): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidLink, 'This invitation is invalid, expired or already used');
}
