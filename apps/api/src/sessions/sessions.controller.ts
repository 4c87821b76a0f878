import { Body, Controller, Get, Inject, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { AccessAction, caseViewerOf } from '@mend/access';
import { DomainError, type TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import { SessionService, type SessionStart, type SessionView } from '@mend/sessions';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  ChangeSessionStatusRequest,
  RecordAttendanceRequest,
  RescheduleSessionRequest,
  ScheduleSessionRequest,
  SessionCaseParams,
  SessionListResponse,
  SessionParams,
  SessionResponse,
  type SessionStartFields,
} from './sessions.dto.js';

export function toSessionResponse(view: SessionView): SessionResponse {
  return {
    ...view,
    startsAt: view.startsAt.toISOString(),
    endsAt: view.endsAt.toISOString(),
    statusChangedAt: view.statusChangedAt.toISOString(),
    localTimes: view.localTimes.map((local) => ({ ...local })),
    attendance: view.attendance.map((entry) => ({ ...entry, recordedAt: entry.recordedAt.toISOString() })),
    history: view.history.map((event) => ({
      ...event,
      fromStartsAt: event.fromStartsAt?.toISOString() ?? null,
      fromEndsAt: event.fromEndsAt?.toISOString() ?? null,
      toStartsAt: event.toStartsAt.toISOString(),
      toEndsAt: event.toEndsAt.toISOString(),
      at: event.at.toISOString(),
    })),
  };
}

function startOf(fields: SessionStartFields): SessionStart {
  const hasInstant = fields.startsAt !== undefined;
  const hasLocal = fields.startsAtLocal !== undefined || fields.timezone !== undefined;
  if (hasInstant === hasLocal || (hasLocal && (fields.startsAtLocal === undefined || fields.timezone === undefined))) {
    throw new DomainError('invalid_session_start', 400, 'Give either startsAt, or startsAtLocal with timezone', [
      { field: 'startsAt', rule: 'one_of', message: 'give startsAt, or startsAtLocal with timezone' },
    ]);
  }
  if (fields.startsAt !== undefined) return { at: new Date(fields.startsAt) };
  return {
    local: fields.startsAtLocal as string,
    timezone: fields.timezone as string,
    preferEarlier: fields.preferEarlier,
  };
}

const WALL =
  'An individual session is visible to its participant and the care team only (never the other partner: 404), and ' +
  'is scheduled only once every participant has signed the secrets policy (422 `secrets_policy_unsigned`).';

/** Sessions of a case: the care team schedules and updates; supervisors read; participants read their sessions. */
@ApiTags('sessions')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/sessions')
export class SessionsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Sessions of a case, earliest first', description: WALL })
  @ApiOkResponse({ type: SessionListResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SessionCaseParams,
  ): Promise<SessionListResponse> {
    const resource = await this.access.authorize(AccessAction.SessionRead, { kind: 'case', caseId: params.caseId });
    const views = await this.sessions.list(tx, caseViewerOf(principal, resource));
    return { sessions: views.map(toSessionResponse) };
  }

  @Post()
  @ApiOperation({
    summary: 'Schedule a session',
    description:
      'A counselor cannot be double-booked: an overlap with any of their sessions not cancelled is 409 ' +
      '`session_conflict` naming that session (a database exclusion constraint backs this against races). ' +
      WALL,
  })
  @ApiCreatedResponse({ type: SessionResponse })
  async schedule(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SessionCaseParams,
    @Body() body: ScheduleSessionRequest,
  ): Promise<SessionResponse> {
    const resource = await this.access.authorize(AccessAction.SessionSchedule, { kind: 'case', caseId: params.caseId });
    const view = await this.sessions.schedule(tx, caseViewerOf(principal, resource), {
      start: startOf(body),
      durationMinutes: body.durationMinutes,
      modality: body.modality,
      kind: body.kind,
      individualClientId: body.individualClientId ?? null,
      counselorMembershipId: body.counselorMembershipId ?? null,
    });
    return toSessionResponse(view);
  }

  @Get(':sessionId')
  @ApiOperation({ summary: 'One session with its history and attendance', description: WALL })
  @ApiOkResponse({ type: SessionResponse })
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SessionParams,
  ): Promise<SessionResponse> {
    const resource = await this.access.authorize(AccessAction.SessionRead, { kind: 'case', caseId: params.caseId });
    return toSessionResponse(await this.sessions.get(tx, caseViewerOf(principal, resource), params.sessionId));
  }

  @Post(':sessionId/reschedule')
  @ApiOperation({
    summary: 'Move a scheduled session',
    description: 'The history keeps the old and new times. Overlaps are 409 `session_conflict`.',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  async reschedule(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SessionParams,
    @Body() body: RescheduleSessionRequest,
  ): Promise<SessionResponse> {
    const resource = await this.access.authorize(AccessAction.SessionUpdate, { kind: 'case', caseId: params.caseId });
    const view = await this.sessions.reschedule(tx, caseViewerOf(principal, resource), params.sessionId, {
      start: startOf(body),
      durationMinutes: body.durationMinutes,
    });
    return toSessionResponse(view);
  }

  @Post(':sessionId/status')
  @ApiOperation({
    summary: 'Mark a scheduled session completed, cancelled or no_show (dated; final)',
    description: 'A session no longer scheduled is 422 `session_not_scheduled`.',
  })
  @ApiCreatedResponse({ type: SessionResponse })
  async changeStatus(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SessionParams,
    @Body() body: ChangeSessionStatusRequest,
  ): Promise<SessionResponse> {
    const resource = await this.access.authorize(AccessAction.SessionUpdate, { kind: 'case', caseId: params.caseId });
    return toSessionResponse(
      await this.sessions.changeStatus(tx, caseViewerOf(principal, resource), params.sessionId, body.status),
    );
  }

  @Put(':sessionId/attendance')
  @ApiOperation({ summary: 'Record attendance per participant (replaces the entries given)' })
  @ApiOkResponse({ type: SessionResponse })
  async attendance(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: SessionParams,
    @Body() body: RecordAttendanceRequest,
  ): Promise<SessionResponse> {
    const resource = await this.access.authorize(AccessAction.SessionUpdate, { kind: 'case', caseId: params.caseId });
    return toSessionResponse(
      await this.sessions.recordAttendance(tx, caseViewerOf(principal, resource), params.sessionId, body.entries),
    );
  }
}
