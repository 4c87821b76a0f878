import { randomUUID } from 'node:crypto';

import type { TenantTransaction } from '@mend/core';
import { CATEGORY_RULES, deliveryKey, ReminderPlanner, uuidFromKey, type ReminderCategory } from '@mend/notifications';

import { DEMO_CASE_ID, DEMO_CLIENT_IDS } from './demo-cases.js';

/**
 * The demo's reminders (synthetic): the clinic's defaults (in-app and email,
 * 18:00, quiet hours 21:00–08:00), Jordan's own check-in time (19:30) and a
 * muted "plan review" category for Casey; a few reminders already delivered,
 * so the notification centre of both partners and of the counselor is not
 * empty (unread); one email reminder to Jordan that failed every attempt (the
 * mail server refused: the clinic admin's "Failed reminders" page lists it, with
 * a retry); then the reminder rules planned over the seeded homework (the
 * worker sends them when due). Idempotent: skipped once the settings exist.
 */
export async function seedDemoReminders(
  tx: TenantTransaction,
  members: ReadonlyMap<string, string>,
  now: Date = new Date(),
): Promise<void> {
  const inserted = await tx.query<{ clinic_id: string }>(
    `insert into clinic_reminder_settings (clinic_id, channels, local_time, quiet_start, quiet_end)
     values ($1, '{in_app,email}', '18:00', '21:00', '08:00') on conflict do nothing returning clinic_id`,
    [tx.clinicId],
  );
  if (inserted.length === 0) return;
  await tx.query(
    `insert into client_reminder_preferences (clinic_id, client_id, category, local_time)
     values ($1, $2, 'check_in', '19:30')`,
    [tx.clinicId, DEMO_CLIENT_IDS.client1],
  );
  await tx.query(
    `insert into client_reminder_preferences (clinic_id, client_id, category, opted_out)
     values ($1, $2, 'plan_review', true)`,
    [tx.clinicId, DEMO_CLIENT_IDS.client2],
  );

  const delivered: { category: ReminderCategory; membership: string; clientId: string | null; hoursAgo: number }[] = [
    { category: 'check_in', membership: 'client1', clientId: DEMO_CLIENT_IDS.client1, hoursAgo: 20 },
    { category: 'assignment_due_soon', membership: 'client1', clientId: DEMO_CLIENT_IDS.client1, hoursAgo: 3 },
    { category: 'check_in', membership: 'client2', clientId: DEMO_CLIENT_IDS.client2, hoursAgo: 20 },
    { category: 'note_unsigned', membership: 'counselor', clientId: null, hoursAgo: 5 },
  ];
  for (const item of delivered) {
    const membershipId = members.get(item.membership);
    if (membershipId === undefined) continue;
    const id = randomUUID();
    const at = new Date(now.getTime() - item.hoursAgo * 3600_000);
    const occurrenceKey = at.toISOString().slice(0, 10);
    const sourceId = item.clientId === null ? membershipId : DEMO_CASE_ID;
    await tx.query(
      `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                              source_id, occurrence_key, dedupe_key, channels, due_at, fire_at, status, sent_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{in_app}', $11, $11, 'sent', $11)`,
      [
        tx.clinicId,
        id,
        item.category,
        membershipId,
        item.clientId,
        item.clientId === null ? null : DEMO_CASE_ID,
        item.clientId === null ? 'membership' : 'case',
        sourceId,
        occurrenceKey,
        `demo|${item.category}|${membershipId}|${occurrenceKey}`,
        at.toISOString(),
      ],
    );
    const key = deliveryKey(tx.clinicId, id, occurrenceKey, 'in_app');
    await tx.query(
      `insert into deliveries (clinic_id, reminder_id, occurrence_key, channel, idempotency_key, status, provider_message_id,
                               provider_calls, created_at, sent_at)
       values ($1, $2, $3, 'in_app', $4, 'sent', $5, 1, $6, $6)`,
      [tx.clinicId, id, occurrenceKey, key, uuidFromKey(key), at.toISOString()],
    );
    await tx.query(
      `insert into notifications (clinic_id, id, recipient_membership_id, kind, title, case_id, subject_type, subject_id,
                                  created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        tx.clinicId,
        uuidFromKey(key),
        membershipId,
        `reminder.${item.category}`,
        CATEGORY_RULES[item.category].title,
        item.clientId === null ? null : DEMO_CASE_ID,
        item.clientId === null ? 'membership' : 'case',
        sourceId,
        at.toISOString(),
      ],
    );
  }
  const jordan = members.get('client1');
  if (jordan !== undefined) {
    const fireAt = new Date(now.getTime() - 26 * 3600_000);
    const occurrenceKey = fireAt.toISOString().slice(0, 10);
    await tx.query(
      `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                              source_id, occurrence_key, dedupe_key, channels, due_at, fire_at, status, attempts,
                              last_error, failed_at)
       values ($1, $2, 'check_in', $3, $4, $5, 'case', $5, $6, $7, '{email}', $8, $8, 'failed', 8, 'ECONNREFUSED',
               $8::timestamptz + interval '40 minutes')`,
      [
        tx.clinicId,
        randomUUID(),
        jordan,
        DEMO_CLIENT_IDS.client1,
        DEMO_CASE_ID,
        `${occurrenceKey}-email`,
        `demo|failed|${jordan}|${occurrenceKey}`,
        fireAt.toISOString(),
      ],
    );
  }
  // What the rules call for from the seeded homework and plan (sent by the worker when due).
  await new ReminderPlanner().plan(tx, now);
}
