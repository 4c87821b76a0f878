import { generate } from 'otplib';
import type pg from 'pg';

import { PROBLEM_CONTENT_TYPE } from '@mend/core';
import { connectAs } from '@mend/testing';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  postJson,
  startIdentityApp,
  type IdentityApp,
  type Member,
} from './support/identity-app.js';

const STEP_MS = 30_000;

/** What an authenticator app shows at the API's (test) clock: computed here with otplib, independently of Mend. */
function codeAt(secret: string, nowMs: number): Promise<string> {
  return generate({ secret, algorithm: 'sha1', digits: 6, period: 30, epoch: Math.floor(nowMs / 1000) });
}

describe('staff sign-in with the real TOTP second factor', () => {
  let api: IdentityApp;
  let admin: Member;
  let database: pg.Client;

  beforeAll(async () => {
    // No fake: the API binds MfaService (seeds sealed with MASTER_KEY, attempts limited in Redis).
    api = await startIdentityApp({ identity: { secondFactor: undefined } });
    admin = await createClinicWithAdmin(api.identity, 'MFA Clinic');
    database = await connectAs('admin');
  });
  afterAll(async () => {
    await database.end();
    await api.close();
  });

  async function passwordStep(member: Member): Promise<Record<string, unknown>> {
    const response = await postJson(api, '/api/v1/auth/login', { email: member.email, password: member.password });
    expect(response.statusCode).toBe(200);
    return response.json<Record<string, unknown>>();
  }

  /** Password step, enrolment start and confirmation with the app's current code. */
  async function enrol(member: Member): Promise<{ secret: string; body: Record<string, unknown> }> {
    const step = await passwordStep(member);
    expect(step).toMatchObject({ mfaRequired: true, mfaEnrolled: false });
    expect(step.accessToken).toBeUndefined();
    const start = await postJson(api, '/api/v1/auth/mfa/enroll/start', { mfaToken: step.mfaToken });
    expect(start.statusCode).toBe(200);
    const { otpauthUri, secret } = start.json<{ otpauthUri: string; secret: string }>();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    const confirm = await postJson(api, '/api/v1/auth/mfa/enroll/confirm', {
      mfaToken: step.mfaToken,
      code: await codeAt(secret, api.clock.now().getTime()),
    });
    expect(confirm.statusCode).toBe(200);
    return { secret, body: confirm.json<Record<string, unknown>>() };
  }

  async function verify(
    mfaToken: unknown,
    code: string,
  ): Promise<{ statusCode: number; body: Record<string, unknown> }> {
    const response = await postJson(api, '/api/v1/auth/mfa/verify', { mfaToken, code });
    return { statusCode: response.statusCode, body: response.json<Record<string, unknown>>() };
  }

  async function me(accessToken: unknown): Promise<{ statusCode: number; body: Record<string, unknown> }> {
    const response = await api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken as string) });
    return { statusCode: response.statusCode, body: response.json<Record<string, unknown>>() };
  }

  it('enrols a counselor at sign-in, then requires a fresh code, refuses replays, and takes a recovery code once', async () => {
    const counselor = await addMember(api.identity, admin.clinicId, ['counselor']);

    const { secret, body: enrolled } = await enrol(counselor);
    expect(enrolled).toMatchObject({ mfaRequired: false, tokenType: 'Bearer', amr: ['pwd', 'otp'] });
    const recoveryCodes = enrolled.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await me(enrolled.accessToken)).body).toMatchObject({ userId: counselor.userId, mfaEnrolled: true });

    // The password alone cannot enrol over an existing second factor.
    const again = await passwordStep(counselor);
    expect(again).toMatchObject({ mfaRequired: true, mfaEnrolled: true });
    const takeover = await postJson(api, '/api/v1/auth/mfa/enroll/start', { mfaToken: again.mfaToken });
    expect(takeover.statusCode).toBe(409);

    const logout = await postJson(api, '/api/v1/auth/logout', { refreshToken: enrolled.refreshToken });
    expect(logout.statusCode).toBe(204);
    expect((await me(enrolled.accessToken)).statusCode).toBe(401);

    // Next time step: the enrolment used the previous one.
    api.clock.advance(STEP_MS);
    const code = await codeAt(secret, api.clock.now().getTime());
    const signIn = await passwordStep(counselor);
    expect(signIn).toMatchObject({ mfaRequired: true, mfaEnrolled: true });
    const verified = await verify(signIn.mfaToken, code);
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toMatchObject({ amr: ['pwd', 'otp'], roles: ['counselor'] });
    expect((await me(verified.body.accessToken)).statusCode).toBe(200);

    // The same code again, with a new password step: refused.
    const replay = await verify((await passwordStep(counselor)).mfaToken, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.body).toMatchObject({ code: 'invalid_second_factor' });

    // A recovery code works once.
    const recovered = await verify((await passwordStep(counselor)).mfaToken, recoveryCodes[0]);
    expect(recovered.statusCode).toBe(200);
    expect(recovered.body.amr).toEqual(['pwd', 'otp']);
    const reused = await verify((await passwordStep(counselor)).mfaToken, recoveryCodes[0]);
    expect(reused.statusCode).toBe(401);

    // The audit trail has the MFA events, with ids and reason codes only.
    const { rows } = await database.query<{ action: string; outcome: string; metadata: Record<string, unknown> }>(
      `select action, outcome, metadata from audit_events
        where clinic_id = $1 and actor_user_id = $2 and action like 'auth.mfa.%' order by seq`,
      [admin.clinicId, counselor.userId],
    );
    expect(rows.map((row) => `${row.action}:${row.outcome}`)).toEqual([
      'auth.mfa.enroll_start:success',
      'auth.mfa.enroll:success',
      'auth.mfa.verify:success',
      'auth.mfa.verify:failure',
      'auth.mfa.verify:success',
      'auth.mfa.verify:failure',
    ]);
    expect(rows[3].metadata).toEqual({ reason: 'replayed' });
    expect(rows[4].metadata).toEqual({ method: 'rc' });
    const stored = JSON.stringify(rows);
    for (const secretValue of [secret, code, ...recoveryCodes]) expect(stored).not.toContain(secretValue);
  });

  it('signs a client in without a second factor', async () => {
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    const body = await passwordStep(client);
    expect(body).toMatchObject({ mfaRequired: false, amr: ['pwd'], roles: ['client'] });
    expect((await me(body.accessToken)).statusCode).toBe(200);
  });

  it('limits attempts to 5 per 30 s per account: then 429 problem+json with Retry-After, even for a good code', async () => {
    const counselor = await addMember(api.identity, admin.clinicId, ['counselor']);
    const { secret } = await enrol(counselor); // the confirmation was attempt 1 of the window
    api.clock.advance(STEP_MS);
    const statuses: number[] = [];
    let limited;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await postJson(api, '/api/v1/auth/mfa/verify', {
        mfaToken: (await passwordStep(counselor)).mfaToken,
        code: '000000',
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited ??= response;
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(limited?.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(limited?.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    const retryAfter = Number(limited?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const good = await verify(
      (await passwordStep(counselor)).mfaToken,
      await codeAt(secret, api.clock.now().getTime()),
    );
    expect(good.statusCode).toBe(429);
  });

  it('re-enrolment from a session that proved the second factor ends the other login sessions', async () => {
    const counselor = await addMember(api.identity, admin.clinicId, ['counselor']);
    const { secret, body: first } = await enrol(counselor);
    api.clock.advance(STEP_MS);
    const second = await verify(
      (await passwordStep(counselor)).mfaToken,
      await codeAt(secret, api.clock.now().getTime()),
    );
    expect(second.statusCode).toBe(200);
    const session = bearer(second.body.accessToken as string);

    const start = await api.inject({ method: 'POST', url: '/api/v1/auth/mfa/enroll/start', headers: session });
    expect(start.statusCode).toBe(200);
    const newSecret = start.json<{ secret: string }>().secret;
    expect(newSecret).not.toBe(secret);
    const confirm = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/enroll/confirm',
      headers: { ...session, 'content-type': 'application/json' },
      payload: JSON.stringify({ code: await codeAt(newSecret, api.clock.now().getTime()) }),
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
    expect(confirm.json<Record<string, unknown>>().accessToken).toBeUndefined();

    expect((await me(first.accessToken)).statusCode).toBe(401);
    expect((await me(second.body.accessToken)).statusCode).toBe(200);
  });
});
