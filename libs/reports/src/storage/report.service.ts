import { randomUUID } from 'node:crypto';

import type { AccessPrincipal, CaseResource, MembershipResource } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { enqueueJob, type FieldEncryption, type TenantTransaction } from '@mend/core';

import { reportAsOf, reportPeriod } from '../model/period.js';
import type { ReportAudience, ReportKind, ReportStatus } from '../model/report.types.js';
import { isAudienceOf } from '../model/sections.js';
import { reportNotFound, reportRuleError, ReportsError, ReportsErrorCode } from '../reports.errors.js';
import { sha256Of } from './report-files.js';

/** The job that builds a report (declared in libs/core JOB_DEFINITIONS, queue `reports`). */
export const REPORT_BUILD_JOB = 'reports.build' as const;

export const NARRATIVE_MAX_LENGTH = 8000;

export interface RequestReportInput {
  readonly kind: ReportKind;
  readonly audience: ReportAudience;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** Case and client_summary. */
  readonly caseId?: string | null;
  /** A `partner` client summary: the participant it is for. */
  readonly audienceClientId?: string | null;
  /** Caseload: the counselor. */
  readonly counselorMembershipId?: string | null;
  /** Case and client_summary: the counselor's narrative for this audience. */
  readonly narrative?: string | null;
}

/** The record the access policy decided on for the request (the caller authorizes before calling). */
export type RequestSubject =
  | { readonly kind: 'case'; readonly resource: CaseResource }
  | { readonly kind: 'membership'; readonly resource: MembershipResource }
  | { readonly kind: 'clinic' };

export interface ReportFileView {
  readonly name: string;
  readonly mediaType: string;
  readonly byteSize: number;
  readonly sha256: string;
}

export interface ReportView {
  readonly id: string;
  readonly kind: ReportKind;
  readonly audience: ReportAudience;
  readonly period: { readonly start: string; readonly end: string; readonly timezone: string };
  readonly asOf: Date;
  readonly caseId: string | null;
  readonly audienceClientId: string | null;
  readonly counselorMembershipId: string | null;
  readonly requestedByMembershipId: string | null;
  readonly scheduled: boolean;
  readonly status: ReportStatus;
  readonly progress: number;
  readonly attempts: number;
  readonly errorCode: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  /** The files, once ready. */
  readonly files: readonly ReportFileView[];
}

export interface ReportRow {
  readonly id: string;
  readonly kind: ReportKind;
  readonly audience: ReportAudience;
  readonly period_start: string;
  readonly period_end: string;
  readonly timezone: string;
  readonly as_of: Date;
  readonly case_id: string | null;
  readonly audience_client_id: string | null;
  readonly counselor_membership_id: string | null;
  readonly requested_by_membership_id: string | null;
  readonly schedule_key: string | null;
  readonly narrative: string | null;
  readonly status: ReportStatus;
  readonly progress: number;
  readonly attempts: number;
  readonly error_code: string | null;
  readonly created_at: Date;
  readonly started_at: Date | null;
  readonly finished_at: Date | null;
}

export const REPORT_COLUMNS = `id, kind, audience, period_start::text as period_start, period_end::text as period_end, timezone,
  as_of, case_id, audience_client_id, counselor_membership_id, requested_by_membership_id, schedule_key, narrative,
  status, progress, attempts, error_code, created_at, started_at, finished_at`;

export interface DownloadedFile {
  readonly name: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly sha256: string;
}

const same = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** Where a report's narrative is sealed. */
export const narrativeLocation = (reportId: string) => ({
  table: 'report_requests',
  rowId: reportId,
  column: 'narrative',
});
/** Where a report file is sealed. */
export const artifactLocation = (artifactId: string) => ({
  table: 'report_artifacts',
  rowId: artifactId,
  column: 'content',
});

/**
 * Report requests, status, files and cancellation. The caller (controller) has
 * asked the access policy with the action of the report's kind on its subject
 * (a case, a membership, the clinic); the service adds what the policy cannot
 * see: that a partner's copy is read only by that partner, and a supervisor's
 * clinic copy only by the supervisor who asked for it.
 */
export class ReportService {
  constructor(
    private readonly encryption: FieldEncryption,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    input: RequestReportInput,
    subject: RequestSubject,
  ): Promise<ReportView> {
    if (!isAudienceOf(input.kind, input.audience))
      throw reportRuleError(
        ReportsErrorCode.AudienceInvalid,
        'audience',
        `A ${input.kind} report has no audience ${input.audience}`,
      );
    if ((input.narrative ?? null) !== null && input.kind !== 'case' && input.kind !== 'client_summary')
      throw reportRuleError(
        ReportsErrorCode.NarrativeNotAllowed,
        'narrative',
        'Only case reports and client summaries carry a narrative (caseload and clinic reports hold no clinical text)',
      );
    let caseId: string | null = null;
    let audienceClientId: string | null = null;
    let counselorMembershipId: string | null = null;
    if (subject.kind === 'case') {
      caseId = subject.resource.caseId;
      if (input.audience === 'partner') {
        const participant = subject.resource.participants.find((p) => same(p.clientId, input.audienceClientId));
        if (participant === undefined)
          throw reportRuleError(
            ReportsErrorCode.AudienceInvalid,
            'audienceClientId',
            'A partner summary names a participant of the case',
          );
        audienceClientId = participant.clientId;
      } else if ((input.audienceClientId ?? null) !== null) {
        throw reportRuleError(
          ReportsErrorCode.AudienceInvalid,
          'audienceClientId',
          'Only a partner summary names a participant',
        );
      }
    } else if (subject.kind === 'membership') {
      if (!subject.resource.roles.includes('counselor'))
        throw reportRuleError(
          ReportsErrorCode.NotACounselor,
          'counselorMembershipId',
          'A caseload report is about a counselor',
        );
      counselorMembershipId = subject.resource.membershipId;
    }
    const [clinic] = await tx.query<{ timezone: string }>('select timezone from clinics where id = $1', [tx.clinicId]);
    const now = this.now();
    const period = reportPeriod(input.periodStart, input.periodEnd, clinic.timezone, now);
    const id = randomUUID();
    const narrative =
      (input.narrative ?? null) === null
        ? null
        : await this.encryption.encrypt(tx, narrativeLocation(id), input.narrative as string);
    await tx.query(
      `insert into report_requests (clinic_id, id, kind, audience, period_start, period_end, timezone, as_of, case_id,
                                    audience_client_id, counselor_membership_id, requested_by_membership_id, narrative,
                                    created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
      [
        tx.clinicId,
        id,
        input.kind,
        input.audience,
        period.start,
        period.end,
        period.timezone,
        reportAsOf(period, now),
        caseId,
        audienceClientId,
        counselorMembershipId,
        principal.membershipId,
        narrative,
        now,
      ],
    );
    await enqueueJob(tx, REPORT_BUILD_JOB, { reportId: id });
    await recordAudit(tx, {
      action: 'report.request',
      targetType: 'report',
      targetId: id,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { kind: input.kind, audience: input.audience, days: period.days, caseId, counselorMembershipId },
    });
    const row = await this.find(tx, id);
    return this.view(tx, row as ReportRow);
  }

  /** The report row (no access decision: the caller authorizes on its subject next), or null. */
  async find(tx: TenantTransaction, reportId: string): Promise<ReportRow | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reportId)) return null;
    const [row] = await tx.query<ReportRow>(
      `select ${REPORT_COLUMNS} from report_requests where clinic_id = $1 and id = $2`,
      [tx.clinicId, reportId],
    );
    return row ?? null;
  }

  /**
   * What the policy cannot see: a partner's copy is that partner's (the other
   * partner and anyone else participating get 404), a couple's copy is every
   * participant's; a supervisor's clinic copy is the supervisor's who asked.
   * Staff who passed the policy (care team, supervisors) read client summaries.
   */
  assertReadable(principal: AccessPrincipal, row: ReportRow, subject: RequestSubject): void {
    const isStaff = principal.roles.some((role) => role !== 'client');
    if (row.kind === 'client_summary' && !isStaff) {
      if (subject.kind !== 'case') throw reportNotFound();
      const mine = subject.resource.participants.find((p) => same(p.membershipId, principal.membershipId));
      if (mine === undefined) throw reportNotFound();
      if (row.audience === 'partner' && !same(mine.clientId, row.audience_client_id)) throw reportNotFound();
    }
    if (row.kind === 'clinic') {
      const isAdmin = principal.roles.includes('clinic_admin');
      if (!isAdmin && !(row.audience === 'supervisor' && same(row.requested_by_membership_id, principal.membershipId)))
        throw reportNotFound();
    }
  }

  async view(tx: TenantTransaction, row: ReportRow): Promise<ReportView> {
    const files =
      row.status !== 'ready'
        ? []
        : await tx.query<{ name: string; media_type: string; byte_size: number; sha256: string }>(
            `select name, media_type, byte_size, sha256 from report_artifacts
              where clinic_id = $1 and report_id = $2 order by name`,
            [tx.clinicId, row.id],
          );
    return {
      id: row.id,
      kind: row.kind,
      audience: row.audience,
      period: { start: row.period_start, end: row.period_end, timezone: row.timezone },
      asOf: row.as_of,
      caseId: row.case_id,
      audienceClientId: row.audience_client_id,
      counselorMembershipId: row.counselor_membership_id,
      requestedByMembershipId: row.requested_by_membership_id,
      scheduled: row.schedule_key !== null,
      status: row.status,
      progress: row.progress,
      attempts: row.attempts,
      errorCode: row.error_code,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      files: files.map((file) => ({
        name: file.name,
        mediaType: file.media_type,
        byteSize: file.byte_size,
        sha256: file.sha256,
      })),
    };
  }

  /**
   * One file of a ready report, decrypted and checked against its stored
   * checksum; an audited read. A report still building is 409 with its
   * status and progress; an unknown file name is 404.
   */
  async download(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    row: ReportRow,
    name: string,
  ): Promise<DownloadedFile> {
    if (row.status !== 'ready') {
      throw new ReportsError(
        ReportsErrorCode.NotReady,
        409,
        row.status === 'queued' || row.status === 'building'
          ? `The report is still being built (${row.progress}% done); poll its status and download it when ready`
          : `The report is ${row.status}: it has no files`,
        undefined,
        { reportStatus: row.status, progress: row.progress },
      );
    }
    const [file] = await tx.query<{ id: string; media_type: string; content: string; sha256: string }>(
      `select id, media_type, content, sha256 from report_artifacts where clinic_id = $1 and report_id = $2 and name = $3`,
      [tx.clinicId, row.id, name],
    );
    if (file === undefined) throw new ReportsError(ReportsErrorCode.NotFound, 404, 'No such file of this report');
    const bytes = Buffer.from(await this.encryption.decrypt(tx, artifactLocation(file.id), file.content), 'base64');
    if (sha256Of(bytes) !== file.sha256) throw new Error('A stored report file does not match its checksum');
    await recordAudit(tx, {
      action: 'report.download',
      targetType: 'report',
      targetId: row.id,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { file: name, kind: row.kind, audience: row.audience, bytes: bytes.length, sha256: file.sha256 },
    });
    return { name, mediaType: file.media_type, bytes, sha256: file.sha256 };
  }

  /** Stops a queued or building report: the worker stops at its next chunk and writes no file. */
  async cancel(tx: TenantTransaction, principal: AccessPrincipal, row: ReportRow): Promise<ReportView> {
    const [cancelled] = await tx.query<ReportRow>(
      `update report_requests set status = 'cancelled', finished_at = $3, updated_at = $3
        where clinic_id = $1 and id = $2 and status in ('queued', 'building')
        returning ${REPORT_COLUMNS}`,
      [tx.clinicId, row.id, this.now()],
    );
    if (cancelled === undefined)
      throw new ReportsError(
        ReportsErrorCode.AlreadyFinished,
        409,
        `The report is ${row.status}: it cannot be cancelled`,
      );
    await recordAudit(tx, {
      action: 'report.cancel',
      targetType: 'report',
      targetId: row.id,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { kind: row.kind, progress: row.progress },
    });
    return this.view(tx, cancelled);
  }

  /**
   * The caller's reports: those they requested, and (a client) the client
   * summaries addressed to them in their cases. Newest first, at most 100.
   */
  async listOwn(tx: TenantTransaction, principal: AccessPrincipal): Promise<ReportView[]> {
    const rows = await tx.query<ReportRow>(
      `select ${REPORT_COLUMNS} from report_requests r
        where r.clinic_id = $1
          and r.id in (
            select x.id from report_requests x where x.clinic_id = $1 and x.requested_by_membership_id = $2
            union all
            -- A client's summaries: from their own client row (by membership) through their cases, all indexed.
            -- Fenced: each of the client's cases is looked up on its own, whatever the estimates (joined, the
            -- planner sometimes read the clinic's reports through the (clinic, case) index and hashed them).
            select x.id from clients c
              join case_participants p on p.clinic_id = c.clinic_id and p.client_id = c.id
              cross join lateral (
                select x.id from report_requests x
                 where x.clinic_id = p.clinic_id and x.case_id = p.case_id
                   and x.kind = 'client_summary' and x.status = 'ready'
                   and (x.audience = 'couple' or x.audience_client_id = c.id)
                offset 0) x
             where c.clinic_id = $1 and c.membership_id = $2)
        order by r.created_at desc, r.id limit 100`,
      [tx.clinicId, principal.membershipId],
    );
    const views: ReportView[] = [];
    for (const row of rows) views.push(await this.view(tx, row));
    return views;
  }
}
