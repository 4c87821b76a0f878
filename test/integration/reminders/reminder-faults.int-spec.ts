import { randomBytes } from 'node:crypto';

import { Queue } from 'bullmq';
import pg from 'pg';
import type { DataSource } from 'typeorm';

import { createDataSource, createRedisClient, UnitOfWork } from '@mend/core';
import { ENTITIES } from '@mend/platform';
import { seededFaker, testEnvironment, testSeed } from '@mend/testing';

import { createOwnDatabase, type OwnDatabase } from '../worker/support/own-database.js';
import { spawnTypeScript, type TypeScriptChild } from '../worker/support/typescript-child.js';
import { OwnRedis } from './support/own-redis.js';
import {
  adminUrlFor,
  insertDueReminders,
  reminderCounts,
  seedReminderClinic,
  type ReminderClinic,
  type ReminderCounts,
} from './support/reminder-world.js';

const REMINDERS = 3_000;
const KILLS = 10;

/**
 * reliability.md JOB-1/2/3/5 for reminders. Each test runs real worker
 * processes (apps/worker/src/main.ts) against a database and a redis-server of
 * this file's own (AOF, noeviction), never the shared services, and judges by
 * ground truth in PostgreSQL: every reminder `sent`, one deliveries row and one
 * in-app notification each, none failed, no job failed in BullMQ.
 */
describe('reminders under faults (own Redis with AOF, own worker processes)', () => {
  const seed = testSeed();
  const faker = seededFaker(seed);
  let database: OwnDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let redis: OwnRedis;
  let queuePrefix: string;
  const workers = new Set<TypeScriptChild>();
  const masterKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    database = await createOwnDatabase('reminder_faults');
    dataSource = await createDataSource({ url: database.runtimeUrl, entities: ENTITIES, poolSize: 4 }).initialize();
    unitOfWork = new UnitOfWork({ connected: () => dataSource });
    redis = await OwnRedis.start();
    queuePrefix = `${testEnvironment().queuePrefix}-remf`;
    console.log(
      `reminder fault tests: seed ${seed} (replay with MEND_TEST_SEED=${seed}); redis AOF on port ${redis.port}`,
    );
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) worker.process.kill('SIGKILL');
    await dataSource?.destroy();
    await database?.drop();
    await redis?.stop();
  }, 120_000);

  async function startWorker(_name: string): Promise<TypeScriptChild> {
    const child = spawnTypeScript('apps/worker/src/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.runtimeUrl,
      DATABASE_POOL_SIZE: '8',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: queuePrefix,
      MASTER_KEY: masterKey,
      REMINDER_POLL_MS: '50',
      REMINDER_BATCH_SIZE: '100',
      REMINDER_LEASE_SECONDS: '10',
      REMINDER_CONCURRENCY: '10',
      REMINDER_PLAN_INTERVAL_MS: '600000',
      SHUTDOWN_GRACE_MS: '10000',
    });
    workers.add(child);
    void child.exited.then(() => workers.delete(child));
    await child.waitForLine(/"msg":"Worker started"/, 120_000);
    return child;
  }

  async function kill(child: TypeScriptChild, signal: NodeJS.Signals = 'SIGKILL') {
    child.process.kill(signal);
    return child.exited;
  }

  async function waitUntil(
    clinic: ReminderClinic,
    done: (counts: ReminderCounts) => boolean,
    timeoutMs: number,
  ): Promise<ReminderCounts> {
    const deadline = Date.now() + timeoutMs;
    let counts = await reminderCounts(unitOfWork, clinic.clinicId);
    while (!done(counts) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      counts = await reminderCounts(unitOfWork, clinic.clinicId).catch(() => counts);
    }
    return counts;
  }

  async function failedJobs(): Promise<number> {
    const connection = createRedisClient(redis.url);
    const queue = new Queue('reminders', { connection, prefix: queuePrefix });
    try {
      return (await queue.getJobCounts('failed')).failed ?? 0;
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  /** Reminders due over the next `spreadMs` (a steady stream for the faults to hit mid-run). */
  async function stream(clinic: ReminderClinic, count: number, spreadMs: number, label: string): Promise<void> {
    const start = Date.now();
    const waves = 20;
    for (let wave = 0; wave < waves; wave += 1) {
      const size = Math.floor(count / waves) + (wave < count % waves ? 1 : 0);
      await insertDueReminders(
        unitOfWork,
        clinic,
        size,
        new Date(start + (spreadMs * wave) / waves),
        `${label}-${wave}`,
      );
    }
  }

  const expectAllDeliveredOnce = (counts: ReminderCounts, total: number) => {
    expect(counts).toEqual({
      total,
      sent: total,
      failed: 0,
      open: 0,
      deliveries: total,
      notifications: total,
      duplicated: 0,
      providerCallsOverOne: 0,
    });
  };

  it(`delivers ${REMINDERS} reminders exactly once with the worker SIGKILLed ${KILLS} times at seeded random points`, async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 4 });
    await stream(clinic, REMINDERS, 40_000, 'kill');
    const kills: string[] = [];
    for (let index = 0; index < KILLS; index += 1) {
      const worker = await startWorker(`kill-${index}`);
      const afterMs = faker.number.int({ min: 1_500, max: 6_000 });
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      await kill(worker);
      const counts = await reminderCounts(unitOfWork, clinic.clinicId);
      kills.push(`${afterMs} ms (${counts.sent} sent)`);
    }
    const last = await startWorker('kill-final');
    const counts = await waitUntil(clinic, (c) => c.sent === REMINDERS, 180_000);
    expect(await kill(last, 'SIGTERM')).toEqual({ code: 0, signal: null });
    const failed = await failedJobs();
    console.log(
      [
        `reminder worker kill test: seed ${seed}`,
        `  ${REMINDERS} reminders; SIGKILLs ${kills.length} after start: ${kills.join(', ')}`,
        `  sent ${counts.sent}, failed ${counts.failed}, still open ${counts.open}, deliveries ${counts.deliveries}, ` +
          `in-app notifications ${counts.notifications}, duplicated ${counts.duplicated}, failed jobs ${failed}`,
      ].join('\n'),
    );
    expectAllDeliveredOnce(counts, REMINDERS);
    expect(failed).toBe(0);
  }, 600_000);

  it('loses no acknowledged reminder when its own Redis (AOF) is SIGKILLed and restarted mid-run, and resumes within 30 s', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 4 });
    await stream(clinic, REMINDERS, 20_000, 'redis');
    const worker = await startWorker('redis');
    const killAfterMs = faker.number.int({ min: 3_000, max: 8_000 });
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    await redis.kill();
    // Acknowledged: claimed and accepted by the queue before Redis died.
    const acknowledged = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ id: string }>(`select id from reminders where status = 'queued'`),
    );
    const before = await reminderCounts(unitOfWork, clinic.clinicId);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.launch();
    const back = Date.now();
    const resumed = await waitUntil(clinic, (c) => c.sent > before.sent, 60_000);
    const resumeMs = Date.now() - back;
    const counts = await waitUntil(clinic, (c) => c.sent === REMINDERS, 180_000);
    const lost = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ id: string }>(`select id from reminders where id = any($1::uuid[]) and status <> 'sent'`, [
        acknowledged.map((row) => row.id),
      ]),
    );
    expect(worker.process.exitCode).toBeNull();
    await kill(worker, 'SIGTERM');
    const failed = await failedJobs();
    console.log(
      [
        `reminder Redis kill test: seed ${seed}`,
        `  Redis SIGKILLed ${killAfterMs} ms after the worker started (${before.sent} sent, ${acknowledged.length} acknowledged in flight), ` +
          'restarted from its AOF 1.5 s later',
        `  first delivery ${(resumeMs / 1000).toFixed(1)} s after Redis returned (${resumed.sent} sent by then)`,
        `  acknowledged lost ${lost.length}; sent ${counts.sent}/${REMINDERS}, duplicated ${counts.duplicated}, failed jobs ${failed}`,
      ].join('\n'),
    );
    expect(lost).toEqual([]);
    expect(resumeMs).toBeLessThanOrEqual(30_000);
    expectAllDeliveredOnce(counts, REMINDERS);
    expect(failed).toBe(0);
  }, 600_000);

  it('survives PostgreSQL backends terminated mid-run and loses nothing', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 4 });
    await stream(clinic, REMINDERS, 20_000, 'pg');
    const worker = await startWorker('pg');
    const admin = new pg.Client({ connectionString: adminUrlFor(database.name) });
    await admin.connect();
    let terminated = 0;
    const cuts: number[] = [];
    try {
      for (let cut = 0; cut < 5; cut += 1) {
        const afterMs = faker.number.int({ min: 1_000, max: 4_000 });
        await new Promise((resolve) => setTimeout(resolve, afterMs));
        const { rows } = await admin.query<{ n: string }>(
          `select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity
            where datname = $1 and application_name like 'mend-worker%' and pid <> pg_backend_pid()`,
          [database.name],
        );
        terminated += Number(rows[0].n);
        cuts.push(afterMs);
      }
    } finally {
      await admin.end();
    }
    const counts = await waitUntil(clinic, (c) => c.sent === REMINDERS, 180_000);
    expect(worker.process.exitCode).toBeNull();
    expect(await kill(worker, 'SIGTERM')).toEqual({ code: 0, signal: null });
    const failed = await failedJobs();
    console.log(
      [
        `reminder PostgreSQL cut test: seed ${seed}`,
        `  5 cuts at ${cuts.join(', ')} ms intervals; ${terminated} worker backends terminated; worker survived`,
        `  sent ${counts.sent}/${REMINDERS}, failed ${counts.failed}, duplicated ${counts.duplicated}, failed jobs ${failed}`,
      ].join('\n'),
    );
    expect(terminated).toBeGreaterThan(0);
    expectAllDeliveredOnce(counts, REMINDERS);
    expect(failed).toBe(0);
  }, 600_000);

  it(`delivers ${REMINDERS} reminders once with two workers at the same time`, async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 4 });
    await insertDueReminders(unitOfWork, clinic, REMINDERS, new Date(), 'two');
    const [one, two] = await Promise.all([startWorker('two-a'), startWorker('two-b')]);
    const counts = await waitUntil(clinic, (c) => c.sent === REMINDERS, 180_000);
    await Promise.all([kill(one, 'SIGTERM'), kill(two, 'SIGTERM')]);
    const [claims] = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ reclaimed: string }>(`select count(*) filter (where claims > 1) as reclaimed from reminders`),
    );
    const failed = await failedJobs();
    console.log(
      `reminder two-worker test: ${REMINDERS} reminders, 2 workers; sent ${counts.sent}, deliveries ${counts.deliveries}, ` +
        `notifications ${counts.notifications}, duplicated ${counts.duplicated}, claimed twice ${claims.reclaimed}, failed jobs ${failed}`,
    );
    expectAllDeliveredOnce(counts, REMINDERS);
    expect(failed).toBe(0);
  }, 600_000);
});
