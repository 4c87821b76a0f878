import { randomUUID } from 'node:crypto';

import type pg from 'pg';

import type { UnitOfWork } from '@mend/core';
import { CalendarFeedService } from '@mend/sessions';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

/**
 * Issuing and revoking a counselor's calendar feed take turns per member. A
 * revoke that read its clock before an issue it then had to wait for revokes the
 * feed that issue made: it must not stamp the revocation earlier than the feed's
 * creation (a feed "revoked before it existed" in the audit and in the table).
 */
describe('calendar feed: a revoke that waited for an issue', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;
  let clinicId: string;
  const userId = randomUUID();
  const membershipId = randomUUID();
  const feeds = new CalendarFeedService();

  beforeAll(async () => {
    database = await openTestDatabase(4);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
    clinicId = await createClinic(unitOfWork, 'Calendar race clinic');
    await admin.query(`insert into users (id, email) values ($1, $2)`, [userId, `feed-${userId}@synthetic.example`]);
    await admin.query(`insert into memberships (clinic_id, id, user_id, roles) values ($1, $2, $3, '{counselor}')`, [
      clinicId,
      membershipId,
      userId,
    ]);
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  it('is stamped no earlier than the feed it revoked was created', async () => {
    const revokeClock = new Date('2031-03-04T10:00:00.000Z');
    const issueClock = new Date('2031-03-04T10:00:01.000Z');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let issued!: () => void;
    const issuing = new Promise<void>((resolve) => (issued = resolve));
    // The issue takes the member's turn and holds it (uncommitted) until released.
    const issue = unitOfWork.run(clinicId, async (tx) => {
      const feed = await feeds.issue(tx, membershipId, userId, issueClock);
      issued();
      await held;
      return feed;
    });
    await issuing;
    // The revoke read its clock (a second earlier) and now waits for the issue's turn to end.
    const revoke = unitOfWork.run(clinicId, (tx) => feeds.revoke(tx, membershipId, userId, revokeClock));
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const feed = await issue;
    expect(await revoke).toBe(true);
    const { rows } = await admin.query<{ created_at: Date; revoked_at: Date | null }>(
      'select created_at, revoked_at from calendar_feeds where clinic_id = $1 and id = $2',
      [clinicId, feed.feedId],
    );
    expect(rows[0].created_at).toEqual(issueClock);
    expect(rows[0].revoked_at).toEqual(issueClock);
  });
});
