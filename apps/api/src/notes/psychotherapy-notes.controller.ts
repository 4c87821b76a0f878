import { Body, Controller, Get, Inject, Param, Patch, Post } from '@nestjs/common';
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
import { PsychotherapyNoteService, type PsychotherapyNoteView } from '@mend/sessions';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  CreatePsychotherapyNoteRequest,
  NoteCaseParams,
  NoteParams,
  PsychotherapyNoteListResponse,
  PsychotherapyNoteResponse,
  UpdatePsychotherapyNoteRequest,
} from './notes.dto.js';

function toResponse(view: PsychotherapyNoteView): PsychotherapyNoteResponse {
  return { ...view, createdAt: view.createdAt.toISOString(), updatedAt: view.updatedAt.toISOString() };
}

const ONLY_AUTHOR =
  'Psychotherapy notes (45 CFR 164.501) are kept apart from the record and are their author’s alone: the supervisor, ' +
  'a clinic admin and the clients get 404. Never in reports, exports, timelines, search or notifications.';

@ApiTags('notes')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/psychotherapy-notes')
export class PsychotherapyNotesController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(PsychotherapyNoteService) private readonly notes: PsychotherapyNoteService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your own psychotherapy notes of a case', description: ONLY_AUTHOR })
  @ApiOkResponse({ type: PsychotherapyNoteListResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteCaseParams,
  ): Promise<PsychotherapyNoteListResponse> {
    const resource = await this.access.authorize(AccessAction.PsychotherapyNoteAccess, {
      kind: 'case',
      caseId: params.caseId,
    });
    return { notes: (await this.notes.listOwn(tx, caseViewerOf(principal, resource))).map(toResponse) };
  }

  @Post()
  @ApiOperation({ summary: 'Write a psychotherapy note', description: ONLY_AUTHOR })
  @ApiCreatedResponse({ type: PsychotherapyNoteResponse })
  async create(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteCaseParams,
    @Body() body: CreatePsychotherapyNoteRequest,
  ): Promise<PsychotherapyNoteResponse> {
    const resource = await this.access.authorize(AccessAction.PsychotherapyNoteAccess, {
      kind: 'case',
      caseId: params.caseId,
    });
    return toResponse(
      await this.notes.create(tx, caseViewerOf(principal, resource), {
        sessionId: body.sessionId ?? null,
        body: body.body,
      }),
    );
  }

  @Get(':noteId')
  @ApiOperation({ summary: 'One of your psychotherapy notes', description: ONLY_AUTHOR })
  @ApiOkResponse({ type: PsychotherapyNoteResponse })
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteParams,
  ): Promise<PsychotherapyNoteResponse> {
    const resource = await this.access.authorize(AccessAction.PsychotherapyNoteAccess, {
      kind: 'case',
      caseId: params.caseId,
    });
    return toResponse(await this.notes.get(tx, caseViewerOf(principal, resource), params.noteId));
  }

  @Patch(':noteId')
  @ApiOperation({ summary: 'Edit one of your psychotherapy notes (stale revision: 409)', description: ONLY_AUTHOR })
  @ApiOkResponse({ type: PsychotherapyNoteResponse })
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteParams,
    @Body() body: UpdatePsychotherapyNoteRequest,
  ): Promise<PsychotherapyNoteResponse> {
    const resource = await this.access.authorize(AccessAction.PsychotherapyNoteAccess, {
      kind: 'case',
      caseId: params.caseId,
    });
    return toResponse(
      await this.notes.update(tx, caseViewerOf(principal, resource), params.noteId, {
        body: body.body,
        revision: body.revision,
      }),
    );
  }
}
