import { randomBytes, randomUUID } from 'node:crypto';

import {
  assertIndividualChannelsOpen,
  ClientsError,
  createClientsServices,
  type ClientsActor,
  type ClientsServices,
} from '@mend/clients';
import type { TenantTransaction } from '@mend/core';
import { createIdentityServices, type IdentityServices } from '@mend/identity';
import { openTestDatabase, testConfig, type TestDatabase } from '@mend/testing';

/**
 * The gate every individual channel (private assignments, individual sessions,
 * private messages) calls before it is created: closed until every participant
 * signed the current secrets policy version, and saying who is missing.
 */
describe('assertIndividualChannelsOpen (the secrets-policy gate)', () => {
  let database: TestDatabase;
  let identity: IdentityServices;
  let services: ClientsServices;
  let clinicId: string;
  let counselor: ClientsActor;
  let partnerUserIds: [string, string];

  const run = <T>(work: (tx: TenantTransaction) => Promise<T>) => database.unitOfWork.run(clinicId, work);

  /** What the gate says, as a value: 'open', or the code and the fields it names. */
  const gate = async (caseId: string) => {
    try {
      await run((tx) => assertIndividualChannelsOpen(tx, caseId));
      return 'open';
    } catch (error) {
      if (!(error instanceof ClientsError)) throw error;
      return {
        status: error.status,
        code: error.code,
        fields: (error.errors ?? []).map((e) => e.field),
        messages: (error.errors ?? []).map((e) => e.message),
      };
    }
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    identity = createIdentityServices({
      unitOfWork: database.unitOfWork,
      config: testConfig(),
      jwtSecret: randomBytes(32),
    });
    services = createClientsServices({ identity });
    const password = `gate-${randomUUID()}`;
    const clinic = await identity.provisioning.createClinic({
      name: 'Gate Clinic',
      admin: { email: `gate-admin-${randomUUID()}@test.mend.example`, password },
    });
    clinicId = clinic.clinicId;
    const member = await identity.provisioning.ensureMember(clinicId, {
      email: `gate-counselor-${randomUUID()}@test.mend.example`,
      password,
      roles: ['counselor'],
    });
    counselor = { userId: member.userId, membershipId: member.membershipId, roles: ['counselor'] };
    const users = [];
    for (const label of ['a', 'b']) {
      users.push(
        (
          await identity.provisioning.ensureMember(clinicId, {
            email: `gate-partner-${label}-${randomUUID()}@test.mend.example`,
            password,
            roles: ['client'],
          })
        ).userId,
      );
    }
    partnerUserIds = users as [string, string];
  });
  afterAll(() => database?.close());

  async function coupleCase(): Promise<{ caseId: string; a: string; b: string }> {
    return run(async (tx) => {
      const a = (await services.clients.create(tx, counselor, { displayName: 'Synthetic A', timezone: 'UTC' })).id;
      const b = (await services.clients.create(tx, counselor, { displayName: 'Synthetic B', timezone: 'UTC' })).id;
      const created = await services.cases.create(tx, counselor, {
        type: 'couple',
        title: 'Synthetic gate case',
        participants: [
          { clientId: a, role: 'harmed' },
          { clientId: b, role: 'harming' },
        ],
      });
      return { caseId: created.id, a, b };
    });
  }

  const sign = (caseId: string, clientId: string, version: number, userId: string) =>
    run((tx) =>
      services.secretsPolicies.sign(tx, counselor, caseId, clientId, {
        version,
        signedName: 'Synthetic Signer',
        signedByUserId: userId,
        ip: '203.0.113.7',
        userAgent: 'SyntheticBrowser/1.0',
      }),
    );

  it('stays closed without a policy, names each missing signature with its role, and opens when all signed', async () => {
    const { caseId, a, b } = await coupleCase();
    expect(await gate(caseId)).toEqual({
      status: 422,
      code: 'secrets_policy_unsigned',
      fields: ['secretsPolicy'],
      messages: ['the case has no secrets policy'],
    });

    await run((tx) => services.secretsPolicies.setPolicy(tx, counselor, caseId, { kind: 'limited_secrets' }));
    const none = await gate(caseId);
    expect(none).toMatchObject({ code: 'secrets_policy_unsigned' });
    expect(typeof none === 'object' && [...none.fields].sort()).toEqual(
      [`participants.${a}`, `participants.${b}`].sort(),
    );

    await sign(caseId, a, 1, partnerUserIds[0]);
    expect(await gate(caseId)).toEqual({
      status: 422,
      code: 'secrets_policy_unsigned',
      fields: [`participants.${b}`],
      messages: [`participant ${b} (harming) has not signed version 1`],
    });

    await sign(caseId, b, 1, partnerUserIds[1]);
    expect(await gate(caseId)).toBe('open');
  });

  it('closes again on a new version, and when a new participant joins', async () => {
    const { caseId, a, b } = await coupleCase();
    await run((tx) => services.secretsPolicies.setPolicy(tx, counselor, caseId, { kind: 'no_secrets' }));
    await sign(caseId, a, 1, partnerUserIds[0]);
    await sign(caseId, b, 1, partnerUserIds[1]);
    expect(await gate(caseId)).toBe('open');

    await run((tx) =>
      services.secretsPolicies.setPolicy(tx, counselor, caseId, { kind: 'custom', body: 'Synthetic custom wording.' }),
    );
    expect(await gate(caseId)).toMatchObject({
      fields: expect.arrayContaining([`participants.${a}`, `participants.${b}`]),
    });
    await sign(caseId, a, 2, partnerUserIds[0]);
    await sign(caseId, b, 2, partnerUserIds[1]);
    expect(await gate(caseId)).toBe('open');

    const c = await run(async (tx) => {
      const id = (await services.clients.create(tx, counselor, { displayName: 'Synthetic C', timezone: 'UTC' })).id;
      await services.cases.addParticipant(tx, counselor, caseId, { clientId: id, role: 'mutual' });
      return id;
    });
    expect(await gate(caseId)).toMatchObject({ fields: [`participants.${c}`] });
  });

  it('treats an unknown case as not found', async () => {
    expect(await gate(randomUUID())).toMatchObject({ status: 404, code: 'not_found' });
  });
});
