import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';

import { AccessAction } from '@mend/access';
import { MEMBERSHIP_ROLES, type MembershipRole } from '@mend/contracts';
import type { TenantTransaction } from '@mend/core';
import type { IdentityServices, Principal } from '@mend/identity';

import { IDENTITY_SERVICES } from '../auth/identity.tokens.js';
import { Public } from '../auth/public.decorator.js';
import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';

export class AcceptInvitationRequest {
  @ApiProperty({ description: 'The `token` query parameter of the invitation link' })
  @IsString()
  @MaxLength(4096)
  token: string;

  @ApiProperty({
    format: 'password',
    minLength: 8,
    maxLength: 128,
    description:
      "A new account: the password to set (8 to 128 characters, as typed, not a common one). An email that already has a Mend account (in another clinic): that account's password.",
  })
  @IsString()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'How colleagues see you' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;
}

export class AcceptedInvitationResponse {
  @ApiProperty({ format: 'uuid' }) clinicId: string;
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ description: 'False: an existing account was linked to this clinic' }) isNewUser: boolean;
}

export class PendingInvitationResponse {
  @ApiProperty({ format: 'uuid' }) invitationId: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: MEMBERSHIP_ROLES, isArray: true }) roles: MembershipRole[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) invitedByMembershipId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class InvitationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  invitationId: string;
}

@ApiTags('invitations')
@ApiProblemResponses()
@Controller('invitations')
export class InvitationsController {
  constructor(
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(RequestAccess) private readonly access: RequestAccess,
  ) {}

  @Get()
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Pending invitations of the clinic (clinic admins)' })
  @ApiOkResponse({ type: [PendingInvitationResponse] })
  async list(@Tx() tx: TenantTransaction): Promise<PendingInvitationResponse[]> {
    await this.access.authorize(AccessAction.InvitationList, { kind: 'clinic' });
    const pending = await this.identity.invitations.listPending(tx);
    return pending.map((invitation) => ({
      invitationId: invitation.invitationId,
      email: invitation.email,
      roles: [...invitation.roles],
      invitedByMembershipId: invitation.invitedByMembershipId,
      createdAt: invitation.createdAt.toISOString(),
      expiresAt: invitation.expiresAt.toISOString(),
    }));
  }

  @Delete(':invitationId')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Withdraw a pending invitation (clinic admins)' })
  @ApiNoContentResponse({ description: 'Withdrawn: its link no longer works' })
  async revoke(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: InvitationIdParams,
  ): Promise<void> {
    await this.access.authorize(AccessAction.InvitationRevoke, {
      kind: 'invitation',
      invitationId: params.invitationId,
    });
    await this.identity.invitations.revoke(tx, principal, params.invitationId);
  }

  @Public()
  @Post('accept')
  @ApiOperation({
    summary: 'Accept an invitation',
    description:
      'Single use, within 7 days. A new email gets an account with the password given; an email that already has an ' +
      "account must give that account's password (422 `existing_account_password_mismatch` otherwise) and is linked, " +
      'its password unchanged. Then sign in (staff enrol a second factor at their first sign-in). A bad, used, ' +
      'withdrawn or expired link is 400 `invalid_or_expired_link`.',
  })
  @ApiCreatedResponse({ type: AcceptedInvitationResponse })
  async accept(
    @Body() body: AcceptInvitationRequest,
    @Req() request: FastifyRequest,
  ): Promise<AcceptedInvitationResponse> {
    return this.identity.invitations.accept({
      token: body.token,
      password: body.password,
      displayName: body.displayName,
      ip: request.ip,
    });
  }
}
