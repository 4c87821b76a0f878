import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit, type AuditMetadata } from '@mend/audit';
import { assertIndividualChannelsOpen } from '@mend/clients';
import type { FieldProblem, TenantTransaction } from '@mend/core';
import { localDate } from '@mend/repair-plans';

import type { Visibility } from '../exercises/exercise.types.js';
import type { ExerciseContent } from '../exercises/library/exercise-content.js';
import { readExercise } from '../exercises/library/exercise-library.service.js';
import type { AssignmentRecordStatus, OccurrenceStatus } from './assignment.entities.js';
import {
  answersVisible,
  effectiveStatus,
  listedFor,
  occurrenceRows,
  sameId,
  type OccurrenceRow,
} from './homework-visibility.js';
import { assignmentNotFound, HomeworkError, HomeworkErrorCode, invalidAssignment } from './homework.errors.js';
import { checkSchedule, occurrenceDates, type OccurrenceDates, type ScheduleInput } from './schedule.js';

/** Time as homework reads it (tests freeze it). */
export interface HomeworkClock {
  now(): Date;
}

export const SYSTEM_HOMEWORK_CLOCK: HomeworkClock = { now: () => new Date() };

export interface AssignmentRecipientInput {
  readonly clientId: string;
  /** Paired exercises with parts: the part this recipient answers. */
  readonly part?: string;
}

export interface CreateAssignmentInput {
  /** A built-in key (`E05`) or a clinic exercise id; `version` defaults to the current one. */
  readonly exerciseRef: string;
  readonly exerciseVersion?: number;
  /** One recipient, or both partners (paired). */
  readonly recipients: readonly AssignmentRecipientInput[];
  /** Defaults to the exercise's default; must be one the exercise allows. */
  readonly visibility?: Visibility;
  /** `release` only: the author may release only after a counselor approved. */
  readonly releaseRequiresReview?: boolean;
  readonly schedule: ScheduleInput;
}

/** The status of an assignment as a whole, derived from the occurrences the viewer sees. */
export type AssignmentStatus = OccurrenceStatus;

export interface SubmissionMeta {
  readonly id: string;
  readonly status: 'draft' | 'submitted';
  readonly draftVersion: number;
  readonly updatedAt: Date;
  readonly submittedAt: Date | null;
  readonly reviewApprovedAt: Date | null;
  readonly releasedAt: Date | null;
  readonly revealedAt: Date | null;
}

export interface OccurrenceView {
  readonly id: string;
  readonly assignmentId: string;
  readonly caseId: string;
  readonly clientId: string;
  readonly part: string | null;
  readonly opensOn: string;
  readonly dueOn: string;
  readonly pairId: string | null;
  /** `overdue` as soon as the recipient's local day is past `dueOn`. */
  readonly status: OccurrenceStatus;
  readonly statusChangedAt: Date;
  readonly visibility: Visibility;
  readonly exercise: { readonly ref: string; readonly version: number; readonly title: string };
  /** Null when there is none or the viewer may not know about it (another's draft). */
  readonly submission: SubmissionMeta | null;
  /** Whether the viewer may read the answers (GET the occurrence). */
  readonly answersVisible: boolean;
}

export interface AssignmentView {
  readonly id: string;
  readonly caseId: string;
  readonly exercise: { readonly ref: string; readonly version: number; readonly title: string };
  readonly paired: boolean;
  readonly visibility: Visibility;
  readonly releaseRequiresReview: boolean;
  readonly schedule: ScheduleInput;
  readonly status: AssignmentStatus;
  readonly recipients: readonly { readonly clientId: string; readonly part: string | null }[];
  readonly createdAt: Date;
  readonly createdByMembershipId: string;
  readonly cancelledAt: Date | null;
  /** Counts over the occurrences the viewer sees. */
  readonly counts: Readonly<Record<OccurrenceStatus, number>> & { readonly total: number };
}

export interface AssignmentDetail extends AssignmentView {
  readonly occurrences: readonly OccurrenceView[];
}

interface AssignmentRow {
  id: string;
  case_id: string;
  exercise_ref: string;
  exercise_version: number;
  exercise_title: string;
  paired: boolean;
  visibility: Visibility;
  release_requires_review: boolean;
  schedule: ScheduleInput;
  status: AssignmentRecordStatus;
  created_at: Date;
  created_by_membership_id: string;
  cancelled_at: Date | null;
}

const ASSIGNMENT_COLUMNS = `id, case_id, exercise_ref, exercise_version, exercise_title, paired, visibility,
  release_requires_review, schedule, status, created_at, created_by_membership_id, cancelled_at`;

/** Visibilities that keep a participant's work from the other participant(s): individual channels. */
const INDIVIDUAL_VISIBILITIES: readonly Visibility[] = ['private', 'clinician', 'release'];
/** Visibilities suspended while the case is on a safety hold. */
const SHARED_VISIBILITIES: readonly Visibility[] = ['shared', 'reveal'];

export async function auditHomework(
  tx: TenantTransaction,
  viewer: CaseViewer,
  action: string,
  target: { readonly type: string; readonly id: string },
  metadata: AuditMetadata = {},
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: target.type,
    targetId: target.id,
    actorUserId: viewer.principal.userId,
    actorMembershipId: viewer.principal.membershipId,
    metadata: { caseId: viewer.case.caseId, ...metadata },
  });
}

export function toOccurrenceView(viewer: CaseViewer, row: OccurrenceRow, now: Date): OccurrenceView {
  const ownOrTeam =
    viewer.kind === 'care_team' || (viewer.kind === 'participant' && sameId(row.client_id, viewer.clientId));
  // Another participant learns of a submission only once it is disclosed to them (never a draft).
  const showSubmission = row.submission_id !== null && (ownOrTeam || row.submission_status === 'submitted');
  return {
    id: row.id,
    assignmentId: row.assignment_id,
    caseId: row.case_id,
    clientId: row.client_id,
    part: row.part,
    opensOn: row.opens_on,
    dueOn: row.due_on,
    pairId: row.pair_id,
    status: effectiveStatus(row, now),
    statusChangedAt: row.status_changed_at,
    visibility: row.visibility,
    exercise: { ref: row.exercise_ref, version: row.exercise_version, title: row.exercise_title },
    submission: showSubmission
      ? {
          id: row.submission_id!,
          status: row.submission_status!,
          draftVersion: row.draft_version!,
          updatedAt: row.submission_updated_at!,
          submittedAt: row.submitted_at,
          reviewApprovedAt: row.review_approved_at,
          releasedAt: row.released_at,
          revealedAt: row.revealed_at,
        }
      : null,
    answersVisible: answersVisible(viewer, row),
  };
}

function emptyCounts(): Record<OccurrenceStatus, number> & { total: number } {
  return { assigned: 0, in_progress: 0, completed: 0, overdue: 0, cancelled: 0, total: 0 };
}

function derivedStatus(record: AssignmentRecordStatus, occurrences: readonly OccurrenceView[]): AssignmentStatus {
  if (record === 'cancelled') return 'cancelled';
  const live = occurrences.filter((occurrence) => occurrence.status !== 'cancelled');
  if (live.some((occurrence) => occurrence.status === 'overdue')) return 'overdue';
  if (live.length > 0 && live.every((occurrence) => occurrence.status === 'completed')) return 'completed';
  if (live.some((occurrence) => occurrence.status === 'completed' || occurrence.status === 'in_progress'))
    return 'in_progress';
  return 'assigned';
}

function toAssignmentView(
  row: AssignmentRow,
  occurrences: readonly OccurrenceView[],
  recipients: AssignmentView['recipients'],
): AssignmentView {
  const counts = emptyCounts();
  for (const occurrence of occurrences) {
    counts[occurrence.status] += 1;
    counts.total += 1;
  }
  return {
    id: row.id,
    caseId: row.case_id,
    exercise: { ref: row.exercise_ref, version: row.exercise_version, title: row.exercise_title },
    paired: row.paired,
    visibility: row.visibility,
    releaseRequiresReview: row.release_requires_review,
    schedule: row.schedule,
    status: derivedStatus(row.status, occurrences),
    recipients,
    createdAt: row.created_at,
    createdByMembershipId: row.created_by_membership_id,
    cancelledAt: row.cancelled_at,
    counts,
  };
}

/** Records a dated status transition of occurrences (and moves them). `by` null: the system (the worker). */
export async function changeOccurrenceStatus(
  tx: TenantTransaction,
  occurrenceIds: readonly string[],
  to: OccurrenceStatus,
  at: Date,
  by: string | null,
): Promise<void> {
  if (occurrenceIds.length === 0) return;
  await tx.query(
    `with moved as (
       select id, status from assignment_occurrences where clinic_id = $1 and id = any($2::uuid[]) and status <> $3
     ), updated as (
       update assignment_occurrences o set status = $3, status_changed_at = $4
         from moved where o.clinic_id = $1 and o.id = moved.id
     )
     insert into assignment_status_changes (clinic_id, id, occurrence_id, from_status, to_status, changed_at, changed_by_membership_id)
     select $1, gen_random_uuid(), moved.id, moved.status, $3, $4, $5 from moved`,
    [tx.clinicId, occurrenceIds, to, at.toISOString(), by],
  );
}

async function timezonesOf(tx: TenantTransaction, clientIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.query<{ id: string; timezone: string }>(
    `select c.id, coalesce(c.timezone, k.timezone, 'UTC') as timezone
       from clients c join clinics k on k.id = c.clinic_id
      where c.clinic_id = $1 and c.id = any($2::uuid[])`,
    [tx.clinicId, clientIds],
  );
  return new Map(rows.map((row) => [row.id.toLowerCase(), row.timezone]));
}

/**
 * Assignments of a case: create (care team), list and read (filtered per viewer,
 * see homework-visibility.ts), cancel (care team).
 */
export class Assignments {
  constructor(private readonly clock: HomeworkClock = SYSTEM_HOMEWORK_CLOCK) {}

  async create(tx: TenantTransaction, viewer: CaseViewer, input: CreateAssignmentInput): Promise<AssignmentDetail> {
    if (viewer.kind !== 'care_team') throw new Error('Only the care team assigns homework');
    const caseResource = viewer.case;
    if (caseResource.status === 'closed')
      throw new HomeworkError(HomeworkErrorCode.InvalidAssignment, 422, 'The case is closed: nothing can be assigned', [
        { field: 'caseId', rule: 'caseOpen', message: 'the case is closed' },
      ]);
    // 404 for an unknown exercise or version (the library's errors).
    const exercise = await readExercise(tx, input.exerciseRef, input.exerciseVersion);
    if (exercise.status === 'retired')
      throw new HomeworkError(HomeworkErrorCode.ExerciseRetired, 422, 'The exercise is retired: it cannot be assigned');
    const content: ExerciseContent = exercise.content;
    const problems: FieldProblem[] = [];

    // Recipients: one participant, or two (paired), each a participant of this case.
    const recipients = input.recipients;
    if (recipients.length < 1 || recipients.length > 2)
      problems.push({
        field: 'recipients',
        rule: 'count',
        message: 'give one recipient, or two for a paired assignment',
      });
    const participants = caseResource.participants;
    recipients.forEach((recipient, index) => {
      if (!participants.some((participant) => sameId(participant.clientId, recipient.clientId)))
        problems.push({
          field: `recipients[${index}].clientId`,
          rule: 'participant',
          message: 'must be a participant of this case',
        });
    });
    if (recipients.length === 2 && sameId(recipients[0].clientId, recipients[1].clientId))
      problems.push({
        field: 'recipients[1].clientId',
        rule: 'distinct',
        message: 'must differ from the first recipient',
      });
    const paired = recipients.length === 2;
    const parts = content.responseSchema.parts ?? [];
    recipients.forEach((recipient, index) => {
      if (recipient.part === undefined) {
        if (paired && parts.length > 0)
          problems.push({
            field: `recipients[${index}].part`,
            rule: 'required',
            message: `a paired assignment of this exercise gives each partner a part (${parts.map((p) => p.key).join(', ')})`,
          });
      } else if (!parts.some((part) => part.key === recipient.part)) {
        problems.push({
          field: `recipients[${index}].part`,
          rule: 'part',
          message:
            parts.length === 0 ? 'this exercise has no parts' : `must be one of ${parts.map((p) => p.key).join(', ')}`,
        });
      }
    });
    if (paired && recipients[0].part !== undefined && recipients[0].part === recipients[1].part)
      problems.push({ field: 'recipients[1].part', rule: 'distinct', message: 'each partner takes a different part' });

    // Visibility: the exercise's default, or one it allows the counselor to switch to.
    const allowed: readonly Visibility[] = [content.defaultVisibility, ...content.switchableVisibility];
    const visibility = input.visibility ?? content.defaultVisibility;
    if (!allowed.includes(visibility))
      throw new HomeworkError(
        HomeworkErrorCode.VisibilityNotAllowed,
        422,
        `This exercise allows the visibility ${allowed.join(' or ')}`,
        [{ field: 'visibility', rule: 'allowed', message: `must be one of ${allowed.join(', ')}` }],
      );
    if (visibility === 'reveal' && !paired)
      problems.push({
        field: 'recipients',
        rule: 'pairedForReveal',
        message: 'a reveal assignment goes to both partners',
      });
    const releaseRequiresReview = input.releaseRequiresReview ?? false;
    if (releaseRequiresReview && visibility !== 'release')
      problems.push({
        field: 'releaseRequiresReview',
        rule: 'releaseOnly',
        message: 'only a release assignment can require a review',
      });

    // Schedule, in each recipient's timezone.
    const zones = await timezonesOf(
      tx,
      recipients.map((recipient) => recipient.clientId),
    );
    const now = this.clock.now();
    const datesByRecipient: OccurrenceDates[][] = [];
    if (problems.length === 0) {
      for (const recipient of recipients) {
        const today = localDate(now, zones.get(recipient.clientId.toLowerCase()) ?? 'UTC');
        const scheduleProblems = checkSchedule(input.schedule, today);
        if (scheduleProblems.length > 0) {
          problems.push(...scheduleProblems);
          break;
        }
        const dates = occurrenceDates(input.schedule, today);
        if (dates === null) {
          problems.push({
            field: 'schedule',
            rule: 'occurrences',
            message: 'the schedule must produce between 1 and 366 occurrences',
          });
          break;
        }
        datesByRecipient.push(dates);
      }
    }
    if (problems.length > 0) throw invalidAssignment(problems);

    // The safety hold suspends shared and reveal work; the secrets policy gates individual channels.
    if (caseResource.safetyStatus === 'safety_hold' && SHARED_VISIBILITIES.includes(visibility))
      throw new HomeworkError(
        HomeworkErrorCode.SuspendedBySafetyHold,
        409,
        'The case is on a safety hold: shared and reveal exercises cannot be assigned until it is lifted',
      );
    if (INDIVIDUAL_VISIBILITIES.includes(visibility) && participants.length > 1)
      await assertIndividualChannelsOpen(tx, caseResource.caseId);

    const assignmentId = randomUUID();
    const customExerciseId = exercise.source === 'custom' ? exercise.ref : null;
    await tx.query(
      `insert into assignments (clinic_id, id, case_id, exercise_ref, custom_exercise_id, exercise_version, exercise_title,
                                exercise_snapshot, paired, visibility, release_requires_review, schedule,
                                created_by_membership_id, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::jsonb, $13, $14)`,
      [
        tx.clinicId,
        assignmentId,
        caseResource.caseId,
        exercise.ref,
        customExerciseId,
        exercise.version,
        content.title,
        JSON.stringify(content),
        paired,
        visibility,
        releaseRequiresReview,
        JSON.stringify(input.schedule),
        viewer.principal.membershipId,
        now.toISOString(),
      ],
    );
    const ids: string[] = [];
    const clients: string[] = [];
    const partsColumn: (string | null)[] = [];
    const opens: string[] = [];
    const dues: string[] = [];
    const pairs: (string | null)[] = [];
    const pairByDue = new Map<string, string>();
    recipients.forEach((recipient, index) => {
      for (const dates of datesByRecipient[index]) {
        let pairId: string | null = null;
        if (paired) {
          pairId = pairByDue.get(dates.dueOn) ?? randomUUID();
          pairByDue.set(dates.dueOn, pairId);
        }
        ids.push(randomUUID());
        clients.push(recipient.clientId);
        partsColumn.push(recipient.part ?? null);
        opens.push(dates.opensOn);
        dues.push(dates.dueOn);
        pairs.push(pairId);
      }
    });
    await tx.query(
      `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, part, opens_on, due_on, pair_id,
                                           status, status_changed_at, created_at)
       select $1, t.id, $2, $3, t.client_id, t.part, t.opens_on, t.due_on, t.pair_id, 'assigned', $10, $10
         from unnest($4::uuid[], $5::uuid[], $6::text[], $7::date[], $8::date[], $9::uuid[])
           as t (id, client_id, part, opens_on, due_on, pair_id)`,
      [
        tx.clinicId,
        assignmentId,
        caseResource.caseId,
        ids,
        clients,
        partsColumn,
        opens,
        dues,
        pairs,
        now.toISOString(),
      ],
    );
    await tx.query(
      `insert into assignment_status_changes (clinic_id, id, occurrence_id, from_status, to_status, changed_at, changed_by_membership_id)
       select $1, gen_random_uuid(), t.id, null, 'assigned', $3, $4 from unnest($2::uuid[]) as t (id)`,
      [tx.clinicId, ids, now.toISOString(), viewer.principal.membershipId],
    );
    await auditHomework(
      tx,
      viewer,
      'homework.assignment.create',
      { type: 'assignment', id: assignmentId },
      {
        exerciseRef: exercise.ref,
        exerciseVersion: exercise.version,
        visibility,
        paired,
        recipients: recipients.length,
        occurrences: ids.length,
      },
    );
    return this.get(tx, viewer, assignmentId, false);
  }

  private async assignmentRows(tx: TenantTransaction, caseId: string, assignmentId?: string): Promise<AssignmentRow[]> {
    return tx.query<AssignmentRow>(
      `select ${ASSIGNMENT_COLUMNS} from assignments
        where clinic_id = $1 and case_id = $2 and ($3::uuid is null or id = $3::uuid)
        order by created_at desc, id`,
      [tx.clinicId, caseId, assignmentId ?? null],
    );
  }

  private assemble(
    viewer: CaseViewer,
    assignments: readonly AssignmentRow[],
    occurrences: readonly OccurrenceRow[],
  ): AssignmentDetail[] {
    const now = this.clock.now();
    const visible = listedFor(viewer, occurrences);
    const byAssignment = new Map<string, OccurrenceRow[]>();
    for (const row of visible) {
      const list = byAssignment.get(row.assignment_id) ?? [];
      list.push(row);
      byAssignment.set(row.assignment_id, list);
    }
    const recipientsOf = new Map<string, Map<string, string | null>>();
    for (const row of occurrences) {
      const map = recipientsOf.get(row.assignment_id) ?? new Map<string, string | null>();
      map.set(row.client_id, row.part);
      recipientsOf.set(row.assignment_id, map);
    }
    const result: AssignmentDetail[] = [];
    for (const assignment of assignments) {
      const rows = byAssignment.get(assignment.id);
      // An assignment with no occurrence the viewer may see does not exist for them.
      if (viewer.kind !== 'care_team' && rows === undefined) continue;
      const views = (rows ?? []).map((row) => toOccurrenceView(viewer, row, now));
      const allRecipients = [...(recipientsOf.get(assignment.id) ?? new Map<string, string | null>()).entries()].map(
        ([clientId, part]) => ({
          clientId,
          part,
        }),
      );
      // A participant learns only of the recipients whose occurrences they see.
      const recipients =
        viewer.kind === 'care_team'
          ? allRecipients
          : allRecipients.filter((recipient) => views.some((view) => sameId(view.clientId, recipient.clientId)));
      result.push({ ...toAssignmentView(assignment, views, recipients), occurrences: views });
    }
    return result;
  }

  /** Assignments of the case the viewer may see, newest first, with counts over what they see. */
  async list(tx: TenantTransaction, viewer: CaseViewer): Promise<AssignmentView[]> {
    const assignments = await this.assignmentRows(tx, viewer.case.caseId);
    const occurrences = await occurrenceRows(tx, { caseId: viewer.case.caseId });
    const details = this.assemble(viewer, assignments, occurrences);
    await auditHomework(
      tx,
      viewer,
      'homework.assignment.list',
      { type: 'case', id: viewer.case.caseId },
      {
        assignments: details.length,
      },
    );
    return details.map(({ occurrences: _occurrences, ...view }) => view);
  }

  /** One assignment with the occurrences the viewer may see (404 when they see none). */
  async get(tx: TenantTransaction, viewer: CaseViewer, assignmentId: string, audit = true): Promise<AssignmentDetail> {
    const assignments = await this.assignmentRows(tx, viewer.case.caseId, assignmentId);
    if (assignments.length === 0) throw assignmentNotFound();
    const occurrences = await occurrenceRows(tx, { caseId: viewer.case.caseId, assignmentId });
    const [detail] = this.assemble(viewer, assignments, occurrences);
    if (detail === undefined) throw assignmentNotFound();
    if (audit)
      await auditHomework(
        tx,
        viewer,
        'homework.assignment.read',
        { type: 'assignment', id: assignmentId },
        {
          occurrences: detail.occurrences.length,
        },
      );
    return detail;
  }

  /** Cancels an assignment: every occurrence not completed becomes `cancelled` (dated). Twice: 409. */
  async cancel(tx: TenantTransaction, viewer: CaseViewer, assignmentId: string): Promise<AssignmentDetail> {
    if (viewer.kind !== 'care_team') throw new Error('Only the care team cancels homework');
    const rows = await tx.query<{ status: AssignmentRecordStatus }>(
      `select status from assignments where clinic_id = $1 and case_id = $2 and id = $3 for update`,
      [tx.clinicId, viewer.case.caseId, assignmentId],
    );
    if (rows[0] === undefined) throw assignmentNotFound();
    if (rows[0].status === 'cancelled')
      throw new HomeworkError(HomeworkErrorCode.AssignmentCancelled, 409, 'The assignment is already cancelled');
    const now = this.clock.now();
    await tx.query(
      `update assignments set status = 'cancelled', cancelled_at = $3, cancelled_by_membership_id = $4
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, assignmentId, now.toISOString(), viewer.principal.membershipId],
    );
    const open = await tx.query<{ id: string }>(
      `select id from assignment_occurrences
        where clinic_id = $1 and assignment_id = $2 and status not in ('completed', 'cancelled') for update`,
      [tx.clinicId, assignmentId],
    );
    await changeOccurrenceStatus(
      tx,
      open.map((row) => row.id),
      'cancelled',
      now,
      viewer.principal.membershipId,
    );
    await auditHomework(
      tx,
      viewer,
      'homework.assignment.cancel',
      { type: 'assignment', id: assignmentId },
      {
        occurrencesCancelled: open.length,
      },
    );
    return this.get(tx, viewer, assignmentId, false);
  }
}
