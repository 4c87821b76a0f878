import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

import { AccessAction, caseViewerOf } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import { DISCLOSURE_MODES, DisclosureLog, type DisclosureMode } from '@mend/repair-plans';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';

export class DisclosureCaseParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  caseId: string;
}

export class DisclosureResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ example: 'plan.need' }) itemType: string;
  @ApiProperty({ format: 'uuid' }) itemId: string;
  @ApiProperty({ format: 'uuid' }) authorClientId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) disclosedByMembershipId: string | null;
  @ApiProperty({ enum: DISCLOSURE_MODES }) mode: DisclosureMode;
  @ApiProperty({ nullable: true, type: Number }) secretsPolicyVersion: number | null;
  @ApiProperty({ format: 'date-time' }) disclosedAt: string;
}

export class DisclosureListResponse {
  @ApiProperty({ type: [DisclosureResponse] }) disclosures: DisclosureResponse[];
}

/** The disclosure log of a case. */
@ApiTags('disclosures')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/disclosures')
export class DisclosuresController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(DisclosureLog) private readonly disclosures: DisclosureLog,
  ) {}

  @Get()
  @ApiOperation({
    summary: "What moved from a participant's private space into the shared space, oldest first",
    description:
      'Who, what (item type and id, never the content), when, under which secrets-policy version, whose. The care ' +
      'team (and supervisors) see every entry; a participant sees the disclosures of their own content.',
  })
  @ApiOkResponse({ type: DisclosureListResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: DisclosureCaseParams,
  ): Promise<DisclosureListResponse> {
    const resource = await this.access.authorize(AccessAction.DisclosureList, { kind: 'case', caseId: params.caseId });
    const records = await this.disclosures.list(tx, caseViewerOf(principal, resource));
    return {
      disclosures: records.map((record) => ({ ...record, disclosedAt: record.disclosedAt.toISOString() })),
    };
  }
}
