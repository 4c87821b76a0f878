import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
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
import { BoundaryEvents, type BoundaryEventView } from '@mend/repair-plans';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  BoundaryEventCaseParams,
  BoundaryEventListResponse,
  BoundaryEventParams,
  BoundaryEventResponse,
  CompleteBoundaryEventRequest,
  RecordBoundaryEventRequest,
} from './boundary-events.dto.js';

function toResponse(view: BoundaryEventView): BoundaryEventResponse {
  return {
    ...view,
    occurredAt: view.occurredAt.toISOString(),
    recordedAt: view.recordedAt.toISOString(),
    completedAt: view.completedAt?.toISOString() ?? null,
  };
}

const PAUSED =
  'While the case is on a safety hold, participants get the neutral 409 `shared_space_paused`; the care team continues.';

/** Crossed boundaries of the repair plan: shared with the participants and the care team (supervisors read). */
@ApiTags('boundary-events')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/boundary-events')
export class BoundaryEventsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(BoundaryEvents) private readonly events: BoundaryEvents,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Boundary events of a case, oldest first', description: PAUSED })
  @ApiOkResponse({ type: BoundaryEventListResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: BoundaryEventCaseParams,
  ): Promise<BoundaryEventListResponse> {
    const resource = await this.access.authorize(AccessAction.BoundaryEventRead, {
      kind: 'case',
      caseId: params.caseId,
    });
    return { events: (await this.events.list(tx, caseViewerOf(principal, resource))).map(toResponse) };
  }

  @Post()
  @ApiOperation({
    summary: 'Report a crossed boundary',
    description: `Reported by a participant or the care team (recorded as such). Append-only. ${PAUSED}`,
  })
  @ApiCreatedResponse({ type: BoundaryEventResponse })
  async record(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: BoundaryEventCaseParams,
    @Body() body: RecordBoundaryEventRequest,
  ): Promise<BoundaryEventResponse> {
    const resource = await this.access.authorize(AccessAction.BoundaryEventRecord, {
      kind: 'case',
      caseId: params.caseId,
    });
    const view = await this.events.record(tx, caseViewerOf(principal, resource), {
      boundaryId: body.boundaryId,
      occurredAt: new Date(body.occurredAt),
      severity: body.severity,
      restorativeResponse: body.restorativeResponse ?? null,
    });
    return toResponse(view);
  }

  @Post(':eventId/completion')
  @ApiOperation({
    summary: 'Record that the restorative response was completed',
    description: `Once: a second time is 409 \`boundary_event_already_completed\`. ${PAUSED}`,
  })
  @ApiCreatedResponse({ type: BoundaryEventResponse })
  async complete(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: BoundaryEventParams,
    @Body() body: CompleteBoundaryEventRequest,
  ): Promise<BoundaryEventResponse> {
    const resource = await this.access.authorize(AccessAction.BoundaryEventComplete, {
      kind: 'case',
      caseId: params.caseId,
    });
    const view = await this.events.complete(
      tx,
      caseViewerOf(principal, resource),
      params.eventId,
      body.completedAt === undefined ? null : new Date(body.completedAt),
    );
    return toResponse(view);
  }
}
