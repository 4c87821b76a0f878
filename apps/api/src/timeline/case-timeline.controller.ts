import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AccessAction, caseViewerOf } from '@mend/access';
import { DomainError, type TenantTransaction } from '@mend/core';
import { homeworkTimelineEntries } from '@mend/homework';
import type { Principal } from '@mend/identity';
import {
  boundaryEventTimelineEntries,
  CaseTimelineService,
  decodeTimelineCursor,
  disclosureTimelineEntries,
  ledgerTimelineEntries,
  planTimelineEntries,
  readinessTimelineEntries,
  statusTimelineEntries,
} from '@mend/repair-plans';
import { sessionTimelineEntries } from '@mend/sessions';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  CaseIdParams,
  CaseTimelinePageResponse,
  CaseTimelineQuery,
  TIMELINE_DEFAULT_LIMIT,
} from './case-timeline.dto.js';

/** Every part of a case that contributes to its timeline. */
const TIMELINE = new CaseTimelineService([
  statusTimelineEntries,
  planTimelineEntries,
  readinessTimelineEntries,
  ledgerTimelineEntries,
  boundaryEventTimelineEntries,
  disclosureTimelineEntries,
  homeworkTimelineEntries,
  sessionTimelineEntries,
]);

@ApiTags('cases')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/timeline')
export class CaseTimelineController {
  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  @Get()
  @ApiOperation({
    summary: 'Everything that happened in a case, newest first',
    description:
      'Status changes, plan revisions and phase changes, readiness assessments, trust-ledger entries and responses, ' +
      'boundary events and disclosures, filtered by what the caller may see (a participant never sees an entry about ' +
      "a clinician-only item). Care team, supervisors of its members, and participants; a clinic admin's directory " +
      'access does not include it. Summaries are labels, never clinical text.',
  })
  @ApiOkResponse({ type: CaseTimelinePageResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Query() query: CaseTimelineQuery,
  ): Promise<CaseTimelinePageResponse> {
    const resource = await this.access.authorize(AccessAction.CaseTimelineRead, {
      kind: 'case',
      caseId: params.caseId,
    });
    if (query.before !== undefined && decodeTimelineCursor(query.before) === null) {
      throw new DomainError('invalid_cursor', 400, 'before must be a cursor returned by a previous page', [
        { field: 'before', rule: 'cursor', message: 'must be a cursor returned by a previous page' },
      ]);
    }
    const page = await TIMELINE.list(tx, caseViewerOf(principal, resource), {
      before: query.before,
      limit: query.limit ?? TIMELINE_DEFAULT_LIMIT,
    });
    return {
      entries: page.entries.map((entry) => ({ ...entry, at: entry.at.toISOString(), refs: { ...entry.refs } })),
      nextCursor: page.nextCursor,
    };
  }
}
