import {
  addMember,
  bearer,
  createClinicWithAdmin,
  postJson,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Member,
  type Tokens,
} from './support/identity-app.js';

describe('login sessions: logout, list, revoke, password change, disable', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp();
  });
  afterAll(() => api.close());

  const me = (accessToken: string) => api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken) });
  const authed = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, accessToken: string, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...bearer(accessToken), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });

  async function client(): Promise<{ admin: Member; member: Member }> {
    const admin = await createClinicWithAdmin(api.identity);
    return { admin, member: await addMember(api.identity, admin.clinicId, ['client']) };
  }

  it('logout with the refresh token ends the login session: its access and refresh tokens stop working at once', async () => {
    const { member } = await client();
    const tokens = await signIn(api, member);
    const logout = await postJson(api, '/api/v1/auth/logout', { refreshToken: tokens.refreshToken });
    expect(logout.statusCode).toBe(204);
    expect((await me(tokens.accessToken)).statusCode).toBe(401);
    expect((await postJson(api, '/api/v1/auth/refresh', { refreshToken: tokens.refreshToken })).statusCode).toBe(401);
    // Idempotent.
    expect((await postJson(api, '/api/v1/auth/logout', { refreshToken: tokens.refreshToken })).statusCode).toBe(204);
  });

  it('logout with the access token alone works too', async () => {
    const { member } = await client();
    const tokens = await signIn(api, member);
    const logout = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: '{}',
      headers: { ...bearer(tokens.accessToken), 'content-type': 'application/json' },
    });
    expect(logout.statusCode).toBe(204);
    expect((await me(tokens.accessToken)).statusCode).toBe(401);
  });

  it('lists your own live login sessions and revokes one of them, never another person’s', async () => {
    const { admin, member } = await client();
    const laptop = await signIn(api, member);
    const phone = await signIn(api, member);
    const other = await signIn(api, await addMember(api.identity, admin.clinicId, ['client']));

    const list = await authed('GET', '/api/v1/auth/sessions', laptop.accessToken);
    expect(list.statusCode).toBe(200);
    const sessions = list.json<{ id: string; isCurrent: boolean }[]>();
    expect(sessions.map((session) => session.id).sort()).toEqual([laptop.loginSessionId, phone.loginSessionId].sort());
    expect(sessions.find((session) => session.id === laptop.loginSessionId)?.isCurrent).toBe(true);

    const foreign = await authed('DELETE', `/api/v1/auth/sessions/${other.loginSessionId}`, laptop.accessToken);
    expect(foreign.statusCode).toBe(404);
    expect((await me(other.accessToken)).statusCode).toBe(200);

    const revoke = await authed('DELETE', `/api/v1/auth/sessions/${phone.loginSessionId}`, laptop.accessToken);
    expect(revoke.statusCode).toBe(204);
    expect((await me(phone.accessToken)).statusCode).toBe(401);
    expect((await me(laptop.accessToken)).statusCode).toBe(200);
  });

  it('a password change ends every other login session in the same request, this one stays', async () => {
    const { member } = await client();
    const here = await signIn(api, member);
    const elsewhere = await signIn(api, member);
    const newPassword = `${member.password}-renewed`;
    const change = await authed('POST', '/api/v1/auth/password', here.accessToken, {
      currentPassword: member.password,
      newPassword,
    });
    expect(change.statusCode).toBe(204);
    expect((await me(elsewhere.accessToken)).statusCode).toBe(401);
    expect((await postJson(api, '/api/v1/auth/refresh', { refreshToken: elsewhere.refreshToken })).statusCode).toBe(
      401,
    );
    expect((await me(here.accessToken)).statusCode).toBe(200);
    // The old password no longer signs in; the new one does.
    expect(
      (await postJson(api, '/api/v1/auth/login', { email: member.email, password: member.password })).statusCode,
    ).toBe(401);
    await expect(signIn(api, { email: member.email, password: newPassword })).resolves.toBeDefined();
  });

  it('a password change needs the current password and refuses a common new one', async () => {
    const { member } = await client();
    const tokens = await signIn(api, member);
    const wrong = await authed('POST', '/api/v1/auth/password', tokens.accessToken, {
      currentPassword: 'not-my-password',
      newPassword: 'a-perfectly-fine-new-one',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'wrong_current_password' });
    const common = await authed('POST', '/api/v1/auth/password', tokens.accessToken, {
      currentPassword: member.password,
      newPassword: 'password1',
    });
    expect(common.statusCode).toBe(422);
    expect(common.json()).toMatchObject({ code: 'weak_password' });
    expect((await me(tokens.accessToken)).statusCode).toBe(200);
  });

  it('disabling a membership answers 401 to its very next request', async () => {
    const { admin, member } = await client();
    const tokens = await signIn(api, member);
    const adminTokens: Tokens = await signIn(api, admin);
    expect((await me(tokens.accessToken)).statusCode).toBe(200);
    const disable = await authed('PATCH', `/api/v1/users/${member.membershipId}`, adminTokens.accessToken, {
      status: 'disabled',
    });
    expect(disable.statusCode).toBe(200);
    expect(disable.json()).toMatchObject({ status: 'disabled' });
    expect((await me(tokens.accessToken)).statusCode).toBe(401);
    expect((await postJson(api, '/api/v1/auth/refresh', { refreshToken: tokens.refreshToken })).statusCode).toBe(401);
  });

  it('a request after 15 idle minutes is refused; activity keeps the session alive', async () => {
    const { member } = await client();
    const active = await signIn(api, member);
    const idle = await signIn(api, member);
    for (let minute = 0; minute < 20; minute += 5) {
      api.clock.advance(5 * 60_000);
      // A fresh access token for the active session (the old one would expire after 10 min).
      const refreshed = await postJson(api, '/api/v1/auth/refresh', { refreshToken: active.refreshToken });
      expect(refreshed.statusCode).toBe(200);
      Object.assign(active, refreshed.json<Tokens>());
      expect((await me(active.accessToken)).statusCode).toBe(200);
    }
    expect((await postJson(api, '/api/v1/auth/refresh', { refreshToken: idle.refreshToken })).statusCode).toBe(401);
  });
});
