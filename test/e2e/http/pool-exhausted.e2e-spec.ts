import { UnitOfWork } from '@mend/core';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  signIn,
  startIdentityApp,
  type IdentityApp,
} from '../auth/support/identity-app.js';

/**
 * Overload is not a server bug: when every pooled PostgreSQL connection stays
 * busy past the pool's connection timeout (5 s), a request answers 503
 * problem+json `dependency_unavailable` with Retry-After, never 500 (seen in the
 * bench at load average 10+: pg-pool's "timeout exceeded when trying to connect").
 */
describe('a saturated connection pool answers 503 with Retry-After', () => {
  let api: IdentityApp;

  beforeAll(async () => {
    api = await startIdentityApp({ env: { DATABASE_POOL_SIZE: '1' } });
  });
  afterAll(() => api.close());

  it('GET /me while the only connection is held longer than the pool waits', async () => {
    const admin = await createClinicWithAdmin(api.identity);
    const client = await addMember(api.identity, admin.clinicId, ['client']);
    const headers = bearer((await signIn(api, client)).accessToken);
    expect((await api.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);

    // Holds the pool's one connection for 7 s, past the 5 s the next request may wait for it.
    const holding = api.app.get(UnitOfWork).runWithoutClinic((tx) => tx.query('select pg_sleep(7)'));
    const response = await api.inject({ method: 'GET', url: '/api/v1/me', headers });
    await holding;

    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ status: 503, code: 'dependency_unavailable' });
    // The pool recovers: the next request is served.
    expect((await api.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
  }, 30_000);
});
