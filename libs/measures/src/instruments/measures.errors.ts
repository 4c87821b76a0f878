import type { FieldProblem } from '@mend/contracts';
import { DomainError } from '@mend/core';

export enum MeasuresErrorCode {
  AnswersInvalid = 'measure_answers_invalid',
  DefinitionInvalid = 'measure_definition_invalid',
  SeriesInvalid = 'measure_series_invalid',
  DyadicNotAllowed = 'measure_dyadic_not_allowed',
}

/**
 * 422 naming each offending item (issue 6 "Bad input"). Messages never repeat the
 * submitted values: answers are clinical content.
 */
export class MeasuresError extends DomainError {
  constructor(code: MeasuresErrorCode, detail: string, errors?: readonly FieldProblem[]) {
    super(code, 422, detail, errors);
    this.name = 'MeasuresError';
  }
}
