import { randomUUID } from 'node:crypto';

import pg from 'pg';

import type { UnitOfWork } from '@mend/core';
import { testEnvironment } from '@mend/testing';

export interface ReminderClinic {
  readonly clinicId: string;
  readonly caseId: string;
  readonly counselorMembershipId: string;
  readonly clients: readonly { readonly clientId: string; readonly membershipId: string }[];
}

/** The admin role on a given database (users and memberships are written as in the identity tests). */
export function adminUrlFor(database: string): string {
  const url = new URL(testEnvironment().adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A clinic with a counselor, `clients` portal clients (each a participant of
 * one active couple case) and reminder settings without quiet hours unless
 * given. Synthetic data only.
 */
export async function seedReminderClinic(
  adminUrl: string,
  unitOfWork: UnitOfWork,
  options: {
    readonly clients?: number;
    readonly timezone?: string;
    readonly quietHours?: { readonly start: string; readonly end: string };
    readonly channels?: readonly string[];
    readonly clientEmail?: boolean;
  } = {},
): Promise<ReminderClinic> {
  const clinicId = randomUUID();
  const caseId = randomUUID();
  const counselorUser = randomUUID();
  const counselorMembershipId = randomUUID();
  const clients = Array.from({ length: options.clients ?? 2 }, () => ({
    clientId: randomUUID(),
    membershipId: randomUUID(),
    userId: randomUUID(),
  }));
  await unitOfWork.run(clinicId, (tx) =>
    tx.query('insert into clinics (id, name, timezone) values ($1, $2, $3)', [
      clinicId,
      'Synthetic Reminder Clinic',
      options.timezone ?? 'UTC',
    ]),
  );
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const [userId, membershipId, roles] of [
      [counselorUser, counselorMembershipId, '{counselor}'],
      ...clients.map((client) => [client.userId, client.membershipId, '{client}']),
    ]) {
      await admin.query('insert into users (id, email) values ($1, $2)', [
        userId,
        `reminder-${userId.slice(0, 12)}@test.mend.example`,
      ]);
      await admin.query('insert into memberships (clinic_id, id, user_id, roles) values ($1, $2, $3, $4)', [
        clinicId,
        membershipId,
        userId,
        roles,
      ]);
    }
  } finally {
    await admin.end();
  }
  await unitOfWork.run(clinicId, async (tx) => {
    for (const client of clients) {
      await tx.query(
        `insert into clients (clinic_id, id, display_name, email, timezone, membership_id, reminder_channel)
         values ($1, $2, 'Synthetic Client', $3, $4, $5, 'in_app')`,
        [
          clinicId,
          client.clientId,
          options.clientEmail === true ? `client-${client.clientId.slice(0, 12)}@test.mend.example` : null,
          options.timezone ?? 'UTC',
          client.membershipId,
        ],
      );
    }
    await tx.query(
      `insert into cases (clinic_id, id, title, type, status) values ($1, $2, 'Synthetic', 'couple', 'active')`,
      [clinicId, caseId],
    );
    await tx.query(
      'insert into case_care_team (clinic_id, case_id, membership_id, is_primary) values ($1, $2, $3, true)',
      [clinicId, caseId, counselorMembershipId],
    );
    for (const [index, client] of clients.entries()) {
      await tx.query(`insert into case_participants (clinic_id, case_id, client_id, role) values ($1, $2, $3, $4)`, [
        clinicId,
        caseId,
        client.clientId,
        index % 2 === 0 ? 'harmed' : 'harming',
      ]);
    }
    const quiet = options.quietHours ?? { start: '00:00', end: '00:00' };
    await tx.query(
      `insert into clinic_reminder_settings (clinic_id, channels, quiet_start, quiet_end) values ($1, $2::text[], $3, $4)`,
      [clinicId, options.channels ?? ['in_app'], quiet.start, quiet.end],
    );
  });
  return {
    clinicId,
    caseId,
    counselorMembershipId,
    clients: clients.map(({ clientId, membershipId }) => ({ clientId, membershipId })),
  };
}

/** `count` check-in reminders due at `fireAt`, spread over the clinic's clients, in batches; answers their ids. */
export async function insertDueReminders(
  unitOfWork: UnitOfWork,
  clinic: ReminderClinic,
  count: number,
  fireAt: Date = new Date(),
  label = 'fault',
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const size = Math.min(1000, count - start);
    const batch = Array.from({ length: size }, () => randomUUID());
    await unitOfWork.run(clinic.clinicId, (tx) =>
      tx.query(
        `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                                source_id, occurrence_key, dedupe_key, channels, due_at, fire_at)
         select $1, t.id, 'check_in', t.membership_id, t.client_id, $2, 'case', $2, t.occurrence_key, t.dedupe_key,
                '{in_app}', $3, $3
           from unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[])
             as t(id, membership_id, client_id, occurrence_key, dedupe_key)`,
        [
          clinic.clinicId,
          clinic.caseId,
          fireAt.toISOString(),
          batch,
          batch.map((_, index) => clinic.clients[(start + index) % clinic.clients.length].membershipId),
          batch.map((_, index) => clinic.clients[(start + index) % clinic.clients.length].clientId),
          batch.map((_, index) => `${label}-${start + index}`),
          batch.map((id) => `${label}|${id}`),
        ],
      ),
    );
    ids.push(...batch);
  }
  return ids;
}

export interface ReminderCounts {
  readonly total: number;
  readonly sent: number;
  readonly failed: number;
  readonly open: number;
  readonly deliveries: number;
  readonly notifications: number;
  /** Reminders with more than one in-app notification (a duplicate side effect). */
  readonly duplicated: number;
  readonly providerCallsOverOne: number;
}

/** Ground truth in PostgreSQL for one clinic, through its own unit of work. */
export async function reminderCounts(unitOfWork: UnitOfWork, clinicId: string): Promise<ReminderCounts> {
  return unitOfWork.run(clinicId, async (tx) => {
    const [reminders] = await tx.query<{ total: string; sent: string; failed: string; open: string }>(
      `select count(*) as total, count(*) filter (where status = 'sent') as sent,
              count(*) filter (where status = 'failed') as failed,
              count(*) filter (where status in ('pending', 'queued')) as open
         from reminders`,
    );
    const [deliveries] = await tx.query<{ deliveries: string; over: string }>(
      `select count(*) as deliveries, count(*) filter (where provider_calls > 1) as over from deliveries`,
    );
    const [notifications] = await tx.query<{ notifications: string; duplicated: string }>(
      `select count(*) as notifications, count(*) filter (where n > 1) as duplicated
         from (select d.reminder_id, count(n.id) as n
                 from deliveries d join notifications n on n.clinic_id = d.clinic_id and n.id = d.provider_message_id::uuid
                where d.channel = 'in_app' group by d.reminder_id) per_reminder`,
    );
    const [kinds] = await tx.query<{ n: string }>(
      `select count(*) as n from notifications where kind like 'reminder.%'`,
    );
    return {
      total: Number(reminders.total),
      sent: Number(reminders.sent),
      failed: Number(reminders.failed),
      open: Number(reminders.open),
      deliveries: Number(deliveries.deliveries),
      notifications: Number(kinds.n),
      duplicated: Number(notifications.duplicated),
      providerCallsOverOne: Number(deliveries.over),
    };
  });
}
