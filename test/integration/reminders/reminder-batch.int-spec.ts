import { randomUUID } from 'node:crypto';

import pg from 'pg';
import type { DataSource } from 'typeorm';

import { createDataSource, sqlLiteral, UnitOfWork, type InlineValue } from '@mend/core';
import {
  inAppWriteStatement,
  ReminderDelivery,
  ReminderDeliveryBatcher,
  type PushChannel,
  type PushMessage,
} from '@mend/notifications';
import { ENTITIES } from '@mend/platform';

import { createOwnDatabase, type OwnDatabase } from '../worker/support/own-database.js';
import {
  adminUrlFor,
  insertDueReminders,
  reminderCounts,
  seedReminderClinic,
  type ReminderClinic,
} from './support/reminder-world.js';

/**
 * Batched delivery: many reminders of a clinic decided and written in one
 * transaction give each reminder the outcome it gets alone — sent once,
 * cancelled (opted out, source gone), deferred (quiet hours), skipped (already
 * sent, missing), a failing push channel failing only its own reminder — and
 * the batcher answers each job on its own, in a few transactions.
 */
describe('reminder delivery in batches', () => {
  let database: OwnDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;

  beforeAll(async () => {
    database = await createOwnDatabase('reminder_batch');
    dataSource = await createDataSource({ url: database.runtimeUrl, entities: ENTITIES, poolSize: 6 }).initialize();
    unitOfWork = new UnitOfWork({ connected: () => dataSource });
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  }, 60_000);

  const queue = (clinic: ReminderClinic, ids: readonly string[]) =>
    unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query(`update reminders set status = 'queued' where id = any($1::uuid[])`, [ids]),
    );
  const statusOf = async (clinic: ReminderClinic, ids: readonly string[]) =>
    new Map(
      (
        await unitOfWork.run(clinic.clinicId, (tx) =>
          tx.query<{ id: string; status: string; cancelled_reason: string | null }>(
            'select id, status, cancelled_reason from reminders where id = any($1::uuid[])',
            [ids],
          ),
        )
      ).map((row) => [row.id, row.cancelled_reason === null ? row.status : `${row.status}:${row.cancelled_reason}`]),
    );

  it('gives every reminder of a mixed batch the outcome it gets alone, in one transaction', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 4, clientEmail: true });
    const [ok1, ok2, optedOut, gone, quiet, sent, failingEmail, email] = await insertDueReminders(
      unitOfWork,
      clinic,
      8,
    );
    const missing = randomUUID();
    await unitOfWork.run(clinic.clinicId, async (tx) => {
      // Client 2 opted out of check-ins; client 3 keeps quiet hours all day; `gone` points at no case.
      await tx.query(
        `insert into client_reminder_preferences (clinic_id, client_id, category, opted_out) values ($1, $2, 'check_in', true)`,
        [clinic.clinicId, clinic.clients[2].clientId],
      );
      await tx.query(
        `insert into client_reminder_settings (clinic_id, client_id, quiet_start, quiet_end) values ($1, $2, '00:00', '23:59')`,
        [clinic.clinicId, clinic.clients[3].clientId],
      );
      await tx.query(`update reminders set recipient_client_id = $2, recipient_membership_id = $3 where id = $1`, [
        optedOut,
        clinic.clients[2].clientId,
        clinic.clients[2].membershipId,
      ]);
      await tx.query(`update reminders set recipient_client_id = $2, recipient_membership_id = $3 where id = $1`, [
        quiet,
        clinic.clients[3].clientId,
        clinic.clients[3].membershipId,
      ]);
      await tx.query(`update reminders set source_id = $2 where id = $1`, [gone, randomUUID()]);
      await tx.query(`update reminders set channels = '{in_app,email}' where id = any($1::uuid[])`, [
        [failingEmail, email],
      ]);
      await tx.query(`update reminders set recipient_client_id = $2, recipient_membership_id = $3 where id = $1`, [
        failingEmail,
        clinic.clients[1].clientId,
        clinic.clients[1].membershipId,
      ]);
      await tx.query(`update reminders set recipient_client_id = $2, recipient_membership_id = $3 where id = $1`, [
        email,
        clinic.clients[0].clientId,
        clinic.clients[0].membershipId,
      ]);
    });
    const failingAddress = `client-${clinic.clients[1].clientId.slice(0, 12)}@test.mend.example`;
    const sentMail: PushMessage[] = [];
    const emailChannel: PushChannel = {
      channel: 'email',
      send: (message) => {
        if (message.to === failingAddress) return Promise.reject(new Error('synthetic SMTP refusal'));
        sentMail.push(message);
        return Promise.resolve({ providerMessageId: `<${message.idempotencyKey}@test>` });
      },
    };
    const delivery = new ReminderDelivery({ unitOfWork, push: { email: emailChannel } });
    await queue(clinic, [ok1, ok2, optedOut, gone, quiet, failingEmail, email]);
    // `sent` was delivered before the batch.
    await queue(clinic, [sent]);
    expect(await delivery.deliver(clinic.clinicId, sent)).toEqual({ status: 'sent', channels: ['in_app'] });

    const runs = jest.spyOn(unitOfWork, 'run');
    const results = await delivery.deliverMany(clinic.clinicId, [
      ok1,
      ok2,
      optedOut,
      gone,
      quiet,
      sent,
      missing,
      failingEmail,
      email,
      ok1.toUpperCase(),
    ]);
    // One transaction decides and writes the batch; the two push reminders then take three each (call, sent, finish).
    expect(runs.mock.calls.length).toBe(1 + 3 + 1);
    runs.mockRestore();

    const outcome = (id: string) => {
      const result = results.get(id);
      return result?.status === 'fulfilled' ? result.value : { error: (result?.reason as Error | undefined)?.message };
    };
    expect(results.size).toBe(9);
    expect(outcome(ok1)).toEqual({ status: 'sent', channels: ['in_app'] });
    expect(outcome(ok2)).toEqual({ status: 'sent', channels: ['in_app'] });
    expect(outcome(optedOut)).toEqual({ status: 'cancelled', reason: 'opted_out' });
    expect(outcome(gone)).toEqual({ status: 'cancelled', reason: 'case_inactive' });
    expect(outcome(quiet)).toMatchObject({ status: 'deferred' });
    expect(outcome(sent)).toEqual({ status: 'skipped', reason: 'sent' });
    expect(outcome(missing)).toEqual({ status: 'skipped', reason: 'missing' });
    expect(outcome(failingEmail)).toEqual({ error: 'synthetic SMTP refusal' });
    expect(outcome(email)).toEqual({ status: 'sent', channels: ['in_app', 'email'] });
    expect(sentMail.map((message) => message.to)).toEqual([
      `client-${clinic.clients[0].clientId.slice(0, 12)}@test.mend.example`,
    ]);

    const statuses = await statusOf(clinic, [ok1, ok2, optedOut, gone, quiet, sent, failingEmail, email]);
    expect(
      Object.fromEntries(
        [ok1, ok2, optedOut, gone, quiet, sent, failingEmail, email].map((id, index) => [index, statuses.get(id)]),
      ),
    ).toEqual({
      0: 'sent',
      1: 'sent',
      2: 'cancelled:opted_out',
      3: 'cancelled:case_inactive',
      4: 'pending',
      5: 'sent',
      // Its in-app notice went out; the email is still `sending`, so the reminder waits for the job's retry.
      6: 'queued',
      7: 'sent',
    });
    const counts = await reminderCounts(unitOfWork, clinic.clinicId);
    // In-app rows for ok1, ok2, sent, failingEmail, email; email rows for failingEmail (sending) and email (sent).
    expect(counts).toMatchObject({ deliveries: 7, notifications: 5, duplicated: 0 });

    // The retry of the failing reminder sends only its email: no second in-app notice.
    const retried = await new ReminderDelivery({
      unitOfWork,
      push: { email: { channel: 'email', send: (message) => Promise.resolve({ providerMessageId: message.to }) } },
    }).deliver(clinic.clinicId, failingEmail);
    expect(retried).toEqual({ status: 'sent', channels: ['in_app', 'email'] });
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({ deliveries: 7, notifications: 5 });
  });

  it('answers each job on its own from a few shared transactions; a reminder asked twice is delivered once', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 3 });
    const ids = await insertDueReminders(unitOfWork, clinic, 30);
    await queue(clinic, ids);
    const delivery = new ReminderDelivery({ unitOfWork, push: {} });
    const batcher = new ReminderDeliveryBatcher(delivery, { maxBatch: 10, maxWaitMs: 20 });
    const runs = jest.spyOn(unitOfWork, 'run');
    const outcomes = await Promise.all([...ids, ids[0]].map((id) => batcher.deliver(clinic.clinicId, id)));
    expect(runs.mock.calls.length).toBeLessThanOrEqual(4);
    runs.mockRestore();
    expect(outcomes.slice(0, 30).every((outcome) => outcome.status === 'sent')).toBe(true);
    expect(outcomes[30]).toEqual({ status: 'skipped', reason: expect.stringMatching(/^(duplicate|sent)$/) });
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({
      total: 30,
      sent: 30,
      deliveries: 30,
      notifications: 30,
      duplicated: 0,
    });
  });

  it('falls back to one transaction per reminder when the batch fails, so one bad reminder fails only its job', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 2 });
    const ids = await insertDueReminders(unitOfWork, clinic, 5);
    await queue(clinic, ids);
    const delivery = new ReminderDelivery({ unitOfWork, push: {} });
    const deliverMany = jest.spyOn(delivery, 'deliverMany');
    // The batch's transaction fails once (as a deadlock or a lost connection would); single deliveries still work.
    deliverMany.mockRejectedValueOnce(new Error('synthetic batch failure'));
    const batcher = new ReminderDeliveryBatcher(delivery, { maxBatch: 5, maxWaitMs: 50 });
    const outcomes = await Promise.all(ids.map((id) => batcher.deliver(clinic.clinicId, id)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(deliverMany.mock.calls.length).toBe(1 + 5);
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({ sent: 5, deliveries: 5, duplicated: 0 });
  });

  it('writes a batch by primary key even when the statistics predate a backlog of queued reminders', async () => {
    const clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, { clients: 3 });
    const ids = await insertDueReminders(unitOfWork, clinic, 3_000, new Date(), 'backlog');
    // Statistics gathered while nothing is queued (autovacuum's view before a burst), then the whole backlog queued.
    const admin = new pg.Client({ connectionString: adminUrlFor(database.name) });
    await admin.connect();
    try {
      await admin.query('analyze reminders');
    } finally {
      await admin.end();
    }
    await queue(clinic, ids);
    const batch = ids.slice(0, 20);
    const { statement, values } = inAppWriteStatement(
      clinic.clinicId,
      batch.map((reminderId, index) => ({
        reminderId,
        occurrenceKey: `backlog-${index}`,
        membershipId: clinic.clients[index % clinic.clients.length].membershipId,
        category: 'check_in' as const,
        discreet: false,
        caseId: clinic.caseId,
        sourceType: 'case',
        sourceId: clinic.caseId,
        channels: ['in_app' as const],
        last: true,
      })),
    );
    interface PlanNode {
      'Node Type': string;
      'Relation Name'?: string;
      'Index Name'?: string;
      Plans?: PlanNode[];
    }
    const { text } = statement;
    const remindersScans = async (sql: string, genericPlan = false): Promise<string[]> => {
      const [row] = await unitOfWork.run(clinic.clinicId, async (tx) => {
        if (!genericPlan) {
          return tx.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (format json) ${sql}`, values);
        }
        // The plan PostgreSQL settles on for the prepared statement after its first executions.
        // EXPLAIN takes no bind parameters: EXECUTE gets the values as literals.
        const literals = values.map((value, index) => {
          const type = statement.parameterTypes[index];
          return Array.isArray(value)
            ? `array[${(value as InlineValue[]).map(sqlLiteral).join(', ')}]::${type}`
            : `${sqlLiteral(value as InlineValue)}::${type}`;
        });
        await tx.query(`prepare batch_write_generic (${statement.parameterTypes.join(', ')}) as ${sql}`);
        await tx.query('set local plan_cache_mode = force_generic_plan');
        const plan = await tx.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
          `explain (format json) execute batch_write_generic (${literals.join(', ')})`,
        );
        await tx.query('deallocate batch_write_generic');
        return plan;
      });
      const scans: string[] = [];
      const walk = (node: PlanNode): void => {
        if (node['Relation Name'] === 'reminders' && node['Node Type'] !== 'ModifyTable') {
          scans.push(`${node['Node Type']}${node['Index Name'] === undefined ? '' : ` using ${node['Index Name']}`}`);
        }
        node.Plans?.forEach(walk);
      };
      walk(row['QUERY PLAN'][0].Plan);
      return scans;
    };
    // Self-check: with the redundant `status = 'queued'` the planner takes the partial lease index, walking the
    // whole backlog for each batch — the statistics here are as stale as the check needs.
    expect(await remindersScans(text.replace('and i.last', "and r.status = 'queued' and i.last"))).toEqual([
      expect.stringContaining('reminders_lease_idx'),
    ]);
    expect(await remindersScans(text)).toEqual([expect.stringMatching(/^Index (Only )?Scan using reminders_pkey$/)]);
    // The worker runs it as a prepared statement, on the generic plan once PostgreSQL chooses it: that plan too.
    expect(await remindersScans(text.replace('and i.last', "and r.status = 'queued' and i.last"), true)).toEqual([
      expect.stringContaining('reminders_lease_idx'),
    ]);
    expect(await remindersScans(text, true)).toEqual([
      expect.stringMatching(/^Index (Only )?Scan using reminders_pkey$/),
    ]);

    // And the statement does what it says: the batch sent once, the rest of the backlog left queued.
    await unitOfWork.run(clinic.clinicId, (tx) => tx.query(statement, values));
    const statuses = await statusOf(clinic, ids);
    expect(batch.every((id) => statuses.get(id) === 'sent')).toBe(true);
    expect([...statuses.values()].filter((status) => status === 'queued')).toHaveLength(ids.length - batch.length);
    expect(await reminderCounts(unitOfWork, clinic.clinicId)).toMatchObject({
      deliveries: 20,
      notifications: 20,
      duplicated: 0,
    });
  });
});
