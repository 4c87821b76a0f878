import { randomUUID } from 'node:crypto';

import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';

import { createDataSource, enqueueJob, type JobPayload, QueueConnection, UnitOfWork } from '@mend/core';
import { ENTITIES } from '@mend/platform';
import { testConfig, testEnvironment, waitForQueuesToDrain } from '@mend/testing';

import { createWorkerApplication } from '../../../apps/worker/src/bootstrap.js';
import { WorkerRuntime } from '../../../apps/worker/src/worker-runtime.service.js';
import { createOwnDatabase, type OwnDatabase } from './support/own-database.js';
import { closeWorkerTestResources } from './support/worker-test-resources.js';

/** The worker end to end in-process: outbox row -> relay -> BullMQ -> handler -> probe_receipts. */
describe('worker: outbox to handler', () => {
  let database: OwnDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let queues: QueueConnection;
  let queue: Queue<JobPayload>;
  let worker: INestApplicationContext;
  let clinicId: string;

  const receipts = () =>
    unitOfWork.run(clinicId, (tx) =>
      tx.query<{ outbox_id: string; deliveries: number; enqueued_at: Date }>(
        'select outbox_id, deliveries, enqueued_at from probe_receipts order by outbox_id',
      ),
    );

  const waitFor = async <T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 15_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (isDone(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    database = await createOwnDatabase('pipeline');
    dataSource = await createDataSource({ url: database.runtimeUrl, entities: ENTITIES, poolSize: 2 }).initialize();
    unitOfWork = new UnitOfWork({ connected: () => dataSource });
    const config = testConfig({
      DATABASE_URL: database.runtimeUrl,
      QUEUE_PREFIX: `${testEnvironment().queuePrefix}-pipeline`,
      OUTBOX_POLL_MS: '50',
    });
    queues = new QueueConnection(config);
    queue = queues.queue('system');
    worker = await createWorkerApplication(config, pino({ level: 'silent' }));
    await worker.get(WorkerRuntime).start();
    clinicId = randomUUID();
    await unitOfWork.run(clinicId, (tx) =>
      tx.query('insert into clinics (id, name) values ($1, $2)', [clinicId, 'Synthetic Clinic']),
    );
  }, 60_000);

  afterAll(async () => {
    await closeWorkerTestResources({ worker, queue, queues, dataSource, database });
  }, 60_000);

  it('delivers a committed enqueue exactly once and never a rolled-back one', async () => {
    const committedId = await unitOfWork.run(clinicId, (tx) => enqueueJob(tx, 'system.probe', {}));
    let rolledBackId: string | undefined;
    await expect(
      unitOfWork.run(clinicId, async (tx) => {
        rolledBackId = await enqueueJob(tx, 'system.probe', {});
        throw new Error('synthetic rollback');
      }),
    ).rejects.toThrow('synthetic rollback');

    const seen = await waitFor(receipts, (rows) => rows.length > 0);
    await waitForQueuesToDrain([queue], { timeoutMs: 15_000 });
    // Two more relay passes: nothing else may arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(seen.map((row) => row.outbox_id)).toEqual([committedId]);
    const [receipt] = await receipts();
    expect(receipt).toMatchObject({ outbox_id: committedId, deliveries: 1 });
    expect(await receipts()).toHaveLength(1);
    const [outboxRow] = await unitOfWork.run(clinicId, (tx) =>
      tx.query<{ created_at: Date; published_at: Date | null }>(
        'select created_at, published_at from outbox where id = $1',
        [committedId],
      ),
    );
    expect(outboxRow.published_at).not.toBeNull();
    expect(new Date(receipt.enqueued_at).toISOString()).toBe(new Date(outboxRow.created_at).toISOString());

    expect(rolledBackId).toBeDefined();
    expect(await queue.getJob(rolledBackId ?? '')).toBeUndefined();
    const job = await queue.getJob(committedId);
    expect(await job?.getState()).toBe('completed');
  }, 30_000);

  it('fails a job with a malformed payload for good, without retrying it', async () => {
    const jobId = randomUUID();
    // Only the relay adds jobs in Mend; this one imitates an older release's payload.
    await queue.add('system.probe', { clinicId, answers: { q1: 'synthetic' } } as never, { jobId, attempts: 8 });

    const job = await waitFor(
      () => queue.getJob(jobId),
      (current) => current?.failedReason !== undefined && current.failedReason !== '',
    );
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toBe(
      'Invalid payload for job "system.probe": Job payload field "answers" must be an id or a small scalar',
    );
    expect(job?.attemptsMade).toBe(1);
    expect(await receipts()).not.toContainEqual(expect.objectContaining({ outbox_id: jobId }));
  }, 30_000);
});
