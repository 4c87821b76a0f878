import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AccessAction } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { IdentityServices, MemberView, Principal } from '@mend/identity';

import { IDENTITY_SERVICES } from '../auth/identity.tokens.js';
import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { LinkMailer } from '../reminders/link-mailer.js';
import {
  InvitationResponse,
  InviteRequest,
  MemberResponse,
  MembershipIdParams,
  PasswordResetLinkResponse,
  SupervisionParams,
  UpdateMemberRequest,
} from './users.dto.js';

export function toMemberResponse(member: MemberView): MemberResponse {
  return {
    membershipId: member.membershipId,
    userId: member.userId,
    email: member.email,
    displayName: member.displayName,
    roles: [...member.roles],
    status: member.status,
    mfaEnrolled: member.mfaEnrolled,
    createdAt: member.createdAt.toISOString(),
    disabledAt: member.disabledAt?.toISOString() ?? null,
    supervisorMembershipIds: [...member.supervisorMembershipIds],
    superviseeMembershipIds: [...member.superviseeMembershipIds],
  };
}

function supervisionLink(params: SupervisionParams) {
  return {
    kind: 'supervision_link' as const,
    supervisorMembershipId: params.supervisorMembershipId,
    counselorMembershipId: params.membershipId,
  };
}

/**
 * The clinic's members, managed by its clinic admins (the access policy decides:
 * libs/access). Ids of other clinics are 404 like unknown ones.
 */
@ApiTags('users')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('users')
export class UsersController {
  constructor(
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(LinkMailer) private readonly mailer: LinkMailer,
  ) {}

  @Get()
  @ApiOperation({ summary: "The clinic's members (clinic admins)" })
  @ApiOkResponse({ type: [MemberResponse] })
  async list(@Tx() tx: TenantTransaction): Promise<MemberResponse[]> {
    await this.access.authorize(AccessAction.MemberList, { kind: 'clinic' });
    return (await this.identity.memberships.list(tx)).map(toMemberResponse);
  }

  @Post()
  @ApiOperation({
    summary: 'Invite a staff member or a client (clinic admins)',
    description:
      'Creates a single-use invitation valid for 7 days and answers its acceptance link. When SMTP is configured ' +
      '(SMTP_URL) the link is also emailed to the invitee once the invitation is committed; otherwise hand it over. ' +
      'A newer invitation for the same email replaces an older one; an active member is 409.',
  })
  @ApiCreatedResponse({ type: InvitationResponse })
  async invite(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: InviteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvitationResponse> {
    await this.access.authorize(AccessAction.InvitationCreate, { kind: 'clinic' });
    const invitation = await this.identity.invitations.create(tx, principal, { email: body.email, roles: body.roles });
    this.mailer.invitation(reply, invitation.email, invitation.link, invitation.invitationId);
    return {
      invitationId: invitation.invitationId,
      email: invitation.email,
      roles: [...invitation.roles],
      link: invitation.link,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  @Patch(':membershipId')
  @ApiOperation({
    summary: "Change a member's roles or status (clinic admins)",
    description:
      "Disabling, and any change of roles, ends the member's login sessions at once. The last active clinic admin cannot be disabled or lose the role (422 `last_clinic_admin`).",
  })
  @ApiOkResponse({ type: MemberResponse })
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: MembershipIdParams,
    @Body() body: UpdateMemberRequest,
  ): Promise<MemberResponse> {
    await this.access.authorize(AccessAction.MemberUpdate, { kind: 'membership', membershipId: params.membershipId });
    return toMemberResponse(await this.identity.memberships.update(tx, principal, params.membershipId, body));
  }

  @Post(':membershipId/password-reset-link')
  @ApiOperation({
    summary: 'Issue a password reset link for a member (clinic admins)',
    description:
      'Single use, one hour; an older open link of the member stops working. Refused (422 `member_of_other_clinics`) ' +
      'for a person who also belongs to another clinic: their password is shared with it. When SMTP is configured ' +
      '(SMTP_URL) the link is also emailed to the member once issued.',
  })
  @ApiCreatedResponse({ type: PasswordResetLinkResponse })
  async passwordResetLink(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: MembershipIdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PasswordResetLinkResponse> {
    await this.access.authorize(AccessAction.MemberIssuePasswordReset, {
      kind: 'membership',
      membershipId: params.membershipId,
    });
    const reset = await this.identity.passwordResets.issueForMember(tx, principal, params.membershipId);
    if (this.mailer.isEnabled) {
      const [member] = await tx.query<{ email: string }>(
        'select u.email from memberships m join users u on u.id = m.user_id where m.clinic_id = $1 and m.id = $2',
        [tx.clinicId, reset.membershipId],
      );
      if (member !== undefined) this.mailer.passwordReset(reply, member.email, reset.link, reset.resetId);
    }
    return { link: reset.link, expiresAt: reset.expiresAt.toISOString() };
  }

  @Put(':membershipId/supervisors/:supervisorMembershipId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Make a supervisor oversee this counselor (clinic admins)' })
  @ApiNoContentResponse({ description: 'Linked (also when it already was)' })
  async addSupervisor(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SupervisionParams,
  ): Promise<void> {
    await this.access.authorize(AccessAction.SupervisionLinkCreate, supervisionLink(params));
    await this.identity.memberships.linkSupervisor(tx, principal, params.supervisorMembershipId, params.membershipId);
  }

  @Delete(':membershipId/supervisors/:supervisorMembershipId')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a supervision link (clinic admins)' })
  @ApiNoContentResponse({ description: 'Unlinked' })
  async removeSupervisor(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SupervisionParams,
  ): Promise<void> {
    await this.access.authorize(AccessAction.SupervisionLinkDelete, supervisionLink(params));
    await this.identity.memberships.unlinkSupervisor(tx, principal, params.supervisorMembershipId, params.membershipId);
  }
}
