import { Controller, Get, Inject, Patch } from '@nestjs/common';

import { AccessAction } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import { connectAs } from '@mend/testing';

import { RequestAccess } from '../../../apps/api/src/auth/request-access.js';
import { Tx } from '../../../apps/api/src/auth/request-scope.js';
import {
  bearer,
  createClinicWithAdmin,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Member,
  type Tokens,
} from '../auth/support/identity-app.js';

/** Test-only routes: one forgets the access policy, one asks it. Both rename the clinic. */
@Controller('policy-probe')
class PolicyProbeController {
  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  @Patch('forgetful')
  async forgetful(@Tx() tx: TenantTransaction): Promise<{ ok: true }> {
    await tx.query("update clinics set name = 'Renamed without asking' where id = $1", [tx.clinicId]);
    return { ok: true };
  }

  @Patch('careful')
  async careful(@Tx() tx: TenantTransaction): Promise<{ ok: true }> {
    await this.access.authorize(AccessAction.ClinicUpdate, { kind: 'clinic' });
    await tx.query("update clinics set name = 'Renamed by an admin' where id = $1", [tx.clinicId]);
    return { ok: true };
  }

  @Get('read')
  async read(): Promise<{ ok: true }> {
    await this.access.authorize(AccessAction.ClinicRead, { kind: 'clinic' });
    return { ok: true };
  }
}

/**
 * Every authenticated route must ask the access policy: one that answers
 * without a decision is refused (500) and whatever it wrote is rolled back, so a
 * forgotten check fails every test that calls the route instead of shipping.
 */
describe('a route that does not ask the access policy', () => {
  let api: IdentityApp;
  let admin: Member;
  let adminTokens: Tokens;

  beforeAll(async () => {
    api = await startIdentityApp({ extraControllers: [PolicyProbeController] });
    admin = await createClinicWithAdmin(api.identity, 'Policy Probe Clinic');
    adminTokens = await signIn(api, admin);
  });
  afterAll(() => api?.close());

  async function clinicName(): Promise<string> {
    const db = await connectAs('admin');
    try {
      return (await db.query<{ name: string }>('select name from clinics where id = $1', [admin.clinicId])).rows[0]
        .name;
    } finally {
      await db.end();
    }
  }

  it('is refused with a 500 and its write is rolled back', async () => {
    const response = await api.inject({
      method: 'PATCH',
      url: '/api/v1/policy-probe/forgetful',
      headers: bearer(adminTokens.accessToken),
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ code: 'internal_error' });
    expect(await clinicName()).toBe('Policy Probe Clinic');
  });

  it('works once it asks, and the policy decides', async () => {
    const careful = await api.inject({
      method: 'PATCH',
      url: '/api/v1/policy-probe/careful',
      headers: bearer(adminTokens.accessToken),
    });
    expect(careful.statusCode).toBe(200);
    expect(await clinicName()).toBe('Renamed by an admin');
    const read = await api.inject({
      method: 'GET',
      url: '/api/v1/policy-probe/read',
      headers: bearer(adminTokens.accessToken),
    });
    expect(read.statusCode).toBe(200);
  });
});
