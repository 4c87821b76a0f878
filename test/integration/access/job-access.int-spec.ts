import { randomBytes, randomUUID } from 'node:crypto';

import type pg from 'pg';

import { Access, AccessAction, AccessDeniedError, JobAccess } from '@mend/access';
import { createIdentityServices, OPERATOR, type IdentityServices } from '@mend/identity';
import { connectAs, openTestDatabase, testConfig, type TestDatabase } from '@mend/testing';

/**
 * The access policy outside HTTP: the loader's SQL against real rows under RLS,
 * and a worker job acting for a member (JobAccess) — allowed, refused by role,
 * refused across clinics, refused once the member is disabled; every refusal
 * runs no work and is audited in the job's clinic.
 */
describe('access policy for jobs and against the database', () => {
  let database: TestDatabase;
  let identity: IdentityServices;
  let admin: pg.Client;
  let jobs: JobAccess;
  const clinic = { A: '', B: '' };
  const members: Record<string, { userId: string; membershipId: string }> = {};

  beforeAll(async () => {
    database = await openTestDatabase();
    identity = createIdentityServices({
      unitOfWork: database.unitOfWork,
      config: testConfig(),
      jwtSecret: randomBytes(32),
    });
    admin = await connectAs('admin');
    jobs = new JobAccess(database.unitOfWork);
    const password = `access-${randomUUID()}`;
    for (const label of ['A', 'B'] as const) {
      const created = await identity.provisioning.createClinic({
        name: `Access ${label}`,
        admin: { email: `access-${label}-admin-${randomUUID()}@test.mend.example`, password },
      });
      clinic[label] = created.clinicId;
      members[`${label}.admin`] = created;
      for (const role of ['supervisor', 'counselor', 'client'] as const) {
        members[`${label}.${role}`] = await identity.provisioning.ensureMember(created.clinicId, {
          email: `access-${label}-${role}-${randomUUID()}@test.mend.example`,
          password,
          roles: [role],
        });
      }
      await database.unitOfWork.run(created.clinicId, (tx) =>
        identity.memberships.linkSupervisor(
          tx,
          OPERATOR,
          members[`${label}.supervisor`].membershipId,
          members[`${label}.counselor`].membershipId,
        ),
      );
    }
  });

  afterAll(async () => {
    await admin.end();
    await database.close();
  });

  async function deniedRows(clinicId: string, job: string): Promise<Record<string, unknown>[]> {
    const { rows } = await admin.query<Record<string, unknown>>(
      `select actor_membership_id, target_type, target_id, outcome, metadata from audit_events
        where clinic_id = $1 and action = 'authz.denied' and metadata->>'job' = $2`,
      [clinicId, job],
    );
    return rows;
  }

  it('loads memberships with their supervisors, under RLS, and nothing of another clinic', async () => {
    const access = new Access();
    const counselor = members['A.counselor'];
    const loaded = await database.unitOfWork.run(clinic.A, (tx) =>
      access.loader.load(tx, { kind: 'membership', membershipId: counselor.membershipId }),
    );
    expect(loaded).toEqual({
      kind: 'membership',
      clinicId: clinic.A,
      membershipId: counselor.membershipId,
      userId: counselor.userId,
      roles: ['counselor'],
      status: 'active',
      supervisorMembershipIds: [members['A.supervisor'].membershipId],
    });
    const elsewhere = await database.unitOfWork.run(clinic.B, (tx) =>
      access.loader.load(tx, { kind: 'membership', membershipId: counselor.membershipId }),
    );
    expect(elsewhere).toBeNull();
    // The supervisor of that counselor may read the membership; the client may not see it.
    const supervisor = await database.unitOfWork.run(clinic.A, async (tx) =>
      access.loader.memberPrincipal(tx, members['A.supervisor'].membershipId),
    );
    expect(supervisor).not.toBeNull();
    expect(access.policy.can(supervisor!, AccessAction.MemberRead, loaded!)).toBe(true);
  });

  it('runs a job for a member whose roles allow the action', async () => {
    const name = `job-allowed-${randomUUID().slice(0, 8)}`;
    const result = await jobs.run(
      { clinicId: clinic.A, membershipId: members['A.admin'].membershipId, name },
      AccessAction.MemberUpdate,
      { kind: 'membership', membershipId: members['A.client'].membershipId },
      (_tx, resource, principal) => Promise.resolve({ target: resource.membershipId, as: principal.roles }),
    );
    expect(result).toEqual({ target: members['A.client'].membershipId, as: ['clinic_admin'] });
    expect(await deniedRows(clinic.A, name)).toEqual([]);
  });

  it.each([
    ['a role that does not allow it', 'A', 'A.counselor', 'A.client', 'hidden'],
    ['a record of another clinic', 'A', 'A.admin', 'B.client', 'not_found'],
    ['a membership of another clinic acting in this one', 'B', 'A.admin', 'B.client', 'no_principal'],
  ] as const)(
    'fails closed on %s, runs no work, and records it',
    async (_label, clinicLabel, actor, target, reason) => {
      const name = `job-${reason.replace('_', '-')}-${randomUUID().slice(0, 8)}`;
      const work = jest.fn(() => Promise.resolve('done'));
      const run = jobs.run(
        { clinicId: clinic[clinicLabel], membershipId: members[actor].membershipId, name },
        AccessAction.MemberUpdate,
        { kind: 'membership', membershipId: members[target].membershipId },
        work,
      );
      await expect(run).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(run).rejects.toMatchObject({ status: 404, reason });
      expect(work).not.toHaveBeenCalled();
      expect(await deniedRows(clinic[clinicLabel], name)).toEqual([
        {
          actor_membership_id: reason === 'no_principal' ? null : members[actor].membershipId,
          target_type: 'membership',
          target_id: members[target].membershipId,
          outcome: 'denied',
          metadata: expect.objectContaining({ action: 'membership.update', reason, job: name }),
        },
      ]);
    },
  );

  it('refuses a job for a member disabled since it was queued', async () => {
    const member = await identity.provisioning.ensureMember(clinic.A, {
      email: `access-disabled-${randomUUID()}@test.mend.example`,
      password: `access-${randomUUID()}`,
      roles: ['clinic_admin'],
    });
    await database.unitOfWork.run(clinic.A, (tx) =>
      identity.memberships.update(tx, OPERATOR, member.membershipId, { status: 'disabled' }),
    );
    const name = `job-disabled-${randomUUID().slice(0, 8)}`;
    await expect(
      jobs.run(
        { clinicId: clinic.A, membershipId: member.membershipId, name },
        AccessAction.ClinicRead,
        { kind: 'clinic' },
        () => Promise.resolve('done'),
      ),
    ).rejects.toMatchObject({ reason: 'no_principal' });
    expect(await deniedRows(clinic.A, name)).toHaveLength(1);
  });
});
