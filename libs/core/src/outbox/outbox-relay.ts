import type { Queue } from 'bullmq';

import type { UnitOfWork } from '../database/unit-of-work.js';
import { isJobName, JOB_DEFINITIONS, type QueueName } from '../queue/job-definitions.js';

export interface OutboxRelayOptions {
  readonly batchSize: number;
  readonly pollMs: number;
  /** How long a claim protects rows from other relays; a crashed relay's rows return after it. */
  readonly leaseSeconds?: number;
  readonly queue: (name: QueueName) => Queue;
  readonly onError?: (error: unknown) => void;
}

interface ClaimedRow {
  id: string;
  clinic_id: string;
}

interface PublishableRow {
  id: string;
  queue: string;
  job_name: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

/**
 * Moves committed outbox rows to BullMQ. Claims across clinics through the
 * reviewed `outbox_claim` function, then publishes each clinic's rows in that
 * clinic's own transaction with the outbox id as job id, so a row published twice
 * (after a crash between publish and commit) is one job.
 */
export class OutboxRelay {
  private isRunning = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: OutboxRelayOptions,
  ) {}

  /** One pass: returns how many rows were published. */
  async publishOnce(): Promise<number> {
    const claimed = await this.unitOfWork.runWithoutClinic((tx) =>
      tx.query<ClaimedRow>('select id, clinic_id from outbox_claim($1, $2)', [
        this.options.batchSize,
        this.options.leaseSeconds ?? 30,
      ]),
    );
    if (claimed.length === 0) return 0;

    const idsByClinic = new Map<string, string[]>();
    for (const row of claimed) {
      const ids = idsByClinic.get(row.clinic_id) ?? [];
      ids.push(row.id);
      idsByClinic.set(row.clinic_id, ids);
    }

    let published = 0;
    for (const [clinicId, ids] of idsByClinic) {
      // Read, publish, then mark in a second transaction: no transaction stays open
      // across the queue round trip. On the embedded demo database every other
      // connection (the queue backend's own included) waits while one holds a
      // transaction, so publishing inside it deadlocks; on Redis it keeps
      // connections short. A crash between publish and mark republishes the same
      // job ids once the lease ends, and they collapse into the existing jobs.
      const rows = await this.unitOfWork.run(clinicId, (tx) =>
        tx.query<PublishableRow>(
          `select id, queue, job_name, payload, created_at from outbox
            where id = any($1::uuid[]) and published_at is null
            order by seq`,
          [ids],
        ),
      );
      const byQueue = new Map<QueueName, PublishableRow[]>();
      for (const row of rows) {
        if (!isJobName(row.job_name) || JOB_DEFINITIONS[row.job_name].queue !== row.queue) {
          // A row naming an unknown job stays unpublished and visible in /health.
          this.options.onError?.(new Error(`Outbox row ${row.id} names an unknown job`));
          continue;
        }
        const list = byQueue.get(row.queue) ?? [];
        list.push(row);
        byQueue.set(row.queue, list);
      }
      const publishedIds: string[] = [];
      for (const [queueName, queueRows] of byQueue) {
        await this.options.queue(queueName).addBulk(
          queueRows.map((row) => ({
            name: row.job_name,
            data: { ...row.payload, outboxId: row.id, enqueuedAt: new Date(row.created_at).toISOString() },
            opts: { jobId: row.id },
          })),
        );
        publishedIds.push(...queueRows.map((row) => row.id));
      }
      if (publishedIds.length > 0) {
        await this.unitOfWork.run(clinicId, (tx) =>
          tx.query('update outbox set published_at = now() where id = any($1::uuid[]) and published_at is null', [
            publishedIds,
          ]),
        );
      }
      published += publishedIds.length;
    }
    return published;
  }

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.loop = this.run();
  }

  /** Nudges an idle relay to look now (e.g. after a local enqueue). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.isRunning) {
      let published = 0;
      try {
        published = await this.publishOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
      }
      if (published >= this.options.batchSize || !this.isRunning) continue;
      const delay = failures === 0 ? this.options.pollMs : Math.min(this.options.pollMs * 2 ** failures, 10_000);
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
