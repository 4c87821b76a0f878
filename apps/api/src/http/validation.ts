import { ValidationPipe, type ValidationError } from '@nestjs/common';

import { CoreError, CoreErrorCode, type FieldProblem } from '@mend/core';

/** Flattens class-validator's tree into one entry per field and rule. */
export function toFieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field =
      parent === ''
        ? error.property
        : /^\d+$/.test(error.property)
          ? `${parent}[${error.property}]`
          : `${parent}.${error.property}`;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      // class-validator's messages quote the rule, never the submitted value.
      problems.push({ field, rule, message });
    }
    problems.push(...toFieldProblems(error.children ?? [], field));
  }
  return problems;
}

/**
 * Every body, query and path DTO is validated: unknown fields are refused (so an
 * injected `clinicId` or `role` never reaches a service), values are transformed
 * to their declared types, and failures name each field and rule.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new CoreError(CoreErrorCode.ValidationFailed, 'The request is invalid: see errors', toFieldProblems(errors)),
  });
}
