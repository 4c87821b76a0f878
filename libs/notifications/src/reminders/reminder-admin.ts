import type { AccessPrincipal } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type TenantTransaction } from '@mend/core';

export interface FailedReminderView {
  readonly id: string;
  readonly category: string;
  readonly recipientMembershipId: string | null;
  readonly recipientClientId: string | null;
  readonly channels: readonly string[];
  readonly fireAt: Date;
  readonly failedAt: Date | null;
  readonly attempts: number;
  /** An error code (never a message from a provider, which could echo an address). */
  readonly lastError: string | null;
}

export class ReminderNotFoundError extends DomainError {
  constructor() {
    super('not_found', 404, 'No such reminder');
    this.name = 'ReminderNotFoundError';
  }
}

export class ReminderNotFailedError extends DomainError {
  constructor(status: string) {
    super('reminder_not_failed', 409, `Only a failed reminder can be retried (this one is ${status})`);
    this.name = 'ReminderNotFailedError';
  }
}

interface FailedRow {
  id: string;
  category: string;
  recipient_membership_id: string | null;
  recipient_client_id: string | null;
  channels: string[];
  fire_at: Date;
  failed_at: Date | null;
  attempts: number;
  last_error: string | null;
}

/**
 * The clinic admin's view of reminders that failed every attempt: ids,
 * categories and error codes only (no clinical content), and a retry that puts
 * one back in line (`pending`; reminder_claim enqueues it under the next
 * generation, a new job id, so BullMQ's failed job of the previous try does not
 * swallow it).
 */
export class ReminderAdmin {
  async listFailed(tx: TenantTransaction, limit: number): Promise<FailedReminderView[]> {
    const rows = await tx.query<FailedRow>(
      `select id, category, recipient_membership_id, recipient_client_id, channels, fire_at, failed_at, attempts, last_error
         from reminders where clinic_id = $1 and status = 'failed'
        order by failed_at desc nulls last, id
        limit $2`,
      [tx.clinicId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      category: row.category,
      recipientMembershipId: row.recipient_membership_id,
      recipientClientId: row.recipient_client_id,
      channels: row.channels,
      fireAt: new Date(row.fire_at),
      failedAt: row.failed_at === null ? null : new Date(row.failed_at),
      attempts: row.attempts,
      lastError: row.last_error,
    }));
  }

  async retry(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    reminderId: string,
  ): Promise<{ id: string; status: string }> {
    const [row] = await tx.query<{ status: string }>(
      'select status from reminders where clinic_id = $1 and id = $2 for update',
      [tx.clinicId, reminderId],
    );
    if (row === undefined) throw new ReminderNotFoundError();
    if (row.status !== 'failed') throw new ReminderNotFailedError(row.status);
    await tx.query(
      `update reminders set status = 'pending', attempts = 0, failed_at = null,
              fire_at = least(fire_at, now()), claim_token = null, claimed_until = null, updated_at = now()
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, reminderId],
    );
    await recordAudit(tx, {
      action: 'reminder.retry',
      targetType: 'reminder',
      targetId: reminderId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
    });
    return { id: reminderId, status: 'pending' };
  }
}
