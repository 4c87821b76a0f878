import { UnrecoverableError, type Queue, type Worker } from 'bullmq';
import type { DataSource } from 'typeorm';

import { createDataSource, QueueConnection, UnitOfWork } from '@mend/core';
import {
  REMINDER_JOB_NAME,
  ReminderAdmin,
  ReminderDelivery,
  ReminderDispatcher,
  reminderJobId,
  type DeliveryOutcome,
} from '@mend/notifications';
import { ENTITIES } from '@mend/platform';
import { testConfig, testEnvironment } from '@mend/testing';

import { createOwnDatabase, type OwnDatabase } from '../worker/support/own-database.js';
import { adminUrlFor, insertDueReminders, reminderCounts, seedReminderClinic } from './support/reminder-world.js';

/**
 * A reminder that goes back to `pending` after it was enqueued — deferred at
 * delivery time (it would have arrived inside quiet hours: a backlog or an
 * outage made it late), released after an add whose reply was lost, retried by
 * an admin after it failed — left a job behind that BullMQ still stores
 * (completed or failed), and adding a job whose id is still stored is a no-op:
 * so the next claim must enqueue under a new job id, or the reminder would
 * never be delivered (queued, claimed again at every lease, for ever).
 * `reminder_claim` claims such a row under the next generation (migration
 * 1764788000000). Through the real claim, queue and a BullMQ worker running the
 * delivery; its own database (the dispatcher claims every clinic's due
 * reminders) and queue prefix.
 */
describe('reminders: a reminder back in line after it was enqueued is enqueued under a new job id', () => {
  let database: OwnDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let queues: QueueConnection;
  let queue: Queue;
  let worker: Worker | undefined;
  /** The fake clock of the deliveries (quiet hours are decided against it). */
  let clock = new Date('2026-03-08T23:30:00Z');
  /** Every job the BullMQ worker ran: its id and the delivery's outcome. */
  const ran: { jobId: string | undefined; outcome: DeliveryOutcome }[] = [];
  /** Reminders whose next job fails for good (as the handler's last attempt does: recorded failed, then thrown). */
  const failNext = new Set<string>();
  let delivery: ReminderDelivery;
  let dispatcher: ReminderDispatcher;
  /** A dispatcher claiming through the real reminder_claim (batches of 10) into `into`. */
  const dispatcherInto = (into: Queue) =>
    new ReminderDispatcher(unitOfWork, { batchSize: 10, pollMs: 50, leaseSeconds: 60, queue: () => into });

  const waitForRuns = async (count: number) => {
    const deadline = Date.now() + 20_000;
    while (ran.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(ran).toHaveLength(count);
  };

  beforeAll(async () => {
    database = await createOwnDatabase('reminder_deferral');
    dataSource = await createDataSource({ url: database.runtimeUrl, entities: ENTITIES, poolSize: 4 }).initialize();
    unitOfWork = new UnitOfWork({ connected: () => dataSource });
    queues = new QueueConnection(
      testConfig({ DATABASE_URL: database.runtimeUrl, QUEUE_PREFIX: `${testEnvironment().queuePrefix}-defer` }),
    );
    queue = queues.queue('reminders');
    delivery = new ReminderDelivery({ unitOfWork, push: {}, now: () => clock });
    worker = queues.worker('reminders', async (job) => {
      if (job.name !== REMINDER_JOB_NAME) return;
      const { clinicId, reminderId } = job.data as { clinicId: string; reminderId: string };
      if (failNext.delete(reminderId)) {
        await delivery.recordFailure(clinicId, reminderId, job.id, 'provider_down', true);
        throw new UnrecoverableError('provider_down');
      }
      ran.push({ jobId: job.id, outcome: await delivery.deliver(clinicId, reminderId) });
    });
    void worker.run();
    dispatcher = dispatcherInto(queue);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queues?.close();
    await dataSource?.destroy();
    await database?.drop();
  }, 60_000);

  it('enqueues the deferred reminder under a new job id and delivers it once', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, {
      timezone: 'UTC',
      quietHours: { start: '21:00', end: '08:00' },
    });
    // Due in the past (the claim takes it now); the worker's clock says 23:30 UTC, inside quiet hours.
    const [reminderId] = await insertDueReminders(unitOfWork, clinic, 1, new Date('2026-03-08T20:00:00Z'), 'deferral');
    clock = new Date('2026-03-08T23:30:00Z');

    // 1. Claimed and enqueued; the delivery finds it inside quiet hours and defers it to 08:00 the next morning.
    expect(await dispatcher.dispatchOnce()).toBe(1);
    await waitForRuns(1);
    expect(ran[0]).toEqual({
      jobId: reminderJobId(reminderId, 0),
      outcome: { status: 'deferred', fireAt: new Date('2026-03-09T08:00:00.000Z') },
    });
    const firstJob = await queue.getJob(reminderJobId(reminderId, 0));
    expect(await firstJob?.getState()).toBe('completed'); // still stored: its id cannot be used again

    // 2. 08:00: claimed again (the deferred fire time has passed) under the next generation, delivered once.
    clock = new Date('2026-03-09T08:00:00Z');
    expect(await dispatcher.dispatchOnce()).toBe(1);
    await waitForRuns(2);
    expect(ran[1]).toEqual({
      jobId: reminderJobId(reminderId, 1),
      outcome: { status: 'sent', channels: ['in_app'] },
    });
    const [row] = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ status: string; generation: number; deferred_from: Date | null }>(
        'select status, generation, deferred_from from reminders where id = $1',
        [reminderId],
      ),
    );
    expect(row).toEqual({ status: 'sent', generation: 1, deferred_from: new Date('2026-03-08T20:00:00Z') });
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({
      total: 1,
      sent: 1,
      open: 0,
      deliveries: 1,
      notifications: 1,
      duplicated: 0,
    });
    // Nothing is left to claim: no further job runs.
    expect(await dispatcher.dispatchOnce()).toBe(0);
  }, 60_000);

  it('releases a batch whose add failed under a new generation, so a job Redis stored anyway cannot block it', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork);
    const reminderIds = await insertDueReminders(unitOfWork, clinic, 3, new Date(), 'lost-reply');
    const runs = ran.length;
    // Redis stores the jobs, then the reply is lost with the connection: the dispatcher sees an error.
    const lostReply = {
      getWaitingCount: () => queue.getWaitingCount(),
      addBulk: async (jobs: Parameters<Queue['addBulk']>[0]) => {
        await queue.addBulk(jobs);
        throw new Error('Connection is closed.');
      },
    } as unknown as Queue;
    const failing = dispatcherInto(lostReply);
    // The worker waits until the release has committed (else a job could deliver the still-queued row first).
    await worker?.pause();
    await expect(failing.dispatchOnce()).rejects.toThrow('Connection is closed.');
    await worker?.resume();
    // The stored generation-0 jobs run, find their reminders released (pending) and leave them alone.
    await waitForRuns(runs + 3);
    expect(ran.slice(runs).map((run) => run.outcome)).toEqual(
      reminderIds.map(() => ({ status: 'skipped', reason: 'pending' })),
    );
    // The next claim enqueues generation 1 and delivers each reminder once.
    expect(await dispatcher.dispatchOnce()).toBe(3);
    await waitForRuns(runs + 6);
    expect(
      ran
        .slice(runs + 3)
        .map((run) => run.jobId)
        .sort(),
    ).toEqual(reminderIds.map((id) => reminderJobId(id, 1)).sort());
    expect(ran.slice(runs + 3).every((run) => run.outcome.status === 'sent')).toBe(true);
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({
      total: 3,
      sent: 3,
      open: 0,
      deliveries: 3,
      notifications: 3,
      duplicated: 0,
    });
  }, 60_000);
  it('enqueues a reminder an admin retried after its job failed for good under a new job id', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork);
    const [reminderId] = await insertDueReminders(unitOfWork, clinic, 1, new Date(), 'retried');
    failNext.add(reminderId);
    const runs = ran.length;

    // 1. Claimed; its job fails for good and the reminder is recorded failed.
    expect(await dispatcher.dispatchOnce()).toBe(1);
    const firstJob = reminderJobId(reminderId, 0);
    const deadline = Date.now() + 20_000;
    while ((await queue.getJobState(firstJob)) !== 'failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await queue.getJobState(firstJob)).toBe('failed'); // still stored: its id cannot be used again
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({ failed: 1, sent: 0, deliveries: 0 });

    // 2. The clinic admin retries it: back to pending; claimed under the next generation and delivered once.
    await unitOfWork.run(clinic.clinicId, async (tx) => {
      const [membership] = await tx.query<{ user_id: string }>(
        'select user_id from memberships where clinic_id = $1 and id = $2',
        [tx.clinicId, clinic.counselorMembershipId],
      );
      await new ReminderAdmin().retry(
        tx,
        {
          clinicId: clinic.clinicId,
          userId: membership.user_id,
          membershipId: clinic.counselorMembershipId,
          roles: ['clinic_admin'],
        },
        reminderId,
      );
    });
    expect(await dispatcher.dispatchOnce()).toBe(1);
    await waitForRuns(runs + 1);
    expect(ran[runs]).toEqual({
      jobId: reminderJobId(reminderId, 1),
      outcome: { status: 'sent', channels: ['in_app'] },
    });
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({
      total: 1,
      sent: 1,
      failed: 0,
      open: 0,
      deliveries: 1,
      notifications: 1,
      duplicated: 0,
    });
  }, 60_000);
  it("does not fail a reminder on a stale job's last attempt once it was enqueued again under a newer job", async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork);
    const [reminderId] = await insertDueReminders(unitOfWork, clinic, 1, new Date(), 'stale-failure');
    // No job reaches BullMQ here: the first add "fails" (released), the second is taken as stored.
    let addFails = true;
    const offline = {
      getWaitingCount: () => Promise.resolve(0),
      addBulk: () => (addFails ? Promise.reject(new Error('Connection is closed.')) : Promise.resolve([])),
      getJobState: () => Promise.resolve('waiting'),
    } as unknown as Queue;
    const claiming = dispatcherInto(offline);
    await expect(claiming.dispatchOnce()).rejects.toThrow('Connection is closed.');
    addFails = false;
    expect(await claiming.dispatchOnce()).toBe(1);
    const state = () =>
      unitOfWork.run(clinic.clinicId, async (tx) => {
        const [row] = await tx.query<{ status: string; job_id: string; attempts: number }>(
          'select status, job_id, attempts from reminders where id = $1',
          [reminderId],
        );
        return row;
      });
    expect(await state()).toEqual({ status: 'queued', job_id: reminderJobId(reminderId, 1), attempts: 0 });

    // The generation-0 job (stored though its add "failed") runs out of attempts: counted, not failed.
    await delivery.recordFailure(clinic.clinicId, reminderId, reminderJobId(reminderId, 0), 'provider_down', true);
    expect(await state()).toEqual({ status: 'queued', job_id: reminderJobId(reminderId, 1), attempts: 1 });
    // The current job's last attempt does fail it.
    await delivery.recordFailure(clinic.clinicId, reminderId, reminderJobId(reminderId, 1), 'provider_down', true);
    expect(await state()).toEqual({ status: 'failed', job_id: reminderJobId(reminderId, 1), attempts: 2 });
  }, 60_000);
});
