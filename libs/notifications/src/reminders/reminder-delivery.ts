import { createHash } from 'node:crypto';

import { preparedStatement, type PreparedStatement, type TenantTransaction, type UnitOfWork } from '@mend/core';

import type { PushChannel } from './channels.js';
import { deferThroughQuietHours, isInQuietHours, type QuietHours } from './local-time.js';
import {
  CATEGORY_RULES,
  isReminderCategory,
  type ReminderCategory,
  type ReminderChannel,
} from './reminder-categories.js';
import { recipientReason, sourceReasons } from './reminder-relevance.js';
import { DEFAULT_CLINIC_REMINDER_SETTINGS } from './reminder-settings.js';

export type DeliveryOutcome =
  | { readonly status: 'sent'; readonly channels: readonly ReminderChannel[] }
  | { readonly status: 'cancelled'; readonly reason: string }
  | { readonly status: 'deferred'; readonly fireAt: Date }
  | { readonly status: 'skipped'; readonly reason: string };

interface LockedReminder {
  id: string;
  category: string;
  recipient_membership_id: string | null;
  recipient_client_id: string | null;
  case_id: string | null;
  source_type: string;
  source_id: string;
  occurrence_key: string;
  channels: string[];
  discreet: boolean;
  fire_at: Date;
  deferred_from: Date | null;
  status: string;
  zone: string;
  quiet_start: string | null;
  quiet_end: string | null;
  address_email: string | null;
  address_phone: string | null;
  clinic_quiet_start: string | null;
  clinic_quiet_end: string | null;
  client_status: string | null;
  client_opted_out: boolean | null;
  member_status: string | null;
}

interface PendingPush {
  readonly channel: 'email' | 'sms';
  readonly idempotencyKey: string;
  readonly to: string;
}

/** The idempotency key of one delivery: the same on every attempt, the provider's own key too. */
export function deliveryKey(
  clinicId: string,
  reminderId: string,
  occurrenceKey: string,
  channel: ReminderChannel,
): string {
  return createHash('sha256')
    .update(`${clinicId}|${reminderId}|${occurrenceKey}|${channel}`.toLowerCase())
    .digest('hex');
}

/** A uuid derived from a key (the in-app notification of a delivery): a second insert is the same row. */
export function uuidFromKey(key: string): string {
  const hex = createHash('sha256').update(`notification|${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface ReminderDeliveryOptions {
  readonly unitOfWork: UnitOfWork;
  /** The configured push channels (email needs SMTP; SMS its adapter). */
  readonly push: Partial<Record<'email' | 'sms', PushChannel>>;
  readonly now?: () => Date;
}

/** What the locked pass decided for one reminder: an outcome, or push channels still to call. */
interface Prepared {
  readonly outcome?: DeliveryOutcome;
  readonly pending: readonly PendingPush[];
  readonly channels: readonly ReminderChannel[];
  readonly category: ReminderCategory;
  readonly discreet: boolean;
}

/**
 * The batch's locked read. Prepared: planning its eight joins (with the tables'
 * row-level security) cost more PostgreSQL time than running it — 7 ms per
 * batch, about 136 µs per reminder in the 100,000-reminder bench.
 */
const SELECT_LOCKED = preparedStatement(
  'reminder_lock_batch',
  `
  select r.id, r.category, r.recipient_membership_id, r.recipient_client_id, r.case_id, r.source_type, r.source_id,
         r.occurrence_key, r.channels, r.discreet, r.fire_at, r.deferred_from, r.status,
         coalesce(k.timezone, c.timezone, 'UTC') as zone, crs.quiet_start, crs.quiet_end,
         coalesce(k.email, u.email) as address_email, k.phone as address_phone,
         s.quiet_start as clinic_quiet_start, s.quiet_end as clinic_quiet_end,
         k.status as client_status, p.opted_out as client_opted_out, m.status as member_status
    from reminders r
    join clinics c on c.id = r.clinic_id
    left join clinic_reminder_settings s on s.clinic_id = r.clinic_id
    left join clients k on k.clinic_id = r.clinic_id and k.id = r.recipient_client_id
    left join client_reminder_settings crs on crs.clinic_id = r.clinic_id and crs.client_id = r.recipient_client_id
    left join client_reminder_preferences p
      on p.clinic_id = r.clinic_id and p.client_id = r.recipient_client_id and p.category = r.category
    left join memberships m on m.clinic_id = r.clinic_id and m.id = r.recipient_membership_id
    left join users u on u.id = m.user_id and r.recipient_client_id is null
   where r.clinic_id = $1 and r.id = any($2::uuid[])
   order by r.id
     for update of r`,
  ['uuid', 'uuid[]'],
);

/** One in-app delivery of a batch, as {@link inAppWriteStatement} writes it. */
export interface InAppWrite {
  readonly reminderId: string;
  readonly occurrenceKey: string;
  readonly membershipId: string;
  readonly category: ReminderCategory;
  readonly discreet: boolean;
  readonly caseId: string | null;
  readonly sourceType: string;
  readonly sourceId: string;
  /** Every channel of the reminder: its `channels` once sent. */
  readonly channels: readonly ReminderChannel[];
  /** No push channel is left: the reminder becomes `sent` with this statement. */
  readonly last: boolean;
}

const IN_APP_WRITE = preparedStatement(
  'reminder_write_in_app',
  `with input as (
    select * from unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[],
                         $9::uuid[], $10::text[], $11::uuid[], $12::text[], $13::boolean[])
      as t(reminder_id, occurrence_key, idempotency_key, notification_id, membership_id, kind, title, case_id,
           subject_type, subject_id, channels, last)
  ), delivery as (
    insert into deliveries (clinic_id, reminder_id, occurrence_key, channel, idempotency_key, status,
                            provider_message_id, provider_calls, sent_at)
    select $1, i.reminder_id, i.occurrence_key, 'in_app', i.idempotency_key, 'sent', i.notification_id::text, 1, now()
      from input i
    on conflict do nothing
    returning reminder_id
  ), notice as (
    insert into notifications (clinic_id, id, recipient_membership_id, kind, title, case_id, subject_type, subject_id)
    select $1, i.notification_id, i.membership_id, i.kind, i.title, i.case_id, i.subject_type, i.subject_id
      from input i join delivery d on d.reminder_id = i.reminder_id
    on conflict do nothing
    returning id
  )
  update reminders r set status = 'sent', sent_at = now(), channels = string_to_array(i.channels, ','),
         claim_token = null, updated_at = now()
    from input i
   where r.clinic_id = $1 and r.id = i.reminder_id and i.last`,
  [
    'uuid',
    'uuid[]',
    'text[]',
    'text[]',
    'uuid[]',
    'uuid[]',
    'text[]',
    'text[]',
    'uuid[]',
    'text[]',
    'uuid[]',
    'text[]',
    'boolean[]',
  ],
);

/**
 * The in-app deliveries of a batch as one statement: each deliveries row, its
 * notification (only when that row is new) and, for the `last` ones, the
 * reminder's `sent`. Every reminder of the batch is locked `queued` by
 * {@link SELECT_LOCKED} in the same transaction before this runs, so the update
 * finds them by primary key alone. It must not repeat `status = 'queued'`: that
 * condition lets the planner walk `reminders_lease_idx` (every queued row of
 * every clinic) for each batch whenever the statistics predate a burst — in a
 * 30,000 backlog that was 1.4 ms of PostgreSQL CPU per reminder, against one
 * index probe (test/integration/reminders/reminder-batch.int-spec.ts).
 */
export function inAppWriteStatement(
  clinicId: string,
  items: readonly InAppWrite[],
): { readonly statement: PreparedStatement; readonly values: unknown[] } {
  const keys = items.map((item) => deliveryKey(clinicId, item.reminderId, item.occurrenceKey, 'in_app'));
  return {
    statement: IN_APP_WRITE,
    values: [
      clinicId,
      items.map((item) => item.reminderId),
      items.map((item) => item.occurrenceKey),
      keys,
      keys.map(uuidFromKey),
      items.map((item) => item.membershipId),
      items.map((item) => `reminder.${item.category}`),
      items.map((item) => (item.discreet ? 'You have a new message' : CATEGORY_RULES[item.category].title)),
      items.map((item) => (item.discreet ? null : item.caseId)),
      items.map((item) => (item.discreet ? null : item.sourceType)),
      items.map((item) => (item.discreet ? null : item.sourceId)),
      items.map((item) => item.channels.join(',')),
      items.map((item) => item.last),
    ],
  };
}

/**
 * Delivers claimed reminders, exactly once per channel, one or many of a clinic
 * at a time (the worker batches the jobs that run together; see
 * ReminderDeliveryBatcher):
 * 1. in the clinic's unit of work, locks the rows; a reminder already sent,
 *    cancelled, failed or not claimed is left alone (a duplicate job is a no-op);
 *    one that no longer applies (done, on safety hold, opted out) is cancelled;
 *    one that would now land in quiet hours is deferred to their end (never
 *    safety); otherwise the in-app notices and their deliveries rows are written
 *    in one statement (each row's unique key makes a second one impossible), and
 *    a `sending` row is written for each push channel;
 * 2. each push channel is called with the delivery's idempotency key, then its
 *    row is marked sent; a crash between the two calls the provider again with
 *    the same key (the provider, or the email's Message-ID, collapses it);
 * 3. the reminder is marked sent once every channel is.
 */
export class ReminderDelivery {
  private readonly now: () => Date;

  constructor(private readonly options: ReminderDeliveryOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async deliver(clinicId: string, reminderId: string): Promise<DeliveryOutcome> {
    const settled = (await this.deliverMany(clinicId, [reminderId])).get(reminderId.toLowerCase());
    if (settled === undefined) throw new Error('No outcome for the reminder');
    if (settled.status === 'rejected') throw settled.reason;
    return settled.value;
  }

  /**
   * Delivers several reminders of one clinic: the decisions and every in-app
   * delivery in one transaction, then each reminder's push channels on its own.
   * Answers per reminder id (lower case): its outcome, or the error of its own
   * push channel (the others are not affected). Throws when the transaction fails.
   */
  async deliverMany(
    clinicId: string,
    reminderIds: readonly string[],
  ): Promise<Map<string, PromiseSettledResult<DeliveryOutcome>>> {
    const ids = [...new Set(reminderIds.map((id) => id.toLowerCase()))];
    const prepared = await this.options.unitOfWork.run(clinicId, (tx) => this.prepare(tx, ids));
    const results = new Map<string, PromiseSettledResult<DeliveryOutcome>>();
    for (const [id, item] of prepared) {
      if (item.outcome !== undefined) {
        results.set(id, { status: 'fulfilled', value: item.outcome });
        continue;
      }
      try {
        results.set(id, { status: 'fulfilled', value: await this.push(clinicId, id, item) });
      } catch (error) {
        results.set(id, { status: 'rejected', reason: error });
      }
    }
    return results;
  }

  /**
   * Records a failed attempt of the job `jobId` (an error code only); on its last attempt the reminder becomes
   * `failed`, for admins to retry — unless the reminder was enqueued again since under a newer job (released
   * after a lost reply and claimed again): a stale job's last attempt must not fail the claim that is in
   * flight, which would then find the row `failed` and skip it.
   */
  async recordFailure(
    clinicId: string,
    reminderId: string,
    jobId: string | undefined,
    errorCode: string,
    isFinal: boolean,
  ): Promise<void> {
    await this.options.unitOfWork.run(clinicId, (tx) =>
      tx.query(
        `update reminders set attempts = attempts + 1, last_error = $3,
                status = case when $4 and status = 'queued' and ($5::text is null or job_id = $5) then 'failed'
                              else status end,
                failed_at = case when $4 and status = 'queued' and ($5::text is null or job_id = $5) then now()
                                 else failed_at end,
                updated_at = now()
          where clinic_id = $1 and id = $2`,
        [tx.clinicId, reminderId, errorCode.slice(0, 200), isFinal, jobId ?? null],
      ),
    );
  }

  private async push(clinicId: string, reminderId: string, prepared: Prepared): Promise<DeliveryOutcome> {
    for (const push of prepared.pending) {
      const adapter = this.options.push[push.channel];
      if (adapter === undefined) continue;
      await this.options.unitOfWork.run(clinicId, (tx) =>
        tx.query(
          `update deliveries set provider_calls = provider_calls + 1
            where clinic_id = $1 and reminder_id = $2 and channel = $3 and status = 'sending'`,
          [tx.clinicId, reminderId, push.channel],
        ),
      );
      const result = await adapter.send({
        idempotencyKey: push.idempotencyKey,
        category: prepared.category,
        discreet: prepared.discreet,
        to: push.to,
      });
      await this.options.unitOfWork.run(clinicId, (tx) =>
        tx.query(
          `update deliveries set status = 'sent', sent_at = now(), provider_message_id = $4
            where clinic_id = $1 and reminder_id = $2 and channel = $3 and status = 'sending'`,
          [tx.clinicId, reminderId, push.channel, result.providerMessageId.slice(0, 300)],
        ),
      );
    }
    return this.options.unitOfWork.run(clinicId, (tx) => this.finish(tx, reminderId, prepared.channels));
  }

  /** The locked pass over a batch: decides each reminder and writes every decision in a few set-based statements. */
  private async prepare(tx: TenantTransaction, ids: readonly string[]): Promise<Map<string, Prepared>> {
    const rows = await tx.query<LockedReminder>(SELECT_LOCKED, [tx.clinicId, ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const prepared = new Map<string, Prepared>();
    const done = (id: string, outcome: DeliveryOutcome): void => {
      prepared.set(id, { outcome, pending: [], channels: [], category: 'check_in', discreet: false });
    };
    const live: (LockedReminder & { category: ReminderCategory })[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (row === undefined) done(id, { status: 'skipped', reason: 'missing' });
      else if (row.status !== 'queued') done(id, { status: 'skipped', reason: row.status });
      else if (!isReminderCategory(row.category)) done(id, { status: 'skipped', reason: 'unknown_category' });
      else live.push(row as LockedReminder & { category: ReminderCategory });
    }

    const cancelled: { id: string; reason: string }[] = [];
    const relevant = live.filter((row) => {
      const reason = recipientReason(row);
      if (reason !== null) cancelled.push({ id: row.id, reason });
      return reason === null;
    });
    const sourceSide = await sourceReasons(
      tx,
      relevant.map((row) => ({
        category: row.category,
        sourceId: row.source_id,
        occurrenceKey: row.occurrence_key,
        caseId: row.case_id,
        recipientClientId: row.recipient_client_id,
        recipientMembershipId: row.recipient_membership_id,
      })),
    );

    const now = this.now();
    const deferred: { id: string; fireAt: Date }[] = [];
    const inApp: {
      row: LockedReminder & { category: ReminderCategory };
      channels: ReminderChannel[];
      last: boolean;
    }[] = [];
    const pushing: { row: LockedReminder & { category: ReminderCategory }; channels: ReminderChannel[] }[] = [];
    relevant.forEach((row, index) => {
      const reason = sourceSide[index];
      if (reason !== null) {
        cancelled.push({ id: row.id, reason });
        return;
      }
      if (!CATEGORY_RULES[row.category].safety) {
        const clinicQuiet =
          row.clinic_quiet_start !== null && row.clinic_quiet_end !== null
            ? { start: row.clinic_quiet_start, end: row.clinic_quiet_end }
            : DEFAULT_CLINIC_REMINDER_SETTINGS.quietHours;
        const quiet: QuietHours =
          row.quiet_start !== null && row.quiet_end !== null
            ? { start: row.quiet_start, end: row.quiet_end }
            : clinicQuiet;
        if (isInQuietHours(now, row.zone, quiet)) {
          // Late (a backlog or an outage pushed it into the night): deferred again, never dropped.
          deferred.push({ id: row.id, fireAt: deferThroughQuietHours(now, row.zone, quiet).fireAt });
          return;
        }
      }
      // Channels whose adapter is not configured (email without SMTP) are dropped, never pretended.
      const channels = row.channels.filter(
        (channel): channel is ReminderChannel =>
          channel === 'in_app' ||
          (channel === 'email' && this.options.push.email !== undefined && row.address_email !== null) ||
          (channel === 'sms' && this.options.push.sms !== undefined && row.address_phone !== null),
      );
      if (channels.length === 0) {
        cancelled.push({ id: row.id, reason: 'no_channel' });
        return;
      }
      const hasPush = channels.some((channel) => channel !== 'in_app');
      if (channels.includes('in_app') && row.recipient_membership_id !== null)
        inApp.push({ row, channels, last: !hasPush });
      if (hasPush || row.recipient_membership_id === null) pushing.push({ row, channels });
      else done(row.id, { status: 'sent', channels });
    });

    if (cancelled.length > 0) {
      await tx.query(
        `update reminders r set status = 'cancelled', cancelled_reason = t.reason, claim_token = null, updated_at = now()
           from unnest($2::uuid[], $3::text[]) as t(id, reason)
          where r.clinic_id = $1 and r.id = t.id`,
        [tx.clinicId, cancelled.map((item) => item.id), cancelled.map((item) => item.reason)],
      );
      for (const item of cancelled) done(item.id, { status: 'cancelled', reason: item.reason });
    }
    if (deferred.length > 0) {
      // This job completes now and BullMQ keeps completed jobs (a week): the claim at the end of quiet hours
      // enqueues it under the next generation (reminder_claim does so for any pending row enqueued before).
      await tx.query(
        `update reminders r set status = 'pending', fire_at = t.fire_at, deferred_from = coalesce(r.deferred_from, r.fire_at),
                claim_token = null, claimed_until = null, updated_at = now()
           from unnest($2::uuid[], $3::timestamptz[]) as t(id, fire_at)
          where r.clinic_id = $1 and r.id = t.id`,
        [tx.clinicId, deferred.map((item) => item.id), deferred.map((item) => item.fireAt.toISOString())],
      );
      for (const item of deferred) done(item.id, { status: 'deferred', fireAt: item.fireAt });
    }
    if (inApp.length > 0) {
      const { statement, values } = inAppWriteStatement(
        tx.clinicId,
        inApp.map(({ row, channels, last }) => ({
          reminderId: row.id,
          occurrenceKey: row.occurrence_key,
          membershipId: row.recipient_membership_id as string,
          category: row.category,
          discreet: row.discreet,
          caseId: row.case_id,
          sourceType: row.source_type,
          sourceId: row.source_id,
          channels,
          last,
        })),
      );
      await tx.query(statement, values);
    }

    for (const { row, channels } of pushing) {
      const pending: PendingPush[] = [];
      for (const channel of channels) {
        if (channel === 'in_app') continue;
        const key = deliveryKey(tx.clinicId, row.id, row.occurrence_key, channel);
        await tx.query(
          `insert into deliveries (clinic_id, reminder_id, occurrence_key, channel, idempotency_key)
           values ($1, $2, $3, $4, $5) on conflict do nothing`,
          [tx.clinicId, row.id, row.occurrence_key, channel, key],
        );
        const [delivery] = await tx.query<{ status: string }>(
          'select status from deliveries where clinic_id = $1 and reminder_id = $2 and occurrence_key = $3 and channel = $4',
          [tx.clinicId, row.id, row.occurrence_key, channel],
        );
        if (delivery?.status === 'sending') {
          pending.push({
            channel,
            idempotencyKey: key,
            to: channel === 'email' ? (row.address_email ?? '') : (row.address_phone ?? ''),
          });
        }
      }
      if (pending.length === 0) {
        done(row.id, await this.finish(tx, row.id, channels));
      } else {
        prepared.set(row.id, { pending, channels, category: row.category, discreet: row.discreet });
      }
    }
    return prepared;
  }

  private async finish(
    tx: TenantTransaction,
    reminderId: string,
    channels: readonly ReminderChannel[],
  ): Promise<DeliveryOutcome> {
    await tx.query(
      `update reminders set status = 'sent', sent_at = now(), channels = $3::text[], claim_token = null, updated_at = now()
        where clinic_id = $1 and id = $2 and status = 'queued'
          and not exists (select 1 from deliveries d
                           where d.clinic_id = $1 and d.reminder_id = $2 and d.status = 'sending')`,
      [tx.clinicId, reminderId, channels],
    );
    return { status: 'sent', channels };
  }
}
