import { Inject } from '@nestjs/common';

import { AccessAction, AccessDeniedError, JobAccess, type MemberJob } from '@mend/access';
import {
  FieldEncryption,
  JobHandler,
  masterKeyEnvelope,
  MEND_CONFIG,
  UnitOfWork,
  type JobHandlerInstance,
  type MendConfig,
  type MendJob,
} from '@mend/core';
import { ReportBuilder, type ReportBuilderOptions, type ReportRow } from '@mend/reports';

type RequestedRow = Pick<ReportRow, 'kind' | 'case_id' | 'counselor_membership_id' | 'requested_by_membership_id'>;

/** Whether the member who asked may still ask for this report (the access action of its kind on its subject). */
async function checkRequester(jobAccess: JobAccess, job: MemberJob, row: RequestedRow): Promise<void> {
  const allow = () => Promise.resolve();
  switch (row.kind) {
    case 'case':
      return jobAccess.run(job, AccessAction.ReportCaseRequest, { kind: 'case', caseId: row.case_id ?? '' }, allow);
    case 'client_summary':
      return jobAccess.run(
        job,
        AccessAction.ReportClientSummaryRequest,
        { kind: 'case', caseId: row.case_id ?? '' },
        allow,
      );
    case 'caseload':
      return jobAccess.run(
        job,
        AccessAction.ReportCaseloadRequest,
        { kind: 'membership', membershipId: row.counselor_membership_id ?? '' },
        allow,
      );
    case 'clinic':
      return jobAccess.run(job, AccessAction.ReportClinicRequest, { kind: 'clinic' }, allow);
  }
}

/**
 * Builds one progress report (ReportBuilder: chunked, progress, cancellable,
 * files written with the ready status in one transaction). A report a member
 * asked for is built only while that member may still ask for it (JobAccess:
 * a disabled member or one taken off the care team fails it closed as
 * `requester_not_allowed`); a scheduled report has no requester. On the job's
 * last attempt a build that keeps failing is marked `failed` (`build_failed`).
 */
@JobHandler('reports.build')
export class ReportBuildHandler implements JobHandlerInstance {
  private readonly builder: ReportBuilder;
  private readonly jobAccess: JobAccess;

  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(MEND_CONFIG) config: MendConfig,
  ) {
    const envelope = masterKeyEnvelope(config);
    if (envelope === null) throw new Error('MASTER_KEY is required by the worker (report files are encrypted)');
    this.builder = new ReportBuilder(unitOfWork, new FieldEncryption(envelope), this.builderOptions());
    this.jobAccess = new JobAccess(unitOfWork);
  }

  /**
   * How the builder chunks its work (the defaults). A subclass may change it:
   * the worker-kill test builds page by page, slowly, so that a SIGKILL lands
   * mid-report.
   */
  protected builderOptions(): ReportBuilderOptions {
    return {};
  }

  async handle(job: MendJob): Promise<{ outcome: string }> {
    const { clinicId } = job.data;
    const reportId = job.data.reportId;
    if (typeof reportId !== 'string') throw new Error('reports.build names its reportId');
    const row = await this.unitOfWork.run(clinicId, async (tx) => {
      const [found] = await tx.query<RequestedRow>(
        `select kind, case_id, counselor_membership_id, requested_by_membership_id from report_requests
          where clinic_id = $1 and id = $2`,
        [clinicId, reportId],
      );
      return found;
    });
    if (row === undefined) return { outcome: 'missing' };
    if (row.requested_by_membership_id !== null) {
      try {
        await checkRequester(
          this.jobAccess,
          { clinicId, membershipId: row.requested_by_membership_id, name: job.name },
          row,
        );
      } catch (error) {
        if (!(error instanceof AccessDeniedError)) throw error;
        await this.builder.markFailed(clinicId, reportId, 'requester_not_allowed');
        return { outcome: 'failed' };
      }
    }
    try {
      return { outcome: await this.builder.build(clinicId, reportId) };
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) await this.builder.markFailed(clinicId, reportId, 'build_failed');
      throw error;
    }
  }
}
