import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

import { AccessAction } from '@mend/access';
import { MEMBERSHIP_ROLES, type MembershipRole } from '@mend/contracts';
import type { TenantTransaction } from '@mend/core';
import type { IdentityServices, Principal } from '@mend/identity';

import { IDENTITY_SERVICES } from '../auth/identity.tokens.js';
import { Prefetch } from '../auth/prefetch.decorator.js';
import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';

export class MeResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ description: 'Whether a second factor (TOTP) is enrolled' }) mfaEnrolled: boolean;
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ enum: MEMBERSHIP_ROLES, isArray: true }) roles: MembershipRole[];
  @ApiProperty({ format: 'uuid' }) clinicId: string;
  @ApiProperty() clinicName: string;
  @ApiProperty({ example: 'Europe/London' }) clinicTimezone: string;
  @ApiProperty({ format: 'uuid' }) loginSessionId: string;
  @ApiProperty({ type: [String], example: ['pwd', 'otp'] }) amr: string[];
}

@ApiTags('me')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('me')
export class MeController {
  constructor(
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(RequestAccess) private readonly access: RequestAccess,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in person, their membership and clinic' })
  @ApiOkResponse({ type: MeResponse })
  @Prefetch(
    function (this: MeController, { token }) {
      return [this.identity.profiles.describeQuery(token)];
    },
    { readOnly: true },
  )
  async me(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal): Promise<MeResponse> {
    await this.access.authorize(AccessAction.UserRead, { kind: 'user', userId: principal.userId });
    const profile = await this.identity.profiles.describe(tx, principal);
    return { ...profile, roles: [...profile.roles], amr: [...profile.amr] };
  }
}
