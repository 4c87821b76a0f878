import { connectAs } from '@mend/testing';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  postJson,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Tokens,
} from './support/identity-app.js';

describe('POST /api/v1/auth/refresh', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp();
  });
  afterAll(() => api.close());

  async function signedInClient(): Promise<Tokens> {
    const admin = await createClinicWithAdmin(api.identity);
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    return signIn(api, client);
  }

  const refresh = (refreshToken: string) => postJson(api, '/api/v1/auth/refresh', { refreshToken });
  const me = (accessToken: string) => api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken) });

  /** Live (not rotated) refresh tokens of a login session, read as the admin role (bypasses row-level security). */
  async function liveTokens(tokens: Tokens): Promise<number> {
    const owner = await connectAs('admin');
    try {
      const { rows } = await owner.query<{ count: number }>(
        `select count(*)::int as count from refresh_tokens
          where clinic_id = $1 and login_session_id = $2 and rotated_at is null`,
        [tokens.clinicId, tokens.loginSessionId],
      );
      return rows[0].count;
    } finally {
      await owner.end();
    }
  }

  it('rotates: each use returns a new refresh token and a working access token of the same login session', async () => {
    const tokens = await signedInClient();
    const first = await refresh(tokens.refreshToken);
    expect(first.statusCode).toBe(200);
    const next = first.json<Tokens>();
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.loginSessionId).toBe(tokens.loginSessionId);
    expect((await me(next.accessToken)).statusCode).toBe(200);
    api.clock.advance(1_000);
    const second = await refresh(next.refreshToken);
    expect(second.statusCode).toBe(200);
    expect(await liveTokens(tokens)).toBe(1);
  });

  it('within 10 s, a replaced token returns the same replacement (two tabs)', async () => {
    const tokens = await signedInClient();
    const first = (await refresh(tokens.refreshToken)).json<Tokens>();
    api.clock.advance(9_000);
    const again = await refresh(tokens.refreshToken);
    expect(again.statusCode).toBe(200);
    expect(again.json<Tokens>().refreshToken).toBe(first.refreshToken);
    expect(await liveTokens(tokens)).toBe(1);
    // The shared replacement keeps working.
    expect((await refresh(first.refreshToken)).statusCode).toBe(200);
  });

  it('two concurrent refreshes of one token both succeed and leave one live family', async () => {
    const tokens = await signedInClient();
    const [a, b] = await Promise.all([refresh(tokens.refreshToken), refresh(tokens.refreshToken)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json<Tokens>().refreshToken).toBe(b.json<Tokens>().refreshToken);
    expect(await liveTokens(tokens)).toBe(1);
    const onward = await refresh(a.json<Tokens>().refreshToken);
    expect(onward.statusCode).toBe(200);
  });

  it('a replaced token presented after the grace window revokes the whole family', async () => {
    const tokens = await signedInClient();
    const rotated = (await refresh(tokens.refreshToken)).json<Tokens>();
    api.clock.advance(11_000);
    const replay = await refresh(tokens.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'invalid_refresh_token' });

    // Every token of the family is dead: the live refresh token and both access tokens.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect((await me(rotated.accessToken)).statusCode).toBe(401);
    expect((await me(tokens.accessToken)).statusCode).toBe(401);

    const owner = await connectAs('admin');
    try {
      const { rows } = await owner.query(`select revoke_reason from login_sessions where clinic_id = $1 and id = $2`, [
        tokens.clinicId,
        tokens.loginSessionId,
      ]);
      expect(rows).toEqual([{ revoke_reason: 'refresh_token_reuse' }]);
      const audit = await owner.query(
        `select action, outcome from audit_events where clinic_id = $1 and target_id = $2 and action = 'auth.refresh_token_reuse'`,
        [tokens.clinicId, tokens.loginSessionId],
      );
      expect(audit.rows).toEqual([{ action: 'auth.refresh_token_reuse', outcome: 'denied' }]);
    } finally {
      await owner.end();
    }
  });

  it('refuses a tampered, unknown or malformed refresh token without touching the family', async () => {
    const tokens = await signedInClient();
    const [clinicId, rowId, secret] = tokens.refreshToken.split('.');
    const flipped = `${clinicId}.${rowId}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [flipped, `${clinicId}.${tokens.loginSessionId}.${secret}`, 'garbage', tokens.accessToken]) {
      const response = await refresh(bad);
      expect(response.statusCode).toBe(401);
    }
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(200);
  });

  it('ends with the login session: 15 minutes idle, or 12 hours after sign-in however active', async () => {
    const idle = await signedInClient();
    api.clock.advance(15 * 60_000 + 1_000);
    expect((await refresh(idle.refreshToken)).statusCode).toBe(401);

    let tokens = await signedInClient();
    for (let elapsed = 0; elapsed < 12 * 60; elapsed += 10) {
      api.clock.advance(10 * 60_000);
      const response = await refresh(tokens.refreshToken);
      if (elapsed + 10 >= 12 * 60) {
        expect(response.statusCode).toBe(401);
      } else {
        expect(response.statusCode).toBe(200);
        tokens = response.json<Tokens>();
      }
    }
  });
});
