import type { MembershipRole, MembershipStatus } from '@mend/contracts';
import type { TenantTransaction } from '@mend/core';

import type { AccessPrincipal } from './access-principal.js';
import type {
  AccessResource,
  CaseResource,
  ClientResource,
  InvitationResource,
  LoginSessionResource,
  MembershipResource,
  ResourceReference,
  SupervisionLinkResource,
} from './access-resource.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface MembershipRow {
  id: string;
  user_id: string;
  roles: MembershipRole[];
  status: MembershipStatus;
  supervisor_ids: string[];
}

const MEMBERSHIP_SQL = `
  select m.id, m.user_id, m.roles, m.status,
         array(select l.supervisor_membership_id::text from supervision_links l
                where l.clinic_id = m.clinic_id and l.counselor_membership_id = m.id
                order by l.supervisor_membership_id) as supervisor_ids
    from memberships m
   where m.clinic_id = $1 and m.id = any ($2::uuid[])`;

interface ClientRow {
  id: string;
  status: ClientResource['status'];
  membership_id: string | null;
  created_by_membership_id: string | null;
  care_team_ids: string[];
  supervisor_ids: string[];
}

const CLIENT_SQL = `
  with staff as (
    select t.membership_id
      from case_participants p
      join case_care_team t on t.clinic_id = p.clinic_id and t.case_id = p.case_id
     where p.clinic_id = $1 and p.client_id = $2)
  select c.id, c.status, c.membership_id, c.created_by_membership_id,
         array(select distinct s.membership_id::text from staff s order by 1) as care_team_ids,
         array(select distinct l.supervisor_membership_id::text from supervision_links l
                where l.clinic_id = c.clinic_id
                  and (l.counselor_membership_id in (select s.membership_id from staff s)
                       or l.counselor_membership_id = c.created_by_membership_id)
                order by 1) as supervisor_ids
    from clients c
   where c.clinic_id = $1 and c.id = $2`;

interface CaseRow {
  id: string;
  status: CaseResource['status'];
  safety_status: CaseResource['safetyStatus'];
  care_team: { membershipId: string; isPrimary: boolean }[];
  supervisor_ids: string[];
  participants: { clientId: string; membershipId: string | null; role: CaseResource['participants'][number]['role'] }[];
}

const CASE_SQL = `
  select k.id, k.status, k.safety_status,
         coalesce((select jsonb_agg(jsonb_build_object('membershipId', t.membership_id, 'isPrimary', t.is_primary)
                                    order by t.membership_id)
                     from case_care_team t where t.clinic_id = k.clinic_id and t.case_id = k.id), '[]'::jsonb)
           as care_team,
         array(select distinct l.supervisor_membership_id::text
                 from case_care_team t
                 join supervision_links l on l.clinic_id = t.clinic_id and l.counselor_membership_id = t.membership_id
                where t.clinic_id = k.clinic_id and t.case_id = k.id order by 1) as supervisor_ids,
         coalesce((select jsonb_agg(jsonb_build_object('clientId', p.client_id, 'membershipId', c.membership_id,
                                                       'role', p.role)
                                    order by array_position(array['harmed', 'harming', 'mutual', 'individual'], p.role),
                                             p.added_at, p.client_id)
                     from case_participants p
                     join clients c on c.clinic_id = p.clinic_id and c.id = p.client_id
                    where p.clinic_id = k.clinic_id and p.case_id = k.id), '[]'::jsonb) as participants
    from cases k
   where k.clinic_id = $1 and k.id = $2`;

/**
 * Turns what a caller names (ids) into the resource the policy decides on, with
 * the facts its rules need, read in the caller's own transaction. Row-level
 * security confines every query to the transaction's clinic, and each query
 * names that clinic as well, so a record of another clinic is simply not found.
 * `null` means "no such record here": callers answer it exactly like a refusal.
 */
export class AccessResourceLoader {
  async load(tx: TenantTransaction, reference: ResourceReference): Promise<AccessResource | null> {
    switch (reference.kind) {
      case 'clinic':
        return { kind: 'clinic', clinicId: tx.clinicId };
      case 'user':
        // A person's account as seen from this clinic; the rules of this issue
        // grant it to its owner only, so no membership fact is needed yet.
        return isUuid(reference.userId) ? { kind: 'user', clinicId: tx.clinicId, userId: reference.userId } : null;
      case 'membership':
        return this.membership(tx, reference.membershipId);
      case 'supervision_link':
        return this.supervisionLink(tx, reference.supervisorMembershipId, reference.counselorMembershipId);
      case 'invitation':
        return this.invitation(tx, reference.invitationId);
      case 'login_session':
        return this.loginSession(tx, reference.loginSessionId);
      case 'client':
        return this.client(tx, reference.clientId);
      case 'case':
        return this.case(tx, reference.caseId);
    }
  }

  /** One query: the client, the care teams of their cases, and the supervisors of those staff. */
  async client(tx: TenantTransaction, clientId: string): Promise<ClientResource | null> {
    if (!isUuid(clientId)) return null;
    const [row] = await tx.query<ClientRow>(CLIENT_SQL, [tx.clinicId, clientId]);
    return row === undefined
      ? null
      : {
          kind: 'client',
          clinicId: tx.clinicId,
          clientId: row.id,
          status: row.status,
          membershipId: row.membership_id,
          createdByMembershipId: row.created_by_membership_id,
          careTeamMembershipIds: row.care_team_ids,
          supervisorMembershipIds: row.supervisor_ids,
        };
  }

  /** One query: the case, its care team, the supervisors of that team, and its participants. */
  async case(tx: TenantTransaction, caseId: string): Promise<CaseResource | null> {
    if (!isUuid(caseId)) return null;
    const [row] = await tx.query<CaseRow>(CASE_SQL, [tx.clinicId, caseId]);
    return row === undefined ? null : toCase(tx.clinicId, row);
  }

  async membership(tx: TenantTransaction, membershipId: string): Promise<MembershipResource | null> {
    if (!isUuid(membershipId)) return null;
    const [row] = await tx.query<MembershipRow>(MEMBERSHIP_SQL, [tx.clinicId, [membershipId]]);
    return row === undefined ? null : toMembership(tx.clinicId, row);
  }

  async supervisionLink(
    tx: TenantTransaction,
    supervisorMembershipId: string,
    counselorMembershipId: string,
  ): Promise<SupervisionLinkResource | null> {
    if (!isUuid(supervisorMembershipId) || !isUuid(counselorMembershipId)) return null;
    const rows = await tx.query<MembershipRow>(MEMBERSHIP_SQL, [
      tx.clinicId,
      [supervisorMembershipId, counselorMembershipId],
    ]);
    const find = (id: string) => rows.find((row) => row.id.toLowerCase() === id.toLowerCase());
    const supervisor = find(supervisorMembershipId);
    const counselor = find(counselorMembershipId);
    if (supervisor === undefined || counselor === undefined) return null;
    return {
      kind: 'supervision_link',
      clinicId: tx.clinicId,
      supervisor: { membershipId: supervisor.id, userId: supervisor.user_id },
      counselor: {
        membershipId: counselor.id,
        userId: counselor.user_id,
        supervisorMembershipIds: counselor.supervisor_ids,
      },
    };
  }

  async invitation(tx: TenantTransaction, invitationId: string): Promise<InvitationResource | null> {
    if (!isUuid(invitationId)) return null;
    const [row] = await tx.query<{ id: string; invited_by_membership_id: string | null }>(
      'select id, invited_by_membership_id from invitations where clinic_id = $1 and id = $2',
      [tx.clinicId, invitationId],
    );
    return row === undefined
      ? null
      : {
          kind: 'invitation',
          clinicId: tx.clinicId,
          invitationId: row.id,
          invitedByMembershipId: row.invited_by_membership_id,
        };
  }

  async loginSession(tx: TenantTransaction, loginSessionId: string): Promise<LoginSessionResource | null> {
    if (!isUuid(loginSessionId)) return null;
    const [row] = await tx.query<{ id: string; user_id: string; membership_id: string }>(
      'select id, user_id, membership_id from login_sessions where clinic_id = $1 and id = $2',
      [tx.clinicId, loginSessionId],
    );
    return row === undefined
      ? null
      : {
          kind: 'login_session',
          clinicId: tx.clinicId,
          loginSessionId: row.id,
          userId: row.user_id,
          membershipId: row.membership_id,
        };
  }

  /**
   * The principal of a job that acts for a member (the worker has no token):
   * the membership's current roles, or null when it is unknown or disabled, in
   * which case the job fails closed.
   */
  async memberPrincipal(tx: TenantTransaction, membershipId: string): Promise<AccessPrincipal | null> {
    if (!isUuid(membershipId)) return null;
    const [row] = await tx.query<MembershipRow>(MEMBERSHIP_SQL, [tx.clinicId, [membershipId]]);
    if (row === undefined || row.status !== 'active') return null;
    return { clinicId: tx.clinicId, userId: row.user_id, membershipId: row.id, roles: row.roles };
  }
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function toCase(clinicId: string, row: CaseRow): CaseResource {
  return {
    kind: 'case',
    clinicId,
    caseId: row.id,
    status: row.status,
    safetyStatus: row.safety_status,
    careTeam: row.care_team,
    supervisorMembershipIds: row.supervisor_ids,
    participants: row.participants,
  };
}

function toMembership(clinicId: string, row: MembershipRow): MembershipResource {
  return {
    kind: 'membership',
    clinicId,
    membershipId: row.id,
    userId: row.user_id,
    roles: row.roles,
    status: row.status,
    supervisorMembershipIds: row.supervisor_ids,
  };
}
