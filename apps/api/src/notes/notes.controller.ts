import { Body, Controller, Get, Inject, Param, Patch, Post, Put } from '@nestjs/common';
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
import { ProgressNoteService, type NoteQueueItem, type ProgressNoteView } from '@mend/sessions';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  AmendNoteRequest,
  CosignRequirementRequest,
  CosignRequirementResponse,
  CreateNoteRequest,
  MembershipParams,
  NoteCaseParams,
  NoteListResponse,
  NoteParams,
  NoteQueueItemResponse,
  NoteQueueResponse,
  NoteResponse,
  UpdateNoteRequest,
} from './notes.dto.js';

function toNoteResponse(view: ProgressNoteView): NoteResponse {
  return {
    ...view,
    body: { ...view.body },
    currentBody: { ...view.currentBody },
    amendments: view.amendments.map((amendment) => ({
      ...amendment,
      changes: { ...amendment.changes },
      changedFields: [...amendment.changedFields],
      createdAt: amendment.createdAt.toISOString(),
    })),
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    signedAt: view.signedAt?.toISOString() ?? null,
    cosignedAt: view.cosignedAt?.toISOString() ?? null,
  };
}

function toQueueItem(item: NoteQueueItem): NoteQueueItemResponse {
  return { ...item, createdAt: item.createdAt.toISOString(), updatedAt: item.updatedAt.toISOString() };
}

const WHO =
  'Progress notes: the care team writes, supervisors of its members read and co-sign; participants and a clinic ' +
  "admin's directory access get 404. Bodies are encrypted at rest.";

/** Progress notes of a case: drafts, signing, amendments, co-signature. */
@ApiTags('notes')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class NotesController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(ProgressNoteService) private readonly notes: ProgressNoteService,
  ) {}

  @Get('cases/:caseId/notes')
  @ApiOperation({ summary: 'Progress notes of a case, newest first, with their amendments', description: WHO })
  @ApiOkResponse({ type: NoteListResponse })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteCaseParams,
  ): Promise<NoteListResponse> {
    const resource = await this.access.authorize(AccessAction.NoteRead, { kind: 'case', caseId: params.caseId });
    return { notes: (await this.notes.list(tx, caseViewerOf(principal, resource))).map(toNoteResponse) };
  }

  @Post('cases/:caseId/notes')
  @ApiOperation({
    summary: 'Write a draft progress note',
    description: `A sessionId of another case is 422 \`session_of_another_case\`. ${WHO}`,
  })
  @ApiCreatedResponse({ type: NoteResponse })
  async create(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteCaseParams,
    @Body() body: CreateNoteRequest,
  ): Promise<NoteResponse> {
    const resource = await this.access.authorize(AccessAction.NoteWrite, { kind: 'case', caseId: params.caseId });
    return toNoteResponse(
      await this.notes.create(tx, caseViewerOf(principal, resource), {
        template: body.template,
        sessionId: body.sessionId ?? null,
        body: body.body,
      }),
    );
  }

  @Get('cases/:caseId/notes/:noteId')
  @ApiOperation({ summary: 'One progress note: the original, its amendments and the current text', description: WHO })
  @ApiOkResponse({ type: NoteResponse })
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteParams,
  ): Promise<NoteResponse> {
    const resource = await this.access.authorize(AccessAction.NoteRead, { kind: 'case', caseId: params.caseId });
    return toNoteResponse(await this.notes.get(tx, caseViewerOf(principal, resource), params.noteId));
  }

  @Patch('cases/:caseId/notes/:noteId')
  @ApiOperation({
    summary: 'Edit a draft (its author)',
    description:
      'A signed note is immutable: 409 `note_signed`, whose detail names the amendment route. A stale revision is 409.',
  })
  @ApiOkResponse({ type: NoteResponse })
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteParams,
    @Body() body: UpdateNoteRequest,
  ): Promise<NoteResponse> {
    const resource = await this.access.authorize(AccessAction.NoteWrite, { kind: 'case', caseId: params.caseId });
    return toNoteResponse(
      await this.notes.updateDraft(tx, caseViewerOf(principal, resource), params.noteId, {
        body: body.body,
        revision: body.revision,
      }),
    );
  }

  @Post('cases/:caseId/notes/:noteId/signature')
  @ApiOperation({
    summary: 'Sign a draft (its author): it becomes immutable',
    description:
      "Needs the template's required fields (422 `note_incomplete`). Co-signature is then required when " +
      'the clinic requires it for the author.',
  })
  @ApiCreatedResponse({ type: NoteResponse })
  async sign(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteParams,
  ): Promise<NoteResponse> {
    const resource = await this.access.authorize(AccessAction.NoteWrite, { kind: 'case', caseId: params.caseId });
    return toNoteResponse(await this.notes.sign(tx, caseViewerOf(principal, resource), params.noteId));
  }

  @Post('cases/:caseId/notes/:noteId/amendments')
  @ApiOperation({
    summary: 'Amend a signed note (author, time, reason and the change are kept; the original stays retrievable)',
  })
  @ApiCreatedResponse({ type: NoteResponse })
  async amend(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteParams,
    @Body() body: AmendNoteRequest,
  ): Promise<NoteResponse> {
    const resource = await this.access.authorize(AccessAction.NoteWrite, { kind: 'case', caseId: params.caseId });
    return toNoteResponse(
      await this.notes.amend(tx, caseViewerOf(principal, resource), params.noteId, {
        reason: body.reason,
        changes: body.changes,
      }),
    );
  }

  @Post('cases/:caseId/notes/:noteId/cosignature')
  @ApiOperation({ summary: "Co-sign a supervisee's signed note (a supervisor of its author; once)" })
  @ApiCreatedResponse({ type: NoteResponse })
  async cosign(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: NoteParams,
  ): Promise<NoteResponse> {
    const resource = await this.access.authorize(AccessAction.NoteCosign, { kind: 'case', caseId: params.caseId });
    return toNoteResponse(await this.notes.cosign(tx, caseViewerOf(principal, resource), params.noteId));
  }

  @Get('me/note-queue')
  @ApiOperation({ summary: 'Your unsigned notes and the notes awaiting your co-signature (no content)' })
  @ApiOkResponse({ type: NoteQueueResponse })
  async queue(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal): Promise<NoteQueueResponse> {
    await this.access.authorize(AccessAction.NoteQueueRead, { kind: 'user', userId: principal.userId });
    return {
      unsigned: (await this.notes.unsignedOf(tx, principal.membershipId)).map(toQueueItem),
      awaitingYourCosignature: (await this.notes.awaitingCosignatureBy(tx, principal.membershipId)).map(toQueueItem),
    };
  }

  @Put('members/:membershipId/note-cosign-requirement')
  @ApiOperation({ summary: "Require (or stop requiring) a supervisor's co-signature on a counselor's notes (admin)" })
  @ApiOkResponse({ type: CosignRequirementResponse })
  async setCosignRequirement(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: MembershipParams,
    @Body() body: CosignRequirementRequest,
  ): Promise<CosignRequirementResponse> {
    await this.access.authorize(AccessAction.NoteCosignRequirementManage, {
      kind: 'membership',
      membershipId: params.membershipId,
    });
    await this.notes.setCosignRequirement(tx, principal, params.membershipId, body.required);
    return { membershipId: params.membershipId, required: body.required };
  }
}
