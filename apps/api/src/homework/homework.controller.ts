import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AccessAction, caseViewerOf } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import {
  Assignments,
  myOpenOccurrencesJson,
  myOpenOccurrencesQuery,
  Submissions,
  type HomeworkClock,
  type ScheduleInput,
} from '@mend/homework';
import type { Principal } from '@mend/identity';
import { SafetySettingsService, submissionSafetyResponse } from '@mend/measures';

import { Prefetch } from '../auth/prefetch.decorator.js';
import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  AssignmentDetailResponse,
  AssignmentListResponse,
  AssignmentParams,
  CreateAssignmentRequest,
  FeedbackRequest,
  HomeworkCaseParams,
  MyAssignmentsResponse,
  OccurrenceDetailResponse,
  OccurrenceParams,
  SaveDraftRequest,
  ScheduleDto,
  SubmitRequest,
  SubmitResponse,
} from './homework.dto.js';

/** The clock homework reads (tests freeze it). */
export const HOMEWORK_CLOCK = Symbol('HOMEWORK_CLOCK');

/** The instant each "today" request's prefetch was built for (see `mine`); gone with the request. */
const todayInstants = new WeakMap<object, Date>();

/** Views hold Dates: the JSON shape has ISO strings (and nothing else differs). */
function json<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function scheduleOf(dto: ScheduleDto): ScheduleInput {
  const defined = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
  return defined as unknown as ScheduleInput;
}

const VISIBILITY_RULES =
  'Who sees what: `private` (author only; the care team sees that it was done), `clinician` (author and care team), ' +
  '`release` (like clinician until the author releases it, optionally after a counselor approved), `reveal` (paired: ' +
  'like clinician until both partners submitted, then both see both), `shared` (participants and care team). Another ' +
  "participant's item the caller may not see is 404, and absent from lists and counts. During a safety hold, " +
  'participants get the neutral 409 `shared_space_paused` for shared and reveal items (and they are left out of lists).';

@ApiTags('homework')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class HomeworkController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(Assignments) private readonly assignments: Assignments,
    @Inject(Submissions) private readonly submissions: Submissions,
    @Inject(HOMEWORK_CLOCK) private readonly clock: HomeworkClock,
    @Inject(SafetySettingsService) private readonly safetySettings: SafetySettingsService,
  ) {}

  private async viewer(principal: Principal, action: AccessAction, caseId: string) {
    const resource = await this.access.authorize(action as AccessAction.HomeworkRead, { kind: 'case', caseId });
    return caseViewerOf(principal, resource);
  }

  @Post('cases/:caseId/assignments')
  @ApiOperation({
    summary: 'Assign an exercise version to one participant, or paired to both partners',
    description:
      'Pins a snapshot of the exercise version. Due once or recurring (daily, weekly on given days, every N days or ' +
      "weeks; until a date or a count): dated occurrences in each recipient's timezone. Visibility defaults to the " +
      "exercise's (422 `assignment_visibility_not_allowed` outside what it allows). Private, clinician and release " +
      'assignments in a case with two or more participants are individual channels: 422 `secrets_policy_unsigned` ' +
      'until every participant signed the secrets policy. Shared and reveal assignments during a safety hold: 409 ' +
      '`assignment_suspended_by_safety_hold`. Unknown exercise or version: 404.',
  })
  @ApiCreatedResponse({ type: AssignmentDetailResponse })
  async create(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: HomeworkCaseParams,
    @Body() body: CreateAssignmentRequest,
  ): Promise<AssignmentDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkAssign, params.caseId);
    const detail = await this.assignments.create(tx, viewer, {
      exerciseRef: body.exerciseRef,
      exerciseVersion: body.exerciseVersion,
      recipients: body.recipients.map((recipient) => ({ clientId: recipient.clientId, part: recipient.part })),
      visibility: body.visibility,
      releaseRequiresReview: body.releaseRequiresReview,
      schedule: scheduleOf(body.schedule),
    });
    return json(detail);
  }

  @Get('cases/:caseId/assignments')
  @ApiOperation({ summary: 'Assignments of a case the caller may see, newest first', description: VISIBILITY_RULES })
  @ApiOkResponse({ type: AssignmentListResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: HomeworkCaseParams,
  ): Promise<AssignmentListResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkRead, params.caseId);
    return json({ assignments: await this.assignments.list(tx, viewer) });
  }

  @Get('cases/:caseId/assignments/:assignmentId')
  @ApiOperation({ summary: 'One assignment with the occurrences the caller may see', description: VISIBILITY_RULES })
  @ApiOkResponse({ type: AssignmentDetailResponse })
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AssignmentParams,
  ): Promise<AssignmentDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkRead, params.caseId);
    return json(await this.assignments.get(tx, viewer, params.assignmentId));
  }

  @Post('cases/:caseId/assignments/:assignmentId/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an assignment (care team)',
    description: 'Every occurrence not completed becomes `cancelled` (dated). Submitted answers stay. Twice: 409.',
  })
  @ApiOkResponse({ type: AssignmentDetailResponse })
  async cancel(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AssignmentParams,
  ): Promise<AssignmentDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkCancel, params.caseId);
    return json(await this.assignments.cancel(tx, viewer, params.assignmentId));
  }

  @Get('cases/:caseId/occurrences/:occurrenceId')
  @ApiOperation({
    summary: 'One occurrence: the pinned exercise, and the answers and feedback when the caller may read them',
    description: `Reading answers is audited. ${VISIBILITY_RULES}`,
  })
  @ApiOkResponse({ type: OccurrenceDetailResponse })
  async occurrence(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: OccurrenceParams,
  ): Promise<OccurrenceDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkRead, params.caseId);
    return json(await this.submissions.get(tx, viewer, params.occurrenceId));
  }

  @Put('cases/:caseId/occurrences/:occurrenceId/draft')
  @ApiOperation({
    summary: "Autosave the recipient's draft (last write wins)",
    description:
      'Send the version you loaded (0 before the first save): another tab saved since is 409 ' +
      '`submission_stale_version` with the current version. Types, options and maximum lengths are checked (422 naming ' +
      'each field); required fields only on submit. Cancelled or not yet open: 422 with the reason; submitted: 409.',
  })
  @ApiOkResponse({ type: OccurrenceDetailResponse })
  async draft(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: OccurrenceParams,
    @Body() body: SaveDraftRequest,
  ): Promise<OccurrenceDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkAnswer, params.caseId);
    return json(await this.submissions.saveDraft(tx, viewer, params.occurrenceId, body));
  }

  @Post('cases/:caseId/occurrences/:occurrenceId/submit')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit the answers (the given ones, or the saved draft)',
    description:
      'Validated against the pinned schema: 422 `submission_answers_invalid` with the path and rule of each bad field ' +
      '(oversize text names the limit). Submitted answers are immutable (the database refuses changes). Twice: 409 ' +
      '`submission_already_submitted`; cancelled: 422 `occurrence_cancelled`; not yet open: 422 ' +
      '`occurrence_not_open`. A reveal pair whose other half is in is revealed to both (disclosure log). Every free-text ' +
      'answer is risk-scanned: at once here (a match at tier 1 or 2 sets `safety`: what the author is shown now) and ' +
      'by the safety worker, which raises the alert for the care team.',
  })
  @ApiOkResponse({ type: SubmitResponse })
  async submit(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: OccurrenceParams,
    @Body() body: SubmitRequest,
  ): Promise<SubmitResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkAnswer, params.caseId);
    const detail = await this.submissions.submit(tx, viewer, params.occurrenceId, body);
    // Composition (homework sits below measures): the author's own answers, scanned in this request so a
    // tier-1 match shows the crisis resources at once; the alert goes through the queue (safety.scan-submission).
    const safety = await submissionSafetyResponse(tx, this.safetySettings, detail.clientId, detail.answers);
    return json({ ...detail, safety });
  }

  @Post('cases/:caseId/occurrences/:occurrenceId/release')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Release a submitted `release` answer to the partner (the author)',
    description:
      'Recorded in the disclosure log (`released_by_author`). When the assignment requires review: 422 ' +
      '`submission_awaiting_review` until a counselor approved. Twice: 409.',
  })
  @ApiOkResponse({ type: OccurrenceDetailResponse })
  async release(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: OccurrenceParams,
  ): Promise<OccurrenceDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkAnswer, params.caseId);
    return json(await this.submissions.release(tx, viewer, params.occurrenceId));
  }

  @Post('cases/:caseId/occurrences/:occurrenceId/review')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a submitted answer for release (care team)',
    description: 'Only for `release` assignments that require review (422 otherwise). Once: 409 the second time.',
  })
  @ApiOkResponse({ type: OccurrenceDetailResponse })
  async review(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: OccurrenceParams,
  ): Promise<OccurrenceDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkReview, params.caseId);
    return json(await this.submissions.review(tx, viewer, params.occurrenceId));
  }

  @Post('cases/:caseId/occurrences/:occurrenceId/feedback')
  @ApiOperation({
    summary: "Counselor feedback on a submission: the exercise's feedback fields and/or a note",
    description: 'Seen by the care team and the author, never the partner. Encrypted at rest.',
  })
  @ApiCreatedResponse({ type: OccurrenceDetailResponse })
  async feedback(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: OccurrenceParams,
    @Body() body: FeedbackRequest,
  ): Promise<OccurrenceDetailResponse> {
    const viewer = await this.viewer(principal, AccessAction.HomeworkReview, params.caseId);
    return json(await this.submissions.addFeedback(tx, viewer, params.occurrenceId, body));
  }

  @Get('me/assignments')
  @ApiOperation({
    summary: 'The signed-in client\'s "today": their open homework across their cases, with drafts',
    description:
      'Occurrences opened on or before their local today that are not completed or cancelled (overdue included). ' +
      'Clients only (403 for staff).',
  })
  @ApiOkResponse({ type: MyAssignmentsResponse })
  @Prefetch(
    function (this: HomeworkController, { request, token }) {
      const now = this.clock.now();
      todayInstants.set(request, now);
      return [myOpenOccurrencesQuery(token.clinicId, token.membershipId, now)];
    },
    { readOnly: true },
  )
  async mine(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.access.authorize(AccessAction.HomeworkListOwn, { kind: 'user', userId: principal.userId });
    // A MyAssignmentsResponse that PostgreSQL wrote as JSON: answered as it is (see myOpenOccurrencesJson).
    // The instant the prefetch was built for, so that the read finds its result (and one request has one "today").
    const now = todayInstants.get(reply.request) ?? this.clock.now();
    const json = await myOpenOccurrencesJson(tx, principal, now);
    void reply.type('application/json; charset=utf-8');
    return json;
  }
}
