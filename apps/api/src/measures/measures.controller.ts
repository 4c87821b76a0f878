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
  ScheduleMeasureRequest,
  SupplyWordingRequest,
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
  definition: entry.definition,
});

const SCOREABLE =
  'A built-in whose verbatim wording is not configured is still scoreable from a paper form (POST …/measure-administrations by the care team) but is not offered to clients in the portal until the clinic supplies its wording (PUT /measures/{id}/versions/{version}/wording).';

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

  @Put(':measureId/versions/:version/wording')
  @ApiOperation({
    summary: 'Supply the verbatim wording of a built-in the clinic holds a licence for',
    description:
      'Every item and option label; nothing else of the definition changes. Once supplied, the measure is offered in the portal.',
  })
  @ApiOkResponse(OBJECT)
  async wording(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: MeasureVersionParams,
    @Body() body: SupplyWordingRequest,
  ) {
    await this.access.authorize(AccessAction.MeasureManage, { kind: 'clinic' });
    const { licenceReference, ...wording } = body;
    return entryView(
      await this.catalogue.supplyWording(tx, principal, params.measureId, params.version, wording, licenceReference),
    );
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
      'Care team: all. A participant: only their own, and due ones only for measures whose wording is configured.',
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
