import { DomainError, type FieldProblem } from '@mend/core';

/** Stable codes of progress reports. */
export enum ReportsErrorCode {
  NotFound = 'not_found',
  /** The period's end is not after its start. */
  PeriodReversed = 'report_period_reversed',
  /** The period holds no day (start = end: the end is exclusive). */
  PeriodEmpty = 'report_period_empty',
  /** Longer than REPORT_PERIOD_MAX_DAYS. */
  PeriodTooLong = 'report_period_too_long',
  /** Ends after tomorrow in the clinic's timezone (nothing recorded there yet). */
  PeriodInFuture = 'report_period_in_future',
  /** The audience does not exist for this kind (or the partner named is not a participant). */
  AudienceInvalid = 'report_audience_invalid',
  /** A narrative on a kind that carries none (caseload, clinic: no clinical text). */
  NarrativeNotAllowed = 'report_narrative_not_allowed',
  /** The member named for a caseload report is not a counselor. */
  NotACounselor = 'report_not_a_counselor',
  /** A download of a report that is not ready: 409 with its status and progress. */
  NotReady = 'report_not_ready',
  /** Cancel of a report already finished. */
  AlreadyFinished = 'report_already_finished',
}

export class ReportsError extends DomainError {
  constructor(
    code: ReportsErrorCode,
    status: number,
    detail: string,
    errors?: readonly FieldProblem[],
    extensions?: Readonly<Record<string, string | number | boolean>>,
  ) {
    super(code, status, detail, errors, extensions);
    this.name = 'ReportsError';
  }
}

export const reportNotFound = (): ReportsError => new ReportsError(ReportsErrorCode.NotFound, 404, 'No such report');

/** 422 naming the field and the rule. */
export function reportRuleError(code: ReportsErrorCode, field: string, detail: string): ReportsError {
  return new ReportsError(code, 422, detail, [{ field, rule: code, message: detail }]);
}
