import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
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
import { TrustLedger, type CheckInView } from '@mend/repair-plans';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  CheckInParams,
  CheckInResponse,
  LedgerCaseParams,
  LedgerEntriesResponse,
  LedgerQuery,
  LedgerSummaryResponse,
  RecordCheckInRequest,
  RespondRequest,
} from './ledger.dto.js';

export function toCheckInResponse(view: CheckInView): CheckInResponse {
  return {
    ...view,
    recordedAt: view.recordedAt.toISOString(),
    responses: view.responses.map((response) => ({
      id: response.id,
      responderClientId: response.responderClientId,
      respondedByMembershipId: response.respondedByMembershipId,
      response: response.response,
      note: response.note,
      respondedAt: response.respondedAt.toISOString(),
    })),
  };
}

const PAUSED =
  'While the case is on a safety hold, participants get the neutral 409 `shared_space_paused`; the care team continues.';

/**
 * The shared trust ledger of a case: participants and the care team (supervisors
 * read); a clinic admin's directory access does not include it (404).
 */
@ApiTags('ledger')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/ledger')
export class LedgerController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(TrustLedger) private readonly ledger: TrustLedger,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Trust-ledger entries of a case, by occurred-on date, with confirmations and disputes',
    description: `Corrected entries stay listed (never edited or deleted) and name their correction. ${PAUSED}`,
  })
  @ApiOkResponse({ type: LedgerEntriesResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: LedgerCaseParams,
    @Query() query: LedgerQuery,
  ): Promise<LedgerEntriesResponse> {
    const resource = await this.access.authorize(AccessAction.LedgerRead, { kind: 'case', caseId: params.caseId });
    const entries = await this.ledger.list(tx, caseViewerOf(principal, resource), query);
    return { entries: entries.map(toCheckInResponse) };
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Kept / partly kept / missed per commitment, participant and ISO week; current and longest run of kept',
    description:
      'Only the latest entry of a correction chain counts. A run is consecutive `kept` entries in occurred-on ' +
      'order; `partly_kept` and `missed` end it. Weeks are ISO weeks of the occurred-on date (the participant’s ' +
      `local day). Disputed entries are counted as recorded and reported beside the counts. ${PAUSED}`,
  })
  @ApiOkResponse({ type: LedgerSummaryResponse })
  async summary(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: LedgerCaseParams,
    @Query() query: LedgerQuery,
  ): Promise<LedgerSummaryResponse> {
    const resource = await this.access.authorize(AccessAction.LedgerRead, { kind: 'case', caseId: params.caseId });
    const commitments = await this.ledger.summary(tx, caseViewerOf(principal, resource), query);
    return {
      commitments: commitments.map((commitment) => ({
        ...commitment,
        totals: { ...commitment.totals },
        weeks: commitment.weeks.map((week) => ({ ...week })),
      })),
    };
  }

  @Post('check-ins')
  @ApiOperation({
    summary: 'Record a check-in on a commitment (kept, partly kept, missed)',
    description:
      'A participant records about their own commitment (self-reported); the care team may record on a ' +
      "participant's behalf (participantClientId), and the entry says so. To correct an entry, record a new one " +
      `with correctsCheckInId. ${PAUSED}`,
  })
  @ApiCreatedResponse({ type: CheckInResponse })
  async record(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: LedgerCaseParams,
    @Body() body: RecordCheckInRequest,
  ): Promise<CheckInResponse> {
    const resource = await this.access.authorize(AccessAction.LedgerRecord, { kind: 'case', caseId: params.caseId });
    return toCheckInResponse(await this.ledger.recordCheckIn(tx, caseViewerOf(principal, resource), body));
  }

  @Post('check-ins/:checkInId/responses')
  @ApiOperation({
    summary: "Confirm or dispute another participant's check-in",
    description:
      "Participants only (the care team gets 403). One's own entry is 422 `own_check_in`; a second response is " +
      `409 \`already_responded\`; a corrected entry is 422 \`check_in_superseded\`. ${PAUSED}`,
  })
  @ApiCreatedResponse({ type: CheckInResponse })
  async respond(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CheckInParams,
    @Body() body: RespondRequest,
  ): Promise<CheckInResponse> {
    const resource = await this.access.authorize(AccessAction.LedgerRespond, { kind: 'case', caseId: params.caseId });
    return toCheckInResponse(await this.ledger.respond(tx, caseViewerOf(principal, resource), params.checkInId, body));
  }
}
