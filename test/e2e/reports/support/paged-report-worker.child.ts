// The real worker process (runWorkerProcess, as main.ts runs it), with the one
// difference that `reports.build` builds page by page (one case or client per
// page) and pauses REPORT_CHUNK_DELAY_MS after each progress update, printing
// `report progress <reportId> <n>` — so that a test can SIGKILL it in the middle
// of a given report.
import 'reflect-metadata';

import { AsyncLocalStorage } from 'node:async_hooks';

import { JobHandler, type MendJob } from '@mend/core';
import type { ReportBuilderOptions } from '@mend/reports';

import { ReportBuildHandler } from '../../../../apps/worker/src/jobs/report-build.handler.js';
import { WORKER_JOB_HANDLERS } from '../../../../apps/worker/src/jobs/worker-job-handlers.js';
import { runWorkerProcess } from '../../../../apps/worker/src/worker-process.js';

const delayMs = Number(process.env.REPORT_CHUNK_DELAY_MS ?? '0');
/** The report of the job being handled (the queue runs two at once). */
const reportOfJob = new AsyncLocalStorage<string>();

@JobHandler('reports.build')
class PagedReportBuildHandler extends ReportBuildHandler {
  protected override builderOptions(): ReportBuilderOptions {
    return {
      pageSize: 1,
      afterProgress: async (progress) => {
        process.stdout.write(`report progress ${reportOfJob.getStore() ?? 'unknown'} ${progress}\n`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      },
    };
  }

  override handle(job: MendJob): Promise<{ outcome: string }> {
    return reportOfJob.run(String(job.data.reportId), () => super.handle(job));
  }
}

await runWorkerProcess({
  handlers: WORKER_JOB_HANDLERS.map((handler) => (handler === ReportBuildHandler ? PagedReportBuildHandler : handler)),
});
