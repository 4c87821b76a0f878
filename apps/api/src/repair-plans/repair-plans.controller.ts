import { Body, Controller, Get, HttpCode, Inject, Optional, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { AccessAction, assertSharedSpaceOpen, caseViewerOf, type CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import {
  changePhase,
  DisclosureLog,
  diffRevisions,
  listPhaseChanges,
  listRevisions,
  NO_PLAN_PHASE_LISTENER,
  proposeOwnNeeds,
  readPlan,
  readRevision,
  writePlan,
  type PhaseChangeView,
  type PlanDocumentInput,
  type PlanPhaseListener,
  type PlanRevisionSummary,
  type PlanView,
} from '@mend/repair-plans';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import { PLAN_PHASE_LISTENER } from './plan-phase-listener.js';
import {
  CaseIdParams,
  DiffQuery,
  PatchPlanRequest,
  PhaseChangeRequest,
  PhaseChangeResponse,
  PlanDiffResponse,
  PlanResponse,
  PlanRevisionResponse,
  PlanRevisionSummaryResponse,
  ProposeNeedsRequest,
  PutPlanRequest,
  RevisionParams,
} from './repair-plans.dto.js';

const iso = (date: Date | null): string | null => (date === null ? null : new Date(date).toISOString());

function toPlanResponse(view: PlanView): PlanResponse {
  return {
    caseId: view.caseId,
    revision: view.revision,
    phase: view.phase,
    phaseChangedAt: iso(view.phaseChangedAt),
    revisedAt: iso(view.revisedAt),
    revisedByMembershipId: view.revisedByMembershipId,
    content: structuredClone(view.content) as PlanResponse['content'],
  };
}

function toSummary(summary: PlanRevisionSummary): PlanRevisionSummaryResponse {
  return {
    revision: summary.revision,
    createdAt: new Date(summary.createdAt).toISOString(),
    authorMembershipId: summary.authorMembershipId,
    changeNote: summary.changeNote,
  };
}

function toPhaseChange(change: PhaseChangeView): PhaseChangeResponse {
  return { ...change, changedAt: new Date(change.changedAt).toISOString() };
}

/**
 * The repair plan of a case (one per case, revisioned). The care team writes it;
 * supervisors of its members read it; participants read what is shared with
 * them and propose their own needs — paused while the case is on a safety hold
 * (a neutral 409 `shared_space_paused`). A clinic admin off the care team sees
 * none of it (404).
 */
@ApiTags('repair plans')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/plan')
export class RepairPlansController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(DisclosureLog) private readonly disclosures: DisclosureLog,
    @Optional() @Inject(PLAN_PHASE_LISTENER) private readonly phaseListener?: PlanPhaseListener,
  ) {}

  private async viewer(
    action:
      | AccessAction.RepairPlanRead
      | AccessAction.RepairPlanUpdate
      | AccessAction.RepairPlanPhaseChange
      | AccessAction.RepairPlanProposeNeeds,
    principal: Principal,
    caseId: string,
  ): Promise<CaseViewer> {
    const resource = await this.access.authorize(action, { kind: 'case', caseId });
    const viewer = caseViewerOf(principal, resource);
    // The plan is a shared space: participants neither read nor write it during a safety hold.
    assertSharedSpaceOpen(viewer);
    return viewer;
  }

  @Get()
  @ApiOperation({
    summary: 'The current repair plan, as the caller may see it',
    description:
      'Revision 0 with empty sections before anything is written. Participants see the shared parts and the `shared` ' +
      'items of the breach assessment and the needs (plus needs they proposed themselves); `clinician` items are the ' +
      "care team's. Audited as a read.",
  })
  @ApiOkResponse({ type: PlanResponse })
  async current(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
  ): Promise<PlanResponse> {
    const viewer = await this.viewer(AccessAction.RepairPlanRead, principal, params.caseId);
    return toPlanResponse(await readPlan(tx, viewer));
  }

  @Put()
  @ApiOperation({
    summary: 'Write a new revision of the whole plan (care team)',
    description:
      'Every section is replaced by the one sent. Items keep their stable ids when sent back; new items get one. ' +
      '`expectedRevision` must be the current revision (0 for the first): otherwise 409 `plan_revision_conflict` ' +
      'naming the current revision, and nothing is written. 422 `plan_rule_violated` names each field breaking a ' +
      'rule (unknown id, not a participant, dates in an impossible order, a new review date in the past).',
  })
  @ApiOkResponse({ type: PlanResponse })
  async replace(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: PutPlanRequest,
  ): Promise<PlanResponse> {
    const viewer = await this.viewer(AccessAction.RepairPlanUpdate, principal, params.caseId);
    const view = await writePlan(
      tx,
      viewer,
      {
        mode: 'replace',
        expectedRevision: body.expectedRevision,
        changeNote: body.changeNote ?? null,
        content: body.content as PlanDocumentInput,
      },
      this.disclosures,
    );
    return toPlanResponse(view);
  }

  @Patch()
  @ApiOperation({
    summary: 'Write a new revision changing some sections (care team)',
    description: 'Sections left out are kept as they are; a section sent replaces that section. Same rules as PUT.',
  })
  @ApiOkResponse({ type: PlanResponse })
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: PatchPlanRequest,
  ): Promise<PlanResponse> {
    const viewer = await this.viewer(AccessAction.RepairPlanUpdate, principal, params.caseId);
    const view = await writePlan(
      tx,
      viewer,
      {
        mode: 'merge',
        expectedRevision: body.expectedRevision,
        changeNote: body.changeNote ?? null,
        content: body.content as Partial<PlanDocumentInput>,
      },
      this.disclosures,
    );
    return toPlanResponse(view);
  }

  @Put('my-needs')
  @ApiOperation({
    summary: 'Propose your own needs (a participant)',
    description:
      'Replaces the needs you proposed before (not those the care team wrote). A new or reworded need is visible ' +
      'to you and the care team only until the counselor shares it. Same expectedRevision rule as PUT. Paused ' +
      'during a safety hold.',
  })
  @ApiOkResponse({ type: PlanResponse })
  async proposeNeeds(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: ProposeNeedsRequest,
  ): Promise<PlanResponse> {
    const viewer = await this.viewer(AccessAction.RepairPlanProposeNeeds, principal, params.caseId);
    if (viewer.kind !== 'participant') throw new Error('The policy lets only participants propose needs');
    return toPlanResponse(
      await proposeOwnNeeds(tx, viewer, { expectedRevision: body.expectedRevision, needs: body.needs }),
    );
  }

  @Get('revisions')
  @ApiOperation({
    summary: 'The revisions of the plan, oldest first',
    description:
      "Participants are shown the revisions that changed what they can see (a revision touching only the care team's " +
      'items is not listed for them); change notes are for the care team.',
  })
  @ApiOkResponse({ type: [PlanRevisionSummaryResponse] })
  async revisions(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
  ): Promise<PlanRevisionSummaryResponse[]> {
    const viewer = await this.viewer(AccessAction.RepairPlanRead, principal, params.caseId);
    return (await listRevisions(tx, viewer)).map(toSummary);
  }

  @Get('revisions/:revision')
  @ApiOperation({ summary: 'One revision of the plan, as the caller may see it' })
  @ApiOkResponse({ type: PlanRevisionResponse })
  async revision(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: RevisionParams,
  ): Promise<PlanRevisionResponse> {
    const viewer = await this.viewer(AccessAction.RepairPlanRead, principal, params.caseId);
    const revision = await readRevision(tx, viewer, params.revision);
    return { ...toSummary(revision), content: structuredClone(revision.content) as PlanRevisionResponse['content'] };
  }

  @Get('diff')
  @ApiOperation({
    summary: 'What changed between two revisions',
    description:
      'Per section: items added, removed and changed (with the fields that changed, before and after), and the ' +
      "review date. Both revisions are filtered for the caller first, so a participant's diff never shows a " +
      'clinician item, not even that one changed.',
  })
  @ApiOkResponse({ type: PlanDiffResponse })
  async diff(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Query() query: DiffQuery,
  ): Promise<PlanDiffResponse> {
    const viewer = await this.viewer(AccessAction.RepairPlanRead, principal, params.caseId);
    const view = await diffRevisions(tx, viewer, query.from, query.to);
    return { from: view.from, to: view.to, ...(structuredClone(view.diff) as Omit<PlanDiffResponse, 'from' | 'to'>) };
  }

  @Post('phase')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Move the case on the phase spine P0..P4 (care team)',
    description:
      'Either direction, dated, with a reason (care team only). 422 `plan_phase_unchanged` for the current phase. ' +
      'Each participant is offered a new private safety check-in (re-screening at phase transitions) unless one of ' +
      'theirs is still open.',
  })
  @ApiCreatedResponse({ type: PhaseChangeResponse })
  async changePhase(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: PhaseChangeRequest,
  ): Promise<PhaseChangeResponse> {
    const viewer = await this.viewer(AccessAction.RepairPlanPhaseChange, principal, params.caseId);
    return toPhaseChange(
      await changePhase(
        tx,
        viewer,
        { toPhase: body.toPhase, reason: body.reason },
        this.phaseListener ?? NO_PLAN_PHASE_LISTENER,
      ),
    );
  }

  @Get('phase-changes')
  @ApiOperation({ summary: 'The dated phase history, oldest first (reasons: care team only)' })
  @ApiOkResponse({ type: [PhaseChangeResponse] })
  async phaseChanges(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
  ): Promise<PhaseChangeResponse[]> {
    const viewer = await this.viewer(AccessAction.RepairPlanRead, principal, params.caseId);
    return (await listPhaseChanges(tx, viewer)).map(toPhaseChange);
  }
}
