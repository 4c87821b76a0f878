import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { AccessAction, caseViewerOf } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import {
  decideReadiness,
  listReadiness,
  rateReadiness,
  readReadiness,
  recordReadiness,
  type ReadinessView,
} from '@mend/repair-plans';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  AssessmentParams,
  CaseIdParams,
  DecideReadinessRequest,
  RateReadinessRequest,
  ReadinessResponse,
  RecordReadinessRequest,
} from './repair-plans.dto.js';

function toResponse(view: ReadinessView): ReadinessResponse {
  return {
    ...view,
    recordedAt: new Date(view.recordedAt).toISOString(),
    decidedAt: view.decidedAt === null ? null : new Date(view.decidedAt).toISOString(),
    ratings: view.ratings.map((rating) => ({ ...rating, ratedAt: new Date(rating.ratedAt).toISOString() })),
  };
}

/**
 * Readiness assessments (clinical.md S27): the counselor's dated assessment,
 * each participant's own rating, and the outcome `continue`, `redefine` or
 * `end`. Redefining or ending is a valid, dignified outcome: with `closeCase`
 * it closes the case with that outcome.
 */
@ApiTags('readiness')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/readiness-assessments')
export class ReadinessController {
  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record a readiness assessment (care team)',
    description:
      'The outcome may be given now or later. `closeCase: true` needs `redefine` or `end` and closes the case with ' +
      'it (status, outcome and a dated status change, in the same transaction). 422 for an assessment date in the ' +
      'future or before the case began, or on a closed case.',
  })
  @ApiCreatedResponse({ type: ReadinessResponse })
  async record(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: RecordReadinessRequest,
  ): Promise<ReadinessResponse> {
    const resource = await this.access.authorize(AccessAction.ReadinessRecord, { kind: 'case', caseId: params.caseId });
    return toResponse(await recordReadiness(tx, caseViewerOf(principal, resource), body));
  }

  @Get()
  @ApiOperation({
    summary: "The case's readiness assessments, newest first",
    description:
      "Care team and supervisors: everything. A participant: dates, outcomes and their own rating (not the counselor's " +
      "rating or note, not another participant's rating).",
  })
  @ApiOkResponse({ type: [ReadinessResponse] })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
  ): Promise<ReadinessResponse[]> {
    const resource = await this.access.authorize(AccessAction.ReadinessRead, { kind: 'case', caseId: params.caseId });
    return (await listReadiness(tx, caseViewerOf(principal, resource))).map(toResponse);
  }

  @Get(':assessmentId')
  @ApiOperation({ summary: 'One readiness assessment, as the caller may see it' })
  @ApiOkResponse({ type: ReadinessResponse })
  async read(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AssessmentParams,
  ): Promise<ReadinessResponse> {
    const resource = await this.access.authorize(AccessAction.ReadinessRead, { kind: 'case', caseId: params.caseId });
    return toResponse(await readReadiness(tx, caseViewerOf(principal, resource), params.assessmentId));
  }

  @Post(':assessmentId/outcome')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the outcome of a pending assessment (care team)',
    description: 'Once (409 `readiness_already_decided` after); `closeCase` as when recording.',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  async decide(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AssessmentParams,
    @Body() body: DecideReadinessRequest,
  ): Promise<ReadinessResponse> {
    const resource = await this.access.authorize(AccessAction.ReadinessRecord, { kind: 'case', caseId: params.caseId });
    return toResponse(await decideReadiness(tx, caseViewerOf(principal, resource), params.assessmentId, body));
  }

  @Put(':assessmentId/my-rating')
  @ApiOperation({
    summary: 'Give (or replace) your own readiness rating (a participant)',
    description: 'While the outcome is pending (422 after). Seen by you and the care team only.',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  async rate(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AssessmentParams,
    @Body() body: RateReadinessRequest,
  ): Promise<ReadinessResponse> {
    const resource = await this.access.authorize(AccessAction.ReadinessRate, { kind: 'case', caseId: params.caseId });
    const viewer = caseViewerOf(principal, resource);
    if (viewer.kind !== 'participant') throw new Error('The policy lets only participants rate');
    return toResponse(await rateReadiness(tx, viewer, params.assessmentId, body));
  }
}
