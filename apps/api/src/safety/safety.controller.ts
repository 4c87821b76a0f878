import { Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
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
import { SafetyAlertNotFoundError, SafetyAlerts, SafetyCheckIns, SafetySettingsService } from '@mend/measures';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  AlertCaseParams,
  AlertListQuery,
  AlertParams,
  CheckInParams,
  CountryParams,
  CrisisResourcesQuery,
  OfferCheckInRequest,
  RaiseAlertRequest,
  RespondCheckInRequest,
  SetCrisisResourcesRequest,
  UpdateSafetySettingsRequest,
} from './safety.dto.js';

const OBJECT = { schema: { type: 'object', additionalProperties: true } } as const;

/** Safety alerts of a case: the care team and its supervisors only (participants: 404). */
@ApiTags('safety')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/safety-alerts')
export class CaseSafetyAlertsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(SafetyAlerts) private readonly alerts: SafetyAlerts,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Safety alerts of a case (open first, most urgent first)' })
  @ApiOkResponse(OBJECT)
  async list(@Tx() tx: TenantTransaction, @Param() params: AlertCaseParams) {
    await this.access.authorize(AccessAction.SafetyAlertRead, { kind: 'case', caseId: params.caseId });
    return { alerts: await this.alerts.list(tx, params.caseId) };
  }

  @Get(':alertId')
  @ApiOperation({
    summary: 'One alert with its detail',
    description:
      'Rule ids and spans; for a risk-scan match the matched sentence (the only text the care team learns of a private answer). The read is audited.',
  })
  @ApiOkResponse(OBJECT)
  async detail(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal, @Param() params: AlertParams) {
    const resource = await this.access.authorize(AccessAction.SafetyAlertRead, { kind: 'case', caseId: params.caseId });
    return this.alerts.detail(tx, caseViewerOf(principal, resource), params.alertId);
  }

  @Post()
  @ApiOperation({
    summary: 'Raise an alert by hand (care team)',
    description: 'Delivered like any alert; tier 1 escalates if unacknowledged.',
  })
  @ApiCreatedResponse(OBJECT)
  async raise(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AlertCaseParams,
    @Body() body: RaiseAlertRequest,
  ) {
    const resource = await this.access.authorize(AccessAction.SafetyAlertRaise, {
      kind: 'case',
      caseId: params.caseId,
    });
    const viewer = caseViewerOf(principal, resource);
    const subject = body.subjectClientId ?? null;
    if (subject !== null && !resource.participants.some((p) => p.clientId.toLowerCase() === subject.toLowerCase()))
      throw new SafetyAlertNotFoundError();
    const { id } = await this.alerts.raise(tx, {
      caseId: params.caseId,
      subjectClientId: subject,
      tier: body.tier,
      trigger: 'manual',
      ruleIds: ['manual'],
      reason: body.reason ?? null,
      raisedByMembershipId: principal.membershipId,
    });
    return this.alerts.detail(tx, viewer, id);
  }

  @Post(':alertId/acknowledge')
  @ApiOperation({ summary: 'Acknowledge an alert (care team; idempotent)', description: 'Stops its escalation.' })
  @ApiCreatedResponse(OBJECT)
  async acknowledge(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AlertParams,
  ) {
    const resource = await this.access.authorize(AccessAction.SafetyAlertAcknowledge, {
      kind: 'case',
      caseId: params.caseId,
    });
    return this.alerts.acknowledge(tx, caseViewerOf(principal, resource), params.alertId);
  }
}

/** The caller's caseload of alerts. */
@ApiTags('safety')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('safety-alerts')
export class SafetyAlertsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(SafetyAlerts) private readonly alerts: SafetyAlerts,
  ) {}

  @Get()
  @ApiOperation({ summary: "Alerts of the caller's caseload (care team, supervised, or escalated to them)" })
  @ApiOkResponse(OBJECT)
  async list(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal, @Query() query: AlertListQuery) {
    await this.access.authorize(AccessAction.SafetyAlertList, { kind: 'clinic' });
    return {
      alerts: await this.alerts.listForMember(tx, principal, { status: query.status, limit: query.limit ?? 50 }),
    };
  }
}

/** The private safety check-in: care team offers; only that participant answers or sees it. */
@ApiTags('safety')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId/safety-check-ins')
export class SafetyCheckInsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(SafetyCheckIns) private readonly checkIns: SafetyCheckIns,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Check-ins of the case (care team: all; a participant: only their own)' })
  @ApiOkResponse(OBJECT)
  async list(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal, @Param() params: AlertCaseParams) {
    const resource = await this.access.authorize(AccessAction.SafetyCheckInRead, {
      kind: 'case',
      caseId: params.caseId,
    });
    return { checkIns: await this.checkIns.list(tx, caseViewerOf(principal, resource)) };
  }

  @Post()
  @ApiOperation({ summary: 'Offer a private safety check-in to one participant (care team)' })
  @ApiCreatedResponse(OBJECT)
  async offer(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AlertCaseParams,
    @Body() body: OfferCheckInRequest,
  ) {
    const resource = await this.access.authorize(AccessAction.SafetyCheckInOffer, {
      kind: 'case',
      caseId: params.caseId,
    });
    return this.checkIns.offer(tx, caseViewerOf(principal, resource), body.clientId);
  }

  @Post(':checkInId/responses')
  @ApiOperation({
    summary: 'Answer your own check-in (participant)',
    description:
      'Any "yes" raises a tier-2 alert for the care team; `safety` then carries supportive resources (tier 1 from the open text: crisis resources and the not-monitored statement).',
  })
  @ApiCreatedResponse(OBJECT)
  async respond(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CheckInParams,
    @Body() body: RespondCheckInRequest,
  ) {
    const resource = await this.access.authorize(AccessAction.SafetyCheckInRespond, {
      kind: 'case',
      caseId: params.caseId,
    });
    return this.checkIns.respond(tx, caseViewerOf(principal, resource), params.checkInId, {
      answers: body.answers,
      openText: body.openText ?? null,
    });
  }
}

/** Clinic safety settings and crisis resources. */
@ApiTags('safety')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('clinic')
export class SafetySettingsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(SafetySettingsService) private readonly settings: SafetySettingsService,
  ) {}

  @Get('safety-settings')
  @ApiOperation({ summary: 'Safety settings (escalation contact and delay, thresholds, check-in questions)' })
  @ApiOkResponse(OBJECT)
  async get(@Tx() tx: TenantTransaction) {
    await this.access.authorize(AccessAction.SafetySettingsRead, { kind: 'clinic' });
    return this.settings.get(tx);
  }

  @Put('safety-settings')
  @ApiOperation({
    summary: 'Change safety settings (clinic admin)',
    description: 'Thresholds outside safe bounds: 422 naming the allowed range.',
  })
  @ApiOkResponse(OBJECT)
  async update(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateSafetySettingsRequest,
  ) {
    await this.access.authorize(AccessAction.SafetySettingsUpdate, { kind: 'clinic' });
    return this.settings.update(tx, principal, body);
  }

  @Get('crisis-resources')
  @ApiOperation({
    summary: 'Crisis resources (every member)',
    description: 'Built-in lists are marked as needing local verification.',
  })
  @ApiOkResponse(OBJECT)
  async crisis(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Query() query: CrisisResourcesQuery,
  ) {
    await this.access.authorize(AccessAction.CrisisResourcesRead, { kind: 'clinic' });
    if (query.country !== undefined) return this.settings.crisisResources(tx, query.country);
    const own = await tx.query<{ id: string }>('select id from clients where clinic_id = $1 and membership_id = $2', [
      tx.clinicId,
      principal.membershipId,
    ]);
    if (own[0] !== undefined) return this.settings.crisisResourcesForClient(tx, own[0].id);
    return this.settings.crisisResources(tx, (await this.settings.get(tx)).defaultCountry);
  }

  @Put('crisis-resources/:country')
  @ApiOperation({ summary: "Replace a country's crisis resources (clinic admin)" })
  @ApiOkResponse(OBJECT)
  async setCrisis(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CountryParams,
    @Body() body: SetCrisisResourcesRequest,
  ) {
    await this.access.authorize(AccessAction.SafetySettingsUpdate, { kind: 'clinic' });
    return this.settings.setCrisisResources(
      tx,
      principal,
      params.country,
      body.resources.map((entry) => ({ ...entry, href: entry.href ?? null })),
      body.verified,
    );
  }
}
