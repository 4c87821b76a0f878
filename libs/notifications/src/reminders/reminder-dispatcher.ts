import type { Queue } from 'bullmq';

import type { UnitOfWork } from '@mend/core';

export const REMINDER_JOB_NAME = 'reminder.deliver';

/** The deterministic job id of a reminder's delivery (BullMQ ids must not contain ':'). */
export function reminderJobId(reminderId: string, generation: number): string {
  return `reminder-${reminderId.toLowerCase()}-${generation}`;
}

/**
 * How soon a pass that backpressure held back looks again (at most the poll):
 * the queue then holds a backlog the workers drain in well under a poll (2
 * batches of 500 at ~4,000 reminders/s: 250 ms), and sleeping a whole poll
 * would leave them idle for the rest of it.
 */
const BACKPRESSURE_RECHECK_MS = 25;

export interface ReminderDispatcherOptions {
  readonly batchSize: number;
  readonly pollMs: number;
  /** How long a claim waits for its delivery before the reconciler claims it again. */
  readonly leaseSeconds: number;
  readonly queue: () => Queue;
  /**
   * Claims only while fewer jobs than this wait in the queue (none: no bound), so
   * a large backlog stays `pending` in PostgreSQL rather than piling up in Redis
   * and in the worker's memory, and a claim never waits out its lease in the queue.
   * A pass held back this way looks again after {@link BACKPRESSURE_RECHECK_MS},
   * not after a whole poll.
   */
  readonly maxWaiting?: number;
  readonly onError?: (error: unknown) => void;
}

interface ClaimedRow {
  id: string;
  clinic_id: string;
  generation: number;
  claims: number;
}

/**
 * The claim loop and reconciler in one: claims due reminders of every clinic
 * through the reviewed `reminder_claim` function (FOR UPDATE SKIP LOCKED, in
 * batches; a queued row whose lease ran out is claimed again) and adds one
 * BullMQ job per reminder with a deterministic job id. A second add of a job
 * still stored is a no-op; a removed one runs again and finds its deliveries
 * rows (the exactly-once guarantee rests on them). A re-claimed reminder whose
 * job already failed for good is marked failed, visible to the clinic's admins.
 * When the queue refuses the batch (Redis down), the claims are released at
 * once, so the rows are claimed again (under the next generation) as soon as
 * Redis is back. With
 * `maxWaiting`, a pass claims nothing while the queue already holds that many
 * waiting jobs (backpressure: the backlog waits in PostgreSQL).
 */
export class ReminderDispatcher {
  private isRunning = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: ReminderDispatcherOptions,
  ) {}

  /** One pass: answers how many reminders were claimed and enqueued. */
  async dispatchOnce(): Promise<number> {
    return (await this.pass()).dispatched;
  }

  /**
   * One pass: how many reminders were claimed and enqueued, and whether backpressure held it back (the queue
   * was full) rather than nothing being due.
   */
  private async pass(): Promise<{ readonly dispatched: number; readonly heldBack: boolean }> {
    const queue = this.options.queue();
    if (this.options.maxWaiting !== undefined && (await queue.getWaitingCount()) >= this.options.maxWaiting) {
      return { dispatched: 0, heldBack: true };
    }
    const claimed = await this.unitOfWork.runWithoutClinic((tx) =>
      tx.query<ClaimedRow>('select id, clinic_id, generation, claims from reminder_claim($1, $2)', [
        this.options.batchSize,
        this.options.leaseSeconds,
      ]),
    );
    if (claimed.length === 0) return { dispatched: 0, heldBack: false };
    try {
      await queue.addBulk(
        claimed.map((row) => ({
          name: REMINDER_JOB_NAME,
          data: { clinicId: row.clinic_id, reminderId: row.id },
          opts: { jobId: reminderJobId(row.id, row.generation) },
        })),
      );
    } catch (error) {
      await this.release(claimed).catch(() => undefined);
      throw error;
    }
    const reclaimed = claimed.filter((row) => row.claims > 1);
    if (reclaimed.length > 0) await this.settleReclaimed(queue, reclaimed);
    return { dispatched: claimed.length, heldBack: false };
  }

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.loop = this.run();
  }

  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    this.wake?.();
    await this.loop;
  }

  /** Reminders re-claimed by the reconciler whose job already failed for good: visible as failed. */
  private async settleReclaimed(queue: Queue, rows: readonly ClaimedRow[]): Promise<void> {
    for (const row of rows) {
      const state = await queue.getJobState(reminderJobId(row.id, row.generation));
      if (state !== 'failed') continue;
      await this.unitOfWork.run(row.clinic_id, (tx) =>
        tx.query(
          `update reminders set status = 'failed', failed_at = now(), last_error = coalesce(last_error, 'job_failed'),
                  claim_token = null, updated_at = now()
            where clinic_id = $1 and id = $2 and status = 'queued' and generation = $3`,
          [tx.clinicId, row.id, row.generation],
        ),
      );
    }
  }

  /**
   * Back to `pending`. The add may have reached Redis even though it answered with an error (a reply lost with
   * the connection): such a job runs once, finds the row not `queued` and completes, and a second add of its id
   * would be a no-op — so the next claim enqueues the row under the next generation (reminder_claim does so for
   * any pending row enqueued before).
   */
  private async release(rows: readonly ClaimedRow[]): Promise<void> {
    const byClinic = new Map<string, string[]>();
    for (const row of rows) {
      const ids = byClinic.get(row.clinic_id);
      if (ids === undefined) byClinic.set(row.clinic_id, [row.id]);
      else ids.push(row.id);
    }
    for (const [clinicId, ids] of byClinic) {
      await this.unitOfWork.run(clinicId, (tx) =>
        tx.query(
          `update reminders set status = 'pending', claim_token = null, claimed_until = null, updated_at = now()
            where clinic_id = $1 and id = any($2::uuid[]) and status = 'queued'`,
          [tx.clinicId, ids],
        ),
      );
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.isRunning) {
      let dispatched = 0;
      let heldBack = false;
      try {
        ({ dispatched, heldBack } = await this.pass());
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
      }
      if (dispatched >= this.options.batchSize || !this.isRunning) continue;
      const delay =
        failures > 0
          ? Math.min(this.options.pollMs * 2 ** failures, 10_000)
          : heldBack
            ? Math.min(this.options.pollMs, BACKPRESSURE_RECHECK_MS)
            : this.options.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
