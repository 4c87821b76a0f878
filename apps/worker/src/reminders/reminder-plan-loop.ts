import type { Logger } from 'pino';

import type { UnitOfWork } from '@mend/core';
import { ReminderPlanner } from '@mend/notifications';

import { describeError } from '../describe-error.js';
import { PeriodicLoop } from '../periodic-loop.js';

export interface ReminderPlanLoopOptions {
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly planner?: ReminderPlanner;
  /** Tests freeze time. */
  readonly now?: () => Date;
}

/**
 * Every `intervalMs` (and once at start, to catch up after downtime): turns
 * every clinic's assignments, sessions, measures, plans, notes and alerts into
 * reminder rows, each clinic in its own short unit of work. Several workers are
 * safe: a reminder row is written once (unique dedupe key).
 */
export class ReminderPlanLoop {
  private readonly loop: PeriodicLoop;
  private readonly planner: ReminderPlanner;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: ReminderPlanLoopOptions,
  ) {
    this.planner = options.planner ?? new ReminderPlanner();
    this.loop = new PeriodicLoop(options.intervalMs, () => this.runOnce());
  }

  start(): void {
    this.loop.start();
  }

  /** Stops scheduling; a pass in progress ends after the clinic it is planning. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over every clinic; never throws (failures are logged, the next pass retries). */
  async runOnce(): Promise<number> {
    const { logger } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    let planned = 0;
    try {
      const clinics = await this.unitOfWork.runWithoutClinic((tx) =>
        tx.query<{ clinic_id: string }>('select clinic_id from reminder_clinics()'),
      );
      for (const { clinic_id: clinicId } of clinics) {
        if (this.loop.isStopping) break;
        try {
          planned += await this.unitOfWork.run(clinicId, (tx) => this.planner.plan(tx, now));
        } catch (error) {
          logger.error({ clinicId, error: describeError(error) }, 'Planning reminders failed for a clinic');
        }
      }
      if (planned > 0) logger.info({ reminders: planned }, 'Reminders planned');
    } catch (error) {
      logger.error({ error: describeError(error) }, 'Reminder planning pass failed; retrying at the next interval');
    }
    return planned;
  }
}
