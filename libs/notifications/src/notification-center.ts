import { randomUUID } from 'node:crypto';

import type { AccessPrincipal } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type TenantTransaction } from '@mend/core';

/** The kinds of in-app notification and their content-free titles. */
export const NOTIFICATION_TITLES = {
  'disclosure.made': 'Something you wrote was shared in your case',
  // Safety alerts (issue 6): never clinical content, never the client's name or the trigger.
  'safety.alert': 'Urgent item in your caseload',
  'safety.review': 'An item in your caseload needs review',
  'safety.escalation': 'Urgent item awaiting acknowledgement',
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_TITLES;

export interface NotifyInput {
  readonly recipientMembershipId: string;
  readonly kind: NotificationKind;
  readonly caseId?: string | null;
  readonly subject?: { readonly type: string; readonly id: string } | null;
}

export interface NotificationView {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly caseId: string | null;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

export interface NotificationPage {
  readonly items: readonly NotificationView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export class NotificationNotFoundError extends DomainError {
  constructor() {
    super('not_found', 404, 'No such notification');
    this.name = 'NotificationNotFoundError';
  }
}

export class NotificationCursorError extends DomainError {
  constructor() {
    super('validation_failed', 400, 'The request is invalid: see errors', [
      { field: 'before', rule: 'isCursor', message: 'before must be a cursor returned by a previous page' },
    ]);
    this.name = 'NotificationCursorError';
  }
}

interface Row {
  id: string;
  kind: string;
  title: string;
  case_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

const toView = (row: Row): NotificationView => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  caseId: row.case_id,
  subjectType: row.subject_type,
  subjectId: row.subject_id,
  createdAt: row.created_at,
  readAt: row.read_at,
});

/** Keyset cursor: the last item's creation time (microseconds kept as text) and id. */
function encodeCursor(row: { created_at_text: string; id: string }): string {
  return Buffer.from(`${row.created_at_text}|${row.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (
    at === undefined ||
    id === undefined ||
    Number.isNaN(Date.parse(at)) ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
  ) {
    throw new NotificationCursorError();
  }
  return { at, id };
}

/**
 * The in-app notification centre (this issue: in-app only; the reminders issue
 * adds email and preferences). A notification belongs to one membership; every
 * read and change is the recipient's own (another member's id answers 404, like
 * an unknown one).
 */
export class NotificationCenter {
  /**
   * Creates the notification and answers its id — or null, creating nothing, when it
   * is about a case on a safety hold and goes to a participant of that case
   * (clinical.md §4.3: a safety hold stops partner notifications). Staff (the care
   * team's alerts) are always notified. The suppression is audited for staff (ids
   * only); the participants see no trace of it.
   */
  async notify(tx: TenantTransaction, input: NotifyInput): Promise<string | null> {
    if (input.caseId !== null && input.caseId !== undefined && (await this.heldForParticipant(tx, input))) {
      await recordAudit(tx, {
        action: 'notification.suppress',
        targetType: 'case',
        targetId: input.caseId,
        metadata: { recipientMembershipId: input.recipientMembershipId, kind: input.kind, reason: 'safety_hold' },
      });
      return null;
    }
    const id = randomUUID();
    await tx.query(
      `insert into notifications (clinic_id, id, recipient_membership_id, kind, title, case_id, subject_type, subject_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        tx.clinicId,
        id,
        input.recipientMembershipId,
        input.kind,
        NOTIFICATION_TITLES[input.kind],
        input.caseId ?? null,
        input.subject?.type ?? null,
        input.subject?.id ?? null,
      ],
    );
    await recordAudit(tx, {
      action: 'notification.create',
      targetType: 'notification',
      targetId: id,
      metadata: { recipientMembershipId: input.recipientMembershipId, kind: input.kind },
    });
    return id;
  }

  private async heldForParticipant(tx: TenantTransaction, input: NotifyInput): Promise<boolean> {
    const rows = await tx.query<{ held: boolean }>(
      `select exists (
         select 1 from cases c
           join case_participants p on p.clinic_id = c.clinic_id and p.case_id = c.id
           join clients k on k.clinic_id = p.clinic_id and k.id = p.client_id
          where c.clinic_id = $1 and c.id = $2 and c.safety_status = 'safety_hold' and k.membership_id = $3
       ) as held`,
      [tx.clinicId, input.caseId, input.recipientMembershipId],
    );
    return rows[0]?.held === true;
  }

  /** Newest first, `limit` per page (1–100). */
  async list(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    options: { readonly limit: number; readonly before?: string | null; readonly unreadOnly?: boolean },
  ): Promise<NotificationPage> {
    const cursor = options.before ? decodeCursor(options.before) : null;
    const rows = await tx.query<Row & { created_at_text: string }>(
      `select id, kind, title, case_id, subject_type, subject_id, created_at, read_at, created_at::text as created_at_text
         from notifications
        where clinic_id = $1 and recipient_membership_id = $2
          and ($3::timestamptz is null or (created_at, id) < ($3::timestamptz, $4::uuid))
          and (not $5 or read_at is null)
        order by created_at desc, id desc
        limit $6`,
      [
        tx.clinicId,
        principal.membershipId,
        cursor?.at ?? null,
        cursor?.id ?? null,
        options.unreadOnly === true,
        options.limit + 1,
      ],
    );
    const page = rows.slice(0, options.limit);
    return {
      items: page.map(toView),
      nextCursor: rows.length > options.limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  async unreadCount(tx: TenantTransaction, principal: AccessPrincipal): Promise<number> {
    const rows = await tx.query<{ count: string }>(
      `select count(*)::text as count from notifications
        where clinic_id = $1 and recipient_membership_id = $2 and read_at is null`,
      [tx.clinicId, principal.membershipId],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Marks one of the caller's notifications read (idempotent); another member's or an unknown id is 404. */
  async markRead(tx: TenantTransaction, principal: AccessPrincipal, notificationId: string): Promise<NotificationView> {
    const rows = await tx.query<Row>(
      `update notifications set read_at = coalesce(read_at, now())
        where clinic_id = $1 and id = $2 and recipient_membership_id = $3
        returning id, kind, title, case_id, subject_type, subject_id, created_at, read_at`,
      [tx.clinicId, notificationId, principal.membershipId],
    );
    if (rows[0] === undefined) throw new NotificationNotFoundError();
    await recordAudit(tx, {
      action: 'notification.read',
      targetType: 'notification',
      targetId: notificationId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
    });
    return toView(rows[0]);
  }

  async markAllRead(tx: TenantTransaction, principal: AccessPrincipal): Promise<number> {
    const rows = await tx.query<{ id: string }>(
      `update notifications set read_at = now()
        where clinic_id = $1 and recipient_membership_id = $2 and read_at is null
        returning id`,
      [tx.clinicId, principal.membershipId],
    );
    await recordAudit(tx, {
      action: 'notification.read_all',
      targetType: 'membership',
      targetId: principal.membershipId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { marked: rows.length },
    });
    return rows.length;
  }
}
