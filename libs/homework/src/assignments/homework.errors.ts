import { DomainError, type FieldProblem } from '@mend/core';

export enum HomeworkErrorCode {
  AssignmentNotFound = 'assignment_not_found',
  OccurrenceNotFound = 'occurrence_not_found',
  InvalidAssignment = 'assignment_invalid',
  VisibilityNotAllowed = 'assignment_visibility_not_allowed',
  ExerciseRetired = 'assignment_exercise_retired',
  SuspendedBySafetyHold = 'assignment_suspended_by_safety_hold',
  AssignmentCancelled = 'assignment_cancelled',
  OccurrenceCancelled = 'occurrence_cancelled',
  OccurrenceNotOpen = 'occurrence_not_open',
  AlreadySubmitted = 'submission_already_submitted',
  StaleDraft = 'submission_stale_version',
  InvalidAnswers = 'submission_answers_invalid',
  NotSubmitted = 'submission_not_submitted',
  NotReleasable = 'submission_not_releasable',
  AwaitingReview = 'submission_awaiting_review',
  AlreadyReleased = 'submission_already_released',
  ReviewNotRequired = 'submission_review_not_required',
  AlreadyReviewed = 'submission_already_reviewed',
  InvalidFeedback = 'submission_feedback_invalid',
  NotAuthor = 'occurrence_not_author',
}

export class HomeworkError extends DomainError {
  constructor(code: HomeworkErrorCode, status: number, detail: string, errors?: readonly FieldProblem[]) {
    super(code, status, detail, errors);
    this.name = 'HomeworkError';
  }
}

/** Unknown, another case's, or not visible to the caller: the same answer (nothing tells it exists). */
export const occurrenceNotFound = (): HomeworkError =>
  new HomeworkError(HomeworkErrorCode.OccurrenceNotFound, 404, 'No such occurrence');

export const assignmentNotFound = (): HomeworkError =>
  new HomeworkError(HomeworkErrorCode.AssignmentNotFound, 404, 'No such assignment');

export const invalidAssignment = (problems: readonly FieldProblem[]): HomeworkError =>
  new HomeworkError(HomeworkErrorCode.InvalidAssignment, 422, 'The assignment cannot be created: see errors', problems);
