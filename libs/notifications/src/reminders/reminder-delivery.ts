import { createHash } from 'node:crypto';

import type { TenantTransaction, UnitOfWork } from '@mend/core';

import type { PushChannel } from './channels.js';
import { deferThroughQuietHours, isInQuietHours, type QuietHours } from './local-time.js';
import {
  CATEGORY_RULES,
  isReminderCategory,
  type ReminderCategory,
  type ReminderChannel,
} from './reminder-categories.js';
import { recipientReason, sourceReason } from './reminder-relevance.js';
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

/**
 * Delivers one claimed reminder, exactly once per channel:
 * 1. in the clinic's unit of work, locks the row; a reminder already sent,
 *    cancelled, failed or not claimed is left alone (a duplicate job is a no-op);
 *    one that no longer applies (done, on safety hold, opted out) is cancelled;
 *    one that would now land in quiet hours is deferred to their end (never
 *    safety); otherwise the in-app notice and its deliveries row are written in
 *    the same transaction (the row's unique key makes a second one impossible),
 *    and a `sending` row is written for each push channel;
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
    const first = await this.options.unitOfWork.run(clinicId, (tx) => this.prepare(tx, reminderId));
    if (first.outcome !== undefined) return first.outcome;
    for (const push of first.pending) {
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
        category: first.category,
        discreet: first.discreet,
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
    return this.options.unitOfWork.run(clinicId, (tx) => this.finish(tx, reminderId, first.channels));
  }

  /** Records a failed attempt (an error code only); on the last attempt the reminder becomes `failed`, for admins to retry. */
  async recordFailure(clinicId: string, reminderId: string, errorCode: string, isFinal: boolean): Promise<void> {
    await this.options.unitOfWork.run(clinicId, (tx) =>
      tx.query(
        `update reminders set attempts = attempts + 1, last_error = $3,
                status = case when $4 and status = 'queued' then 'failed' else status end,
                failed_at = case when $4 and status = 'queued' then now() else failed_at end,
                updated_at = now()
          where clinic_id = $1 and id = $2`,
        [tx.clinicId, reminderId, errorCode.slice(0, 200), isFinal],
      ),
    );
  }

  private async prepare(
    tx: TenantTransaction,
    reminderId: string,
  ): Promise<{
    outcome?: DeliveryOutcome;
    pending: PendingPush[];
    channels: ReminderChannel[];
    category: ReminderCategory;
    discreet: boolean;
  }> {
    const [row] = await tx.query<LockedReminder>(
      `select r.id, r.category, r.recipient_membership_id, r.recipient_client_id, r.case_id, r.source_type, r.source_id,
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
        where r.clinic_id = $1 and r.id = $2
        for update of r`,
      [tx.clinicId, reminderId],
    );
    const empty = { pending: [], channels: [], category: 'check_in' as ReminderCategory, discreet: false };
    if (row === undefined) return { ...empty, outcome: { status: 'skipped', reason: 'missing' } };
    if (row.status !== 'queued') return { ...empty, outcome: { status: 'skipped', reason: row.status } };
    if (!isReminderCategory(row.category))
      return { ...empty, outcome: { status: 'skipped', reason: 'unknown_category' } };
    const category = row.category;

    const reason =
      recipientReason(row) ??
      (await sourceReason(tx, {
        category,
        sourceId: row.source_id,
        occurrenceKey: row.occurrence_key,
        caseId: row.case_id,
        recipientClientId: row.recipient_client_id,
        recipientMembershipId: row.recipient_membership_id,
      }));
    if (reason !== null) {
      await tx.query(
        `update reminders set status = 'cancelled', cancelled_reason = $3, claim_token = null, updated_at = now()
          where clinic_id = $1 and id = $2`,
        [tx.clinicId, reminderId, reason],
      );
      return { ...empty, outcome: { status: 'cancelled', reason } };
    }

    const now = this.now();
    if (!CATEGORY_RULES[category].safety) {
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
        const { fireAt } = deferThroughQuietHours(now, row.zone, quiet);
        await tx.query(
          `update reminders set status = 'pending', fire_at = $3, deferred_from = coalesce(deferred_from, fire_at),
                  claim_token = null, claimed_until = null, updated_at = now()
            where clinic_id = $1 and id = $2`,
          [tx.clinicId, reminderId, fireAt.toISOString()],
        );
        return { ...empty, outcome: { status: 'deferred', fireAt } };
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
      await tx.query(
        `update reminders set status = 'cancelled', cancelled_reason = 'no_channel', claim_token = null, updated_at = now()
          where clinic_id = $1 and id = $2`,
        [tx.clinicId, reminderId],
      );
      return { ...empty, outcome: { status: 'cancelled', reason: 'no_channel' } };
    }

    const pushChannels = channels.filter((channel) => channel !== 'in_app');
    if (channels.includes('in_app') && row.recipient_membership_id !== null) {
      const key = deliveryKey(tx.clinicId, reminderId, row.occurrence_key, 'in_app');
      // The deliveries row, its notification and (with no push channel left) the reminder's `sent`: one statement.
      await tx.query(
        `with delivery as (
           insert into deliveries (clinic_id, reminder_id, occurrence_key, channel, idempotency_key, status,
                                   provider_message_id, provider_calls, sent_at)
           values ($1, $2, $3, 'in_app', $4, 'sent', $5::text, 1, now())
           on conflict do nothing
           returning reminder_id
         ), notice as (
           insert into notifications (clinic_id, id, recipient_membership_id, kind, title, case_id, subject_type, subject_id)
           select $1, $5::uuid, $6::uuid, $7::text, $8::text, $9::uuid, $10::text, $11::uuid from delivery
           on conflict do nothing
           returning id
         ), sent as (
           update reminders set status = 'sent', sent_at = now(), channels = $12::text[], claim_token = null, updated_at = now()
            where clinic_id = $1 and id = $2 and status = 'queued' and $13::boolean
           returning id
         )
         select (select count(*) from notice)::int as notices, (select count(*) from sent)::int as sent`,
        [
          tx.clinicId,
          reminderId,
          row.occurrence_key,
          key,
          uuidFromKey(key),
          row.recipient_membership_id,
          `reminder.${category}`,
          row.discreet ? 'You have a new message' : CATEGORY_RULES[category].title,
          row.discreet ? null : row.case_id,
          row.discreet ? null : row.source_type,
          row.discreet ? null : row.source_id,
          channels,
          pushChannels.length === 0,
        ],
      );
      if (pushChannels.length === 0) return { ...empty, outcome: { status: 'sent', channels } };
    }
    const pending: PendingPush[] = [];
    for (const channel of channels) {
      if (channel === 'in_app') continue;
      const key = deliveryKey(tx.clinicId, reminderId, row.occurrence_key, channel);
      await tx.query(
        `insert into deliveries (clinic_id, reminder_id, occurrence_key, channel, idempotency_key)
         values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [tx.clinicId, reminderId, row.occurrence_key, channel, key],
      );
      const [delivery] = await tx.query<{ status: string }>(
        'select status from deliveries where clinic_id = $1 and reminder_id = $2 and occurrence_key = $3 and channel = $4',
        [tx.clinicId, reminderId, row.occurrence_key, channel],
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
      const outcome = await this.finish(tx, reminderId, channels);
      return { outcome, pending, channels, category, discreet: row.discreet };
    }
    return { pending, channels, category, discreet: row.discreet };
  }

  private async finish(
    tx: TenantTransaction,
    reminderId: string,
    channels: ReminderChannel[],
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
