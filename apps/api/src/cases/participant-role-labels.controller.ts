import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AccessAction } from '@mend/access';
import type { ClientsServices } from '@mend/clients';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { ParticipantRoleLabelsRequest, ParticipantRoleLabelsResponse } from './cases.dto.js';
import { CLIENTS_SERVICES } from './clients.tokens.js';

/** The clinic's display labels of the participant roles (defaults: DEFAULT_PARTICIPANT_ROLE_LABELS). */
@ApiTags('clinic')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('clinic/participant-role-labels')
export class ParticipantRoleLabelsController {
  constructor(
    @Inject(CLIENTS_SERVICES) private readonly services: ClientsServices,
    @Inject(RequestAccess) private readonly access: RequestAccess,
  ) {}

  @Get()
  @ApiOperation({ summary: "The clinic's labels of the participant roles (every member: cases show them)" })
  @ApiOkResponse({ type: ParticipantRoleLabelsResponse })
  async get(@Tx() tx: TenantTransaction): Promise<ParticipantRoleLabelsResponse> {
    await this.access.authorize(AccessAction.ClinicRead, { kind: 'clinic' });
    return { ...(await this.services.roleLabels.get(tx)) };
  }

  @Put()
  @ApiOperation({
    summary: 'Replace the labels of the participant roles (clinic admins)',
    description: 'A role left out shows its default label again.',
  })
  @ApiOkResponse({ type: ParticipantRoleLabelsResponse })
  async replace(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: ParticipantRoleLabelsRequest,
  ): Promise<ParticipantRoleLabelsResponse> {
    await this.access.authorize(AccessAction.ClinicUpdate, { kind: 'clinic' });
    return { ...(await this.services.roleLabels.replace(tx, principal, body)) };
  }
}
