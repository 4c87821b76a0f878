import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AccessAction } from '@mend/access';
import type { ClientsServices } from '@mend/clients';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { CLIENTS_SERVICES } from '../cases/clients.tokens.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { LinkMailer } from '../reminders/link-mailer.js';
import {
  ClientIdParams,
  ClientInvitationResponse,
  ClientListQuery,
  ClientPageResponse,
  ClientResponse,
  CreateClientRequest,
  CreatedClientResponse,
  toClientResponse,
  UpdateClientPreferencesRequest,
  UpdateClientRequest,
} from './clients.dto.js';

/**
 * The people receiving care. Who sees a client follows the access policy: clinic
 * admins all; counselors and supervisors the clients of their care-team cases,
 * the ones they registered and those of the counselors they supervise; a client
 * themselves. Every read and change is audited (ids and field names only).
 */
@ApiTags('clients')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('clients')
export class ClientsController {
  constructor(
    @Inject(CLIENTS_SERVICES) private readonly services: ClientsServices,
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(LinkMailer) private readonly mailer: LinkMailer,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Search and list the clients you may see (staff)',
    description:
      'Filter by `status` (default active) and `q` (part of the name or email); sort by displayName, createdAt or ' +
      'updatedAt; keyset paging with `limit` and `cursor` (the previous page’s nextCursor).',
  })
  @ApiOkResponse({ type: ClientPageResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Query() query: ClientListQuery,
  ): Promise<ClientPageResponse> {
    await this.access.authorize(AccessAction.ClientList, { kind: 'clinic' });
    const page = await this.services.clients.list(tx, principal, query);
    return { items: page.items.map(toClientResponse), nextCursor: page.nextCursor };
  }

  @Post()
  @ApiOperation({
    summary: 'Register a client (clinic admins, counselors, supervisors)',
    description:
      'The time zone must be an IANA zone (reminders and due dates use the client’s local day). With `invite: true` ' +
      'the client is also invited to the portal (role client) and the answer carries the single-use link; when SMTP ' +
      'is configured (SMTP_URL) the link is also emailed to the client once the request has committed.',
  })
  @ApiCreatedResponse({ type: CreatedClientResponse })
  async create(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateClientRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedClientResponse> {
    await this.access.authorize(AccessAction.ClientCreate, { kind: 'clinic' });
    const { invite, ...input } = body;
    const client = await this.services.clients.create(tx, principal, input);
    if (invite !== true) return toClientResponse(client);
    const invitation = await this.services.clients.invite(tx, principal, client.id);
    this.mailer.invitation(reply, invitation.email, invitation.link, invitation.invitationId);
    return {
      ...toClientResponse(await this.services.clients.get(tx, principal, client.id)),
      invitation: toInvitationResponse(invitation),
    };
  }

  @Get(':clientId')
  @ApiOperation({ summary: 'One client (staff who may see them; the client themselves)' })
  @ApiOkResponse({ type: ClientResponse })
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientIdParams,
  ): Promise<ClientResponse> {
    await this.access.authorize(AccessAction.ClientRead, { kind: 'client', clientId: params.clientId });
    return toClientResponse(await this.services.clients.get(tx, principal, params.clientId));
  }

  @Patch(':clientId')
  @ApiOperation({ summary: 'Change name, contact, time zone or reminder settings (clinic admins, care team)' })
  @ApiOkResponse({ type: ClientResponse })
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientIdParams,
    @Body() body: UpdateClientRequest,
  ): Promise<ClientResponse> {
    await this.access.authorize(AccessAction.ClientUpdate, { kind: 'client', clientId: params.clientId });
    return toClientResponse(await this.services.clients.update(tx, principal, params.clientId, body));
  }

  @Patch(':clientId/preferences')
  @ApiOperation({
    summary: 'Reminder channel and time, discreet notifications, time zone (the client themselves, or staff)',
  })
  @ApiOkResponse({ type: ClientResponse })
  async updatePreferences(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientIdParams,
    @Body() body: UpdateClientPreferencesRequest,
  ): Promise<ClientResponse> {
    await this.access.authorize(AccessAction.ClientUpdatePreferences, { kind: 'client', clientId: params.clientId });
    return toClientResponse(await this.services.clients.update(tx, principal, params.clientId, body));
  }

  @Post(':clientId/archive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Archive a client (clinic admins, care team)',
    description:
      'Hidden from default lists. A client in a case that is not closed stays active (422 `client_in_open_case`).',
  })
  @ApiOkResponse({ type: ClientResponse })
  async archive(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientIdParams,
  ): Promise<ClientResponse> {
    await this.access.authorize(AccessAction.ClientUpdate, { kind: 'client', clientId: params.clientId });
    return toClientResponse(await this.services.clients.archive(tx, principal, params.clientId));
  }

  @Post(':clientId/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived client (clinic admins, care team)' })
  @ApiOkResponse({ type: ClientResponse })
  async restore(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientIdParams,
  ): Promise<ClientResponse> {
    await this.access.authorize(AccessAction.ClientUpdate, { kind: 'client', clientId: params.clientId });
    return toClientResponse(await this.services.clients.restore(tx, principal, params.clientId));
  }

  @Post(':clientId/invitation')
  @ApiOperation({
    summary: 'Invite the client to the portal (clinic admins, care team)',
    description:
      'A client invitation to the client’s email (the invitation flow); accepting it links the new portal account ' +
      'to this client. A newer invitation replaces an older one. When SMTP is configured (SMTP_URL) the link is also ' +
      'emailed to the client once the request has committed. 409 `client_has_portal_user` when already linked; ' +
      '422 `client_email_required` without an email.',
  })
  @ApiCreatedResponse({ type: ClientInvitationResponse })
  async invite(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientIdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClientInvitationResponse> {
    await this.access.authorize(AccessAction.ClientInvite, { kind: 'client', clientId: params.clientId });
    const invitation = await this.services.clients.invite(tx, principal, params.clientId);
    this.mailer.invitation(reply, invitation.email, invitation.link, invitation.invitationId);
    return toInvitationResponse(invitation);
  }
}

function toInvitationResponse(invitation: {
  invitationId: string;
  link: string;
  expiresAt: Date;
}): ClientInvitationResponse {
  return {
    invitationId: invitation.invitationId,
    link: invitation.link,
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
