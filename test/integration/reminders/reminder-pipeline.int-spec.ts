import { randomUUID } from 'node:crypto';

import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

import { createDataSource, QueueConnection, UnitOfWork } from '@mend/core';
import {
  DEFAULT_PLANNER_WINDOW,
  deliveryKey,
  ReminderDelivery,
  ReminderDispatcher,
  reminderJobId,
  ReminderPlanner,
  ReminderSettingsError,
  ReminderSettingsService,
} from '@mend/notifications';
import { ENTITIES } from '@mend/platform';
import { testConfig, testEnvironment } from '@mend/testing';

import { createOwnDatabase, type OwnDatabase } from '../worker/support/own-database.js';
import { adminUrlFor, seedReminderClinic, type ReminderClinic } from './support/reminder-world.js';

/**
 * Reminder rules, quiet hours and DST with a fake clock, the safety hold,
 * opt-outs, and exactly-once delivery under concurrent enqueues. Its own
 * database (the dispatcher claims due reminders of every clinic in it).
 */
describe('reminders: rules, quiet hours, DST, exactly once', () => {
  let database: OwnDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let queues: QueueConnection;
  let queue: Queue;
  const planner = new ReminderPlanner();
  const settings = new ReminderSettingsService();

  beforeAll(async () => {
    database = await createOwnDatabase('reminders');
    dataSource = await createDataSource({ url: database.runtimeUrl, entities: ENTITIES, poolSize: 6 }).initialize();
    unitOfWork = new UnitOfWork({ connected: () => dataSource });
    queues = new QueueConnection(
      testConfig({ DATABASE_URL: database.runtimeUrl, QUEUE_PREFIX: `${testEnvironment().queuePrefix}-rem` }),
    );
    queue = queues.queue('reminders');
  }, 60_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queues?.close();
    await dataSource?.destroy();
    await database?.drop();
  }, 60_000);

  /** An assignment (paired or not, visibility) with one occurrence for the clinic's first client, due on `dueOn`. */
  async function assignment(
    clinic: ReminderClinic,
    dueOn: string,
    options: { paired?: boolean; visibility?: string; clientIndex?: number } = {},
  ): Promise<string> {
    const assignmentId = randomUUID();
    const occurrenceId = randomUUID();
    const client = clinic.clients[options.clientIndex ?? 0];
    await unitOfWork.run(clinic.clinicId, async (tx) => {
      await tx.query(
        `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                  paired, visibility, schedule, created_by_membership_id)
         values ($1, $2, $3, 'E07', 1, 'Canary exercise title QX17', '{}', $4, $5, '{"kind":"once"}', $6)`,
        [
          clinic.clinicId,
          assignmentId,
          clinic.caseId,
          options.paired ?? false,
          options.visibility ?? 'private',
          clinic.counselorMembershipId,
        ],
      );
      await tx.query(
        `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on)
         values ($1, $2, $3, $4, $5, $6::date - 7, $6::date)`,
        [clinic.clinicId, occurrenceId, assignmentId, clinic.caseId, client.clientId, dueOn],
      );
    });
    return occurrenceId;
  }

  const remindersOf = (clinicId: string, sourceId: string) =>
    unitOfWork.run(clinicId, (tx) =>
      tx.query<{
        id: string;
        category: string;
        fire_at: Date;
        due_at: Date;
        deferred_from: Date | null;
        status: string;
      }>(
        `select id, category, fire_at, due_at, deferred_from, status from reminders where source_id = $1 order by due_at`,
        [sourceId],
      ),
    );

  const setClientTime = (clinic: ReminderClinic, time: string) =>
    unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query('update clients set reminder_time = $2 where id = any($1::uuid[])', [
        clinic.clients.map((client) => client.clientId),
        time,
      ]),
    );

  it('fires due-soon and due reminders at the client’s local time, deferred to the end of quiet hours across DST changes', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, {
      timezone: 'Europe/London',
      quietHours: { start: '21:00', end: '08:00' },
    });
    await setClientTime(clinic, '22:30');
    // Clocks go forward on 2026-03-29 (01:00 GMT → 02:00 BST) and back on 2026-10-25 (02:00 BST → 01:00 GMT).
    const spring = await assignment(clinic, '2026-03-29');
    const autumn = await assignment(clinic, '2026-10-25');
    await unitOfWork.run(clinic.clinicId, (tx) => planner.plan(tx, new Date('2026-03-28T12:00:00Z')));
    await unitOfWork.run(clinic.clinicId, (tx) => planner.plan(tx, new Date('2026-03-29T12:00:00Z')));
    await unitOfWork.run(clinic.clinicId, (tx) => planner.plan(tx, new Date('2026-10-24T12:00:00Z')));

    const springRows = await remindersOf(clinic.clinicId, spring);
    expect(springRows.map((row) => [row.category, row.due_at.toISOString(), row.fire_at.toISOString()])).toEqual([
      // 22:30 GMT the evening before: quiet → 08:00 BST on the change day (07:00Z).
      ['assignment_due_soon', '2026-03-28T22:30:00.000Z', '2026-03-29T07:00:00.000Z'],
      // 22:30 BST on the due day: quiet → 08:00 BST next morning.
      ['assignment_due', '2026-03-29T21:30:00.000Z', '2026-03-30T07:00:00.000Z'],
      // Still open the day after: overdue, same local time, same deferral.
      ['assignment_overdue', '2026-03-30T21:30:00.000Z', '2026-03-31T07:00:00.000Z'],
    ]);
    expect(springRows.every((row) => row.deferred_from?.getTime() === row.due_at.getTime())).toBe(true);
    const autumnRows = await remindersOf(clinic.clinicId, autumn);
    expect(autumnRows.map((row) => [row.category, row.due_at.toISOString(), row.fire_at.toISOString()])).toEqual([
      // 22:30 BST the evening before the change: quiet → 08:00 GMT on the change day (08:00Z).
      ['assignment_due_soon', '2026-10-24T21:30:00.000Z', '2026-10-25T08:00:00.000Z'],
      // 22:30 GMT on the change day itself: quiet → 08:00 GMT next morning.
      ['assignment_due', '2026-10-25T22:30:00.000Z', '2026-10-26T08:00:00.000Z'],
    ]);

    // A reminder outside quiet hours is not deferred.
    await setClientTime(clinic, '18:00');
    const plain = await assignment(clinic, '2026-06-10');
    await unitOfWork.run(clinic.clinicId, (tx) => planner.plan(tx, new Date('2026-06-09T12:00:00Z')));
    expect(
      (await remindersOf(clinic.clinicId, plain)).map((row) => [row.fire_at.toISOString(), row.deferred_from]),
    ).toEqual([
      ['2026-06-09T17:00:00.000Z', null],
      ['2026-06-10T17:00:00.000Z', null],
    ]);
  });

  it('delivers at the end of quiet hours and defers again a reminder that would arrive inside them (fake clock)', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, {
      timezone: 'America/New_York',
      quietHours: { start: '21:00', end: '08:00' },
    });
    await setClientTime(clinic, '23:00');
    const occurrence = await assignment(clinic, '2026-03-08');
    // Due soon at 23:00 EST on 2026-03-07 → quiet → 08:00 EDT on 2026-03-08, the spring-forward day (12:00Z).
    await unitOfWork.run(clinic.clinicId, (tx) => planner.plan(tx, new Date('2026-03-07T17:00:00Z')));
    const [row] = await remindersOf(clinic.clinicId, occurrence);
    expect(row.fire_at.toISOString()).toBe('2026-03-08T12:00:00.000Z');

    let clock = new Date('2026-03-08T06:30:00Z'); // 01:30 EST: still quiet (a late worker)
    const delivery = new ReminderDelivery({ unitOfWork, push: {}, now: () => clock });
    await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query(`update reminders set status = 'queued' where id = $1`, [row.id]),
    );
    const late = await delivery.deliver(clinic.clinicId, row.id);
    expect(late).toEqual({ status: 'deferred', fireAt: new Date('2026-03-08T12:00:00.000Z') });

    clock = new Date('2026-03-08T12:00:00Z');
    await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query(`update reminders set status = 'queued' where id = $1`, [row.id]),
    );
    expect(await delivery.deliver(clinic.clinicId, row.id)).toEqual({ status: 'sent', channels: ['in_app'] });
    const [notification] = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ kind: string; title: string; recipient_membership_id: string }>(
        `select kind, title, recipient_membership_id from notifications where subject_id = $1`,
        [occurrence],
      ),
    );
    expect(notification).toEqual({
      kind: 'reminder.assignment_due_soon',
      title: 'Homework is due tomorrow',
      recipient_membership_id: clinic.clients[0].membershipId,
    });
  });

  it('sends no joint reminders on a safety hold, honours opt-outs, and never lets a safety category be opted out of', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork);
    await setClientTime(clinic, '18:00');
    const counselor = {
      clinicId: clinic.clinicId,
      userId: randomUUID(),
      membershipId: clinic.counselorMembershipId,
      roles: ['counselor' as const],
    };
    await unitOfWork.run(clinic.clinicId, (tx) =>
      settings.updateClient(tx, counselor, clinic.clients[1].clientId, {
        preferences: [{ category: 'assignment_due_soon', optedOut: true }],
      }),
    );
    // Safety messages cannot be opted out of: refused by the service and by the database.
    await expect(
      unitOfWork.run(clinic.clinicId, (tx) =>
        settings.updateClient(tx, counselor, clinic.clients[1].clientId, {
          preferences: [{ category: 'alert_unacknowledged', optedOut: true }],
        }),
      ),
    ).rejects.toBeInstanceOf(ReminderSettingsError);
    await expect(
      unitOfWork.run(clinic.clinicId, (tx) =>
        tx.query(
          `insert into client_reminder_preferences (clinic_id, client_id, category, opted_out) values ($1, $2, 'safety_alert', true)`,
          [clinic.clinicId, clinic.clients[1].clientId],
        ),
      ),
    ).rejects.toThrow(/client_reminder_preferences_safety_check/);

    // A 12-hour horizon: each pass plans one step of the chain.
    const planner = new ReminderPlanner(undefined, { ...DEFAULT_PLANNER_WINDOW, horizonMs: 12 * 3600_000 });
    const joint = await assignment(clinic, '2026-07-02', { paired: true, visibility: 'reveal' });
    const own = await assignment(clinic, '2026-07-02', { visibility: 'private' });
    const optedOut = await assignment(clinic, '2026-07-02', { visibility: 'private', clientIndex: 1 });
    await unitOfWork.run(clinic.clinicId, (tx) => planner.plan(tx, new Date('2026-07-01T12:00:00Z')));
    expect((await remindersOf(clinic.clinicId, joint)).map((row) => row.category)).toEqual(['assignment_due_soon']);
    expect((await remindersOf(clinic.clinicId, own)).map((row) => row.category)).toEqual(['assignment_due_soon']);
    expect(await remindersOf(clinic.clinicId, optedOut)).toEqual([]);

    // The hold: no new joint reminder is planned, and the one planned before is cancelled at delivery.
    await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query(`update cases set safety_status = 'safety_hold', safety_reason = 'synthetic' where id = $1`, [
        clinic.caseId,
      ]),
    );
    await unitOfWork.run(clinic.clinicId, (tx) => planner.plan(tx, new Date('2026-07-02T12:00:00Z')));
    expect((await remindersOf(clinic.clinicId, joint)).map((row) => row.category)).toEqual(['assignment_due_soon']);
    expect((await remindersOf(clinic.clinicId, own)).map((row) => row.category)).toEqual([
      'assignment_due_soon',
      'assignment_due',
    ]);
    expect((await remindersOf(clinic.clinicId, optedOut)).map((row) => row.category)).toEqual(['assignment_due']);

    const delivery = new ReminderDelivery({ unitOfWork, push: {}, now: () => new Date('2026-07-01T18:00:00Z') });
    const [jointReminder] = await remindersOf(clinic.clinicId, joint);
    const [ownReminder] = await remindersOf(clinic.clinicId, own);
    await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query(`update reminders set status = 'queued' where id = any($1::uuid[])`, [
        [jointReminder.id, ownReminder.id],
      ]),
    );
    expect(await delivery.deliver(clinic.clinicId, jointReminder.id)).toEqual({
      status: 'cancelled',
      reason: 'safety_hold',
    });
    expect(await delivery.deliver(clinic.clinicId, ownReminder.id)).toEqual({ status: 'sent', channels: ['in_app'] });
  });

  it('delivers a reminder enqueued 5 times concurrently exactly once (job id and the deliveries key)', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork);
    const id = randomUUID();
    await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query(
        `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                                source_id, occurrence_key, dedupe_key, channels, due_at, fire_at)
         values ($1, $2, 'check_in', $3, $4, $5, 'case', $5, '2026-08-01', $6, '{in_app}', now(), now())`,
        [clinic.clinicId, id, clinic.clients[0].membershipId, clinic.clients[0].clientId, clinic.caseId, `five|${id}`],
      ),
    );
    // Five dispatchers claim at once: one claim wins (SKIP LOCKED), and five adds of the same job id make one job.
    const dispatchers = Array.from(
      { length: 5 },
      () => new ReminderDispatcher(unitOfWork, { batchSize: 10, pollMs: 50, leaseSeconds: 60, queue: () => queue }),
    );
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.dispatchOnce()));
    const [claim] = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ status: string; claims: number; job_id: string }>(
        'select status, claims, job_id from reminders where id = $1',
        [id],
      ),
    );
    expect(claim).toEqual({ status: 'queued', claims: 1, job_id: reminderJobId(id, 0) });
    await Promise.all(
      Array.from({ length: 5 }, () =>
        queue.add('reminder.deliver', { clinicId: clinic.clinicId, reminderId: id }, { jobId: reminderJobId(id, 0) }),
      ),
    );
    expect(
      (await queue.getJobs(['wait', 'prioritized', 'delayed', 'active'])).filter(
        (job) => job.id === reminderJobId(id, 0),
      ),
    ).toHaveLength(1);

    // Five deliveries of the same reminder at once (as if five jobs ran): one notification, one deliveries row.
    const delivery = new ReminderDelivery({ unitOfWork, push: {} });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => delivery.deliver(clinic.clinicId, id)));
    expect(outcomes.filter((outcome) => outcome.status === 'sent')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'skipped')).toHaveLength(4);
    const [counts] = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ deliveries: string; notifications: string; key: string }>(
        `select (select count(*) from deliveries where reminder_id = $1) as deliveries,
                (select count(*) from notifications where kind = 'reminder.check_in' and recipient_membership_id = $2) as notifications,
                (select idempotency_key from deliveries where reminder_id = $1) as key`,
        [id, clinic.clients[0].membershipId],
      ),
    );
    expect(counts).toEqual({
      deliveries: '1',
      notifications: '1',
      key: deliveryKey(clinic.clinicId, id, '2026-08-01', 'in_app'),
    });
  });
});
