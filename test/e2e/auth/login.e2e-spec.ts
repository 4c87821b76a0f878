import { decodeJwt } from 'jose';

import { PROBLEM_CONTENT_TYPE } from '@mend/core';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  fakeSecondFactor,
  GOOD_CODE,
  newCredentials,
  postJson,
  signIn,
  startIdentityApp,
  type IdentityApp,
} from './support/identity-app.js';

/** A problem body without the parts that differ per request. */
function stable(body: Record<string, unknown>): Record<string, unknown> {
  const { correlationId: _correlationId, ...rest } = body;
  return rest;
}

describe('POST /api/v1/auth/login', () => {
  let api: IdentityApp;
  const secondFactor = fakeSecondFactor();

  beforeAll(async () => {
    api = await startIdentityApp({ identity: { secondFactor } });
  });
  afterAll(() => api.close());

  it('signs a client in with a password alone and the token works for GET /me', async () => {
    const admin = await createClinicWithAdmin(api.identity, 'Login Clinic');
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    const response = await postJson(api, '/api/v1/auth/login', { email: client.email, password: client.password });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      mfaRequired: false,
      membershipChoiceRequired: false,
      tokenType: 'Bearer',
      clinicId: admin.clinicId,
      membershipId: client.membershipId,
      roles: ['client'],
      amr: ['pwd'],
    });
    expect(body.demoSkipsMfa).toBeUndefined();
    const payload = decodeJwt(body.accessToken as string);
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(600);

    const me = await api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(body.accessToken as string) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      userId: client.userId,
      email: client.email,
      clinicName: 'Login Clinic',
      roles: ['client'],
    });
  });

  it('accepts the email in any case and with surrounding spaces, the password only exactly as typed', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    const upper = await postJson(api, '/api/v1/auth/login', {
      email: `  ${client.email.toUpperCase()} `,
      password: client.password,
    });
    expect(upper.statusCode).toBe(200);
    const spaced = await postJson(api, '/api/v1/auth/login', { email: client.email, password: ` ${client.password}` });
    expect(spaced.statusCode).toBe(401);
  });

  it('answers a wrong password and an unknown email with the same status and body', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const wrong = await postJson(api, '/api/v1/auth/login', {
      email: admin.email,
      password: 'not-the-password-at-all',
    });
    const unknown = await postJson(api, '/api/v1/auth/login', {
      email: newCredentials('nobody').email,
      password: 'not-the-password-at-all',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(stable(wrong.json())).toEqual(stable(unknown.json()));
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials' });
  });

  it('answers a disabled-only account like a wrong password', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    const adminTokens = await signIn(api, admin);
    const disable = await api.inject({
      method: 'PATCH',
      url: `/api/v1/users/${client.membershipId}`,
      payload: JSON.stringify({ status: 'disabled' }),
      headers: { ...bearer(adminTokens.accessToken), 'content-type': 'application/json' },
    });
    expect(disable.statusCode).toBe(200);
    const response = await postJson(api, '/api/v1/auth/login', { email: client.email, password: client.password });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'invalid_credentials' });
  });

  it('with several memberships and none chosen, lists them (ids and clinic names) and issues no token', async () => {
    const first = await createClinicWithAdmin(api.identity, 'First Clinic');
    const second = await createClinicWithAdmin(api.identity, 'Second Clinic');
    const person = await addMember(api.identity, first.clinicId, ['client']);
    const again = await addMember(api.identity, second.clinicId, ['client'], {
      email: person.email,
      password: person.password,
    });
    expect(again.userId).toBe(person.userId);

    const choice = await postJson(api, '/api/v1/auth/login', { email: person.email, password: person.password });
    expect(choice.statusCode).toBe(200);
    const body = choice.json<Record<string, unknown>>();
    expect(body).toMatchObject({ membershipChoiceRequired: true, mfaRequired: false });
    expect(body.accessToken).toBeUndefined();
    expect(body.refreshToken).toBeUndefined();
    expect(body.memberships).toEqual(
      expect.arrayContaining([
        { membershipId: person.membershipId, clinicId: first.clinicId, clinicName: 'First Clinic' },
        { membershipId: again.membershipId, clinicId: second.clinicId, clinicName: 'Second Clinic' },
      ]),
    );
    expect(body.memberships).toHaveLength(2);

    const chosen = await signIn(api, { ...person, membershipId: again.membershipId });
    expect(chosen).toMatchObject({ clinicId: second.clinicId, membershipId: again.membershipId });
    const me = await api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(chosen.accessToken) });
    expect(me.json()).toMatchObject({ clinicId: second.clinicId, clinicName: 'Second Clinic' });

    // A membership id that is not theirs is refused like a wrong password.
    const foreign = await postJson(api, '/api/v1/auth/login', {
      email: person.email,
      password: person.password,
      membershipId: first.membershipId,
    });
    expect(foreign.statusCode).toBe(401);
  });

  it('asks staff for a second factor, then signs them in with amr pwd+otp', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const counselor = await addMember(api.identity, admin.clinicId, ['counselor']);
    const first = await postJson(api, '/api/v1/auth/login', { email: counselor.email, password: counselor.password });
    expect(first.statusCode).toBe(200);
    const step = first.json<Record<string, unknown>>();
    expect(step).toMatchObject({ mfaRequired: true, mfaEnrolled: true, membershipChoiceRequired: false });
    expect(step.accessToken).toBeUndefined();
    expect(decodeJwt(step.mfaToken as string)).toMatchObject({ typ: 'mfa', sub: counselor.userId });

    // The MFA token is not an access token.
    const misuse = await api.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(step.mfaToken as string) });
    expect(misuse.statusCode).toBe(401);

    const wrongCode = await postJson(api, '/api/v1/auth/mfa/verify', { mfaToken: step.mfaToken, code: '000000' });
    expect(wrongCode.statusCode).toBe(401);
    expect(wrongCode.json()).toMatchObject({ code: 'invalid_second_factor' });

    const verified = await postJson(api, '/api/v1/auth/mfa/verify', { mfaToken: step.mfaToken, code: GOOD_CODE });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ amr: ['pwd', 'otp'], roles: ['counselor'], mfaRequired: false });
    expect(secondFactor.calls).toContain(counselor.userId);
  });

  it('refuses an expired MFA token (5 minutes)', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const first = await postJson(api, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    api.clock.advance(306_000);
    const late = await postJson(api, '/api/v1/auth/mfa/verify', {
      mfaToken: first.json<{ mfaToken: string }>().mfaToken,
      code: GOOD_CODE,
    });
    expect(late.statusCode).toBe(401);
    expect(late.json()).toMatchObject({ code: 'invalid_mfa_token' });
  });

  it('throttles repeated failures of one account from one address: 429 with Retry-After, no verification', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof postJson>> | undefined;
    for (let attempt = 0; attempt < 15 && throttled === undefined; attempt += 1) {
      const response = await postJson(api, '/api/v1/auth/login', {
        email: admin.email,
        password: `wrong-${attempt}-password`,
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) throttled = response;
    }
    expect(throttled).toBeDefined();
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(11);
    expect(Number(throttled?.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled?.json()).toMatchObject({ code: 'rate_limited' });
    // Even the right password is refused while blocked.
    const right = await postJson(api, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(right.statusCode).toBe(429);
  });

  it('refuses passwords over 128 characters before any work (400)', async () => {
    const response = await postJson(api, '/api/v1/auth/login', { email: 'a@b.example', password: 'x'.repeat(129) });
    expect(response.statusCode).toBe(400);
  });
});

describe('login in the embedded demo (MEND_DEMO=true)', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp({ env: { MEND_DEMO: 'true' } });
  });
  afterAll(() => api.close());

  it('lets staff in without a second factor and says so', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const response = await postJson(api, '/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ mfaRequired: false, demoSkipsMfa: true, amr: ['pwd'] });
  });
});
