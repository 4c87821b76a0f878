import { randomUUID } from 'node:crypto';

import { recordAudit } from '@mend/audit';
import type { FieldEncryption, TenantTransaction, UnitOfWork } from '@mend/core';

import { reportPeriod } from '../model/period.js';
import type { ReportModel } from '../model/report.types.js';
import { renderReportFiles } from '../storage/report-files.js';
import { artifactLocation, narrativeLocation, REPORT_COLUMNS, type ReportRow } from '../storage/report.service.js';
import { buildCaseloadReport, buildClinicReport, DEFAULT_PAGE_SIZE, type ChunkRunner } from './aggregate-reports.js';
import { buildCaseReport } from './case-report.js';
import { DefinitionCache } from './measure-definitions.js';

/** The build stopped because the report was cancelled meanwhile. */
export class ReportCancelledError extends Error {
  constructor() {
    super('The report was cancelled');
    this.name = 'ReportCancelledError';
  }
}

export type BuildOutcome = 'ready' | 'cancelled' | 'skipped';

export interface ReportBuilderOptions {
  readonly pageSize?: number;
  /**
   * Called after each progress update (tests stop a build here to stand for a
   * worker killed mid-report; the benchmark counts chunks).
   */
  readonly afterProgress?: (progress: number) => void | Promise<void>;
  readonly now?: () => Date;
}

/**
 * Builds one report, as the worker's `reports.build` job: several short units
 * of work, never one long transaction.
 *
 * 1. Claims the request (queued or building -> building, attempts + 1,
 *    progress 0). A report already ready, failed or cancelled is left alone,
 *    so a job delivered twice does the work once.
 * 2. Builds the model for the report's audience as of its stored as-of
 *    instant: a case report in one unit of work; a caseload or clinic report
 *    page by page, recording progress between pages and stopping when the
 *    report was cancelled.
 * 3. Renders the PDF, JSON and CSV files in memory.
 * 4. In ONE transaction, with the request row locked: if it is still
 *    building, writes every file (encrypted, with its sha256) and marks the
 *    report ready at 100 %. A worker killed anywhere before that commit leaves
 *    no file at all; the job runs again (BullMQ redelivers a stalled job) and
 *    restarts from step 1 with the same as-of instant, so the numbers are
 *    the same.
 */
export class ReportBuilder {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly encryption: FieldEncryption,
    private readonly options: ReportBuilderOptions = {},
  ) {}

  async build(clinicId: string, reportId: string): Promise<BuildOutcome> {
    const now = this.options.now ?? (() => new Date());
    const claimed = await this.unitOfWork.run(clinicId, async (tx) => {
      const [row] = await tx.query<ReportRow>(
        `select ${REPORT_COLUMNS} from report_requests where clinic_id = $1 and id = $2 for update`,
        [clinicId, reportId],
      );
      if (row === undefined || (row.status !== 'queued' && row.status !== 'building')) return null;
      await tx.query(
        `update report_requests set status = 'building', progress = 0, attempts = attempts + 1, error_code = null,
                started_at = coalesce(started_at, $3), updated_at = $3
          where clinic_id = $1 and id = $2`,
        [clinicId, reportId, now()],
      );
      const [clinic] = await tx.query<{ name: string }>('select name from clinics where id = $1', [clinicId]);
      const narrative =
        row.narrative === null ? null : await this.encryption.decrypt(tx, narrativeLocation(reportId), row.narrative);
      return { row, clinicName: clinic.name, narrative };
    });
    if (claimed === null) return 'skipped';
    const { row, clinicName, narrative } = claimed;

    const run: ChunkRunner = (work) => this.unitOfWork.run(clinicId, work);
    const progress = async (value: number): Promise<void> => {
      const rounded = Math.max(0, Math.min(99, Math.round(value)));
      const status = await this.unitOfWork.run(clinicId, async (tx) => {
        const result = await tx.query<{ status: string }>(
          `update report_requests set progress = greatest(progress, $3), updated_at = $4
            where clinic_id = $1 and id = $2 and status = 'building' returning status`,
          [clinicId, reportId, rounded, now()],
        );
        return result.length === 0 ? 'gone' : 'building';
      });
      await this.options.afterProgress?.(rounded);
      if (status !== 'building') throw new ReportCancelledError();
    };

    let model: ReportModel;
    try {
      model = await this.buildModel(row, clinicName, narrative, run, progress);
      await progress(96);
    } catch (error) {
      if (error instanceof ReportCancelledError) return 'cancelled';
      throw error;
    }
    const files = await renderReportFiles(model);
    await progress(98).catch((error: unknown) => {
      if (!(error instanceof ReportCancelledError)) throw error;
    });

    return this.unitOfWork.run(clinicId, async (tx) => {
      const [current] = await tx.query<{ status: string }>(
        'select status from report_requests where clinic_id = $1 and id = $2 for update',
        [clinicId, reportId],
      );
      if (current?.status !== 'building') return current?.status === 'cancelled' ? 'cancelled' : 'skipped';
      for (const file of files) await this.storeFile(tx, reportId, file);
      await tx.query(
        `update report_requests set status = 'ready', progress = 100, finished_at = $3, updated_at = $3
          where clinic_id = $1 and id = $2`,
        [clinicId, reportId, now()],
      );
      await recordAudit(tx, {
        action: 'report.built',
        targetType: 'report',
        targetId: reportId,
        actorUserId: null,
        metadata: {
          kind: row.kind,
          audience: row.audience,
          files: files.length,
          bytes: files.reduce((sum, file) => sum + file.bytes.length, 0),
          attempts: row.attempts + 1,
        },
      });
      return 'ready' as const;
    });
  }

  /** Records a build that gave up (the job's last attempt): no file, an error code for the requester. */
  async markFailed(clinicId: string, reportId: string, errorCode: string): Promise<void> {
    await this.unitOfWork.run(clinicId, (tx) =>
      tx.query(
        `update report_requests set status = 'failed', error_code = $3, finished_at = now(), updated_at = now()
          where clinic_id = $1 and id = $2 and status in ('queued', 'building')`,
        [clinicId, reportId, errorCode],
      ),
    );
  }

  private async storeFile(
    tx: TenantTransaction,
    reportId: string,
    file: { name: string; mediaType: string; bytes: Buffer; sha256: string },
  ): Promise<void> {
    const id = randomUUID();
    const sealed = await this.encryption.encrypt(tx, artifactLocation(id), file.bytes.toString('base64'));
    await tx.query(
      `insert into report_artifacts (clinic_id, id, report_id, name, media_type, content, byte_size, sha256)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tx.clinicId, id, reportId, file.name, file.mediaType, sealed, file.bytes.length, file.sha256],
    );
  }

  private async buildModel(
    row: ReportRow,
    clinicName: string,
    narrative: string | null,
    run: ChunkRunner,
    progress: (value: number) => Promise<void>,
  ): Promise<ReportModel> {
    // The period as requested; "not in the future" was checked at request time against that moment.
    const period = reportPeriod(row.period_start, row.period_end, row.timezone, row.as_of);
    const asOf = row.as_of;
    const definitions = new DefinitionCache();
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    switch (row.kind) {
      case 'case':
      case 'client_summary': {
        await progress(10);
        const model = await run((tx) =>
          buildCaseReport(
            tx,
            {
              reportId: row.id,
              kind: row.kind as 'case' | 'client_summary',
              audience: row.audience as 'care_team' | 'couple' | 'partner',
              caseId: row.case_id as string,
              audienceClientId: row.audience_client_id,
              clinicName,
              period,
              asOf,
              narrative,
            },
            definitions,
          ),
        );
        await progress(80);
        return model;
      }
      case 'caseload':
        return buildCaseloadReport(
          run,
          {
            reportId: row.id,
            clinicName,
            counselorMembershipId: row.counselor_membership_id as string,
            period,
            asOf,
          },
          progress,
          { pageSize, definitions },
        );
      case 'clinic':
        return buildClinicReport(
          run,
          {
            reportId: row.id,
            clinicName,
            audience: row.audience as 'clinic' | 'supervisor',
            supervisorMembershipId: row.audience === 'supervisor' ? row.requested_by_membership_id : null,
            period,
            asOf,
          },
          progress,
          { pageSize, definitions },
        );
    }
  }
}
