import { randomUUID } from 'node:crypto';

import { assertSharedSpaceOpen, type CaseViewer } from '@mend/access';
import { enqueueJob, type FieldEncryption, type FieldProblem, type TenantTransaction } from '@mend/core';
import { localDate, type DisclosureLog } from '@mend/repair-plans';

import {
  auditHomework,
  changeOccurrenceStatus,
  SYSTEM_HOMEWORK_CLOCK,
  toOccurrenceView,
  type HomeworkClock,
  type OccurrenceView,
} from '../assignments/assignment.service.js';
import {
  answersVisible,
  isAuthor,
  occurrenceAccess,
  occurrenceRows,
  type OccurrenceRow,
} from '../assignments/homework-visibility.js';
import { HomeworkError, HomeworkErrorCode, occurrenceNotFound } from '../assignments/homework.errors.js';
import { checkAnswers, UnknownPartError } from '../exercises/answer-schema.js';
import type { ExercisePrompt, ResponseField, ResponsePart } from '../exercises/exercise.types.js';
import type { ExerciseContent } from '../exercises/library/exercise-content.js';

/** Answers are one JSON object keyed by field key (see answer-schema.ts). */
export type Answers = Record<string, unknown>;

export const FEEDBACK_NOTE_MAX_LENGTH = 4_000;

export interface FeedbackView {
  readonly id: string;
  readonly authorMembershipId: string;
  readonly fields: Answers;
  readonly note: string | null;
  readonly createdAt: Date;
}

/** The exercise as the recipient answers it: the pinned snapshot, narrowed to their part. */
export interface PinnedExercise {
  readonly title: string;
  readonly instructions: string;
  readonly prompts: readonly ExercisePrompt[];
  readonly fields: readonly ResponseField[];
  readonly feedbackFields: readonly ResponseField[];
  readonly parts: readonly ResponsePart[];
  readonly coachMode: ExerciseContent['coachMode'];
  readonly estimatedMinutes: number;
}

export interface OccurrenceDetail extends OccurrenceView {
  readonly releaseRequiresReview: boolean;
  readonly exerciseContent: PinnedExercise;
  /** Null unless the viewer may read them. */
  readonly answers: Answers | null;
  /** The author and the care team only. */
  readonly feedback: readonly FeedbackView[] | null;
}

export interface SaveDraftInput {
  /** The draft version this save replaces: 0 when there is none yet. */
  readonly version: number;
  readonly answers: Answers;
}

export interface SubmitInput {
  /** The answers to submit; default the saved draft. */
  readonly answers?: Answers;
  /** When given, must be the current draft version (another tab saved since: 409). */
  readonly version?: number;
}

export interface FeedbackInput {
  readonly fields?: Answers;
  readonly note?: string;
}

const answersLocation = (submissionId: string) => ({ table: 'submissions', rowId: submissionId, column: 'answers' });
const feedbackLocation = (feedbackId: string) => ({ table: 'submission_feedback', rowId: feedbackId, column: 'body' });

function pinned(content: ExerciseContent, part: string | null): PinnedExercise {
  const schema = content.responseSchema;
  return {
    title: content.title,
    instructions: content.instructions,
    prompts:
      part === null
        ? content.prompts
        : content.prompts.filter((prompt) => prompt.part === undefined || prompt.part === part),
    fields: part === null ? schema.fields : schema.fields.filter((field) => field.part === part),
    feedbackFields: schema.feedbackFields ?? [],
    parts: schema.parts ?? [],
    coachMode: content.coachMode,
    estimatedMinutes: content.estimatedMinutes,
  };
}

function stale(current: number): HomeworkError {
  return new HomeworkError(
    HomeworkErrorCode.StaleDraft,
    409,
    `The draft was saved elsewhere since: its version is now ${current}. Reload it before saving again.`,
    [{ field: 'version', rule: 'stale', message: `current version: ${current}` }],
  );
}

function invalidAnswers(issues: readonly { path: string; rule: string; message: string }[]): HomeworkError {
  return new HomeworkError(
    HomeworkErrorCode.InvalidAnswers,
    422,
    'The answers do not fit the exercise: see errors',
    issues.map((issue): FieldProblem => ({ field: issue.path, rule: issue.rule, message: issue.message })),
  );
}

/**
 * Submissions: the author's drafts (autosave, last write wins with a version to
 * detect another tab), submission (validated against the pinned schema, then
 * immutable in the database), release and reveal (with the disclosure log),
 * counselor review and feedback. Answers and feedback are encrypted at rest.
 */
export class Submissions {
  constructor(
    private readonly encryption: FieldEncryption,
    private readonly disclosures: DisclosureLog,
    private readonly clock: HomeworkClock = SYSTEM_HOMEWORK_CLOCK,
  ) {}

  /** The occurrence as the viewer may see it: 404 when invisible, neutral 409 when suspended by a safety hold. */
  private async visibleRow(
    tx: TenantTransaction,
    viewer: CaseViewer,
    occurrenceId: string,
    lock = false,
  ): Promise<OccurrenceRow> {
    const [row] = await occurrenceRows(tx, { caseId: viewer.case.caseId, occurrenceId }, lock);
    if (row === undefined) throw occurrenceNotFound();
    const access = occurrenceAccess(viewer, row);
    if (access === 'none') throw occurrenceNotFound();
    if (access === 'suspended') assertSharedSpaceOpen(viewer);
    return row;
  }

  /** The author's own occurrence, locked: someone else who may see it gets 403. */
  private async ownRow(tx: TenantTransaction, viewer: CaseViewer, occurrenceId: string): Promise<OccurrenceRow> {
    const row = await this.visibleRow(tx, viewer, occurrenceId, true);
    if (!isAuthor(viewer, row))
      throw new HomeworkError(HomeworkErrorCode.NotAuthor, 403, 'Only the recipient answers or releases this item');
    return row;
  }

  private async content(tx: TenantTransaction, assignmentId: string): Promise<ExerciseContent> {
    const [row] = await tx.query<{ exercise_snapshot: ExerciseContent }>(
      'select exercise_snapshot from assignments where clinic_id = $1 and id = $2',
      [tx.clinicId, assignmentId],
    );
    return row.exercise_snapshot;
  }

  private async decryptAnswers(tx: TenantTransaction, submissionId: string): Promise<Answers> {
    const [row] = await tx.query<{ answers: string }>(
      'select answers from submissions where clinic_id = $1 and id = $2',
      [tx.clinicId, submissionId],
    );
    return JSON.parse(await this.encryption.decrypt(tx, answersLocation(submissionId), row.answers)) as Answers;
  }

  private async feedbackOf(tx: TenantTransaction, submissionId: string): Promise<FeedbackView[]> {
    const rows = await tx.query<{ id: string; author_membership_id: string; body: string; created_at: Date }>(
      `select id, author_membership_id, body, created_at from submission_feedback
        where clinic_id = $1 and submission_id = $2 order by created_at, id`,
      [tx.clinicId, submissionId],
    );
    const views: FeedbackView[] = [];
    for (const row of rows) {
      const body = JSON.parse(await this.encryption.decrypt(tx, feedbackLocation(row.id), row.body)) as {
        fields: Answers;
        note: string | null;
      };
      views.push({
        id: row.id,
        authorMembershipId: row.author_membership_id,
        fields: body.fields,
        note: body.note,
        createdAt: row.created_at,
      });
    }
    return views;
  }

  private async detail(
    tx: TenantTransaction,
    viewer: CaseViewer,
    row: OccurrenceRow,
    audit: boolean,
  ): Promise<OccurrenceDetail> {
    const content = await this.content(tx, row.assignment_id);
    const canReadAnswers = answersVisible(viewer, row);
    const answers = canReadAnswers ? await this.decryptAnswers(tx, row.submission_id!) : null;
    const seesFeedback = row.submission_id !== null && (viewer.kind === 'care_team' || isAuthor(viewer, row));
    const feedback = seesFeedback ? await this.feedbackOf(tx, row.submission_id!) : null;
    if (audit && (answers !== null || (feedback !== null && feedback.length > 0)))
      await auditHomework(
        tx,
        viewer,
        'homework.answers.read',
        { type: 'submission', id: row.submission_id! },
        {
          occurrenceId: row.id,
          authorClientId: row.client_id,
          feedback: feedback?.length ?? 0,
        },
      );
    return {
      ...toOccurrenceView(viewer, row, this.clock.now()),
      releaseRequiresReview: row.release_requires_review,
      exerciseContent: pinned(content, row.part),
      answers,
      feedback,
    };
  }

  async get(tx: TenantTransaction, viewer: CaseViewer, occurrenceId: string): Promise<OccurrenceDetail> {
    return this.detail(tx, viewer, await this.visibleRow(tx, viewer, occurrenceId), true);
  }

  /** Refuses answering a cancelled or not-yet-open occurrence (422 with the reason) or a submitted one (409). */
  private assertAnswerable(row: OccurrenceRow): void {
    if (row.status === 'cancelled' || row.assignment_status === 'cancelled')
      throw new HomeworkError(
        HomeworkErrorCode.OccurrenceCancelled,
        422,
        'This occurrence was cancelled by the care team',
        [{ field: 'occurrence', rule: 'cancelled', message: 'the occurrence is cancelled' }],
      );
    const today = localDate(this.clock.now(), row.timezone);
    if (today < row.opens_on)
      throw new HomeworkError(HomeworkErrorCode.OccurrenceNotOpen, 422, `This occurrence opens on ${row.opens_on}`, [
        { field: 'occurrence', rule: 'notOpen', message: `opens on ${row.opens_on} (today is ${today})` },
      ]);
    if (row.submission_status === 'submitted')
      throw new HomeworkError(
        HomeworkErrorCode.AlreadySubmitted,
        409,
        'This occurrence was already submitted: answers cannot change',
      );
  }

  /**
   * A write found the submission changed since `row` was read (two first writes at once, an autosave racing a
   * submit): answers as if the request had read it now, with a 409 (already submitted, or a stale draft version).
   */
  private async lostRace(tx: TenantTransaction, row: OccurrenceRow): Promise<never> {
    const [again] = await occurrenceRows(tx, { caseId: row.case_id, occurrenceId: row.id });
    if (again !== undefined) this.assertAnswerable(again);
    throw stale(again?.draft_version ?? (row.draft_version ?? 0) + 1);
  }

  private validate(content: ExerciseContent, row: OccurrenceRow, answers: unknown, mode: 'draft' | 'submit'): void {
    let check;
    try {
      check = checkAnswers(content.responseSchema, answers, { mode, ...(row.part !== null ? { part: row.part } : {}) });
    } catch (error) {
      if (error instanceof UnknownPartError)
        throw invalidAnswers([{ path: 'part', rule: 'part', message: 'unknown part' }]);
      throw error;
    }
    if (!check.valid) throw invalidAnswers(check.issues);
  }

  /** Autosaves the author's draft (last write wins; a stale `version` is 409 with the current one). */
  async saveDraft(
    tx: TenantTransaction,
    viewer: CaseViewer,
    occurrenceId: string,
    input: SaveDraftInput,
  ): Promise<OccurrenceDetail> {
    const row = await this.ownRow(tx, viewer, occurrenceId);
    this.assertAnswerable(row);
    const current = row.draft_version ?? 0;
    if (input.version !== current) throw stale(current);
    const content = await this.content(tx, row.assignment_id);
    this.validate(content, row, input.answers, 'draft');
    const now = this.clock.now();
    const submissionId = row.submission_id ?? randomUUID();
    const sealed = await this.encryption.encrypt(tx, answersLocation(submissionId), JSON.stringify(input.answers));
    if (row.submission_id === null) {
      // Two first writes at once (an autosave racing a submit or another tab): the later one gets a 409, never a
      // unique-key 500.
      const inserted = await tx.query<{ id: string }>(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, draft_version,
                                  created_at, updated_at)
         values ($1, $2, $3, $4, $5, 'draft', $6, 1, $7, $7)
         on conflict (clinic_id, occurrence_id) do nothing
         returning id`,
        [tx.clinicId, submissionId, row.id, row.case_id, row.client_id, sealed, now.toISOString()],
      );
      if (inserted.length === 0) await this.lostRace(tx, row);
    } else {
      // Only over the version checked above: two tabs saving from one version at once both passed that check,
      // and the later one (waiting on the row) overwrote the earlier with a 200.
      const updated = await tx.query<{ id: string }>(
        `update submissions set answers = $3, draft_version = draft_version + 1, updated_at = $4
          where clinic_id = $1 and id = $2 and status = 'draft' and draft_version = $5
          returning id`,
        [tx.clinicId, submissionId, sealed, now.toISOString(), current],
      );
      if (updated.length === 0) await this.lostRace(tx, row);
    }
    if (row.status === 'assigned')
      await changeOccurrenceStatus(tx, [row.id], 'in_progress', now, viewer.principal.membershipId);
    await auditHomework(
      tx,
      viewer,
      'homework.draft.save',
      { type: 'submission', id: submissionId },
      {
        occurrenceId: row.id,
        draftVersion: current + 1,
      },
    );
    const [updated] = await occurrenceRows(tx, { caseId: row.case_id, occurrenceId: row.id });
    return this.detail(tx, viewer, updated, false);
  }

  /**
   * Submits: validates against the pinned schema (422 naming each bad field),
   * stores the answers for good (the database refuses any later change), marks
   * the occurrence completed and, for a reveal pair whose other half is in,
   * reveals both.
   */
  async submit(
    tx: TenantTransaction,
    viewer: CaseViewer,
    occurrenceId: string,
    input: SubmitInput,
  ): Promise<OccurrenceDetail> {
    const row = await this.ownRow(tx, viewer, occurrenceId);
    this.assertAnswerable(row);
    const current = row.draft_version ?? 0;
    if (input.version !== undefined && input.version !== current) throw stale(current);
    const answers =
      input.answers ?? (row.submission_id !== null ? await this.decryptAnswers(tx, row.submission_id) : {});
    const content = await this.content(tx, row.assignment_id);
    this.validate(content, row, answers, 'submit');
    const now = this.clock.now();
    const submissionId = row.submission_id ?? randomUUID();
    const sealed = await this.encryption.encrypt(tx, answersLocation(submissionId), JSON.stringify(answers));
    if (row.submission_id === null) {
      const inserted = await tx.query<{ id: string }>(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, draft_version,
                                  created_at, updated_at, submitted_at, submitted_by_membership_id)
         values ($1, $2, $3, $4, $5, 'submitted', $6, 1, $7, $7, $7, $8)
         on conflict (clinic_id, occurrence_id) do nothing
         returning id`,
        [
          tx.clinicId,
          submissionId,
          row.id,
          row.case_id,
          row.client_id,
          sealed,
          now.toISOString(),
          viewer.principal.membershipId,
        ],
      );
      if (inserted.length === 0) await this.lostRace(tx, row);
    } else {
      // A submit that lost to another matches nothing: refused, not a second 200.
      const updated = await tx.query<{ id: string }>(
        `update submissions set status = 'submitted', answers = $3, draft_version = draft_version + 1, updated_at = $4,
                                submitted_at = $4, submitted_by_membership_id = $5
          where clinic_id = $1 and id = $2 and status = 'draft'
          returning id`,
        [tx.clinicId, submissionId, sealed, now.toISOString(), viewer.principal.membershipId],
      );
      if (updated.length === 0) await this.lostRace(tx, row);
    }
    await changeOccurrenceStatus(tx, [row.id], 'completed', now, viewer.principal.membershipId);
    await auditHomework(
      tx,
      viewer,
      'homework.submit',
      { type: 'submission', id: submissionId },
      {
        occurrenceId: row.id,
        late: localDate(now, row.timezone) > row.due_on,
      },
    );
    // Safety (issue 6): every submitted free-text answer is risk-scanned by the safety worker, in this transaction's outbox.
    await enqueueJob(tx, 'safety.scan-submission', { submissionId });
    if (row.visibility === 'reveal' && row.pair_id !== null) await this.revealIfComplete(tx, viewer, row.pair_id, now);
    const [updated] = await occurrenceRows(tx, { caseId: row.case_id, occurrenceId: row.id });
    return this.detail(tx, viewer, updated, false);
  }

  /**
   * The reveal rule: once both occurrences of a pair are submitted, both are
   * revealed together. Each author consented to this when submitting a `reveal`
   * item, so each is logged as `released_by_author` (item type `homework.reveal`),
   * disclosed by the author's own portal membership.
   */
  private async revealIfComplete(tx: TenantTransaction, viewer: CaseViewer, pairId: string, now: Date): Promise<void> {
    const halves = await tx.query<{
      submission_id: string | null;
      status: string | null;
      client_id: string;
      revealed_at: Date | null;
    }>(
      `select s.id as submission_id, s.status, o.client_id, s.revealed_at
         from assignment_occurrences o
         left join submissions s on s.clinic_id = o.clinic_id and s.occurrence_id = o.id
        where o.clinic_id = $1 and o.pair_id = $2
        for update of o`,
      [tx.clinicId, pairId],
    );
    if (halves.length < 2 || halves.some((half) => half.status !== 'submitted' || half.revealed_at !== null)) return;
    await tx.query(`update submissions set revealed_at = $3 where clinic_id = $1 and id = any($2::uuid[])`, [
      tx.clinicId,
      halves.map((half) => half.submission_id),
      now.toISOString(),
    ]);
    for (const half of halves) {
      const membershipId =
        viewer.case.participants.find(
          (participant) => participant.clientId.toLowerCase() === half.client_id.toLowerCase(),
        )?.membershipId ?? null;
      await this.disclosures.record(tx, {
        caseId: viewer.case.caseId,
        itemType: 'homework.reveal',
        itemId: half.submission_id!,
        authorClientId: half.client_id,
        disclosedByMembershipId: membershipId,
        mode: 'released_by_author',
      });
    }
  }

  /** The author releases a submitted `release` answer to the other participant(s) (after review when required). */
  async release(tx: TenantTransaction, viewer: CaseViewer, occurrenceId: string): Promise<OccurrenceDetail> {
    const row = await this.ownRow(tx, viewer, occurrenceId);
    // Releasing shares with the partner: not while the shared space is paused.
    assertSharedSpaceOpen(viewer);
    if (row.visibility !== 'release')
      throw new HomeworkError(HomeworkErrorCode.NotReleasable, 422, 'Only a `release` item can be released');
    if (row.submission_status !== 'submitted')
      throw new HomeworkError(HomeworkErrorCode.NotSubmitted, 422, 'Submit the answers before releasing them');
    if (row.released_at !== null)
      throw new HomeworkError(HomeworkErrorCode.AlreadyReleased, 409, 'The answers were already released');
    if (row.release_requires_review && row.review_approved_at === null)
      throw new HomeworkError(
        HomeworkErrorCode.AwaitingReview,
        422,
        'Your counselor reviews these answers before they can be released',
      );
    const now = this.clock.now();
    await tx.query(
      `update submissions set released_at = $3, released_by_membership_id = $4 where clinic_id = $1 and id = $2`,
      [tx.clinicId, row.submission_id, now.toISOString(), viewer.principal.membershipId],
    );
    await this.disclosures.record(tx, {
      caseId: viewer.case.caseId,
      itemType: 'homework.release',
      itemId: row.submission_id!,
      authorClientId: row.client_id,
      disclosedByMembershipId: viewer.principal.membershipId,
      mode: 'released_by_author',
    });
    await auditHomework(
      tx,
      viewer,
      'homework.release',
      { type: 'submission', id: row.submission_id! },
      {
        occurrenceId: row.id,
      },
    );
    const [updated] = await occurrenceRows(tx, { caseId: row.case_id, occurrenceId: row.id });
    return this.detail(tx, viewer, updated, false);
  }

  /** The care team approves a submitted `release` item that requires review (once). */
  async review(tx: TenantTransaction, viewer: CaseViewer, occurrenceId: string): Promise<OccurrenceDetail> {
    if (viewer.kind !== 'care_team') throw new Error('Only the care team reviews');
    const row = await this.visibleRow(tx, viewer, occurrenceId, true);
    if (row.visibility !== 'release' || !row.release_requires_review)
      throw new HomeworkError(
        HomeworkErrorCode.ReviewNotRequired,
        422,
        'This item does not need a review before release',
      );
    if (row.submission_status !== 'submitted')
      throw new HomeworkError(HomeworkErrorCode.NotSubmitted, 422, 'The answers have not been submitted yet');
    if (row.review_approved_at !== null)
      throw new HomeworkError(HomeworkErrorCode.AlreadyReviewed, 409, 'The answers were already approved for release');
    const now = this.clock.now();
    await tx.query(
      `update submissions set review_approved_at = $3, review_approved_by_membership_id = $4 where clinic_id = $1 and id = $2`,
      [tx.clinicId, row.submission_id, now.toISOString(), viewer.principal.membershipId],
    );
    await auditHomework(
      tx,
      viewer,
      'homework.review.approve',
      { type: 'submission', id: row.submission_id! },
      {
        occurrenceId: row.id,
      },
    );
    const [updated] = await occurrenceRows(tx, { caseId: row.case_id, occurrenceId: row.id });
    return this.detail(tx, viewer, updated, false);
  }

  /** Counselor feedback on a submission: the exercise's feedback fields and/or a note (encrypted). */
  async addFeedback(
    tx: TenantTransaction,
    viewer: CaseViewer,
    occurrenceId: string,
    input: FeedbackInput,
  ): Promise<OccurrenceDetail> {
    if (viewer.kind !== 'care_team') throw new Error('Only the care team gives feedback');
    const row = await this.visibleRow(tx, viewer, occurrenceId, true);
    if (row.submission_status !== 'submitted')
      throw new HomeworkError(HomeworkErrorCode.NotSubmitted, 422, 'Feedback is given on submitted answers');
    const fields = input.fields ?? {};
    const note = input.note?.trim() === '' ? undefined : input.note;
    if (Object.keys(fields).length === 0 && note === undefined)
      throw new HomeworkError(HomeworkErrorCode.InvalidFeedback, 422, 'Give feedback fields or a note', [
        { field: 'note', rule: 'required', message: 'give feedback fields or a note' },
      ]);
    if (note !== undefined && note.length > FEEDBACK_NOTE_MAX_LENGTH)
      throw new HomeworkError(HomeworkErrorCode.InvalidFeedback, 422, 'The note is too long', [
        { field: 'note', rule: 'max-length', message: `must be at most ${FEEDBACK_NOTE_MAX_LENGTH} characters` },
      ]);
    const content = await this.content(tx, row.assignment_id);
    const check = checkAnswers(content.responseSchema, fields, { mode: 'draft', target: 'feedback' });
    if (!check.valid)
      throw new HomeworkError(
        HomeworkErrorCode.InvalidFeedback,
        422,
        'The feedback does not fit the exercise: see errors',
        check.issues.map((issue) => ({
          field: `fields.${issue.path.replace(/^answers\.?/, '')}`,
          rule: issue.rule,
          message: issue.message,
        })),
      );
    const id = randomUUID();
    const body = await this.encryption.encrypt(
      tx,
      feedbackLocation(id),
      JSON.stringify({ fields, note: note ?? null }),
    );
    await tx.query(
      `insert into submission_feedback (clinic_id, id, submission_id, case_id, author_membership_id, body, created_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        tx.clinicId,
        id,
        row.submission_id,
        row.case_id,
        viewer.principal.membershipId,
        body,
        this.clock.now().toISOString(),
      ],
    );
    await auditHomework(
      tx,
      viewer,
      'homework.feedback.add',
      { type: 'submission', id: row.submission_id! },
      {
        occurrenceId: row.id,
        feedbackId: id,
        fieldCount: Object.keys(fields).length,
        withNote: note !== undefined,
      },
    );
    const [updated] = await occurrenceRows(tx, { caseId: row.case_id, occurrenceId: row.id });
    return this.detail(tx, viewer, updated, false);
  }
}
