import type { Logger } from 'pino';

import type { UnitOfWork } from '@mend/core';
import { ReminderPlanner } from '@mend/notifications';

import { describeError } from '../describe-error.js';

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
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private isRunning = false;
  private readonly planner: ReminderPlanner;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: ReminderPlanLoopOptions,
  ) {
    this.planner = options.planner ?? new ReminderPlanner();
  }

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    clearTimeout(this.timer);
    await this.pass;
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
        if (!this.isRunning && this.timer !== undefined) break;
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

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.pass = this.runOnce().then(() => {
        if (this.isRunning) this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }
}
