import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AccessAction, caseViewerOf, type CaseViewer } from '@mend/access';
import type { CaseViewerRef, ClientsServices } from '@mend/clients';
import { CoreError, CoreErrorCode, type FirstQuery, type InlineValue, type TenantTransaction } from '@mend/core';
import type { HomeworkClock } from '@mend/homework';
import type { Principal } from '@mend/identity';

import { Prefetch, type PrefetchInput } from '../auth/prefetch.decorator.js';
import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { HOMEWORK_CLOCK } from '../homework/homework.controller.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  AddCareTeamMemberRequest,
  AddParticipantRequest,
  CaseCareTeamParams,
  CaseIdParams,
  CaseListQuery,
  CasePageResponse,
  CaseParticipantParams,
  CaseResponse,
  CaseSafetyResponse,
  ChangeParticipantRoleRequest,
  ChangeStatusRequest,
  CreateCaseRequest,
  RemoveCareTeamMemberQuery,
  SecretsPolicyRequest,
  SecretsPolicyStatusResponse,
  SecretsPolicyVersionResponse,
  SetSafetyStatusRequest,
  SignatureStatusResponse,
  SignSecretsPolicyRequest,
  StatusChangeResponse,
  toCaseResponse,
  toSecretsPolicyStatusResponse,
  toSignatureResponse,
  toStatusChangeResponse,
  UpdateCaseRequest,
} from './cases.dto.js';
import { CLIENTS_SERVICES } from './clients.tokens.js';

const PAGE_LIMIT = /^(100|[1-9][0-9]?)$/;

/**
 * The caseload's usual request — the first page, with at most a `limit` — built
 * from the token as the handler will build it from the checked caller: prefetched
 * with the session check. Any other query (filters, a cursor, sorting) is left
 * to the handler rather than interpreted here before validation.
 */
function caseloadPrefetch(
  services: ClientsServices,
  { request, token }: PrefetchInput,
): readonly FirstQuery[] | undefined {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (Object.keys(query).some((key) => key !== 'limit')) return undefined;
  const limit = query.limit;
  if (limit !== undefined && (typeof limit !== 'string' || !PAGE_LIMIT.test(limit))) return undefined;
  const { statement, params } = services.cases.casePageQuery(token.clinicId, token, {
    ...(limit !== undefined && { limit: Number(limit) }),
  });
  return [{ statement, values: params as InlineValue[] }];
}

function viewerRef(viewer: CaseViewer): CaseViewerRef {
  return viewer.kind === 'participant' ? { kind: 'participant', clientId: viewer.clientId } : { kind: viewer.kind };
}

/**
 * Cases: participants with their role in the breach, the care team (one primary
 * counselor), dated status transitions, the safety status and the secrets
 * policy. Counselors see the cases of their care teams (supervisors those of the
 * counselors they supervise, read-only); participants their own, without any
 * safety fact but `sharedSpacePaused`; clinic admins a directory view without
 * clinical content. 404 for a case you may not see.
 */
@ApiTags('cases')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(CLIENTS_SERVICES) private readonly services: ClientsServices,
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(HOMEWORK_CLOCK) private readonly clock: HomeworkClock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The caseload: the cases you may see, each as you may see it',
    description:
      'Filter by status and type (comma-separated lists), safetyStatus (your care-team cases only), phase, clientId ' +
      'and q; sort by updatedAt (default, newest first), createdAt, statusChangedAt or title; keyset paging with ' +
      '`limit` and `cursor`. `include=homework` adds each care-team case’s homework summary (due, overdue, awaiting ' +
      'review, next due). One database query per page.',
  })
  @ApiOkResponse({ type: CasePageResponse })
  @Prefetch(function (this: CasesController, input) {
    return caseloadPrefetch(this.services, input);
  })
  async list(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Query() query: CaseListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.access.authorize(AccessAction.CaseList, { kind: 'clinic' });
    // A CasePageResponse that PostgreSQL wrote as JSON: answered as it is (see CaseService.listJson).
    const page = await this.services.cases.listJson(tx, principal, {
      ...query,
      ...(query.include?.includes('homework') === true && { homeworkAsOf: this.clock.now() }),
    });
    void reply.type('application/json; charset=utf-8');
    return page.json;
  }

  @Post()
  @ApiOperation({
    summary: 'Open a case (clinic admins, counselors, supervisors)',
    description:
      'Status intake. The care team defaults to the primary counselor, who defaults to you (an admin must name one). ' +
      '422 `no_participant`, 409 `participant_exists`, 422 `primary_not_on_care_team`, 422 `unknown_client` (a client ' +
      'you do not look after).',
  })
  @ApiCreatedResponse({ type: CaseResponse })
  async create(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateCaseRequest,
  ): Promise<CaseResponse> {
    await this.access.authorize(AccessAction.CaseCreate, { kind: 'clinic' });
    return toCaseResponse(await this.services.cases.create(tx, principal, body));
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'One case, as you may see it (care team, participant or directory view)' })
  @ApiOkResponse({ type: CaseResponse })
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
  ): Promise<CaseResponse> {
    const resource = await this.access.authorize(AccessAction.CaseRead, { kind: 'case', caseId: params.caseId });
    const viewer = viewerRef(caseViewerOf(principal, resource));
    return toCaseResponse(await this.services.cases.read(tx, principal, params.caseId, viewer));
  }

  @Patch(':caseId')
  @ApiOperation({ summary: 'Rename a case or change its type (care team)' })
  @ApiOkResponse({ type: CaseResponse })
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: UpdateCaseRequest,
  ): Promise<CaseResponse> {
    await this.access.authorize(AccessAction.CaseUpdate, { kind: 'case', caseId: params.caseId });
    return toCaseResponse(await this.services.cases.update(tx, principal, params.caseId, body));
  }

  @Post(':caseId/status')
  @ApiOperation({
    summary: 'Move the case to another status (care team)',
    description:
      'Dated (effectiveAt, default now), with an optional reason (care team only). Closing records the outcome ' +
      '(continue, redefine or end — redefining or ending is a valid outcome); a closed case may be reopened.',
  })
  @ApiCreatedResponse({ type: StatusChangeResponse })
  async changeStatus(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: ChangeStatusRequest,
  ): Promise<StatusChangeResponse> {
    await this.access.authorize(AccessAction.CaseUpdate, { kind: 'case', caseId: params.caseId });
    const change = await this.services.cases.changeStatus(tx, principal, params.caseId, {
      status: body.status,
      outcome: body.outcome,
      reason: body.reason,
      effectiveAt: body.effectiveAt === undefined ? undefined : new Date(body.effectiveAt),
    });
    return toStatusChangeResponse(change);
  }

  @Get(':caseId/status-history')
  @ApiOperation({ summary: 'The dated status history, oldest first (reasons for the care team only)' })
  @ApiOkResponse({ type: [StatusChangeResponse] })
  async statusHistory(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
  ): Promise<StatusChangeResponse[]> {
    const resource = await this.access.authorize(AccessAction.CaseRead, { kind: 'case', caseId: params.caseId });
    const viewer = viewerRef(caseViewerOf(principal, resource));
    return (await this.services.cases.statusHistory(tx, principal, params.caseId, viewer)).map(toStatusChangeResponse);
  }

  @Post(':caseId/participants')
  @ApiOperation({
    summary: 'Add a participant (care team)',
    description:
      '409 `participant_exists` when the client already takes part; 422 `unknown_client`, `client_archived`.',
  })
  @ApiCreatedResponse({ type: CaseResponse })
  async addParticipant(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: AddParticipantRequest,
  ): Promise<CaseResponse> {
    await this.access.authorize(AccessAction.CaseManageParticipants, { kind: 'case', caseId: params.caseId });
    return toCaseResponse(await this.services.cases.addParticipant(tx, principal, params.caseId, body));
  }

  @Patch(':caseId/participants/:clientId')
  @ApiOperation({ summary: "Change a participant's role in the breach (care team)" })
  @ApiOkResponse({ type: CaseResponse })
  async changeParticipantRole(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseParticipantParams,
    @Body() body: ChangeParticipantRoleRequest,
  ): Promise<CaseResponse> {
    await this.access.authorize(AccessAction.CaseManageParticipants, { kind: 'case', caseId: params.caseId });
    return toCaseResponse(
      await this.services.cases.changeParticipantRole(tx, principal, params.caseId, params.clientId, body.role),
    );
  }

  @Delete(':caseId/participants/:clientId')
  @ApiOperation({
    summary: 'Remove a participant (care team)',
    description:
      '422 `no_participant` for the last one; 422 `participant_signed_policy` for one who signed the secrets policy ' +
      '(their signature stays on record: close the case with outcome redefine and open a new one).',
  })
  @ApiOkResponse({ type: CaseResponse })
  async removeParticipant(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseParticipantParams,
  ): Promise<CaseResponse> {
    await this.access.authorize(AccessAction.CaseManageParticipants, { kind: 'case', caseId: params.caseId });
    return toCaseResponse(await this.services.cases.removeParticipant(tx, principal, params.caseId, params.clientId));
  }

  @Post(':caseId/care-team')
  @ApiOperation({ summary: 'Add a counselor or supervisor to the care team (clinic admins, care team)' })
  @ApiCreatedResponse({ type: CaseResponse })
  async addCareTeamMember(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: AddCareTeamMemberRequest,
  ): Promise<CaseResponse> {
    const resource = await this.access.authorize(AccessAction.CaseManageCareTeam, {
      kind: 'case',
      caseId: params.caseId,
    });
    const viewer = viewerRef(caseViewerOf(principal, resource));
    return toCaseResponse(await this.services.cases.addCareTeamMember(tx, principal, params.caseId, body, viewer));
  }

  @Put(':caseId/care-team/:membershipId/primary')
  @ApiOperation({
    summary: 'Make a care-team member the primary counselor (clinic admins, care team)',
    description: '422 `primary_not_on_care_team` for someone not on the care team.',
  })
  @ApiOkResponse({ type: CaseResponse })
  async makePrimary(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseCareTeamParams,
  ): Promise<CaseResponse> {
    const resource = await this.access.authorize(AccessAction.CaseManageCareTeam, {
      kind: 'case',
      caseId: params.caseId,
    });
    const viewer = viewerRef(caseViewerOf(principal, resource));
    return toCaseResponse(
      await this.services.cases.makePrimary(tx, principal, params.caseId, params.membershipId, viewer),
    );
  }

  @Delete(':caseId/care-team/:membershipId')
  @ApiOperation({
    summary: 'Remove a member from the care team (clinic admins, care team)',
    description:
      'The primary counselor leaves only with `newPrimaryMembershipId` naming another member (422 `primary_required`).',
  })
  @ApiOkResponse({ type: CaseResponse })
  async removeCareTeamMember(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseCareTeamParams,
    @Query() query: RemoveCareTeamMemberQuery,
  ): Promise<CaseResponse> {
    const resource = await this.access.authorize(AccessAction.CaseManageCareTeam, {
      kind: 'case',
      caseId: params.caseId,
    });
    const viewer = viewerRef(caseViewerOf(principal, resource));
    return toCaseResponse(
      await this.services.cases.removeCareTeamMember(
        tx,
        principal,
        params.caseId,
        params.membershipId,
        query.newPrimaryMembershipId,
        viewer,
      ),
    );
  }

  @Put(':caseId/safety')
  @ApiOperation({
    summary: 'Put the case on safety hold, or lift it (care team)',
    description:
      'While on hold, shared features are suspended for participants, who see only a neutral message ' +
      '(`sharedSpacePaused`). The reason is for the care team only: never shown to participants or to the clinic ' +
      'admin, never logged or audited.',
  })
  @ApiOkResponse({ type: CaseSafetyResponse })
  async setSafety(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: SetSafetyStatusRequest,
  ): Promise<CaseSafetyResponse> {
    await this.access.authorize(AccessAction.CaseSetSafetyStatus, { kind: 'case', caseId: params.caseId });
    const safety = await this.services.cases.setSafetyStatus(tx, principal, params.caseId, body);
    return { ...safety, changedAt: safety.changedAt?.toISOString() ?? null };
  }

  @Get(':caseId/secrets-policy')
  @ApiOperation({
    summary: 'The current secrets policy and who has signed it (care team, supervisors, participants)',
    description: 'Signature details (typed name, address, browser) are shown to the care team and to the signer only.',
  })
  @ApiOkResponse({ type: SecretsPolicyStatusResponse })
  async secretsPolicy(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
  ): Promise<SecretsPolicyStatusResponse> {
    const resource = await this.access.authorize(AccessAction.CaseSecretsPolicyRead, {
      kind: 'case',
      caseId: params.caseId,
    });
    const viewer = viewerRef(caseViewerOf(principal, resource));
    return toSecretsPolicyStatusResponse(
      await this.services.secretsPolicies.status(tx, principal, params.caseId, viewer),
    );
  }

  @Put(':caseId/secrets-policy')
  @ApiOperation({
    summary: 'Set the secrets policy: a new version every participant must sign again (care team)',
    description: 'no_secrets and limited_secrets default to the clinic wording; custom needs `body`.',
  })
  @ApiOkResponse({ type: SecretsPolicyVersionResponse })
  async setSecretsPolicy(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: SecretsPolicyRequest,
  ): Promise<SecretsPolicyVersionResponse> {
    await this.access.authorize(AccessAction.CaseSecretsPolicyUpdate, { kind: 'case', caseId: params.caseId });
    const version = await this.services.secretsPolicies.setPolicy(tx, principal, params.caseId, body);
    return { ...version, createdAt: version.createdAt.toISOString() };
  }

  @Post(':caseId/secrets-policy/signatures')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign the current secrets policy yourself (participants)',
    description:
      'An e-signature: your typed name, your account, the time, the version, your address and browser. ' +
      '409 `secrets_policy_version_stale` when the version is no longer current, 409 `already_signed`.',
  })
  @ApiCreatedResponse({ type: SignatureStatusResponse })
  async sign(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseIdParams,
    @Body() body: SignSecretsPolicyRequest,
    @Headers('user-agent') userAgent?: string,
  ): Promise<SignatureStatusResponse> {
    const resource = await this.access.authorize(AccessAction.CaseSecretsPolicySign, {
      kind: 'case',
      caseId: params.caseId,
    });
    const viewer = caseViewerOf(principal, resource);
    if (viewer.kind !== 'participant') throw new CoreError(CoreErrorCode.NotFound, 'No such case');
    const signature = await this.services.secretsPolicies.sign(tx, principal, params.caseId, viewer.clientId, {
      version: body.version,
      signedName: body.signedName,
      signedByUserId: principal.userId,
      ip: principal.ip ?? null,
      userAgent: userAgent ?? null,
    });
    return toSignatureResponse(signature);
  }
}
