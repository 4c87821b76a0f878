import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
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
import { MeasureAdministrations, MeasureCatalogue, type CatalogueEntry } from '@mend/measures';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  AddClinicMeasureRequest,
  AdministrationParams,
  CaseMeasureParams,
  CaseParams,
  ClientMeasureParams,
  CompleteAdministrationRequest,
  MeasureVersionParams,
  RecordAdministrationRequest,
  LicenceConfirmationRequest,
  MeasureParams,
  ScheduleMeasureRequest,
  VersionQuery,
} from './measures.dto.js';

const OBJECT = { schema: { type: 'object', additionalProperties: true } } as const;

const entryView = (entry: CatalogueEntry) => ({
  id: entry.definition.id,
  version: entry.definition.version,
  name: entry.definition.name,
  displayLabel: entry.definition.displayLabel,
  domain: entry.definition.domain,
  origin: entry.origin,
  administrable: entry.administrable,
  licenceReference: entry.licenceReference,
  wordingProvidedBy: entry.wordingProvidedBy,
  licenceConfirmationRequired: entry.licenceConfirmationRequired,
  licenceConfirmation: entry.licenceConfirmation,
  portal: entry.portal,
  definition: entry.definition,
});

const SCOREABLE =
  "Every built-in ships its published wording, verbatim. The PHQ-9, GAD-7 and PCL-5 are offered in the portal at once. The CSI-4 and CSI-16 are offered in the portal only while the clinic has a current licence confirmation (PUT /measures/{id}/licence-confirmation by a clinic admin: the clinic accepts or holds the authors' terms); until then the care team scores them from a paper form (POST …/measure-administrations). Each entry's `portal` says which applies.";

/** The measure catalogue: built-ins and the clinic's licensed measures (staff). */
@ApiTags('measures')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('measures')
export class MeasuresController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(MeasureCatalogue) private readonly catalogue: MeasureCatalogue,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Measures of the clinic (built-ins and licensed)', description: SCOREABLE })
  @ApiOkResponse(OBJECT)
  async list(@Tx() tx: TenantTransaction) {
    await this.access.authorize(AccessAction.MeasureList, { kind: 'clinic' });
    return { measures: (await this.catalogue.list(tx)).map(entryView) };
  }

  @Get(':measureId/versions/:version')
  @ApiOperation({ summary: 'One measure version (404 `measure_not_found` for an unknown version)' })
  @ApiOkResponse(OBJECT)
  async get(@Tx() tx: TenantTransaction, @Param() params: MeasureVersionParams) {
    await this.access.authorize(AccessAction.MeasureList, { kind: 'clinic' });
    return entryView(await this.catalogue.resolve(tx, params.measureId, params.version));
  }

  @Post()
  @ApiOperation({
    summary: 'Add a measure the clinic holds a licence for',
    description:
      'Validated by the measure definition schema (exact wording of every item and option; 422 naming each problem). Versions are immutable.',
  })
  @ApiCreatedResponse(OBJECT)
  async add(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: AddClinicMeasureRequest,
  ) {
    await this.access.authorize(AccessAction.MeasureManage, { kind: 'clinic' });
    return entryView(await this.catalogue.addClinicMeasure(tx, principal, body.definition, body.licenceReference));
  }

  @Put(':measureId/licence-confirmation')
  @ApiOperation({
    summary: "Record the clinic's licence confirmation of a built-in that needs one (CSI-4, CSI-16; clinic admin)",
    description:
      "The clinic accepts or holds the rights holder's terms (the CSI: free from its authors; commercial use to be confirmed with them). `reference` is free text, e.g. the date of the authors' email; who and when are recorded, and it is audited. Replaces a current confirmation (the old one is withdrawn). Once recorded, the measure is offered in the portal with Mend's verbatim wording. 404 for a measure that is not a built-in; 409 `measure_conflict` for a built-in that needs no confirmation (PHQ-9, GAD-7, PCL-5).",
  })
  @ApiOkResponse(OBJECT)
  async confirmLicence(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: MeasureParams,
    @Body() body: LicenceConfirmationRequest,
  ) {
    await this.access.authorize(AccessAction.MeasureManage, { kind: 'clinic' });
    return entryView(await this.catalogue.confirmLicence(tx, principal, params.measureId, body.reference));
  }

  @Delete(':measureId/licence-confirmation')
  @ApiOperation({
    summary: "Withdraw the clinic's licence confirmation of a measure (clinic admin)",
    description:
      'The measure is no longer offered in the portal (due administrations are hidden from clients; the care team can still score it from paper). The record is kept, marked withdrawn (who, when), and audited. 404 `licence_confirmation_not_found` when none is current.',
  })
  @ApiOkResponse(OBJECT)
  async withdrawLicence(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: MeasureParams,
  ) {
    await this.access.authorize(AccessAction.MeasureManage, { kind: 'clinic' });
    return entryView(await this.catalogue.withdrawLicence(tx, principal, params.measureId));
  }
}

/** Administrations, change over time and the dyadic view of a case. */
@ApiTags('measures')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cases/:caseId')
export class CaseMeasuresController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(MeasureAdministrations) private readonly administrations: MeasureAdministrations,
  ) {}

  @Post('measure-schedules')
  @ApiOperation({
    summary: 'Schedule a measure for a participant (once or every N days)',
    description:
      "Due times are the given local time in the client's timezone. Creates the first due administration; each completion creates the next.",
  })
  @ApiCreatedResponse(OBJECT)
  async schedule(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseParams,
    @Body() body: ScheduleMeasureRequest,
  ) {
    const resource = await this.access.authorize(AccessAction.MeasureSchedule, { kind: 'case', caseId: params.caseId });
    return this.administrations.schedule(tx, caseViewerOf(principal, resource), {
      clientId: body.clientId,
      measureId: body.measureId,
      version: body.version,
      startDate: body.startDate,
      localTime: body.localTime,
      intervalDays: body.intervalDays ?? null,
      occurrences: body.occurrences ?? null,
    });
  }

  @Get('measure-administrations')
  @ApiOperation({
    summary: 'Administrations of the case',
    description:
      "Care team: all. A participant: only their own, and due ones only for measures offered in the portal (see the catalogue entry's `portal`).",
  })
  @ApiOkResponse(OBJECT)
  async list(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal, @Param() params: CaseParams) {
    const resource = await this.access.authorize(AccessAction.MeasureRead, { kind: 'case', caseId: params.caseId });
    return { administrations: await this.administrations.list(tx, caseViewerOf(principal, resource)) };
  }

  @Get('measure-administrations/:administrationId')
  @ApiOperation({ summary: 'One administration with its measure (a participant: their own only; 404 otherwise)' })
  @ApiOkResponse(OBJECT)
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AdministrationParams,
  ) {
    const resource = await this.access.authorize(AccessAction.MeasureRead, { kind: 'case', caseId: params.caseId });
    const { administration, measure } = await this.administrations.get(
      tx,
      caseViewerOf(principal, resource),
      params.administrationId,
    );
    return { administration, measure: entryView(measure) };
  }

  @Post('measure-administrations')
  @ApiOperation({
    summary: "Record a participant's answers from a paper form (care team)",
    description: `Scored on the server. 422 naming each missing or out-of-range item; 404 for an unknown measure version. ${SCOREABLE}`,
  })
  @ApiCreatedResponse(OBJECT)
  async record(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseParams,
    @Body() body: RecordAdministrationRequest,
  ) {
    const resource = await this.access.authorize(AccessAction.MeasureRecord, { kind: 'case', caseId: params.caseId });
    const result = await this.administrations.record(tx, caseViewerOf(principal, resource), {
      clientId: body.clientId,
      measureId: body.measureId,
      version: body.version,
      answers: body.answers,
      administeredAt: body.administeredAt === undefined ? null : new Date(body.administeredAt),
    });
    return { administration: result.administration, alert: result.alert };
  }

  @Post('measure-administrations/:administrationId/responses')
  @ApiOperation({
    summary: 'Complete one of your own due administrations (participant)',
    description:
      'Scored on the server (422 naming each bad item). When the answers raise a tier-1 alert, `safety` carries the crisis resources for your locale and the statement that the platform is not monitored around the clock.',
  })
  @ApiCreatedResponse(OBJECT)
  async complete(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: AdministrationParams,
    @Body() body: CompleteAdministrationRequest,
  ) {
    const resource = await this.access.authorize(AccessAction.MeasureComplete, { kind: 'case', caseId: params.caseId });
    const result = await this.administrations.complete(
      tx,
      caseViewerOf(principal, resource),
      params.administrationId,
      body.answers,
    );
    return { administration: result.administration, safety: result.safety };
  }

  @Get('clients/:clientId/measures/:measureId/change')
  @ApiOperation({
    summary: 'Change over time of one participant on one measure',
    description:
      'Series, change from baseline and labels (reliable improvement / deterioration / no reliable change / recovered). A participant: only their own (another partner: 404).',
  })
  @ApiOkResponse(OBJECT)
  async change(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ClientMeasureParams,
    @Query() query: VersionQuery,
  ) {
    const resource = await this.access.authorize(AccessAction.MeasureRead, { kind: 'case', caseId: params.caseId });
    return this.administrations.change(
      tx,
      caseViewerOf(principal, resource),
      params.clientId,
      params.measureId,
      query.version,
    );
  }

  @Get('measures/:measureId/dyadic')
  @ApiOperation({
    summary: 'Both partners side by side with their gap (relationship measures; care team only)',
    description: 'Never averaged. Symptom measures have no dyadic view (422). Participants get 404.',
  })
  @ApiOkResponse(OBJECT)
  async dyadic(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: CaseMeasureParams,
    @Query() query: VersionQuery,
  ) {
    const resource = await this.access.authorize(AccessAction.MeasureRead, { kind: 'case', caseId: params.caseId });
    return this.administrations.dyadic(tx, caseViewerOf(principal, resource), params.measureId, query.version);
  }
}
