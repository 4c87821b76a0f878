import { randomUUID } from 'node:crypto';

import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';

import { AuditSealer, recordAudit, verifyAuditChain } from '@mend/audit';
import {
  createDataSource,
  enqueueJob,
  QueueConnection,
  UnitOfWork,
  type JobPayload,
  type MendConfig,
} from '@mend/core';
import { ENTITIES } from '@mend/platform';
import { testConfig, testEnvironment } from '@mend/testing';

import { AuditSealLoop } from '../../../apps/worker/src/audit/audit-seal-loop.js';
import { createWorkerApplication } from '../../../apps/worker/src/bootstrap.js';
import { WorkerRuntime } from '../../../apps/worker/src/worker-runtime.service.js';
import { createOwnDatabase, type OwnDatabase } from '../worker/support/own-database.js';
import { closeWorkerTestResources } from '../worker/support/worker-test-resources.js';
import { coverageOf } from './support/audit-chain.js';

async function eventually<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The worker seals audit rows by itself (periodic loop) and on demand (the audit.seal job). */
describe('worker: audit sealing', () => {
  let database: OwnDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let queues: QueueConnection;
  let queue: Queue<JobPayload>;
  let worker: INestApplicationContext | undefined;
  let config: MendConfig;

  const createClinic = async (): Promise<string> => {
    const clinicId = randomUUID();
    await unitOfWork.run(clinicId, (tx) =>
      tx.query('insert into clinics (id, name) values ($1, $2)', [clinicId, 'Synthetic Clinic']),
    );
    return clinicId;
  };

  beforeAll(async () => {
    // Its own database: a worker relays and seals every clinic of the database it runs on.
    database = await createOwnDatabase('audit');
    dataSource = await createDataSource({ url: database.runtimeUrl, entities: ENTITIES, poolSize: 3 }).initialize();
    unitOfWork = new UnitOfWork({ connected: () => dataSource });
    config = testConfig({
      DATABASE_URL: database.runtimeUrl,
      QUEUE_PREFIX: `${testEnvironment().queuePrefix}-audit`,
      OUTBOX_POLL_MS: '50',
      AUDIT_SEAL_INTERVAL_MS: '1000',
    });
    queues = new QueueConnection(config);
    queue = queues.queue('audit');
  }, 60_000);

  afterAll(async () => {
    await closeWorkerTestResources({ worker, queue, queues, dataSource, database });
  }, 60_000);

  it('seals on its own: rows written before it started, and rows written while it runs', async () => {
    const clinicId = await createClinic();
    await unitOfWork.run(clinicId, (tx) => recordAudit(tx, { action: 'test.before_start' }));

    worker = await createWorkerApplication(config, pino({ level: 'silent' }));
    await worker.get(WorkerRuntime).start();

    const first = await eventually(
      () => coverageOf(unitOfWork, clinicId),
      (coverage) => coverage.unsealed === 0,
    );
    expect(first).toMatchObject({ rows: 1, unsealed: 0 });

    await unitOfWork.run(clinicId, (tx) => recordAudit(tx, { action: 'test.while_running' }));
    const second = await eventually(
      () => coverageOf(unitOfWork, clinicId),
      (coverage) => coverage.unsealed === 0,
    );
    expect(second).toEqual({ rows: 2, unsealed: 0, notCoveredOnce: 0, sealedRowCount: 2 });
    expect(await verifyAuditChain(unitOfWork, clinicId)).toMatchObject({ ok: true, rows: 2, unsealedRows: 0 });
  }, 60_000);

  it('runs the audit.seal job from the outbox', async () => {
    const clinicId = await createClinic();
    const jobId = await unitOfWork.run(clinicId, async (tx) => {
      await recordAudit(tx, { action: 'test.on_demand' });
      return enqueueJob(tx, 'audit.seal', {});
    });
    const job = await eventually(
      () => queue.getJob(jobId),
      (current) => current?.finishedOn !== undefined,
    );
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual(expect.objectContaining({ sealed: expect.any(Boolean) }));
    const coverage = await eventually(
      () => coverageOf(unitOfWork, clinicId),
      (current) => current.unsealed === 0,
    );
    expect(coverage).toEqual({ rows: 1, unsealed: 0, notCoveredOnce: 0, sealedRowCount: 1 });
  }, 60_000);

  it('keeps sealing after a failed pass and stops without leaving a pass running', async () => {
    const clinicId = await createClinic();
    const errors: string[] = [];
    const logger = pino({ level: 'silent' });
    const recordError = (object: unknown, message?: string): void => {
      errors.push(message ?? String(object));
    };
    logger.error = recordError;
    let calls = 0;
    const sealer = new AuditSealer();
    const flaky = Object.assign(Object.create(sealer) as AuditSealer, {
      sealUnsealedClinics: (work: UnitOfWork) => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('synthetic outage')) : sealer.sealUnsealedClinics(work);
      },
    });
    const loop = new AuditSealLoop(unitOfWork, flaky, { intervalMs: 50, logger });
    await unitOfWork.run(clinicId, (tx) => recordAudit(tx, { action: 'test.loop' }));
    loop.start();
    const coverage = await eventually(
      () => coverageOf(unitOfWork, clinicId),
      (current) => current.unsealed === 0,
    );
    await loop.stop();
    const callsAtStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(coverage.unsealed).toBe(0);
    expect(callsAtStop).toBeGreaterThanOrEqual(2);
    expect(errors).toContain('Audit seal pass failed; retrying at the next interval');
    expect(calls).toBe(callsAtStop);
  }, 60_000);
});
