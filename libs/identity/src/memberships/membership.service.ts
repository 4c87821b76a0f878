import type { TenantTransaction } from '@mend/core';

import type { Clock } from '../clock.js';
import { auditIdentity, auditRead, type AuditActor } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import { normaliseRoles, type MembershipRole, type MembershipStatus } from '../roles.js';
import type { LoginSessionService } from '../sessions/login-session.service.js';
import { changedRows } from '../sql.js';

export interface MemberView {
  readonly membershipId: string;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly roles: readonly MembershipRole[];
  readonly status: MembershipStatus;
  readonly mfaEnrolled: boolean;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
  /** For counselors: the memberships that supervise them. */
  readonly supervisorMembershipIds: readonly string[];
  /** For supervisors: the counselors they supervise. */
  readonly superviseeMembershipIds: readonly string[];
}

export interface MembershipChange {
  readonly roles?: readonly string[];
  readonly status?: MembershipStatus;
}

interface MemberRow {
  id: string;
  user_id: string;
  email: string;
  display_name: string | null;
  roles: MembershipRole[];
  status: MembershipStatus;
  mfa_enrolled: boolean;
  created_at: Date;
  disabled_at: Date | null;
}

const MEMBER_COLUMNS = `m.id, m.user_id, u.email, u.display_name, m.roles, m.status,
  coalesce(user_mfa_enrolled(m.user_id), false) as mfa_enrolled, m.created_at, m.disabled_at`;

/**
 * The members of the current clinic: list, roles, disable and enable, and
 * supervision links. Unknown ids and ids of other clinics are the same 404 (row
 * level security hides the latter). A clinic always keeps an active admin.
 */
export class MembershipService {
  constructor(
    private readonly sessions: LoginSessionService,
    private readonly clock: Clock,
  ) {}

  /** The clinic's members (audited as `membership.list`). */
  async list(tx: TenantTransaction, actor?: AuditActor): Promise<MemberView[]> {
    const rows = await tx.query<MemberRow>(
      `select ${MEMBER_COLUMNS} from memberships m join users u on u.id = m.user_id
        where m.clinic_id = $1 order by u.email, m.id`,
      [tx.clinicId],
    );
    const links = await this.links(tx);
    await auditRead(tx, actor, 'membership.list', { type: 'clinic', id: tx.clinicId }, { count: rows.length });
    return rows.map((row) => toView(row, links));
  }

  async get(tx: TenantTransaction, membershipId: string): Promise<MemberView> {
    const row = await this.find(tx, membershipId);
    return toView(row, await this.links(tx));
  }

  /**
   * Changes roles and/or status. Disabling ends the member's login sessions in
   * this clinic, and so does a change of roles (a client who becomes staff must
   * sign in again with a second factor). The last active clinic admin cannot be
   * disabled or lose the role.
   */
  async update(
    tx: TenantTransaction,
    actor: AuditActor,
    membershipId: string,
    change: MembershipChange,
  ): Promise<MemberView> {
    // Serialises membership changes within the clinic, so that two admins
    // disabling each other at once cannot leave it without one.
    await tx.query('select id from clinics where id = $1 for update', [tx.clinicId]);
    const current = await this.find(tx, membershipId, true);
    const roles = change.roles === undefined ? current.roles : normaliseRoles(change.roles);
    const status = change.status ?? current.status;
    const rolesChanged = roles.join(',') !== [...current.roles].sort(byRoleOrder).join(',');
    const statusChanged = status !== current.status;

    const wasActiveAdmin = current.status === 'active' && current.roles.includes('clinic_admin');
    const staysActiveAdmin = status === 'active' && roles.includes('clinic_admin');
    if (wasActiveAdmin && !staysActiveAdmin) {
      const others = await tx.query(
        `select 1 from memberships where clinic_id = $1 and id <> $2 and status = 'active' and 'clinic_admin' = any (roles)`,
        [tx.clinicId, membershipId],
      );
      if (others.length === 0) {
        throw new IdentityError(IdentityErrorCode.LastClinicAdmin, 'The clinic needs at least one active clinic admin');
      }
    }

    if (rolesChanged || statusChanged) {
      const now = this.clock.now();
      await changedRows(
        tx,
        `update memberships set roles = $3, status = $4, disabled_at = $5 where clinic_id = $1 and id = $2`,
        [tx.clinicId, membershipId, roles, status, status === 'disabled' ? (current.disabled_at ?? now) : null],
      );
      // Supervision links that no longer fit the roles end with them.
      if (!roles.includes('supervisor')) {
        await changedRows(tx, 'delete from supervision_links where clinic_id = $1 and supervisor_membership_id = $2', [
          tx.clinicId,
          membershipId,
        ]);
      }
      if (!roles.includes('counselor')) {
        await changedRows(tx, 'delete from supervision_links where clinic_id = $1 and counselor_membership_id = $2', [
          tx.clinicId,
          membershipId,
        ]);
      }
      const revoked = await this.sessions.revokeAllOfMembership(
        tx,
        membershipId,
        statusChanged && status === 'disabled' ? 'membership_disabled' : 'roles_changed',
      );
      await auditIdentity(
        tx,
        actor,
        'membership.update',
        { type: 'membership', id: membershipId },
        {
          roles,
          status,
          previousRoles: current.roles,
          previousStatus: current.status,
          revokedLoginSessions: revoked,
        },
      );
    }
    return this.get(tx, membershipId);
  }

  /** A supervisor (role supervisor) oversees a counselor (role counselor), both active members here. */
  async linkSupervisor(
    tx: TenantTransaction,
    actor: AuditActor,
    supervisorMembershipId: string,
    counselorMembershipId: string,
  ): Promise<void> {
    const supervisor = await this.find(tx, supervisorMembershipId);
    const counselor = await this.find(tx, counselorMembershipId);
    if (supervisorMembershipId === counselorMembershipId) {
      throw new IdentityError(IdentityErrorCode.InvalidSupervisionLink, 'A member cannot supervise themselves');
    }
    if (supervisor.status !== 'active' || !supervisor.roles.includes('supervisor')) {
      throw new IdentityError(
        IdentityErrorCode.InvalidSupervisionLink,
        'The supervisor must be an active member with the supervisor role',
      );
    }
    if (counselor.status !== 'active' || !counselor.roles.includes('counselor')) {
      throw new IdentityError(
        IdentityErrorCode.InvalidSupervisionLink,
        'The counselor must be an active member with the counselor role',
      );
    }
    await tx.query(
      `insert into supervision_links (clinic_id, supervisor_membership_id, counselor_membership_id, created_at)
       values ($1, $2, $3, $4) on conflict do nothing`,
      [tx.clinicId, supervisorMembershipId, counselorMembershipId, this.clock.now()],
    );
    await auditIdentity(
      tx,
      actor,
      'supervision_link.create',
      { type: 'membership', id: counselorMembershipId },
      {
        supervisorMembershipId,
      },
    );
  }

  async unlinkSupervisor(
    tx: TenantTransaction,
    actor: AuditActor,
    supervisorMembershipId: string,
    counselorMembershipId: string,
  ): Promise<void> {
    const count = await changedRows(
      tx,
      `delete from supervision_links
        where clinic_id = $1 and supervisor_membership_id = $2 and counselor_membership_id = $3`,
      [tx.clinicId, supervisorMembershipId, counselorMembershipId],
    );
    if (count === 0) throw new IdentityError(IdentityErrorCode.NotFound, 'No such supervision link');
    await auditIdentity(
      tx,
      actor,
      'supervision_link.delete',
      { type: 'membership', id: counselorMembershipId },
      {
        supervisorMembershipId,
      },
    );
  }

  private async find(tx: TenantTransaction, membershipId: string, forUpdate = false): Promise<MemberRow> {
    const rows = await tx.query<MemberRow>(
      `select ${MEMBER_COLUMNS} from memberships m join users u on u.id = m.user_id
        where m.clinic_id = $1 and m.id = $2 ${forUpdate ? 'for update of m' : ''}`,
      [tx.clinicId, membershipId],
    );
    if (rows.length === 0) throw new IdentityError(IdentityErrorCode.NotFound, 'No such member');
    return rows[0];
  }

  private async links(
    tx: TenantTransaction,
  ): Promise<{ supervisor_membership_id: string; counselor_membership_id: string }[]> {
    return tx.query(
      `select supervisor_membership_id, counselor_membership_id from supervision_links
        where clinic_id = $1 order by created_at, supervisor_membership_id, counselor_membership_id`,
      [tx.clinicId],
    );
  }
}

const ROLE_ORDER: readonly string[] = ['clinic_admin', 'supervisor', 'counselor', 'client'];
function byRoleOrder(a: string, b: string): number {
  return ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b);
}

function toView(
  row: MemberRow,
  links: readonly { supervisor_membership_id: string; counselor_membership_id: string }[],
): MemberView {
  return {
    membershipId: row.id,
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    status: row.status,
    mfaEnrolled: row.mfa_enrolled,
    createdAt: new Date(row.created_at),
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
    supervisorMembershipIds: links
      .filter((link) => link.counselor_membership_id === row.id)
      .map((link) => link.supervisor_membership_id),
    superviseeMembershipIds: links
      .filter((link) => link.supervisor_membership_id === row.id)
      .map((link) => link.counselor_membership_id),
  };
}
