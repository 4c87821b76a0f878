import { randomUUID } from 'node:crypto';

import type { TenantTransaction } from '@mend/core';

import { AccessAction } from './access-action.js';
import { AUTHZ_DENIED, recordAccessDenial } from './access-audit.js';
import type { AccessPrincipal } from './access-principal.js';
import { AccessDeniedError } from './access.errors.js';
import { Access } from './access.service.js';

/** A stand-in transaction: answers each query from `answer` and records what was asked. */
function fakeTx(clinicId: string, answer: (sql: string, parameters: readonly unknown[]) => unknown[] = () => []) {
  const calls: { sql: string; parameters: readonly unknown[] }[] = [];
  const tx = {
    clinicId,
    query: (sql: string, parameters: readonly unknown[] = []) => {
      calls.push({ sql, parameters });
      return Promise.resolve(answer(sql, parameters));
    },
  } as unknown as TenantTransaction;
  return { tx, calls };
}

describe('Access.authorize', () => {
  const access = new Access();
  const clinicId = randomUUID();
  const counselor: AccessPrincipal = {
    clinicId,
    userId: randomUUID(),
    membershipId: randomUUID(),
    roles: ['counselor'],
  };
  const admin: AccessPrincipal = {
    ...counselor,
    userId: randomUUID(),
    membershipId: randomUUID(),
    roles: ['clinic_admin'],
  };

  it('loads the record in the caller’s clinic and returns it when allowed', async () => {
    const membershipId = randomUUID();
    const userId = randomUUID();
    const { tx, calls } = fakeTx(clinicId, () => [
      { id: membershipId, user_id: userId, roles: ['counselor'], status: 'active', supervisor_ids: [] },
    ]);
    const resource = await access.authorize(tx, admin, AccessAction.MemberUpdate, { kind: 'membership', membershipId });
    expect(resource).toEqual({
      kind: 'membership',
      clinicId,
      membershipId,
      userId,
      roles: ['counselor'],
      status: 'active',
      supervisorMembershipIds: [],
    });
    expect(calls).toHaveLength(1);
    expect(calls[0].parameters).toEqual([clinicId, [membershipId]]);
  });

  it('answers a record that is not found (unknown, or hidden by row-level security) with the 404 of a hidden one', async () => {
    const membershipId = randomUUID();
    const { tx } = fakeTx(clinicId);
    const missing = access.authorize(tx, admin, AccessAction.MemberUpdate, { kind: 'membership', membershipId });
    await expect(missing).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(missing).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'No such member',
      reason: 'not_found',
      resourceId: membershipId,
    });
    const { tx: tx2 } = fakeTx(clinicId, () => [
      { id: membershipId, user_id: randomUUID(), roles: ['counselor'], status: 'active', supervisor_ids: [] },
    ]);
    const hidden = access.authorize(tx2, counselor, AccessAction.MemberUpdate, { kind: 'membership', membershipId });
    await expect(hidden).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'No such member',
      reason: 'hidden',
    });
  });

  it('never queries for an id that is not a uuid (a job payload, a bug): not found', async () => {
    const { tx, calls } = fakeTx(clinicId);
    await expect(
      access.authorize(tx, counselor, AccessAction.LoginSessionRevoke, {
        kind: 'login_session',
        loginSessionId: "1' or '1'='1",
      }),
    ).rejects.toMatchObject({ status: 404, reason: 'not_found' });
    expect(calls).toEqual([]);
  });

  it('refuses a principal of another clinic than the transaction’s before reading anything', async () => {
    const { tx, calls } = fakeTx(randomUUID());
    await expect(access.authorize(tx, admin, AccessAction.ClinicRead, { kind: 'clinic' })).rejects.toMatchObject({
      status: 404,
      reason: 'other_clinic',
    });
    expect(calls).toEqual([]);
  });

  it('needs both ends of a supervision link in the clinic', async () => {
    const supervisorId = randomUUID();
    const counselorId = randomUUID();
    const onlySupervisor = fakeTx(clinicId, () => [
      { id: supervisorId, user_id: randomUUID(), roles: ['supervisor'], status: 'active', supervisor_ids: [] },
    ]);
    await expect(
      access.authorize(onlySupervisor.tx, admin, AccessAction.SupervisionLinkCreate, {
        kind: 'supervision_link',
        supervisorMembershipId: supervisorId,
        counselorMembershipId: counselorId,
      }),
    ).rejects.toMatchObject({ status: 404, resourceId: counselorId });
  });

  it('builds the clinic and the caller’s own account without a query', async () => {
    const { tx, calls } = fakeTx(clinicId);
    await expect(access.authorize(tx, counselor, AccessAction.ClinicRead, { kind: 'clinic' })).resolves.toEqual({
      kind: 'clinic',
      clinicId,
    });
    await expect(
      access.authorize(tx, counselor, AccessAction.UserChangePassword, { kind: 'user', userId: counselor.userId }),
    ).resolves.toMatchObject({ kind: 'user', userId: counselor.userId });
    await expect(
      access.authorize(tx, counselor, AccessAction.UserChangePassword, { kind: 'user', userId: admin.userId }),
    ).rejects.toMatchObject({ status: 404, reason: 'hidden' });
    expect(calls).toEqual([]);
  });

  it('refuses a reference of the wrong kind for the action (a programming error)', async () => {
    const { tx } = fakeTx(clinicId);
    await expect(access.authorize(tx, admin, AccessAction.MemberUpdate, { kind: 'clinic' } as never)).rejects.toThrow(
      /applies to a membership, not a clinic/,
    );
  });

  it('loads a job’s principal from an active membership only', async () => {
    const membershipId = randomUUID();
    const userId = randomUUID();
    const row = { id: membershipId, user_id: userId, roles: ['supervisor'], status: 'active', supervisor_ids: [] };
    await expect(access.loader.memberPrincipal(fakeTx(clinicId, () => [row]).tx, membershipId)).resolves.toEqual({
      clinicId,
      userId,
      membershipId,
      roles: ['supervisor'],
    });
    await expect(
      access.loader.memberPrincipal(fakeTx(clinicId, () => [{ ...row, status: 'disabled' }]).tx, membershipId),
    ).resolves.toBeNull();
  });
});

describe('recordAccessDenial', () => {
  it('appends authz.denied with ids and codes only', async () => {
    const clinicId = randomUUID();
    const userId = randomUUID();
    const membershipId = randomUUID();
    const targetId = randomUUID();
    const { tx, calls } = fakeTx(clinicId);
    await recordAccessDenial(
      tx,
      { userId, membershipId, ip: '192.0.2.7' },
      new AccessDeniedError(AccessAction.MemberUpdate, 'membership', targetId, 'hidden'),
      { method: 'PATCH' },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0].sql).toMatch(/insert into audit_events/);
    const [rowClinic, , , actorUser, actorMembership, action, targetType, target, outcome, ip, , metadata] =
      calls[0].parameters;
    expect({ rowClinic, actorUser, actorMembership, action, targetType, target, outcome, ip }).toEqual({
      rowClinic: clinicId,
      actorUser: userId,
      actorMembership: membershipId,
      action: AUTHZ_DENIED,
      targetType: 'membership',
      target: targetId,
      outcome: 'denied',
      ip: '192.0.2.7',
    });
    expect(JSON.parse(metadata as string)).toEqual({
      method: 'PATCH',
      action: 'membership.update',
      status: 404,
      reason: 'hidden',
    });
  });

  it('drops a target id that is not an id (it came from a caller) rather than failing', async () => {
    const { tx, calls } = fakeTx(randomUUID());
    await recordAccessDenial(
      tx,
      { userId: null, membershipId: null },
      new AccessDeniedError(AccessAction.LoginSessionRevoke, 'login_session', 'not an id at all', 'not_found'),
    );
    expect(calls[0].parameters[7]).toBeNull();
  });
});
