import {
  addMember,
  bearer,
  createClinicWithAdmin,
  JSON_HEADERS,
  signIn,
  startIdentityApp,
  type IdentityApp,
} from './support/identity-app.js';

describe('POST /api/v1/auth/password: the current password is throttled like a sign-in', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp();
  });
  afterAll(() => api.close());

  it('answers 422 to wrong current passwords, then 429 with Retry-After, and then refuses even the right one', async () => {
    const admin = await createClinicWithAdmin(api.identity, 'Password Throttle Clinic');
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    const tokens = await signIn(api, client);
    const change = (currentPassword: string) =>
      api.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { ...bearer(tokens.accessToken), ...JSON_HEADERS },
        payload: JSON.stringify({ currentPassword, newPassword: `new-${client.password}` }),
      });
    const statuses: number[] = [];
    let limited;
    for (let attempt = 0; attempt < 30 && limited === undefined; attempt += 1) {
      const response = await change(`wrong-${attempt}-${client.password}`);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited = response;
    }
    expect(limited).toBeDefined();
    expect(statuses.slice(0, -1).every((status) => status === 422)).toBe(true);
    expect(limited?.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Blocked before argon2: the right password does not get through either.
    expect((await change(client.password)).statusCode).toBe(429);
  });
});
