import { Body, Controller, Get, HttpCode, Inject, Post, Scope } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';

import { AccessAction } from '@mend/access';
import { UnitOfWork, type TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';

import { Public } from '../../../apps/api/src/auth/public.decorator.js';
import { RequestAccess } from '../../../apps/api/src/auth/request-access.js';
import { CurrentPrincipal, Tx } from '../../../apps/api/src/auth/request-scope.js';
import {
  bearer,
  createClinicWithAdmin,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Member,
  type Tokens,
} from '../auth/support/identity-app.js';

class ProbeBody {
  @IsString()
  @MaxLength(5)
  name!: string;
}

/** Test-only routes around the unit of work that wraps every route handler (UnitOfWorkHandlers). */
@Controller('uow-probe')
class UnitOfWorkProbeController {
  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  // The handler's own metadata (here its status code) reaches Nest through the wrapper.
  @Post('whoami')
  @HttpCode(200)
  async whoami(
    @Body() body: ProbeBody,
    @CurrentPrincipal() principal: Principal,
    @Tx() tx: TenantTransaction,
  ): Promise<{ name: string; userId: string; clinicId: string; settingClinic: string }> {
    await this.access.authorize(AccessAction.ClinicRead, { kind: 'clinic' });
    const [setting] = await tx.query<{ clinic: string }>("select current_setting('app.clinic_id') as clinic");
    return { name: body.name, userId: principal.userId, clinicId: tx.clinicId, settingClinic: setting.clinic };
  }

  @Public()
  @Get('public')
  hello(): { hello: string } {
    return { hello: 'world' };
  }

  @Public()
  @Get('public-with-tx')
  publicWithTx(@Tx() tx: TenantTransaction): { clinicId: string } {
    return { clinicId: tx.clinicId };
  }
}

/** Nest would make one per request, which the unit of work could not wrap. */
@Controller({ path: 'uow-scoped-probe', scope: Scope.REQUEST })
class RequestScopedProbeController {
  @Get()
  hello(@Tx() tx: TenantTransaction): { clinicId: string } {
    return { clinicId: tx.clinicId };
  }
}

describe('the unit of work around every route handler', () => {
  let api: IdentityApp;
  let admin: Member;
  let adminTokens: Tokens;

  beforeAll(async () => {
    api = await startIdentityApp({ extraControllers: [UnitOfWorkProbeController] });
    admin = await createClinicWithAdmin(api.identity, 'Unit Of Work Probe Clinic');
    adminTokens = await signIn(api, admin);
  });
  afterAll(() => api?.close());
  afterEach(() => jest.restoreAllMocks());

  it("hands the handler the request's own transaction and caller, in the token's clinic", async () => {
    const runs = jest.spyOn(api.app.get(UnitOfWork), 'run');
    const response = await api.inject({
      method: 'POST',
      url: '/api/v1/uow-probe/whoami',
      headers: bearer(adminTokens.accessToken),
      payload: { name: 'Ada' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      name: 'Ada',
      userId: admin.userId,
      clinicId: admin.clinicId,
      settingClinic: admin.clinicId,
    });
    expect(runs).toHaveBeenCalledTimes(1);
  });

  it('refuses invalid input before a transaction opens', async () => {
    const runs = jest.spyOn(api.app.get(UnitOfWork), 'run');
    const response = await api.inject({
      method: 'POST',
      url: '/api/v1/uow-probe/whoami',
      headers: bearer(adminTokens.accessToken),
      payload: { name: 'far too long' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'name' })] });
    expect(runs).not.toHaveBeenCalled();
  });

  it('runs a public route without one, and refuses a public route that asks for @Tx()', async () => {
    const runs = jest.spyOn(api.app.get(UnitOfWork), 'run');
    const hello = await api.inject({ method: 'GET', url: '/api/v1/uow-probe/public' });
    expect(hello.statusCode).toBe(200);
    expect(hello.json()).toEqual({ hello: 'world' });
    const withTx = await api.inject({
      method: 'GET',
      url: '/api/v1/uow-probe/public-with-tx',
      headers: bearer(adminTokens.accessToken),
    });
    expect(withTx.statusCode).toBe(500);
    expect(withTx.json()).toMatchObject({ code: 'internal_error' });
    expect(withTx.body).not.toContain('clinicId');
    expect(runs).not.toHaveBeenCalled();
  });

  it('refuses to start with a request-scoped controller, whose handlers it could not wrap', async () => {
    await expect(startIdentityApp({ extraControllers: [RequestScopedProbeController] })).rejects.toThrow(
      /RequestScopedProbeController is request-scoped or transient/,
    );
  });

  it('gives a second application in the same process handlers of its own', async () => {
    const second = await startIdentityApp({
      extraControllers: [UnitOfWorkProbeController],
      identity: { clock: api.clock },
    });
    try {
      const firstRuns = jest.spyOn(api.app.get(UnitOfWork), 'run');
      const secondRuns = jest.spyOn(second.app.get(UnitOfWork), 'run');
      const response = await second.inject({
        method: 'POST',
        url: '/api/v1/uow-probe/whoami',
        headers: bearer(adminTokens.accessToken),
        payload: { name: 'Bo' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ name: 'Bo', userId: admin.userId });
      expect(secondRuns).toHaveBeenCalledTimes(1);
      expect(firstRuns).not.toHaveBeenCalled();
    } finally {
      await second.close();
    }
  });
});
