import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { AccessAction } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import {
  copyExercise,
  createExercise,
  listExercises,
  listExerciseVersions,
  readExercise,
  retireExercise,
  reviseExercise,
  type ExerciseActor,
  type ExerciseSummary,
  type ExerciseVersionView,
} from '@mend/homework';
import type { Principal } from '@mend/identity';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  CopyExerciseRequest,
  CreateExerciseRequest,
  ExerciseRefParams,
  ExerciseResponse,
  ExerciseSummaryResponse,
  ExerciseVersionParams,
  ExerciseVersionSummaryResponse,
  ListExercisesQuery,
  ReviseExerciseRequest,
  type ExerciseDefinitionDto,
} from './exercises.dto.js';

const iso = (date: Date | null): string | null => (date === null ? null : new Date(date).toISOString());

function toSummary(summary: ExerciseSummary): ExerciseSummaryResponse {
  return {
    ...summary,
    phases: [...summary.phases],
    seedConcepts: [...summary.seedConcepts],
    updatedAt: iso(summary.updatedAt),
  };
}

function toResponse(view: ExerciseVersionView): ExerciseResponse {
  return {
    ref: view.ref,
    source: view.source,
    status: view.status,
    version: view.version,
    currentVersion: view.currentVersion,
    copiedFrom: view.copiedFrom,
    updatedAt: iso(view.updatedAt),
    createdAt: iso(view.createdAt),
    authorMembershipId: view.authorMembershipId,
    changeNote: view.changeNote,
    definition: view.content as unknown as ExerciseDefinitionDto,
  };
}

/** The definition fields of a request, as plain JSON (no change note or version; nothing undefined). */
function contentOf(body: ExerciseDefinitionDto): unknown {
  const { title, instructions, prompts, audience, optionalAudiences, phases, defaultVisibility } = body;
  const { switchableVisibility, coachMode, estimatedMinutes, frequency, seedConcepts, model, responseSchema } = body;
  return JSON.parse(
    JSON.stringify({
      title,
      instructions,
      prompts,
      audience,
      optionalAudiences,
      phases,
      defaultVisibility,
      switchableVisibility,
      coachMode,
      estimatedMinutes,
      frequency,
      seedConcepts,
      model,
      responseSchema,
    }),
  );
}

const actorOf = (principal: Principal): ExerciseActor => ({
  userId: principal.userId,
  membershipId: principal.membershipId,
  ip: principal.ip ?? null,
});

/**
 * The exercise library: Mend's built-in exercises (clinical.md §2, `E01`..`E37`,
 * read-only) and the clinic's own exercises, with immutable versions (an assignment
 * pins one). Staff read and change it; clients see only what is assigned to them.
 */
@ApiTags('exercises')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('exercises')
export class ExercisesController {
  constructor(@Inject(RequestAccess) private readonly access: RequestAccess) {}

  @Get()
  @ApiOperation({
    summary: 'The exercise library: built-ins and the clinic’s own exercises (staff)',
    description: 'Built-ins first (in catalogue order), then the clinic’s exercises by title. Default: active ones.',
  })
  @ApiOkResponse({ type: [ExerciseSummaryResponse] })
  async list(@Tx() tx: TenantTransaction, @Query() query: ListExercisesQuery): Promise<ExerciseSummaryResponse[]> {
    await this.access.authorize(AccessAction.ExerciseList, { kind: 'clinic' });
    return (await listExercises(tx, query)).map(toSummary);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a clinic exercise (staff)',
    description:
      'Version 1 of a new exercise. The response schema is validated against the meta-schema: a schema that ' +
      'cannot be answered (no fields, duplicate keys, min > max, a select without options, rows without columns, …) ' +
      'is refused with 422 `exercise_definition_invalid`, each error naming the field path and the rule.',
  })
  @ApiCreatedResponse({ type: ExerciseResponse })
  async create(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateExerciseRequest,
  ): Promise<ExerciseResponse> {
    await this.access.authorize(AccessAction.ExerciseCreate, { kind: 'clinic' });
    return toResponse(
      await createExercise(tx, actorOf(principal), { content: contentOf(body), changeNote: body.changeNote }),
    );
  }

  @Get(':exerciseRef')
  @ApiOperation({ summary: 'One exercise at its current version (staff)' })
  @ApiOkResponse({ type: ExerciseResponse })
  async read(@Tx() tx: TenantTransaction, @Param() params: ExerciseRefParams): Promise<ExerciseResponse> {
    await this.access.authorize(AccessAction.ExerciseRead, { kind: 'clinic' });
    return toResponse(await readExercise(tx, params.exerciseRef));
  }

  @Get(':exerciseRef/versions')
  @ApiOperation({ summary: 'The versions of an exercise, oldest first (built-ins have one)' })
  @ApiOkResponse({ type: [ExerciseVersionSummaryResponse] })
  async versions(
    @Tx() tx: TenantTransaction,
    @Param() params: ExerciseRefParams,
  ): Promise<ExerciseVersionSummaryResponse[]> {
    await this.access.authorize(AccessAction.ExerciseRead, { kind: 'clinic' });
    return (await listExerciseVersions(tx, params.exerciseRef)).map((version) => ({
      ...version,
      createdAt: iso(version.createdAt),
    }));
  }

  @Get(':exerciseRef/versions/:version')
  @ApiOperation({ summary: 'One version of an exercise (what an assignment pinned)' })
  @ApiOkResponse({ type: ExerciseResponse })
  async readVersion(@Tx() tx: TenantTransaction, @Param() params: ExerciseVersionParams): Promise<ExerciseResponse> {
    await this.access.authorize(AccessAction.ExerciseRead, { kind: 'clinic' });
    return toResponse(await readExercise(tx, params.exerciseRef, params.version));
  }

  @Post(':exerciseRef/versions')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Write a new version of a clinic exercise (staff)',
    description:
      'Versions are immutable; assignments keep the version they pinned. `expectedVersion` must be the current ' +
      'version (409 `exercise_version_conflict` otherwise). Built-ins are read-only (422 ' +
      '`exercise_built_in_read_only`: copy one instead); a retired exercise gets no new version (422 `exercise_retired`).',
  })
  @ApiCreatedResponse({ type: ExerciseResponse })
  async revise(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ExerciseRefParams,
    @Body() body: ReviseExerciseRequest,
  ): Promise<ExerciseResponse> {
    await this.access.authorize(AccessAction.ExerciseRevise, { kind: 'clinic' });
    return toResponse(
      await reviseExercise(tx, actorOf(principal), params.exerciseRef, {
        expectedVersion: body.expectedVersion,
        content: contentOf(body),
        changeNote: body.changeNote,
      }),
    );
  }

  @Post(':exerciseRef/retire')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retire a clinic exercise (staff)',
    description:
      'It leaves the active library and gets no new assignments; assigned versions stay readable. Retiring twice ' +
      'changes nothing. Built-ins cannot be retired (422 `exercise_built_in_read_only`).',
  })
  @ApiOkResponse({ type: ExerciseResponse })
  async retire(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ExerciseRefParams,
  ): Promise<ExerciseResponse> {
    await this.access.authorize(AccessAction.ExerciseRetire, { kind: 'clinic' });
    return toResponse(await retireExercise(tx, actorOf(principal), params.exerciseRef));
  }

  @Post(':exerciseRef/copy')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Copy an exercise into a new clinic exercise (staff)',
    description: 'The way to change a built-in: copy it, then write new versions of the copy.',
  })
  @ApiCreatedResponse({ type: ExerciseResponse })
  async copy(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ExerciseRefParams,
    @Body() body: CopyExerciseRequest,
  ): Promise<ExerciseResponse> {
    await this.access.authorize(AccessAction.ExerciseCopy, { kind: 'clinic' });
    return toResponse(
      await copyExercise(tx, actorOf(principal), params.exerciseRef, { version: body.version, title: body.title }),
    );
  }
}
