import type { Logger } from 'pino';

import type { UnitOfWork } from '@mend/core';
import { markOverdueEverywhere } from '@mend/homework';

import { describeError } from '../describe-error.js';
import { PeriodicLoop } from '../periodic-loop.js';

export interface HomeworkOverdueLoopOptions {
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Tests freeze time. */
  readonly now?: () => Date;
}

/** Every minute by default: overdue is a day boundary, so a minute late is on time for everyone. */
export const HOMEWORK_OVERDUE_INTERVAL_MS = 60_000;

/**
 * Every `intervalMs` (and once at start, to catch up after downtime): finds the
 * clinics with homework occurrences whose due date may have passed and records
 * `overdue` on those past their recipient's local day, each clinic in its own
 * short unit of work. Like the audit sealer it works directly rather than through
 * queued jobs (PostgreSQL only; several workers are safe: rows are locked with
 * SKIP LOCKED and a transition is recorded only from an open status).
 */
export class HomeworkOverdueLoop {
  private readonly loop: PeriodicLoop;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: HomeworkOverdueLoopOptions,
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
      const result = await markOverdueEverywhere(this.unitOfWork, (this.options.now ?? (() => new Date()))());
      if (result.marked > 0)
        logger.info({ clinics: result.clinics, occurrences: result.marked }, 'Homework marked overdue');
      for (const failure of result.failed) {
        logger.error(
          { clinicId: failure.clinicId, error: describeError(failure.error) },
          'Marking homework overdue failed',
        );
      }
      return result.marked;
    } catch (error) {
      logger.error({ error: describeError(error) }, 'Homework overdue pass failed; retrying at the next interval');
      return 0;
    }
  }
}
