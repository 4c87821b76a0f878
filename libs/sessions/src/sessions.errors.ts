import { DomainError, type FieldProblem } from '@mend/core';

/** Stable codes of sessions and notes. */
export enum SessionsErrorCode {
  NotFound = 'not_found',
  /** The counselor already has a session (not cancelled) overlapping this time. */
  SessionConflict = 'session_conflict',
  /** Only a scheduled session is rescheduled or moves to completed / cancelled / no_show (once). */
  SessionNotScheduled = 'session_not_scheduled',
  /** A closed case gets no new or moved sessions. */
  CaseClosed = 'case_closed',
  /** The counselor is not on the case's care team. */
  CounselorNotOnCareTeam = 'counselor_not_on_care_team',
  NotAParticipant = 'not_a_participant',
  /** A local wall-clock time skipped (spring forward) or repeated (fall back) in that timezone. */
  LocalTimeNonexistent = 'local_time_nonexistent',
  LocalTimeAmbiguous = 'local_time_ambiguous',
  /** The session named is not one of this case. */
  SessionOfAnotherCase = 'session_of_another_case',
  NoteSigned = 'note_signed',
  NoteNotSigned = 'note_not_signed',
  NoteIncomplete = 'note_incomplete',
  StaleRevision = 'stale_revision',
  NotTheAuthor = 'not_the_author',
  CosignNotRequired = 'cosign_not_required',
  AlreadyCosigned = 'already_cosigned',
  NotAuthorsSupervisor = 'not_authors_supervisor',
  InvalidNoteBody = 'invalid_note_body',
  EmptyAmendment = 'empty_amendment',
}

export class SessionsError extends DomainError {
  constructor(code: SessionsErrorCode, status: number, detail: string, errors?: readonly FieldProblem[]) {
    super(code, status, detail, errors);
    this.name = 'SessionsError';
  }
}

export const sessionNotFound = (): SessionsError =>
  new SessionsError(SessionsErrorCode.NotFound, 404, 'No such session');
export const noteNotFound = (): SessionsError => new SessionsError(SessionsErrorCode.NotFound, 404, 'No such note');
