import { DomainError } from '@mend/core';

/** Stable codes of the trust ledger, boundary events and the disclosure log. */
export enum LedgerErrorCode {
  NotFound = 'not_found',
  /** A participant records check-ins about their own commitments only (self-reported, §4.5). */
  CheckInNotOwn = 'check_in_not_own',
  /** The care team names the participant a check-in is about. */
  ParticipantRequired = 'participant_required',
  NotAParticipant = 'not_a_participant',
  OccurredOnInFuture = 'occurred_on_in_future',
  OccurredAtInFuture = 'occurred_at_in_future',
  /** A correction names an entry of another commitment or participant. */
  CorrectionMismatch = 'correction_mismatch',
  CheckInAlreadyCorrected = 'check_in_already_corrected',
  /** Confirming or disputing one's own entry. */
  OwnCheckIn = 'own_check_in',
  /** Responding to an entry that a correction has replaced. */
  CheckInSuperseded = 'check_in_superseded',
  AlreadyResponded = 'already_responded',
  BoundaryEventAlreadyCompleted = 'boundary_event_already_completed',
  CompletedBeforeOccurred = 'completed_before_occurred',
  CompletedInFuture = 'completed_in_future',
  DisclosureAuthorNotParticipant = 'disclosure_author_not_participant',
  /** The commitment is not in the case's plan (or not one this participant made). */
  UnknownCommitment = 'unknown_commitment',
  /** The boundary is not in the case's plan. */
  UnknownBoundary = 'unknown_boundary',
}

/** A ledger rule refused the request. Details name fields and rules, never the content. */
export class LedgerError extends DomainError {
  constructor(code: LedgerErrorCode, status: 404 | 409 | 422, detail: string) {
    super(code, status, detail);
    this.name = 'LedgerError';
  }
}

export const checkInNotFound = (): LedgerError => new LedgerError(LedgerErrorCode.NotFound, 404, 'No such check-in');
export const boundaryEventNotFound = (): LedgerError =>
  new LedgerError(LedgerErrorCode.NotFound, 404, 'No such boundary event');

/** PostgreSQL unique violation (a concurrent duplicate lost the race). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const candidate = error as {
    code?: unknown;
    constraint?: unknown;
    driverError?: { code?: unknown; constraint?: unknown };
  };
  const code = candidate.driverError?.code ?? candidate.code;
  const name = candidate.driverError?.constraint ?? candidate.constraint;
  return code === '23505' && name === constraint;
}
