import { DomainError, type FieldProblem } from '@mend/core';

export enum PlanErrorCode {
  RevisionConflict = 'plan_revision_conflict',
  RuleViolated = 'plan_rule_violated',
  RevisionNotFound = 'plan_revision_not_found',
  CaseClosed = 'case_closed',
  SamePhase = 'plan_phase_unchanged',
}

/**
 * A write that named a revision other than the current one: nothing was written
 * (never a lost update). The current revision is in the detail and in
 * `errors[0]` (field `expectedRevision`, rule `stale`, message `current revision: N`).
 */
export class PlanRevisionConflictError extends DomainError {
  constructor(
    readonly expectedRevision: number,
    readonly currentRevision: number,
  ) {
    super(
      PlanErrorCode.RevisionConflict,
      409,
      `The plan changed since revision ${expectedRevision}: the current revision is ${currentRevision}. Reload and apply your change again.`,
      [{ field: 'expectedRevision', rule: 'stale', message: `current revision: ${currentRevision}` }],
    );
    this.name = 'PlanRevisionConflictError';
  }
}

/** A domain rule (dates in an impossible order, an id that is not in the plan, someone who is not a participant): 422 naming each field. */
export class PlanRuleError extends DomainError {
  constructor(errors: readonly FieldProblem[]) {
    super(PlanErrorCode.RuleViolated, 422, 'The plan breaks a rule: see errors', errors);
    this.name = 'PlanRuleError';
  }
}

export class PlanRevisionNotFoundError extends DomainError {
  constructor() {
    super(PlanErrorCode.RevisionNotFound, 404, 'No such plan revision');
    this.name = 'PlanRevisionNotFoundError';
  }
}

/** A closed case keeps its plan and assessments readable, but nothing new is written to it. */
export class CaseClosedError extends DomainError {
  constructor() {
    super(PlanErrorCode.CaseClosed, 422, 'The case is closed: its plan and assessments can be read but not changed');
    this.name = 'CaseClosedError';
  }
}

export class SamePhaseError extends DomainError {
  constructor() {
    super(PlanErrorCode.SamePhase, 422, 'The case is already in this phase', [
      { field: 'toPhase', rule: 'changed', message: 'toPhase must differ from the current phase' },
    ]);
    this.name = 'SamePhaseError';
  }
}
