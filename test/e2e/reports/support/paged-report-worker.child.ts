// The real worker process (runWorkerProcess, as main.ts runs it), with the one
// difference that `reports.build` builds page by page (one case or client per
// page) and pauses REPORT_CHUNK_DELAY_MS after each progress update, printing
// `report progress <n>` — so that a test can SIGKILL it in the middle of a report.
import 'reflect-metadata';

import { JobHandler } from '@mend/core';
import type { ReportBuilderOptions } from '@mend/reports';

import { ReportBuildHandler } from '../../../../apps/worker/src/jobs/report-build.handler.js';
import { WORKER_JOB_HANDLERS } from '../../../../apps/worker/src/jobs/worker-job-handlers.js';
import { runWorkerProcess } from '../../../../apps/worker/src/worker-process.js';

const delayMs = Number(process.env.REPORT_CHUNK_DELAY_MS ?? '0');

@JobHandler('reports.build')
class PagedReportBuildHandler extends ReportBuildHandler {
  protected override builderOptions(): ReportBuilderOptions {
    return {
      pageSize: 1,
      afterProgress: async (progress) => {
        process.stdout.write(`report progress ${progress}\n`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      },
    };
  }
}

await runWorkerProcess({
  handlers: WORKER_JOB_HANDLERS.map((handler) => (handler === ReportBuildHandler ? PagedReportBuildHandler : handler)),
});
