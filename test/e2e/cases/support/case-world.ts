import { randomUUID } from 'node:crypto';

import type { ParticipantRole } from '@mend/contracts';
import { UnitOfWork } from '@mend/core';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  signIn,
  type IdentityApp,
  type Member,
} from '../../auth/support/identity-app.js';

/** A participant: the client record and their portal member. */
export interface Partner {
  readonly member: Member;
  readonly clientId: string;
  readonly headers: Record<string, string>;
}

export interface Staff {
  readonly member: Member;
  readonly headers: Record<string, string>;
}

/**
 * One clinic with a couple case, and everyone the privacy rules talk about:
 * the clinic admin, the primary counselor (on the care team), another counselor
 * (not on it), a supervisor of the primary counselor, and the two partners
 * (`harmed` and `harming`) with portal memberships. Headers carry a bearer
 * token signed in as each.
 */
export interface CaseWorld {
  readonly clinicId: string;
  readonly caseId: string;
  readonly admin: Staff;
  readonly counselor: Staff;
  readonly otherCounselor: Staff;
  readonly supervisor: Staff;
  readonly partnerA: Partner;
  readonly partnerB: Partner;
}

async function staff(api: IdentityApp, member: Member): Promise<Staff> {
  return { member, headers: bearer((await signIn(api, member)).accessToken) };
}

/** Inserts a client (and links a portal membership) straight into the tables: a fixture, not the API under test. */
export async function insertClient(
  api: IdentityApp,
  clinicId: string,
  options: { displayName?: string; membershipId?: string | null; createdByMembershipId?: string | null } = {},
): Promise<string> {
  const clientId = randomUUID();
  await api.app.get(UnitOfWork).run(clinicId, (tx) =>
    tx.query(
      `insert into clients (clinic_id, id, display_name, timezone, membership_id, created_by_membership_id)
       values ($1, $2, $3, 'Europe/London', $4, $5)`,
      [
        clinicId,
        clientId,
        options.displayName ?? `Synthetic Client ${clientId.slice(0, 6)}`,
        options.membershipId ?? null,
        options.createdByMembershipId ?? null,
      ],
    ),
  );
  return clientId;
}

/** Inserts a case with its care team and participants straight into the tables. */
export async function insertCase(
  api: IdentityApp,
  clinicId: string,
  input: {
    readonly primaryMembershipId: string;
    readonly participants: readonly { clientId: string; role: ParticipantRole }[];
    readonly type?: string;
    readonly status?: string;
  },
): Promise<string> {
  const caseId = randomUUID();
  await api.app.get(UnitOfWork).run(clinicId, async (tx) => {
    await tx.query(
      `insert into cases (clinic_id, id, title, type, status, created_by_membership_id)
       values ($1, $2, $3, $4, $5, $6)`,
      [clinicId, caseId, 'Synthetic case', input.type ?? 'couple', input.status ?? 'active', input.primaryMembershipId],
    );
    await tx.query(
      'insert into case_care_team (clinic_id, case_id, membership_id, is_primary) values ($1, $2, $3, true)',
      [clinicId, caseId, input.primaryMembershipId],
    );
    for (const participant of input.participants) {
      await tx.query('insert into case_participants (clinic_id, case_id, client_id, role) values ($1, $2, $3, $4)', [
        clinicId,
        caseId,
        participant.clientId,
        participant.role,
      ]);
    }
  });
  return caseId;
}

export async function createCaseWorld(api: IdentityApp): Promise<CaseWorld> {
  const adminMember = await createClinicWithAdmin(api.identity, 'Synthetic Case Clinic');
  const clinicId = adminMember.clinicId;
  const counselorMember = await addMember(api.identity, clinicId, ['counselor']);
  const otherCounselorMember = await addMember(api.identity, clinicId, ['counselor']);
  const supervisorMember = await addMember(api.identity, clinicId, ['supervisor']);
  const partnerAMember = await addMember(api.identity, clinicId, ['client']);
  const partnerBMember = await addMember(api.identity, clinicId, ['client']);
  const clientA = await insertClient(api, clinicId, {
    displayName: 'Synthetic Partner A',
    membershipId: partnerAMember.membershipId,
    createdByMembershipId: counselorMember.membershipId,
  });
  const clientB = await insertClient(api, clinicId, {
    displayName: 'Synthetic Partner B',
    membershipId: partnerBMember.membershipId,
    createdByMembershipId: counselorMember.membershipId,
  });
  const caseId = await insertCase(api, clinicId, {
    primaryMembershipId: counselorMember.membershipId,
    participants: [
      { clientId: clientA, role: 'harmed' },
      { clientId: clientB, role: 'harming' },
    ],
  });
  const partner = async (member: Member, clientId: string): Promise<Partner> => ({
    member,
    clientId,
    headers: bearer((await signIn(api, member)).accessToken),
  });
  const admin = await staff(api, adminMember);
  const linked = await api.inject({
    method: 'PUT',
    url: `/api/v1/users/${counselorMember.membershipId}/supervisors/${supervisorMember.membershipId}`,
    headers: admin.headers,
  });
  if (linked.statusCode !== 204) throw new Error(`linking the supervisor answered ${linked.statusCode}`);
  return {
    clinicId,
    caseId,
    admin,
    counselor: await staff(api, counselorMember),
    otherCounselor: await staff(api, otherCounselorMember),
    supervisor: await staff(api, supervisorMember),
    partnerA: await partner(partnerAMember, clientA),
    partnerB: await partner(partnerBMember, clientB),
  };
}
