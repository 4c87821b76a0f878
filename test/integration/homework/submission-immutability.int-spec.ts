import { randomUUID } from 'node:crypto';

import type pg from 'pg';
import { pino } from 'pino';

import type { UnitOfWork } from '@mend/core';
import { markOverdueEverywhere } from '@mend/homework';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

import { HomeworkOverdueLoop } from '../../../apps/worker/src/homework/homework-overdue-loop.js';

/**
 * Submitted answers are immutable IN THE DATABASE: the runtime role (and even the
 * table owner) cannot change a submitted row's answers or delete a submission; only
 * the review approval, the release and the reveal are recorded later, once each. A
 * draft row stays writable. Status changes and feedback are append-only. The
 * overdue scan finds lapsed occurrences across clinics through its security-definer
 * function and records each transition once.
 */
const REFUSED = /refused|permission denied/;

describe('homework tables (runtime role)', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;
  let owner: pg.Client;
  let clinicId: string;
  const ids = {
    user: randomUUID(),
    membership: randomUUID(),
    client: randomUUID(),
    case: randomUUID(),
    assignment: randomUUID(),
    occurrence: randomUUID(),
    draftOccurrence: randomUUID(),
    lapsedOccurrence: randomUUID(),
    submission: randomUUID(),
    draft: randomUUID(),
    feedback: randomUUID(),
  };

  beforeAll(async () => {
    database = await openTestDatabase(2);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
    owner = await connectAs('owner');
    clinicId = await createClinic(unitOfWork, 'Homework immutability clinic');
    await admin.query('insert into users (id, email) values ($1, $2)', [
      ids.user,
      `homework.${ids.user.slice(0, 8)}@test.mend.example`,
    ]);
    await admin.query(`insert into memberships (clinic_id, id, user_id, roles) values ($1, $2, $3, '{counselor}')`, [
      clinicId,
      ids.membership,
      ids.user,
    ]);
    await unitOfWork.run(clinicId, async (tx) => {
      await tx.query(
        `insert into clients (clinic_id, id, display_name, timezone) values ($1, $2, 'Synthetic', 'Pacific/Auckland')`,
        [clinicId, ids.client],
      );
      await tx.query(`insert into cases (clinic_id, id, title, type) values ($1, $2, 'Synthetic case', 'individual')`, [
        clinicId,
        ids.case,
      ]);
      await tx.query(
        `insert into case_participants (clinic_id, case_id, client_id, role) values ($1, $2, $3, 'individual')`,
        [clinicId, ids.case, ids.client],
      );
      await tx.query(
        `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                  paired, visibility, schedule, created_by_membership_id)
         values ($1, $2, $3, 'E01', 1, 'Synthetic', '{}', false, 'clinician', '{"kind":"once","dueOn":"2026-06-03"}', $4)`,
        [clinicId, ids.assignment, ids.case, ids.membership],
      );
      for (const [occurrence, dueOn] of [
        [ids.occurrence, '2026-06-03'],
        [ids.draftOccurrence, '2026-06-04'],
        [ids.lapsedOccurrence, '2026-06-02'],
      ]) {
        await tx.query(
          `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on)
           values ($1, $2, $3, $4, $5, $6, $6)`,
          [clinicId, occurrence, ids.assignment, ids.case, ids.client, dueOn],
        );
      }
      await tx.query(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, submitted_at)
         values ($1, $2, $3, $4, $5, 'submitted', 'sealed-answers', now())`,
        [clinicId, ids.submission, ids.occurrence, ids.case, ids.client],
      );
      await tx.query(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers)
         values ($1, $2, $3, $4, $5, 'draft', 'sealed-draft')`,
        [clinicId, ids.draft, ids.draftOccurrence, ids.case, ids.client],
      );
      await tx.query(
        `insert into submission_feedback (clinic_id, id, submission_id, case_id, author_membership_id, body)
         values ($1, $2, $3, $4, $5, 'sealed-feedback')`,
        [clinicId, ids.feedback, ids.submission, ids.case, ids.membership],
      );
    });
  });

  afterAll(async () => {
    await admin?.end();
    await owner?.end();
    await database?.close();
  });

  const run = (sql: string, parameters: unknown[]) => unitOfWork.run(clinicId, (tx) => tx.query(sql, parameters));
  const asOwner = async (sql: string, parameters: unknown[], settings: Record<string, string> = {}) => {
    await owner.query('begin');
    try {
      await owner.query(`select set_config('app.clinic_id', $1, true)`, [clinicId]);
      for (const [name, value] of Object.entries(settings))
        await owner.query(`select set_config($1, $2, true)`, [name, value]);
      await owner.query(sql, parameters);
    } finally {
      await owner.query('rollback');
    }
  };

  it.each([
    ['the answers', `update submissions set answers = 'tampered' where id = $1`],
    ['the status back to draft', `update submissions set status = 'draft', submitted_at = null where id = $1`],
    ['the author', `update submissions set author_client_id = gen_random_uuid() where id = $1`],
    ['the submission time', `update submissions set submitted_at = now() - interval '1 day' where id = $1`],
  ])('refuses changing %s of a submitted row (runtime role and owner)', async (_label, sql) => {
    await expect(run(sql, [ids.submission])).rejects.toThrow(REFUSED);
    await expect(asOwner(sql, [ids.submission])).rejects.toThrow(/immutable/);
  });

  it('refuses deleting a submission, and updating or deleting status changes and feedback', async () => {
    await expect(run('delete from submissions where id = $1', [ids.submission])).rejects.toThrow(REFUSED);
    await expect(run('delete from submissions where id = $1', [ids.draft])).rejects.toThrow(REFUSED);
    await expect(asOwner('delete from submissions where id = $1', [ids.draft])).rejects.toThrow(/refused/);
    await expect(run(`update submission_feedback set body = 'x' where id = $1`, [ids.feedback])).rejects.toThrow(
      REFUSED,
    );
    await expect(asOwner(`update submission_feedback set body = 'x' where id = $1`, [ids.feedback])).rejects.toThrow(
      /append-only/,
    );
  });

  it('records a release once; a second value is refused', async () => {
    await run(`update submissions set released_at = now(), released_by_membership_id = $2 where id = $1`, [
      ids.submission,
      ids.membership,
    ]);
    await expect(
      run(`update submissions set released_at = now() + interval '1 hour' where id = $1`, [ids.submission]),
    ).rejects.toThrow(REFUSED);
  });

  it('opens no re-encryption path through a setting (key rotation: test/integration/sessions); drafts stay writable', async () => {
    // Migration 1764461100000: only rotate_encrypted_value (a newer key version, as the owner) re-seals answers.
    await expect(
      asOwner(`update submissions set answers = 'resealed' where id = $1`, [ids.submission], {
        'mend.reencrypting_answers': 'on',
      }),
    ).rejects.toThrow(/immutable/);
    await expect(
      unitOfWork.run(clinicId, async (tx) => {
        await tx.query(`select set_config('mend.reencrypting_answers', 'on', true)`);
        await tx.query(`update submissions set answers = 'resealed' where id = $1`, [ids.submission]);
      }),
    ).rejects.toThrow(REFUSED);
    await run(`update submissions set answers = 'sealed-draft-2', draft_version = 2 where id = $1`, [ids.draft]);
    const rows = await admin.query<{ id: string; answers: string }>(
      'select id, answers from submissions where clinic_id = $1 order by answers',
      [clinicId],
    );
    expect(rows.rows.map((row) => row.answers).sort()).toEqual(['sealed-answers', 'sealed-draft-2']);
  });

  it('the overdue scan records lapsed occurrences once, by the recipient’s local day (Auckland, UTC+12)', async () => {
    // 2026-06-03 11:30 UTC = 23:30 on the 3rd in Auckland: only the 2nd has lapsed.
    const first = await markOverdueEverywhere(unitOfWork, new Date('2026-06-03T11:30:00Z'));
    expect(first.failed).toEqual([]);
    const statuses = async () =>
      (
        await admin.query<{ id: string; status: string }>(
          'select id, status from assignment_occurrences where clinic_id = $1',
          [clinicId],
        )
      ).rows.reduce<Record<string, string>>((map, row) => ({ ...map, [row.id]: row.status }), {});
    let now = await statuses();
    expect(now[ids.lapsedOccurrence]).toBe('overdue');
    expect(now[ids.occurrence]).toBe('assigned');
    // 12:30 UTC = 00:30 on the 4th in Auckland: the 3rd has lapsed too.
    await markOverdueEverywhere(unitOfWork, new Date('2026-06-03T12:30:00Z'));
    now = await statuses();
    expect(now[ids.occurrence]).toBe('overdue');
    expect(now[ids.draftOccurrence]).toBe('assigned');
    const again = await markOverdueEverywhere(unitOfWork, new Date('2026-06-03T12:30:00Z'));
    expect(again.marked).toBe(0);
    const changes = await admin.query<{ count: string }>(
      `select count(*) from assignment_status_changes where clinic_id = $1 and to_status = 'overdue'`,
      [clinicId],
    );
    expect(Number(changes.rows[0].count)).toBe(2);
  });

  it('the worker loop runs the same scan on its clock (fake clock) and logs no content', async () => {
    const lapsed = randomUUID();
    await unitOfWork.run(clinicId, (tx) =>
      tx.query(
        `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on)
         values ($1, $2, $3, $4, $5, '2026-06-01', '2026-06-01')`,
        [clinicId, lapsed, ids.assignment, ids.case, ids.client],
      ),
    );
    const loop = new HomeworkOverdueLoop(unitOfWork, {
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
      // 2026-06-04 12:30 UTC = 00:30 on the 5th in Auckland.
      now: () => new Date('2026-06-04T12:30:00Z'),
    });
    expect(await loop.runOnce()).toBe(2);
    expect(await loop.runOnce()).toBe(0);
  });
});
