import { createHash, randomBytes, randomUUID } from 'node:crypto';

import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

import { recordAudit } from '@mend/audit';
import type { TenantTransaction } from '@mend/core';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function calendarTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface IssuedCalendarFeed {
  readonly feedId: string;
  /** Shown once; only its SHA-256 is stored. */
  readonly token: string;
  readonly createdAt: Date;
}

export interface CalendarFeedStatus {
  readonly active: boolean;
  readonly createdAt: Date | null;
}

/**
 * A counselor's private, read-only iCalendar feed of their sessions (every case),
 * so the sessions show in their calendar app. The URL carries a random token —
 * the one place in Mend where a secret travels in a URL, because calendar apps
 * cannot send headers. Hence: the token is stored only as a SHA-256, it is
 * revocable (issuing a new one revokes the old), the feed is read-only, and its
 * events carry no names, case titles or clinical content: a time, a duration,
 * the modality and a neutral title ("Session").
 */
export class CalendarFeedService {
  async issue(tx: TenantTransaction, membershipId: string, userId: string, now: Date): Promise<IssuedCalendarFeed> {
    await this.revokeLive(tx, membershipId, now);
    const token = randomBytes(32).toString('base64url');
    const feedId = randomUUID();
    await tx.query(
      `insert into calendar_feeds (clinic_id, id, membership_id, token_hash, created_at) values ($1, $2, $3, $4, $5)`,
      [tx.clinicId, feedId, membershipId, calendarTokenHash(token), now],
    );
    await recordAudit(tx, {
      action: 'calendar_feed.issue',
      targetType: 'calendar_feed',
      targetId: feedId,
      actorUserId: userId,
      actorMembershipId: membershipId,
    });
    return { feedId, token, createdAt: now };
  }

  async status(tx: TenantTransaction, membershipId: string): Promise<CalendarFeedStatus> {
    const [row] = await tx.query<{ created_at: Date }>(
      'select created_at from calendar_feeds where clinic_id = $1 and membership_id = $2 and revoked_at is null',
      [tx.clinicId, membershipId],
    );
    return { active: row !== undefined, createdAt: row?.created_at ?? null };
  }

  /** Returns whether a live feed was revoked. */
  async revoke(tx: TenantTransaction, membershipId: string, userId: string, now: Date): Promise<boolean> {
    const revoked = await this.revokeLive(tx, membershipId, now);
    for (const feedId of revoked) {
      await recordAudit(tx, {
        action: 'calendar_feed.revoke',
        targetType: 'calendar_feed',
        targetId: feedId,
        actorUserId: userId,
        actorMembershipId: membershipId,
      });
    }
    return revoked.length > 0;
  }

  /**
   * The feed's iCalendar text, or null for an unknown, malformed or revoked
   * token (the caller answers 404 either way). Sessions from 90 days back on,
   * cancelled ones included as CANCELLED so calendars remove them.
   */
  async render(tx: TenantTransaction, token: string, now: Date): Promise<string | null> {
    if (!TOKEN.test(token)) return null;
    const [feed] = await tx.query<{ id: string; membership_id: string }>(
      `select id, membership_id from calendar_feeds where clinic_id = $1 and token_hash = $2 and revoked_at is null`,
      [tx.clinicId, calendarTokenHash(token)],
    );
    if (feed === undefined) return null;
    const sessions = await tx.query<{
      id: string;
      starts_at: Date;
      ends_at: Date;
      modality: string;
      status: string;
      updated_at: Date;
    }>(
      `select id, starts_at, ends_at, modality, status, updated_at from therapy_sessions
        where clinic_id = $1 and counselor_membership_id = $2 and starts_at >= $3
        order by starts_at limit 2000`,
      [tx.clinicId, feed.membership_id, new Date(now.getTime() - 90 * 86_400_000)],
    );
    const calendar = ical({ name: 'Mend sessions', prodId: { company: 'Mend', product: 'sessions' } });
    calendar.method(ICalCalendarMethod.PUBLISH);
    calendar.ttl(15 * 60);
    for (const session of sessions) {
      calendar.createEvent({
        id: `${session.id}@mend`,
        start: session.starts_at,
        end: session.ends_at,
        stamp: session.updated_at,
        summary: session.status === 'cancelled' ? 'Session (cancelled)' : 'Session',
        description: `Modality: ${session.modality.replace('_', ' ')}`,
        status: session.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    await recordAudit(tx, {
      action: 'calendar_feed.read',
      targetType: 'calendar_feed',
      targetId: feed.id,
      actorMembershipId: feed.membership_id,
      metadata: { entries: sessions.length },
    });
    return calendar.toString();
  }

  private async revokeLive(tx: TenantTransaction, membershipId: string, now: Date): Promise<string[]> {
    // Issuing and revoking take turns per member, until commit. Without this, a revoke
    // racing an issue waits on the old row's lock, finds it revoked and cannot see the
    // new one (its snapshot predates it): 404 with a live feed. Two issues racing both
    // insert a live feed and the unique index fails the second.
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`mend.calendar-feed:${membershipId}`]);
    // Never before the feed's creation: a feed issued by a transaction that committed after this
    // request read the clock carries a later created_at than `now`.
    const rows = await tx.query<{ id: string }>(
      `update calendar_feeds set revoked_at = greatest($3::timestamptz, created_at)
        where clinic_id = $1 and membership_id = $2 and revoked_at is null
       returning id`,
      [tx.clinicId, membershipId, now],
    );
    return rows.map((row) => row.id);
  }
}
