import { connectAs } from '@mend/testing';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Member,
  type Tokens,
} from './support/identity-app.js';

describe('members, me and clinic settings', () => {
  let api: IdentityApp;
  let admin: Member;
  let adminTokens: Tokens;
  let counselor: Member;
  let counselorTokens: Tokens;
  let elsewhere: Member;

  beforeAll(async () => {
    api = await startIdentityApp();
    admin = await createClinicWithAdmin(api.identity, 'Members Clinic');
    adminTokens = await signIn(api, admin);
    counselor = await addMember(api.identity, admin.clinicId, ['counselor']);
    counselorTokens = await signIn(api, counselor);
    const other = await createClinicWithAdmin(api.identity, 'Elsewhere Clinic');
    elsewhere = await addMember(api.identity, other.clinicId, ['counselor']);
  });
  afterAll(() => api.close());

  const call = (method: 'GET' | 'PATCH' | 'PUT' | 'DELETE', url: string, tokens: Tokens, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...bearer(tokens.accessToken), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });

  it('GET /me describes the caller, membership and clinic', async () => {
    const response = await call('GET', '/api/v1/me', counselorTokens);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      userId: counselor.userId,
      email: counselor.email,
      membershipId: counselor.membershipId,
      roles: ['counselor'],
      clinicId: admin.clinicId,
      clinicName: 'Members Clinic',
      amr: ['pwd', 'otp'],
      loginSessionId: counselorTokens.loginSessionId,
    });
  });

  it('lists members for clinic admins only (403 otherwise), never members of another clinic', async () => {
    const list = await call('GET', '/api/v1/users', adminTokens);
    expect(list.statusCode).toBe(200);
    const ids = list.json<{ membershipId: string }[]>().map((member) => member.membershipId);
    expect(ids).toEqual(expect.arrayContaining([admin.membershipId, counselor.membershipId]));
    expect(ids).not.toContain(elsewhere.membershipId);
    expect((await call('GET', '/api/v1/users', counselorTokens)).statusCode).toBe(403);
  });

  it('answers 404 for a membership of another clinic and changes nothing there', async () => {
    const response = await call('PATCH', `/api/v1/users/${elsewhere.membershipId}`, adminTokens, {
      status: 'disabled',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found' });
    const db = await connectAs('admin');
    try {
      const { rows } = await db.query('select status from memberships where id = $1', [elsewhere.membershipId]);
      expect(rows).toEqual([{ status: 'active' }]);
      // The refusal is in the caller's audit trail (the request itself rolled back).
      const audit = await db.query(
        `select outcome, metadata from audit_events where clinic_id = $1 and action = 'authz.denied' and actor_membership_id = $2`,
        [admin.clinicId, admin.membershipId],
      );
      expect(audit.rows).toEqual(
        expect.arrayContaining([
          {
            outcome: 'denied',
            metadata: expect.objectContaining({ route: '/api/v1/users/:membershipId', status: 404 }),
          },
        ]),
      );
    } finally {
      await db.end();
    }
  });

  it('changes roles (ending the member’s login sessions) and keeps the last clinic admin', async () => {
    const member = await addMember(api.identity, admin.clinicId, ['counselor']);
    const memberTokens = await signIn(api, member);
    const changed = await call('PATCH', `/api/v1/users/${member.membershipId}`, adminTokens, {
      roles: ['counselor', 'supervisor'],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ roles: ['supervisor', 'counselor'], status: 'active' });
    expect((await call('GET', '/api/v1/me', memberTokens)).statusCode).toBe(401);

    const lastAdmin = await call('PATCH', `/api/v1/users/${admin.membershipId}`, adminTokens, { roles: ['counselor'] });
    expect(lastAdmin.statusCode).toBe(422);
    expect(lastAdmin.json()).toMatchObject({ code: 'last_clinic_admin' });
    const disableSelf = await call('PATCH', `/api/v1/users/${admin.membershipId}`, adminTokens, { status: 'disabled' });
    expect(disableSelf.statusCode).toBe(422);
    expect((await call('GET', '/api/v1/me', adminTokens)).statusCode).toBe(200);
  });

  it('links and unlinks a supervisor and a counselor', async () => {
    const supervisor = await addMember(api.identity, admin.clinicId, ['supervisor']);
    const link = await call(
      'PUT',
      `/api/v1/users/${counselor.membershipId}/supervisors/${supervisor.membershipId}`,
      adminTokens,
    );
    expect(link.statusCode).toBe(204);
    const list = (await call('GET', '/api/v1/users', adminTokens)).json<
      { membershipId: string; supervisorMembershipIds: string[] }[]
    >();
    expect(list.find((member) => member.membershipId === counselor.membershipId)?.supervisorMembershipIds).toEqual([
      supervisor.membershipId,
    ]);
    // A counselor cannot be linked as a supervisor; another clinic's member is 404.
    expect(
      (await call('PUT', `/api/v1/users/${supervisor.membershipId}/supervisors/${counselor.membershipId}`, adminTokens))
        .statusCode,
    ).toBe(422);
    expect(
      (await call('PUT', `/api/v1/users/${counselor.membershipId}/supervisors/${elsewhere.membershipId}`, adminTokens))
        .statusCode,
    ).toBe(404);
    const unlink = await call(
      'DELETE',
      `/api/v1/users/${counselor.membershipId}/supervisors/${supervisor.membershipId}`,
      adminTokens,
    );
    expect(unlink.statusCode).toBe(204);
  });

  it('GET /clinic for any member; PATCH /clinic for clinic admins, with an IANA time zone', async () => {
    expect((await call('GET', '/api/v1/clinic', counselorTokens)).json()).toMatchObject({
      id: admin.clinicId,
      name: 'Members Clinic',
    });
    expect((await call('PATCH', '/api/v1/clinic', counselorTokens, { name: 'Hijacked' })).statusCode).toBe(403);
    expect((await call('PATCH', '/api/v1/clinic', adminTokens, { timezone: 'Mars/Olympus' })).statusCode).toBe(422);
    const renamed = await call('PATCH', '/api/v1/clinic', adminTokens, {
      name: 'Members Clinic North',
      timezone: 'Europe/Lisbon',
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Members Clinic North', timezone: 'Europe/Lisbon' });
  });

  it('refuses a clinic id smuggled in the body or query: the clinic comes only from the token', async () => {
    const smuggled = await api.inject({
      method: 'PATCH',
      url: `/api/v1/clinic?clinicId=${elsewhere.clinicId}`,
      payload: JSON.stringify({ name: 'Renamed', clinicId: elsewhere.clinicId }),
      headers: {
        ...bearer(adminTokens.accessToken),
        'content-type': 'application/json',
        'x-clinic-id': elsewhere.clinicId,
      },
    });
    expect(smuggled.statusCode).toBe(400);
    const headerOnly = await api.inject({
      method: 'GET',
      url: '/api/v1/clinic',
      headers: { ...bearer(adminTokens.accessToken), 'x-clinic-id': elsewhere.clinicId },
    });
    expect(headerOnly.json()).toMatchObject({ id: admin.clinicId });
  });
});
