import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AccessAction, caseViewerOf } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import { homeworkOverview, OVERVIEW_WEEKS_DEFAULT, type HomeworkClock } from '@mend/homework';
import type { Principal } from '@mend/identity';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { HOMEWORK_CLOCK } from './homework.controller.js';
import { HomeworkCaseParams, HomeworkOverviewQuery, HomeworkOverviewResponse } from './homework.dto.js';

@ApiTags('homework')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class HomeworkOverviewController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(HOMEWORK_CLOCK) private readonly clock: HomeworkClock,
  ) {}

  @Get('cases/:caseId/homework/overview')
  @ApiOperation({
    summary: "The care team's homework overview of a case: per participant, due, overdue, submitted, awaiting review",
    description:
      "Every date is the participant's local day. `due`: open now (opened, not past the due day), not submitted. " +
      '`overdue`: past the due day, not submitted. `submitted`: submitted on a local day within the window. ' +
      '`awaitingReview`: submitted and readable by the care team (not `private`) with something owed: ' +
      '`release_approval` (a release requiring review, not approved yet) and/or `feedback` (none given yet). ' +
      'Weeks: the `weeks` ISO weeks ending with the current one; an occurrence counts in the week of its due day; ' +
      '`settled` = submitted or past the due day; `completionRate` = completed / settled, `onTimeRate` = submitted ' +
      'on or before the due day / settled (null when nothing is settled). Cancelled occurrences count nowhere. ' +
      'A `private` item shows only whether it was done. No answers. Care team and supervisors only: a participant ' +
      'or a clinic admin off the care team gets 404.',
  })
  @ApiOkResponse({ type: HomeworkOverviewResponse })
  async overview(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: HomeworkCaseParams,
    @Query() query: HomeworkOverviewQuery,
  ): Promise<HomeworkOverviewResponse> {
    const resource = await this.access.authorize(AccessAction.HomeworkOverviewRead, {
      kind: 'case',
      caseId: params.caseId,
    });
    const viewer = caseViewerOf(principal, resource);
    const overview = await homeworkOverview(tx, viewer, this.clock.now(), query.weeks ?? OVERVIEW_WEEKS_DEFAULT);
    return JSON.parse(JSON.stringify(overview)) as HomeworkOverviewResponse;
  }
}
