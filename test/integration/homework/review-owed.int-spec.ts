import { randomUUID } from 'node:crypto';

import type pg from 'pg';

import type { TenantTransaction, UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, type TestDatabase } from '@mend/testing';

/**
 * `submissions.review_owed` (migration 1764962000000) is the homework overview's
 * "awaiting review" kept by the database: a submitted answer of an item that is not
 * `private` with no feedback yet, or a `release` that requires review and is not
 * approved. A trigger derives it on every write (a writer cannot set it) and
 * feedback makes it recompute. The caseload counts it through a partial index.
 */
describe('submissions.review_owed (runtime role)', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;
  let clinicId: string;
  const membership = randomUUID();
  const client = randomUUID();
  const caseId = randomUUID();

  beforeAll(async () => {
    database = await openTestDatabase(2);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
    clinicId = await createClinic(unitOfWork, 'Review owed clinic');
    const user = randomUUID();
    await admin.query('insert into users (id, email) values ($1, $2)', [
      user,
      `review.${user.slice(0, 8)}@test.mend.example`,
    ]);
    await admin.query(`insert into memberships (clinic_id, id, user_id, roles) values ($1, $2, $3, '{counselor}')`, [
      clinicId,
      membership,
      user,
    ]);
    await run(async (tx) => {
      await tx.query(
        `insert into clients (clinic_id, id, display_name, timezone) values ($1, $2, 'Synthetic', 'UTC')`,
        [clinicId, client],
      );
      await tx.query(`insert into cases (clinic_id, id, title, type) values ($1, $2, 'Synthetic case', 'individual')`, [
        clinicId,
        caseId,
      ]);
    });
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  const run = <T>(work: (tx: TenantTransaction) => Promise<T>) => unitOfWork.run(clinicId, work);

  /** An assignment with one occurrence and a submission (as given), returning the submission id. */
  async function answer(
    visibility: 'private' | 'clinician' | 'release' | 'shared',
    status: 'draft' | 'submitted',
    requiresReview = false,
  ): Promise<string> {
    const assignment = randomUUID();
    const occurrence = randomUUID();
    const submission = randomUUID();
    await run(async (tx) => {
      await tx.query(
        `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                  paired, visibility, release_requires_review, schedule, created_by_membership_id)
         values ($1, $2, $3, 'E01', 1, 'Synthetic', '{}', false, $4, $5, '{"kind":"once","dueOn":"2031-06-03"}', $6)`,
        [clinicId, assignment, caseId, visibility, requiresReview, membership],
      );
      await tx.query(
        `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on, status)
         values ($1, $2, $3, $4, $5, '2031-06-03', '2031-06-03', $6)`,
        [clinicId, occurrence, assignment, caseId, client, status === 'submitted' ? 'completed' : 'in_progress'],
      );
      await tx.query(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, submitted_at,
                                  review_owed)
         values ($1, $2, $3, $4, $5, $6, 'sealed', $7, $8)`,
        // The value a writer sends for review_owed is ignored: the opposite of the rule, every time.
        [
          clinicId,
          submission,
          occurrence,
          caseId,
          client,
          status,
          status === 'submitted' ? new Date() : null,
          status === 'draft' || visibility === 'private',
        ],
      );
    });
    return submission;
  }

  const owed = async (submission: string): Promise<boolean> =>
    (await admin.query<{ review_owed: boolean }>('select review_owed from submissions where id = $1', [submission]))
      .rows[0].review_owed;

  const feedback = (submission: string) =>
    run((tx) =>
      tx.query(
        `insert into submission_feedback (clinic_id, id, submission_id, case_id, author_membership_id, body)
         values ($1, $2, $3, $4, $5, 'sealed-feedback')`,
        [clinicId, randomUUID(), submission, caseId, membership],
      ),
    );

  const approve = (submission: string) =>
    run((tx) =>
      tx.query(
        'update submissions set review_approved_at = now(), review_approved_by_membership_id = $2 where id = $1',
        [submission, membership],
      ),
    );

  it('is owed on a submitted answer the care team may read, until feedback', async () => {
    for (const visibility of ['clinician', 'shared', 'release'] as const) {
      const submission = await answer(visibility, 'submitted');
      expect(await owed(submission)).toBe(true);
      await feedback(submission);
      expect(await owed(submission)).toBe(false);
      await feedback(submission);
      expect(await owed(submission)).toBe(false);
    }
  });

  it('is never owed on a private item or a draft, whatever the writer sends', async () => {
    expect(await owed(await answer('private', 'submitted'))).toBe(false);
    const draft = await answer('shared', 'draft');
    expect(await owed(draft)).toBe(false);
    await run((tx) => tx.query('update submissions set review_owed = true, draft_version = 2 where id = $1', [draft]));
    expect(await owed(draft)).toBe(false);
  });

  it('a release that requires review stays owed until both feedback and approval, in either order', async () => {
    const feedbackFirst = await answer('release', 'submitted', true);
    await feedback(feedbackFirst);
    expect(await owed(feedbackFirst)).toBe(true);
    await approve(feedbackFirst);
    expect(await owed(feedbackFirst)).toBe(false);

    const approvalFirst = await answer('release', 'submitted', true);
    await approve(approvalFirst);
    expect(await owed(approvalFirst)).toBe(true);
    await feedback(approvalFirst);
    expect(await owed(approvalFirst)).toBe(false);
  });

  it('a writer cannot clear or set it on a submitted row (the trigger derives it; the guard lets nothing else move)', async () => {
    const submission = await answer('clinician', 'submitted');
    await run((tx) => tx.query('update submissions set review_owed = false where id = $1', [submission]));
    expect(await owed(submission)).toBe(true);
    await feedback(submission);
    await run((tx) => tx.query('update submissions set review_owed = true where id = $1', [submission]));
    expect(await owed(submission)).toBe(false);
  });

  it('submitting a draft makes it owed, in the same statement', async () => {
    const draft = await answer('shared', 'draft');
    await run((tx) =>
      tx.query(`update submissions set status = 'submitted', submitted_at = now() where id = $1`, [draft]),
    );
    expect(await owed(draft)).toBe(true);
  });
});
