import { DomainError, type FieldProblem } from '@mend/core';

import type { SchemaIssue } from '../json-schema-validator.js';

export enum ExerciseErrorCode {
  NotFound = 'exercise_not_found',
  VersionNotFound = 'exercise_version_not_found',
  BuiltInReadOnly = 'exercise_built_in_read_only',
  Retired = 'exercise_retired',
  VersionConflict = 'exercise_version_conflict',
  InvalidDefinition = 'exercise_definition_invalid',
}

/** An unknown exercise, or one of another clinic: the same answer. */
export class ExerciseNotFoundError extends DomainError {
  constructor() {
    super(ExerciseErrorCode.NotFound, 404, 'No such exercise');
    this.name = 'ExerciseNotFoundError';
  }
}

export class ExerciseVersionNotFoundError extends DomainError {
  constructor() {
    super(ExerciseErrorCode.VersionNotFound, 404, 'No such exercise version');
    this.name = 'ExerciseVersionNotFoundError';
  }
}

/** Built-in exercises (E01..E37) are part of Mend: copy one to change it. */
export class BuiltInExerciseReadOnlyError extends DomainError {
  constructor() {
    super(
      ExerciseErrorCode.BuiltInReadOnly,
      422,
      'Built-in exercises cannot be changed or retired: copy it into a clinic exercise and change the copy',
    );
    this.name = 'BuiltInExerciseReadOnlyError';
  }
}

/** A retired exercise keeps its versions readable (assignments pin them) but gets no new version. */
export class ExerciseRetiredError extends DomainError {
  constructor() {
    super(ExerciseErrorCode.Retired, 422, 'The exercise is retired: it can be read or copied, not changed');
    this.name = 'ExerciseRetiredError';
  }
}

/** A new version that named a version other than the current one: nothing was written. */
export class ExerciseVersionConflictError extends DomainError {
  constructor(expectedVersion: number, currentVersion: number) {
    super(
      ExerciseErrorCode.VersionConflict,
      409,
      `The exercise changed since version ${expectedVersion}: the current version is ${currentVersion}. Reload and apply your change again.`,
      [{ field: 'expectedVersion', rule: 'stale', message: `current version: ${currentVersion}` }],
    );
    this.name = 'ExerciseVersionConflictError';
  }
}

/** A definition (or its response schema) that cannot be saved: 422 naming each field path and rule. */
export class InvalidExerciseDefinitionError extends DomainError {
  constructor(issues: readonly SchemaIssue[]) {
    super(
      ExerciseErrorCode.InvalidDefinition,
      422,
      'The exercise definition cannot be saved: see errors',
      issues.map((issue): FieldProblem => ({ field: issue.path, rule: issue.rule, message: issue.message })),
    );
    this.name = 'InvalidExerciseDefinitionError';
  }
}
