import { setTimeout as sleep } from 'node:timers/promises';

import { LOGIN_SESSION_CACHE_MAX_AGE_MS } from '@mend/identity';
import { connectAs } from '@mend/testing';

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

/**
 * An API process believes its own check of a login session for less than
 * LOGIN_SESSION_CACHE_MAX_AGE_MS (LoginSessionCache). reliability.md AUTH-5: no
 * successful call a second after a logout, a password change or a disabled
 * membership — in the process that made the change, none at all after it; in
 * another process (a second API, the CLI, an operator's SQL), none after half a
 * second. Every session below was checked (a 200) just before it was ended.
 */
describe('login sessions checked a moment ago (the per-process cache) still end on time', () => {
  let api: IdentityApp;
  let other: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp();
    // A second API process on the same database: its own cache.
    other = await startIdentityApp();
  });
  afterAll(async () => {
    await other.close();
    await api.close();
  });

  const me = (app: IdentityApp, accessToken: string) =>
    app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken) }).then((r) => r.statusCode);
  const authed = (method: 'POST' | 'DELETE' | 'PATCH', url: string, accessToken: string, body: unknown = {}) =>
    api.inject({
      method,
      url,
      headers: { ...bearer(accessToken), 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  async function people(): Promise<{ admin: Member; adminTokens: Tokens; member: Member }> {
    const admin = await createClinicWithAdmin(api.identity);
    const member = await addMember(api.identity, admin.clinicId, ['counselor']);
    return { admin, adminTokens: await signIn(api, admin), member };
  }

  /** Asks `app` every 20 ms until it refuses the token; the milliseconds that took (at most `limitMs`). */
  async function refusedAfter(app: IdentityApp, accessToken: string, limitMs: number): Promise<number> {
    const started = performance.now();
    while (performance.now() - started <= limitMs) {
      if ((await me(app, accessToken)) === 401) return performance.now() - started;
      await sleep(20);
    }
    return Number.POSITIVE_INFINITY;
  }

  it('every way of ending a session, in this process, takes effect on the very next request', async () => {
    const { adminTokens, member: created } = await people();
    const member = { ...created };
    const ends: { name: string; end: (session: Tokens, bystander: Tokens) => Promise<number> }[] = [
      {
        name: 'logout with the access token',
        end: (session) => authed('POST', '/api/v1/auth/logout', session.accessToken).then((r) => r.statusCode),
      },
      {
        name: 'logout with the refresh token',
        end: (session) =>
          postJson(api, '/api/v1/auth/logout', { refreshToken: session.refreshToken }).then((r) => r.statusCode),
      },
      {
        name: 'revoked from another of the person’s sessions',
        end: (session, bystander) =>
          authed('DELETE', `/api/v1/auth/sessions/${session.loginSessionId}`, bystander.accessToken).then(
            (r) => r.statusCode,
          ),
      },
      {
        name: 'password changed from another session',
        end: async (session, bystander) => {
          const newPassword = `${member.password}-${session.loginSessionId.slice(0, 8)}`;
          const response = await authed('POST', '/api/v1/auth/password', bystander.accessToken, {
            currentPassword: member.password,
            newPassword,
          });
          member.password = newPassword;
          return response.statusCode;
        },
      },
      {
        name: 'roles changed by an admin',
        end: (session) =>
          authed('PATCH', `/api/v1/users/${session.membershipId}`, adminTokens.accessToken, {
            roles: ['counselor', 'supervisor'],
          }).then((r) => r.statusCode),
      },
      {
        name: 'membership disabled by an admin',
        end: (session) =>
          authed('PATCH', `/api/v1/users/${session.membershipId}`, adminTokens.accessToken, {
            status: 'disabled',
          }).then((r) => r.statusCode),
      },
    ];
    for (const { name, end } of ends) {
      const session = await signIn(api, member);
      const bystander = await signIn(api, member);
      expect({ name, before: await me(api, session.accessToken) }).toEqual({ name, before: 200 });
      expect({ name, before: await me(api, session.accessToken) }).toEqual({ name, before: 200 }); // from the cache
      expect({ name, end: [200, 204].includes(await end(session, bystander)) }).toEqual({ name, end: true });
      expect({ name, after: await me(api, session.accessToken) }).toEqual({ name, after: 401 });
    }
  });

  it('another API process refuses a session ended here within half a second, and from then on (AUTH-5)', async () => {
    const { member } = await people();
    const session = await signIn(api, member);
    expect(await me(other, session.accessToken)).toBe(200); // the other process checked it: cached there
    expect(await me(other, session.accessToken)).toBe(200);
    const logout = await authed('POST', '/api/v1/auth/logout', session.accessToken);
    expect(logout.statusCode).toBe(204);
    const loggedOutAt = performance.now();
    expect(await me(api, session.accessToken)).toBe(401);
    const latency = await refusedAfter(other, session.accessToken, 1_000);
    expect(latency).toBeLessThanOrEqual(1_000);
    await sleep(Math.max(0, LOGIN_SESSION_CACHE_MAX_AGE_MS + 20 - (performance.now() - loggedOutAt)));
    for (let i = 0; i < 3; i += 1) expect(await me(other, session.accessToken)).toBe(401);
  });

  it('a session ended straight in the database (the CLI, an operator) is refused within half a second', async () => {
    const { member } = await people();
    const session = await signIn(api, member);
    expect(await me(api, session.accessToken)).toBe(200);
    expect(await me(api, session.accessToken)).toBe(200);
    const owner = await connectAs('admin');
    try {
      await owner.query(
        `update login_sessions set revoked_at = now(), revoke_reason = 'revoked_by_user' where clinic_id = $1 and id = $2`,
        [session.clinicId, session.loginSessionId],
      );
    } finally {
      await owner.end();
    }
    const revokedAt = performance.now();
    const latency = await refusedAfter(api, session.accessToken, 1_000);
    expect(latency).toBeLessThanOrEqual(1_000);
    await sleep(Math.max(0, LOGIN_SESSION_CACHE_MAX_AGE_MS + 20 - (performance.now() - revokedAt)));
    expect(await me(api, session.accessToken)).toBe(401);
  });
});
