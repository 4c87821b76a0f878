import { assertIndividualChannelsOpen, DEFAULT_SECRETS_POLICY_TEXTS } from '@mend/clients';
import { UnitOfWork } from '@mend/core';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from './support/case-world.js';
import { call, type Problem } from './support/http.js';

interface PolicyStatus {
  current: { version: number; kind: string; body: string } | null;
  participants: { clientId: string; role: string; signed: boolean; signedName?: string | null; ip?: string | null }[];
  complete: boolean;
}

describe('safety hold and secrets policy', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  describe('safety status', () => {
    const REASON_ONE = 'Synthetic reason one: escalating arguments reported';
    const REASON_TWO = 'Synthetic reason two: a different private concern';

    it('requires a reason for a hold and refuses one to lift it, and only the care team may set it', async () => {
      const url = `/cases/${world.caseId}/safety`;
      const noReason = await call(api, 'PUT', url, world.counselor.headers, { status: 'safety_hold' });
      expect(noReason.json<Problem>().errors).toEqual([
        expect.objectContaining({ field: 'reason', rule: 'requiredForHold' }),
      ]);
      const unknown = await call(api, 'PUT', url, world.counselor.headers, { status: 'red_alert', reason: 'x' });
      expect(unknown.json<Problem>().errors).toEqual([expect.objectContaining({ field: 'status', rule: 'isIn' })]);
      const liftWithReason = await call(api, 'PUT', url, world.counselor.headers, { status: 'normal', reason: 'x' });
      expect(liftWithReason.json<Problem>().errors).toEqual([
        expect.objectContaining({ field: 'reason', rule: 'onlyForHold' }),
      ]);
      expect(
        (await call(api, 'PUT', url, world.supervisor.headers, { status: 'safety_hold', reason: 'x' })).statusCode,
      ).toBe(403);
      expect(
        (await call(api, 'PUT', url, world.admin.headers, { status: 'safety_hold', reason: 'x' })).statusCode,
      ).toBe(403);
      expect(
        (await call(api, 'PUT', url, world.partnerA.headers, { status: 'safety_hold', reason: 'x' })).statusCode,
      ).toBe(403);
      expect(
        (await call(api, 'PUT', url, world.otherCounselor.headers, { status: 'safety_hold', reason: 'x' })).statusCode,
      ).toBe(404);
    });

    it('shows participants the same neutral answer whatever the reason, and the reason to the care team only', async () => {
      const url = `/cases/${world.caseId}`;
      const before = (await call(api, 'GET', url, world.partnerA.headers)).body;

      const hold = async (reason: string) => {
        const set = await call(api, 'PUT', `${url}/safety`, world.counselor.headers, { status: 'safety_hold', reason });
        expect(set.statusCode).toBe(200);
        expect(set.json()).toMatchObject({ status: 'safety_hold', reason });
        return {
          partnerA: (await call(api, 'GET', url, world.partnerA.headers)).body,
          partnerB: (await call(api, 'GET', url, world.partnerB.headers)).body,
          listA: (await call(api, 'GET', '/cases', world.partnerA.headers)).body,
          admin: (await call(api, 'GET', url, world.admin.headers)).body,
          adminList: (await call(api, 'GET', '/cases?limit=100', world.admin.headers)).body,
          team: (await call(api, 'GET', url, world.counselor.headers)).json<{ safety: { reason: string } }>(),
        };
      };
      const first = await hold(REASON_ONE);
      await call(api, 'PUT', `${url}/safety`, world.counselor.headers, { status: 'normal' });
      const second = await hold(REASON_TWO);

      // Byte for byte the same for both reasons: nothing varies with the reason (or its time).
      expect(second.partnerA).toBe(first.partnerA);
      expect(second.partnerB).toBe(first.partnerB);
      expect(second.listA).toBe(first.listA);
      expect(second.admin).toBe(first.admin);
      expect(JSON.parse(first.partnerA)).toMatchObject({ view: 'participant', sharedSpacePaused: true });
      // The only difference from before the hold is the neutral flag.
      expect(first.partnerA).toBe(before.replace('"sharedSpacePaused":false', '"sharedSpacePaused":true'));
      for (const body of [first.partnerA, first.partnerB, first.listA, first.admin, first.adminList]) {
        expect(body).not.toContain('Synthetic reason');
        expect(body).not.toContain('safety');
      }
      expect(second.team.safety.reason).toBe(REASON_TWO);

      // The shared-space refusal other features use is the neutral one.
      const { assertSharedSpaceOpen, caseViewerOf, AccessResourceLoader } = await import('@mend/access');
      const resource = await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) => new AccessResourceLoader().case(tx, world.caseId));
      if (resource === null) throw new Error('no case');
      const principal = {
        clinicId: world.clinicId,
        userId: world.partnerA.member.userId,
        membershipId: world.partnerA.member.membershipId,
        roles: ['client' as const],
      };
      expect(() => assertSharedSpaceOpen(caseViewerOf(principal, resource))).toThrow(/paused/);

      // Never in the audit trail.
      const audit = await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query<{ action: string; metadata: unknown }>(
            'select action, metadata from audit_events where clinic_id = $1 and target_id = $2',
            [world.clinicId, world.caseId],
          ),
        );
      expect(audit.filter((row) => row.action === 'case.safety_status.set').map((row) => row.metadata)).toEqual([
        { status: 'safety_hold' },
        { status: 'normal' },
        { status: 'safety_hold' },
      ]);
      expect(JSON.stringify(audit)).not.toContain('Synthetic reason');

      await call(api, 'PUT', `${url}/safety`, world.counselor.headers, { status: 'normal' });
      expect((await call(api, 'GET', url, world.partnerA.headers)).body).toBe(before);
    });

    it('lets the care team filter its caseload by safety status, but never reveals a hold to others through the filter', async () => {
      await call(api, 'PUT', `/cases/${world.caseId}/safety`, world.counselor.headers, {
        status: 'safety_hold',
        reason: 'Synthetic',
      });
      const ids = async (headers: Record<string, string>) =>
        (await call(api, 'GET', '/cases?safetyStatus=safety_hold&limit=100', headers))
          .json<{ items: { id: string }[] }>()
          .items.map((item) => item.id);
      expect(await ids(world.counselor.headers)).toContain(world.caseId);
      expect(await ids(world.admin.headers)).not.toContain(world.caseId);
      expect(await ids(world.partnerA.headers)).toEqual([]);
      await call(api, 'PUT', `/cases/${world.caseId}/safety`, world.counselor.headers, { status: 'normal' });
    });
  });

  describe('secrets policy', () => {
    const policyUrl = () => `/cases/${world.caseId}/secrets-policy`;
    const gate = () =>
      api.app.get(UnitOfWork).run(world.clinicId, (tx) => assertIndividualChannelsOpen(tx, world.caseId));

    it('starts with no policy: the gate names that', async () => {
      const status = (await call(api, 'GET', policyUrl(), world.counselor.headers)).json<PolicyStatus>();
      expect(status).toMatchObject({ current: null, complete: false });
      await expect(gate()).rejects.toMatchObject({
        code: 'secrets_policy_unsigned',
        errors: [expect.objectContaining({ field: 'secretsPolicy' })],
      });
    });

    it('validates a policy: custom needs its text, unknown kinds are refused, only the care team sets it', async () => {
      const custom = await call(api, 'PUT', policyUrl(), world.counselor.headers, { kind: 'custom' });
      expect(custom.json<Problem>().errors).toEqual([
        expect.objectContaining({ field: 'body', rule: 'requiredForCustom' }),
      ]);
      const unknown = await call(api, 'PUT', policyUrl(), world.counselor.headers, { kind: 'all_secrets' });
      expect(unknown.json<Problem>().errors).toEqual([expect.objectContaining({ field: 'kind', rule: 'isIn' })]);
      expect((await call(api, 'PUT', policyUrl(), world.partnerA.headers, { kind: 'no_secrets' })).statusCode).toBe(
        403,
      );
      expect((await call(api, 'PUT', policyUrl(), world.supervisor.headers, { kind: 'no_secrets' })).statusCode).toBe(
        403,
      );
      // The secrets policy is case content: the directory view does not include it (404, like a missing record).
      expect((await call(api, 'GET', policyUrl(), world.admin.headers)).statusCode).toBe(404);
      expect((await call(api, 'GET', policyUrl(), world.otherCounselor.headers)).statusCode).toBe(404);
    });

    it('has each participant sign the current version themselves; a new version needs new signatures', async () => {
      const set = await call(api, 'PUT', policyUrl(), world.counselor.headers, { kind: 'no_secrets' });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({
        version: 1,
        kind: 'no_secrets',
        body: DEFAULT_SECRETS_POLICY_TEXTS.no_secrets,
      });

      const sign = (headers: Record<string, string>, body: unknown) =>
        call(api, 'POST', `${policyUrl()}/signatures`, { ...headers, 'user-agent': 'SyntheticBrowser/1.0' }, body);
      expect((await sign(world.partnerA.headers, { version: 1, signedName: '' })).statusCode).toBe(400);
      expect((await sign(world.counselor.headers, { version: 1, signedName: 'Sam' })).statusCode).toBe(403);
      const stale = await sign(world.partnerA.headers, { version: 2, signedName: 'Synthetic Partner A' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json<Problem>().code).toBe('secrets_policy_version_stale');
      const signed = await sign(world.partnerA.headers, { version: 1, signedName: 'Synthetic Partner A' });
      expect(signed.statusCode).toBe(201);
      expect(signed.json()).toMatchObject({
        clientId: world.partnerA.clientId,
        signed: true,
        signedName: 'Synthetic Partner A',
        signedByUserId: world.partnerA.member.userId,
        userAgent: 'SyntheticBrowser/1.0',
      });
      expect((await sign(world.partnerA.headers, { version: 1, signedName: 'Again' })).json<Problem>().code).toBe(
        'already_signed',
      );

      // The caseload (JSON written by PostgreSQL) says who signed exactly as the case itself does.
      const listedAsCase = async (headers: Record<string, string>) => {
        const page = (await call(api, 'GET', '/cases?limit=100', headers)).json<{ items: { id: string }[] }>();
        const listed = page.items.find((item) => item.id === world.caseId);
        const one = (await call(api, 'GET', `/cases/${world.caseId}`, headers)).json();
        expect(JSON.stringify(listed)).toBe(JSON.stringify(one));
        return one as { participants: { clientId: string; signedCurrentPolicy?: boolean }[] };
      };
      const halfSigned = await listedAsCase(world.counselor.headers);
      expect(halfSigned).toMatchObject({ secretsPolicy: { version: 1, allSigned: false } });
      expect(Object.fromEntries(halfSigned.participants.map((p) => [p.clientId, p.signedCurrentPolicy]))).toEqual({
        [world.partnerA.clientId]: true,
        [world.partnerB.clientId]: false,
      });
      await listedAsCase(world.partnerA.headers);

      // The gate names partner B (harming), who has not signed.
      await expect(gate()).rejects.toMatchObject({
        status: 422,
        code: 'secrets_policy_unsigned',
        errors: [
          expect.objectContaining({
            field: `participants.${world.partnerB.clientId}`,
            message: expect.stringContaining('harming'),
          }),
        ],
      });
      const forB = (await call(api, 'GET', policyUrl(), world.partnerB.headers)).json<PolicyStatus>();
      const aSeenByB = forB.participants.find((p) => p.clientId === world.partnerA.clientId);
      expect(aSeenByB).toMatchObject({ signed: true });
      expect(aSeenByB).not.toHaveProperty('signedName');
      expect(aSeenByB).not.toHaveProperty('ip');

      expect((await sign(world.partnerB.headers, { version: 1, signedName: 'Synthetic Partner B' })).statusCode).toBe(
        201,
      );
      await expect(gate()).resolves.toBeUndefined();
      const team = (await call(api, 'GET', policyUrl(), world.counselor.headers)).json<PolicyStatus>();
      expect(team.complete).toBe(true);
      expect(team.participants.every((p) => p.signedName !== undefined)).toBe(true);
      expect((await call(api, 'GET', `/cases/${world.caseId}`, world.counselor.headers)).json()).toMatchObject({
        secretsPolicy: { version: 1, allSigned: true },
      });
      expect(await listedAsCase(world.counselor.headers)).toMatchObject({ secretsPolicy: { allSigned: true } });

      // A signed participant stays on record.
      const remove = await call(
        api,
        'DELETE',
        `/cases/${world.caseId}/participants/${world.partnerB.clientId}`,
        world.counselor.headers,
      );
      expect(remove.json<Problem>().code).toBe('participant_signed_policy');

      // Version 2: everyone signs again.
      const custom = await call(api, 'PUT', policyUrl(), world.counselor.headers, {
        kind: 'custom',
        body: 'Synthetic custom policy text agreed in session.',
      });
      expect(custom.json()).toMatchObject({ version: 2, kind: 'custom' });
      await expect(gate()).rejects.toMatchObject({
        errors: expect.arrayContaining([expect.objectContaining({ field: `participants.${world.partnerA.clientId}` })]),
      });
      expect((await sign(world.partnerA.headers, { version: 1, signedName: 'Synthetic Partner A' })).statusCode).toBe(
        409,
      );
    });
  });
});
