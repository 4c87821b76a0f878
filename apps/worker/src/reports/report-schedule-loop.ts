import type { Logger } from 'pino';

import type { UnitOfWork } from '@mend/core';
import { scheduleDueReports } from '@mend/reports';

import { describeError } from '../describe-error.js';
import { PeriodicLoop } from '../periodic-loop.js';

export interface ReportScheduleLoopOptions {
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Tests freeze time. */
  readonly now?: () => Date;
}

/** Hourly: a report for "last month" or "last week" is due within the hour after midnight in the clinic's timezone. */
export const REPORT_SCHEDULE_INTERVAL_MS = 60 * 60_000;

/**
 * Every `intervalMs` (and once at start, to catch up after downtime): makes the
 * scheduled reports now due — the monthly clinic report and the weekly caseload
 * digests — each clinic in its own short unit of work (scheduleDueReports:
 * unique schedule keys make a second pass, or a second worker, a no-op). The
 * reports are built by the `reports.build` job like any requested one.
 */
export class ReportScheduleLoop {
  private readonly loop: PeriodicLoop;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: ReportScheduleLoopOptions,
  ) {
    this.loop = new PeriodicLoop(options.intervalMs, () => this.runOnce());
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; never throws (failures are logged, the next pass retries). */
  async runOnce(): Promise<number> {
    const { logger } = this.options;
    try {
      const result = await scheduleDueReports(this.unitOfWork, (this.options.now ?? (() => new Date()))());
      if (result.created > 0)
        logger.info({ clinics: result.clinics, reports: result.created }, 'Scheduled reports made');
      for (const failure of result.failed) {
        logger.error({ clinicId: failure.clinicId, error: describeError(failure.error) }, 'Scheduling reports failed');
      }
      return result.created;
    } catch (error) {
      logger.error({ error: describeError(error) }, 'Report schedule pass failed; retrying at the next interval');
      return 0;
    }
  }
}
