import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AccessAction } from '@mend/access';
import { coachHints, type CoachResult } from '@mend/coach';

import { RequestAccess } from '../auth/request-access.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { CoachHintsRequest, CoachHintsResponse } from './coach.dto.js';

export function toCoachHintsResponse(result: CoachResult): CoachHintsResponse {
  return {
    mode: result.mode,
    hints: result.hints.map((hint) => ({
      ruleId: hint.ruleId,
      family: hint.family,
      familyName: hint.familyName,
      severity: hint.severity,
      downgradedBecause: hint.downgradedBecause,
      span: { start: hint.span.start, end: hint.span.end, text: hint.span.text },
      why: hint.why,
      scaffold: hint.scaffold,
      extraMarkers: hint.extraMarkers,
    })),
    withheld: result.withheld,
    // Which safety rule matched is not told to the writer (it would teach how to get round the risk scan).
    coachingPaused: result.safetyPause !== null,
  };
}

/**
 * The I-statement coach (clinical.md §6) for a draft being written: stateless and
 * private to the writer. Nothing is stored, logged or audited (the request body is
 * never logged; no record is read, so there is no read to audit), and hints never
 * block saving or submitting an answer.
 */
@ApiTags('coach')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('coach')
export class CoachController {
  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  @Post('hints')
  @HttpCode(200)
  @ApiOperation({
    summary: 'I-statement coach hints for a draft (any member)',
    description:
      'Explainable, rule-based hints for live use while typing: each names its rule, the matched span, why the ' +
      'phrasing can backfire and a scaffold to rewrite it. At most three per text. Private to the writer: nothing ' +
      'is stored, logged or shown to anyone else, and hints never block submission. English only.',
  })
  @ApiOkResponse({ type: CoachHintsResponse })
  async hints(@Body() body: CoachHintsRequest): Promise<CoachHintsResponse> {
    await this.access.authorize(AccessAction.CoachHintsRequest, { kind: 'clinic' });
    return toCoachHintsResponse(coachHints(body.text, body.mode));
  }
}
