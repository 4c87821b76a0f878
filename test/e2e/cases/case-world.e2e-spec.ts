import { AccessAction, AccessPolicy, AccessResourceLoader } from '@mend/access';
import { UnitOfWork } from '@mend/core';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from './support/case-world.js';

/** The fixture the case tests share, and the facts the access loader reads from it. */
describe('case world fixture and the case resource', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  it('loads a case with its care team, the supervisor of that team and its participants', async () => {
    const loaded = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) => new AccessResourceLoader().load(tx, { kind: 'case', caseId: world.caseId }));
    expect(loaded).toEqual({
      kind: 'case',
      clinicId: world.clinicId,
      caseId: world.caseId,
      status: 'active',
      safetyStatus: 'normal',
      careTeam: [{ membershipId: world.counselor.member.membershipId, isPrimary: true }],
      supervisorMembershipIds: [world.supervisor.member.membershipId],
      participants: expect.arrayContaining([
        { clientId: world.partnerA.clientId, membershipId: world.partnerA.member.membershipId, role: 'harmed' },
        { clientId: world.partnerB.clientId, membershipId: world.partnerB.member.membershipId, role: 'harming' },
      ]),
    });
    const policy = new AccessPolicy();
    const principal = (member: CaseWorld['counselor']['member'], roles: ('counselor' | 'client')[]) => ({
      clinicId: world.clinicId,
      userId: member.userId,
      membershipId: member.membershipId,
      roles,
    });
    if (loaded === null || loaded.kind !== 'case') throw new Error('no case');
    expect(policy.can(principal(world.counselor.member, ['counselor']), AccessAction.CaseUpdate, loaded)).toBe(true);
    expect(policy.can(principal(world.otherCounselor.member, ['counselor']), AccessAction.CaseRead, loaded)).toBe(
      false,
    );
    expect(policy.can(principal(world.partnerB.member, ['client']), AccessAction.CaseRead, loaded)).toBe(true);
  });

  it('loads a client with the care teams of their cases', async () => {
    const loaded = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        new AccessResourceLoader().load(tx, { kind: 'client', clientId: world.partnerA.clientId }),
      );
    expect(loaded).toMatchObject({
      kind: 'client',
      clientId: world.partnerA.clientId,
      membershipId: world.partnerA.member.membershipId,
      careTeamMembershipIds: [world.counselor.member.membershipId],
      supervisorMembershipIds: [world.supervisor.member.membershipId],
    });
  });
});
