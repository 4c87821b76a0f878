import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { AccessAction, AccessDeniedError, assertSharedSpaceOpen, caseViewerOf, type CaseResource } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';
import {
  isAudienceOf,
  reportNotFound,
  reportRuleError,
  ReportsErrorCode,
  ReportService,
  sectionsFor,
  type ReportRow,
  type ReportView,
  type RequestSubject,
} from '@mend/reports';

import { RequestAccess } from '../auth/request-access.js';
import { CurrentPrincipal, Tx } from '../auth/request-scope.js';
import { ApiProblemResponses } from '../http/problem.response.js';
import {
  ReportFileParams,
  ReportListResponse,
  ReportParams,
  ReportResponse,
  ReportSectionsQuery,
  ReportSectionsResponse,
  RequestReportRequest,
} from './reports.dto.js';

function toResponse(view: ReportView): ReportResponse {
  return {
    ...view,
    period: { ...view.period },
    asOf: view.asOf.toISOString(),
    createdAt: view.createdAt.toISOString(),
    startedAt: view.startedAt?.toISOString() ?? null,
    finishedAt: view.finishedAt?.toISOString() ?? null,
    files: view.files.map((file) => ({ ...file })),
  };
}

const WHO =
  'Case reports: the care team and the supervisors of its members. Client summaries: the care team requests; the ' +
  'couple (or the one partner named) read them. Caseload: the counselor and their supervisors. Clinic: clinic admins ' +
  "(a supervisor's copy: their supervisees in the breakdown, readable by that supervisor). Anyone else: 404.";

/** Progress reports (issue 9): request, status and progress, files, cancel, and the sections an audience receives. */
@ApiTags('reports')
@ApiProblemResponses()
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class ReportsController {
  constructor(
    @Inject(RequestAccess) private readonly access: RequestAccess,
    @Inject(ReportService) private readonly reports: ReportService,
  ) {}

  @Post('reports')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Request a report (built by the worker; poll its status, then download its files)',
    description:
      `${WHO} A kind you may not request is 404. A period reversed, empty (the end is exclusive), longer than 366 ` +
      "days or ending after tomorrow in the clinic's timezone is 422 naming the field.",
  })
  @ApiAcceptedResponse({ type: ReportResponse })
  async request(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Body() body: RequestReportRequest,
  ): Promise<ReportResponse> {
    const subject = await this.requestSubject(principal, body);
    const view = await this.reports.request(
      tx,
      principal,
      {
        kind: body.kind,
        audience: body.audience,
        periodStart: body.period.start,
        periodEnd: body.period.end,
        caseId: body.caseId ?? null,
        audienceClientId: body.audienceClientId ?? null,
        counselorMembershipId: body.counselorMembershipId ?? null,
        narrative: body.narrative ?? null,
      },
      subject,
    );
    return toResponse(view);
  }

  @Get('reports')
  @ApiOperation({ summary: 'Your reports: those you requested, and client summaries shared with you (newest 100)' })
  @ApiOkResponse({ type: ReportListResponse })
  async list(@Tx() tx: TenantTransaction, @CurrentPrincipal() principal: Principal): Promise<ReportListResponse> {
    await this.access.authorize(AccessAction.ReportListOwn, { kind: 'user', userId: principal.userId });
    return { reports: (await this.reports.listOwn(tx, principal)).map(toResponse) };
  }

  @Get('reports/sections')
  @ApiOperation({
    summary: 'Which sections a report kind gives an audience, and why the others are left out (no data)',
    description: 'The redaction table of the generator (libs/reports model/sections.ts). Every member.',
  })
  @ApiOkResponse({ type: ReportSectionsResponse })
  async sections(@Query() query: ReportSectionsQuery): Promise<ReportSectionsResponse> {
    await this.access.authorize(AccessAction.ReportSectionsRead, { kind: 'clinic' });
    if (!isAudienceOf(query.kind, query.audience))
      throw reportRuleError(
        ReportsErrorCode.AudienceInvalid,
        'audience',
        `A ${query.kind} report has no audience ${query.audience}`,
      );
    return {
      kind: query.kind,
      audience: query.audience,
      sections: sectionsFor(query.kind, query.audience).map((section) => ({ ...section })),
      never: [
        'psychotherapy notes',
        'progress-note text',
        'homework answers',
        'ledger notes',
        "the matched text of a safety alert and a safety hold's reason",
      ],
    };
  }

  @Get('reports/:reportId')
  @ApiOperation({
    summary: 'A report: status (queued, building, ready, failed, cancelled), progress 0-100, files',
    description: WHO,
  })
  @ApiOkResponse({ type: ReportResponse })
  async get(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ReportParams,
  ): Promise<ReportResponse> {
    const row = await this.readable(tx, principal, params.reportId);
    return toResponse(await this.reports.view(tx, row));
  }

  @Get('reports/:reportId/files/:fileName')
  @ApiProduces('application/pdf', 'application/json', 'text/csv')
  @ApiOperation({
    summary: 'Download a file of a ready report (an audited read)',
    description:
      `${WHO} A report still building is 409 \`report_not_ready\` with its status and progress; the file is checked ` +
      'against its stored sha256 (sent as the ETag).',
  })
  @ApiOkResponse({ description: 'The file' })
  async download(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ReportFileParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const row = await this.readable(tx, principal, params.reportId);
    const file = await this.reports.download(tx, principal, row, params.fileName);
    const charset = file.mediaType === 'application/pdf' ? '' : '; charset=utf-8';
    void reply.header('content-type', `${file.mediaType}${charset}`);
    void reply.header(
      'content-disposition',
      `attachment; filename="mend-${row.kind.replace('_', '-')}-${row.period_start}-${file.name}"`,
    );
    void reply.header('cache-control', 'private, no-store');
    void reply.header('etag', `"${file.sha256}"`);
    void reply.header('x-content-type-options', 'nosniff');
    return file.bytes;
  }

  @Post('reports/:reportId/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a queued or building report (the worker stops at its next step and writes no file)',
    description: 'Whoever may request that kind of report on its subject. A finished report is 409.',
  })
  @ApiOkResponse({ type: ReportResponse })
  async cancel(
    @Tx() tx: TenantTransaction,
    @CurrentPrincipal() principal: Principal,
    @Param() params: ReportParams,
  ): Promise<ReportResponse> {
    const row = await this.reports.find(tx, params.reportId);
    if (row === null) throw reportNotFound();
    try {
      await this.requestSubject(principal, {
        kind: row.kind,
        audience: row.audience,
        caseId: row.case_id ?? undefined,
        counselorMembershipId: row.counselor_membership_id ?? undefined,
      });
    } catch (error) {
      if (error instanceof AccessDeniedError) throw reportNotFound();
      throw error;
    }
    return toResponse(await this.reports.cancel(tx, principal, row));
  }

  /**
   * The access decision for requesting a report of this kind on its subject:
   * the case (case, client summary), the counselor's membership (caseload) or
   * the clinic. A clinic copy for an audience the caller does not hold the role
   * of is refused like the kind itself (404).
   */
  private async requestSubject(
    principal: Principal,
    body: Pick<RequestReportRequest, 'kind' | 'audience' | 'caseId' | 'counselorMembershipId'>,
  ): Promise<RequestSubject> {
    switch (body.kind) {
      case 'case':
      case 'client_summary': {
        if (body.caseId === undefined)
          throw reportRuleError(ReportsErrorCode.AudienceInvalid, 'caseId', `A ${body.kind} report names its caseId`);
        const action = body.kind === 'case' ? AccessAction.ReportCaseRequest : AccessAction.ReportClientSummaryRequest;
        return { kind: 'case', resource: await this.access.authorize(action, { kind: 'case', caseId: body.caseId }) };
      }
      case 'caseload':
        return {
          kind: 'membership',
          resource: await this.access.authorize(AccessAction.ReportCaseloadRequest, {
            kind: 'membership',
            membershipId: body.counselorMembershipId ?? principal.membershipId,
          }),
        };
      case 'clinic': {
        await this.access.authorize(AccessAction.ReportClinicRequest, { kind: 'clinic' });
        const role = body.audience === 'supervisor' ? 'supervisor' : 'clinic_admin';
        if ((body.audience === 'clinic' || body.audience === 'supervisor') && !principal.roles.includes(role))
          throw new AccessDeniedError(AccessAction.ReportClinicRequest, 'clinic', principal.clinicId, 'hidden');
        return { kind: 'clinic' };
      }
    }
  }

  /**
   * The report if the caller may read it, else 404 exactly like a report that
   * does not exist: the read action of its kind on its subject, then what the
   * policy cannot see (ReportService.assertReadable). A participant reading a
   * client summary while the case is on a safety hold gets the neutral 409.
   */
  private async readable(tx: TenantTransaction, principal: Principal, reportId: string): Promise<ReportRow> {
    const row = await this.reports.find(tx, reportId);
    if (row === null) throw reportNotFound();
    let subject: RequestSubject;
    try {
      switch (row.kind) {
        case 'case':
        case 'client_summary': {
          const action = row.kind === 'case' ? AccessAction.ReportCaseRead : AccessAction.ReportClientSummaryRead;
          const resource: CaseResource = await this.access.authorize(action, {
            kind: 'case',
            caseId: row.case_id ?? '',
          });
          subject = { kind: 'case', resource };
          break;
        }
        case 'caseload':
          subject = {
            kind: 'membership',
            resource: await this.access.authorize(AccessAction.ReportCaseloadRead, {
              kind: 'membership',
              membershipId: row.counselor_membership_id ?? '',
            }),
          };
          break;
        case 'clinic':
          await this.access.authorize(AccessAction.ReportClinicRead, { kind: 'clinic' });
          subject = { kind: 'clinic' };
          break;
      }
    } catch (error) {
      if (error instanceof AccessDeniedError) throw reportNotFound();
      throw error;
    }
    this.reports.assertReadable(principal, row, subject);
    if (subject.kind === 'case') assertSharedSpaceOpen(caseViewerOf(principal, subject.resource));
    return row;
  }
}
