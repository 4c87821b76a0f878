import {
  addMember,
  bearer,
  createClinicWithAdmin,
  newCredentials,
  postJson,
  signIn,
  startIdentityApp,
  type IdentityApp,
} from './support/identity-app.js';

describe('password reset links', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp();
  });
  afterAll(() => api.close());

  const me = (accessToken: string) => api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken) });

  async function issueLink(adminAccessToken: string, membershipId: string) {
    return api.inject({
      method: 'POST',
      url: `/api/v1/users/${membershipId}/password-reset-link`,
      headers: bearer(adminAccessToken),
    });
  }

  function tokenOf(link: string): string {
    return new URL(link).searchParams.get('token') as string;
  }

  it('an admin issues a link; it sets a new password once and ends every login session of the member', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const member = await addMember(api.identity, admin.clinicId, ['client']);
    const memberTokens = await signIn(api, member);
    const adminTokens = await signIn(api, admin);

    const issued = await issueLink(adminTokens.accessToken, member.membershipId);
    expect(issued.statusCode).toBe(201);
    const { link } = issued.json<{ link: string; expiresAt: string }>();
    expect(link.startsWith('http://localhost:3000/password-reset?token=')).toBe(true);

    const newPassword = 'a-brand-new-synthetic-password';
    const reset = await postJson(api, '/api/v1/auth/password-reset', { token: tokenOf(link), newPassword });
    expect(reset.statusCode).toBe(204);
    expect((await me(memberTokens.accessToken)).statusCode).toBe(401);
    expect(
      (await postJson(api, '/api/v1/auth/login', { email: member.email, password: member.password })).statusCode,
    ).toBe(401);
    await expect(signIn(api, { email: member.email, password: newPassword })).resolves.toBeDefined();

    const reused = await postJson(api, '/api/v1/auth/password-reset', {
      token: tokenOf(link),
      newPassword: 'yet-another-password-9',
    });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ code: 'invalid_or_expired_link' });
  });

  it('a link expires after one hour, and a newer link replaces an older one', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const member = await addMember(api.identity, admin.clinicId, ['client']);
    const adminTokens = await signIn(api, admin);
    const first = tokenOf(
      (await issueLink(adminTokens.accessToken, member.membershipId)).json<{ link: string }>().link,
    );
    const second = tokenOf(
      (await issueLink(adminTokens.accessToken, member.membershipId)).json<{ link: string }>().link,
    );
    expect(
      (await postJson(api, '/api/v1/auth/password-reset', { token: first, newPassword: 'synthetic-password-one' }))
        .statusCode,
    ).toBe(400);
    api.clock.advance(3_600_000 + 1_000);
    expect(
      (await postJson(api, '/api/v1/auth/password-reset', { token: second, newPassword: 'synthetic-password-two' }))
        .statusCode,
    ).toBe(400);
  });

  it('refuses a member who also belongs to another clinic, and members of other clinics (404)', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const other = await createClinicWithAdmin(api.identity);
    const shared = await addMember(api.identity, admin.clinicId, ['client']);
    await addMember(api.identity, other.clinicId, ['client'], { email: shared.email, password: shared.password });
    const adminTokens = await signIn(api, admin);
    const refused = await issueLink(adminTokens.accessToken, shared.membershipId);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'member_of_other_clinics' });
    const foreign = await addMember(api.identity, other.clinicId, ['client']);
    expect((await issueLink(adminTokens.accessToken, foreign.membershipId)).statusCode).toBe(404);
  });

  it('forgot-password answers the same 202 body whether or not the email exists', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const known = await postJson(api, '/api/v1/auth/forgot-password', { email: admin.email });
    const unknown = await postJson(api, '/api/v1/auth/forgot-password', { email: newCredentials().email });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
  });
});
