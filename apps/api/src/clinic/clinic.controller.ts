import { Body, Controller, Get, Inject, Patch } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { AccessAction } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { ClinicSettings, IdentityServices, Principal } from '@mend/identity';

import { IDENTITY_SERVICES } from '../auth/identity.tokens.js';
import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';

export class ClinicResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'Europe/London', description: 'IANA time zone of clinic-level schedules' }) timezone: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class UpdateClinicRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'Europe/Lisbon', description: 'An IANA time zone' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

function toResponse(clinic: ClinicSettings): ClinicResponse {
  return { id: clinic.id, name: clinic.name, timezone: clinic.timezone, createdAt: clinic.createdAt.toISOString() };
}

@ApiTags('clinic')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('clinic')
export class ClinicController {
  constructor(
    @Inject(IDENTITY_SERVICES) private readonly identity: IdentityServices,
    @Inject(RequestAccess) private readonly access: RequestAccess,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The settings of your clinic (the one your token is for)' })
  @ApiOkResponse({ type: ClinicResponse })
  async get(@Tx() tx: TenantTransaction): Promise<ClinicResponse> {
    await this.access.authorize(AccessAction.ClinicRead, { kind: 'clinic' });
    return toResponse(await this.identity.clinicSettings.get(tx));
  }

  @Patch()
  @ApiOperation({ summary: 'Rename the clinic or change its time zone (clinic admins)' })
  @ApiOkResponse({ type: ClinicResponse })
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateClinicRequest,
  ): Promise<ClinicResponse> {
    await this.access.authorize(AccessAction.ClinicUpdate, { kind: 'clinic' });
    return toResponse(await this.identity.clinicSettings.update(tx, principal, body));
  }
}
