import { randomUUID } from 'node:crypto';

import type { DataSource } from 'typeorm';

import { createDataSource, UnitOfWork } from '@mend/core';
import {
  deliveryKey,
  EmailSender,
  invitationEmail,
  messageIdFor,
  ReminderDelivery,
  SMTP_CONCURRENCY,
} from '@mend/notifications';
import { ENTITIES } from '@mend/platform';
import { mailBody as bodyOf, mailHeaders as headersOf, startSmtpSink, type SmtpSink } from '@mend/testing';

import { createOwnDatabase, type OwnDatabase } from '../worker/support/own-database.js';
import { adminUrlFor, seedReminderClinic, type ReminderClinic } from './support/reminder-world.js';

/**
 * Email through a real SMTP server started by the test (the smtp-server
 * package, loopback, no TLS): the headers Mend promises, the idempotency key as
 * Message-ID, and no clinical text — neither in the ordinary nor in the
 * discreet variant.
 */
describe('reminder email over SMTP', () => {
  let sink: SmtpSink;
  let database: OwnDatabase;
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;
  let sender: EmailSender;
  let clinic: ReminderClinic;
  const FROM = 'Mend <no-reply@mend.example>';
  // Clinical canaries: none of these may reach an email.
  const CANARIES = ['Canary exercise title QX17', 'Canary Client QX17', 'Canary case QX17', 'Harbour Canary Clinic'];

  beforeAll(async () => {
    sink = await startSmtpSink();
    sender = new EmailSender({
      smtpUrl: sink.url,
      from: FROM,
      publicUrl: 'https://portal.mend.example',
    });

    database = await createOwnDatabase('reminder_email');
    dataSource = await createDataSource({ url: database.runtimeUrl, entities: ENTITIES, poolSize: 4 }).initialize();
    unitOfWork = new UnitOfWork({ connected: () => dataSource });
    clinic = await seedReminderClinic(adminUrlFor(database.name), unitOfWork, {
      channels: ['in_app', 'email'],
      clientEmail: true,
    });
    await unitOfWork.run(clinic.clinicId, async (tx) => {
      await tx.query(`update clinics set name = 'Harbour Canary Clinic' where id = $1`, [clinic.clinicId]);
      await tx.query(`update clients set display_name = 'Canary Client QX17', reminder_channel = 'email'`);
      await tx.query(`update cases set title = 'Canary case QX17'`);
    });
  }, 60_000);

  afterAll(async () => {
    sender?.close();
    await sink?.close();
    await dataSource?.destroy();
    await database?.drop();
  }, 60_000);

  async function occurrenceReminder(discreet: boolean): Promise<{ reminderId: string; occurrenceId: string }> {
    const assignmentId = randomUUID();
    const occurrenceId = randomUUID();
    const reminderId = randomUUID();
    const client = clinic.clients[discreet ? 1 : 0];
    await unitOfWork.run(clinic.clinicId, async (tx) => {
      await tx.query(
        `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                  paired, visibility, schedule, created_by_membership_id)
         values ($1, $2, $3, 'E07', 1, 'Canary exercise title QX17', '{}', false, 'private', '{"kind":"once"}', $4)`,
        [clinic.clinicId, assignmentId, clinic.caseId, clinic.counselorMembershipId],
      );
      await tx.query(
        `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on)
         values ($1, $2, $3, $4, $5, '2026-09-01', '2026-09-10')`,
        [clinic.clinicId, occurrenceId, assignmentId, clinic.caseId, client.clientId],
      );
      await tx.query(`update clients set discreet_notifications = $2 where id = $1`, [client.clientId, discreet]);
      await tx.query(
        `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                                source_id, occurrence_key, dedupe_key, channels, discreet, due_at, fire_at, status)
         values ($1, $2, 'assignment_due', $3, $4, $5, 'assignment_occurrence', $6, '2026-09-10', $7, '{in_app,email}', $8,
                 now(), now(), 'queued')`,
        [
          clinic.clinicId,
          reminderId,
          client.membershipId,
          client.clientId,
          clinic.caseId,
          occurrenceId,
          `email|${reminderId}`,
          discreet,
        ],
      );
    });
    return { reminderId, occurrenceId };
  }

  it('sends the ordinary reminder: a prompt to open the portal, the idempotency key as Message-ID, no clinical text', async () => {
    const { reminderId } = await occurrenceReminder(false);
    const delivery = new ReminderDelivery({
      unitOfWork,
      push: { email: sender },
      now: () => new Date('2026-09-10T12:00:00Z'),
    });
    expect(await delivery.deliver(clinic.clinicId, reminderId)).toEqual({
      status: 'sent',
      channels: ['in_app', 'email'],
    });
    const mail = sink.received.at(-1);
    expect(mail).toBeDefined();
    const headers = headersOf(mail!.raw);
    const key = deliveryKey(clinic.clinicId, reminderId, '2026-09-10', 'email');
    expect(mail!.from).toBe('no-reply@mend.example');
    expect(mail!.to).toEqual([`client-${clinic.clients[0].clientId.slice(0, 12)}@test.mend.example`]);
    expect(headers.get('from')).toBe('Mend <no-reply@mend.example>');
    expect(headers.get('subject')).toBe('Reminder: You have homework due today');
    expect(headers.get('message-id')).toBe(messageIdFor(key, FROM));
    expect(headers.get('x-mend-idempotency-key')).toBe(key);
    expect(headers.get('auto-submitted')).toBe('auto-generated');
    expect(headers.get('content-type')).toMatch(/^text\/plain/);
    expect(bodyOf(mail!.raw)).toContain('Open your portal to see it: https://portal.mend.example/');
    for (const canary of CANARIES) {
      expect(mail!.raw).not.toContain(canary);
      expect(bodyOf(mail!.raw)).not.toContain(canary);
    }

    // The proof of sending, with the provider's message id; a second delivery sends nothing.
    const [row] = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ status: string; provider_message_id: string; provider_calls: number }>(
        `select status, provider_message_id, provider_calls from deliveries where reminder_id = $1 and channel = 'email'`,
        [reminderId],
      ),
    );
    expect(row).toEqual({ status: 'sent', provider_message_id: messageIdFor(key, FROM), provider_calls: 1 });
    const count = sink.received.length;
    expect(await delivery.deliver(clinic.clinicId, reminderId)).toEqual({ status: 'skipped', reason: 'sent' });
    expect(sink.received).toHaveLength(count);
  });

  it('sends the discreet variant: names no product, clinic, category or person', async () => {
    const { reminderId } = await occurrenceReminder(true);
    const delivery = new ReminderDelivery({
      unitOfWork,
      push: { email: sender },
      now: () => new Date('2026-09-10T12:00:00Z'),
    });
    expect(await delivery.deliver(clinic.clinicId, reminderId)).toMatchObject({ status: 'sent' });
    const mail = sink.received.at(-1)!;
    const headers = headersOf(mail.raw);
    expect(headers.get('subject')).toBe('You have a new message');
    const body = mail.raw
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n');
    expect(body).toContain('Sign in to read it: https://portal.mend.example/');
    for (const word of [...CANARIES, 'homework', 'Homework', 'Mend', 'session', 'questionnaire']) {
      expect(body).not.toContain(word);
    }
    // The in-app notice of a discreet reminder names nothing either.
    const [notification] = await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query<{ title: string; case_id: string | null; subject_id: string | null }>(
        `select title, case_id, subject_id from notifications where kind = 'reminder.assignment_due'
           and recipient_membership_id = $1`,
        [clinic.clients[1].membershipId],
      ),
    );
    expect(notification).toEqual({ title: 'You have a new message', case_id: null, subject_id: null });
  });

  it('emails an invitation link with the same headers', async () => {
    const link = 'https://portal.mend.example/invitations/accept?token=synthetic';
    await sender.sendContent('invitee@test.mend.example', invitationEmail(link), 'invitation|synthetic');
    const mail = sink.received.at(-1)!;
    const headers = headersOf(mail.raw);
    expect(mail.to).toEqual(['invitee@test.mend.example']);
    expect(headers.get('subject')).toBe('You have been invited to Mend');
    expect(headers.get('message-id')).toBe(messageIdFor('invitation|synthetic', FROM));
    expect(bodyOf(mail.raw)).toContain(link);
  });
  it(`opens at most ${SMTP_CONCURRENCY} SMTP connections at once, however many sends are asked for together`, async () => {
    const own = await startSmtpSink();
    const parallel = new EmailSender({ smtpUrl: own.url, from: FROM, publicUrl: 'https://portal.mend.example' });
    try {
      const sends = Array.from({ length: 30 }, (_, index) =>
        parallel.send({
          idempotencyKey: `parallel|${index}`,
          category: 'check_in',
          discreet: true,
          to: `parallel-${index}@test.mend.example`,
        }),
      );
      const results = await Promise.all(sends);
      expect(new Set(results.map((result) => result.providerMessageId)).size).toBe(30);
      expect(own.received).toHaveLength(30);
      expect(own.peakConnections()).toBeLessThanOrEqual(SMTP_CONCURRENCY);
      // Still in parallel: not one connection after another.
      expect(own.peakConnections()).toBeGreaterThan(1);
    } finally {
      parallel.close();
      await own.close();
    }
  });
});
