import { type ArgumentMetadata, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';

import { CoreError, CoreErrorCode, type FieldProblem } from '@mend/core';

import { rememberValidationRules } from './validation-metadata.js';

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

/** How deep a request value may nest: far beyond any DTO (a plan item's objectives, a response schema's rows). */
export const MAX_INPUT_DEPTH = 32;

/** A lone UTF-16 surrogate: not text, and refused by PostgreSQL's jsonb. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface InputProblem {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

function textProblem(text: string, field: string): InputProblem | undefined {
  if (text.includes('\u0000')) return { field, rule: 'noNulCharacter', message: 'must not contain the NUL character' };
  if (LONE_SURROGATE.test(text)) return { field, rule: 'wellFormedText', message: 'must be well-formed Unicode text' };
  return undefined;
}

/**
 * The first thing in a request value that no Mend field accepts and that would
 * otherwise fail deep inside: nesting deeper than MAX_INPUT_DEPTH (class-transformer
 * walks values recursively and overflows the stack at a few thousand levels), or
 * a string or key with a NUL character or a lone surrogate (PostgreSQL text and
 * jsonb cannot hold them). Iterative, so a hostile value cannot exhaust the stack here.
 */
export function inputProblem(value: unknown, limit = MAX_INPUT_DEPTH): InputProblem | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const field = current.path === '' ? 'value' : current.path;
    if (typeof current.value === 'string') {
      const problem = textProblem(current.value, field);
      if (problem !== undefined) return problem;
      continue;
    }
    if (current.value === null || typeof current.value !== 'object') continue;
    if (current.depth >= limit) return { field, rule: 'maxDepth', message: `nested more than ${limit} levels deep` };
    const isArray = Array.isArray(current.value);
    for (const [key, item] of Object.entries(current.value)) {
      if (!isArray) {
        const problem = textProblem(key, `${current.path === '' ? '' : `${current.path}.`}(a key)`);
        if (problem !== undefined) return problem;
      }
      const path = isArray ? `${current.path}[${key}]` : current.path === '' ? key : `${current.path}.${key}`;
      stack.push({ value: item, depth: current.depth + 1, path });
    }
  }
  return undefined;
}

/** The largest magnitude a number in a request may have: a PostgreSQL integer (no Mend field needs more). */
export const MAX_INPUT_NUMBER = 2_147_483_647;

/** The path of the first number beyond ±MAX_INPUT_NUMBER in a (depth-limited) value, or undefined. */
export function numberOutOfRange(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (typeof current.value === 'number') {
      if (!Number.isFinite(current.value) || Math.abs(current.value) > MAX_INPUT_NUMBER) {
        return current.path === '' ? 'value' : current.path;
      }
      continue;
    }
    if (current.value === null || typeof current.value !== 'object') continue;
    for (const [key, item] of Object.entries(current.value)) {
      const path = Array.isArray(current.value)
        ? `${current.path}[${key}]`
        : current.path === ''
          ? key
          : `${current.path}.${key}`;
      stack.push({ value: item, path });
    }
  }
  return undefined;
}

const invalid = (field: string, rule: string, message: string) =>
  new CoreError(CoreErrorCode.ValidationFailed, 'The request is invalid: see errors', [{ field, rule, message }]);

/**
 * The ValidationPipe, with limits around it for what the client sent:
 * first `inputProblem` (too deep, NUL, lone surrogates), then, after conversion,
 * numbers beyond ±MAX_INPUT_NUMBER (a path `revision` of 1e23 or a body count of
 * 2^31 would otherwise reach PostgreSQL and fail there with a 500).
 */
class BoundedValidationPipe implements PipeTransform {
  constructor(private readonly validation: ValidationPipe) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Custom parameter decorators' values are passed through as ValidationPipe passes them
    // (validateCustomDecorators is off), without its async round. Mend has none at present:
    // @Tx() and @CurrentPrincipal() are filled in by the unit of work, not by Nest.
    if (metadata.type === 'custom') return value;
    return this.transformInput(value, metadata);
  }

  private async transformInput(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = inputProblem(value);
    if (problem !== undefined) throw invalid(problem.field, problem.rule, problem.message);
    const result: unknown = await this.validation.transform(value, metadata);
    const huge = numberOutOfRange(result);
    if (huge !== undefined) throw invalid(huge, 'numberRange', `numbers must lie within ±${MAX_INPUT_NUMBER}`);
    return result;
  }
}

/**
 * Every body, query and path DTO is validated: unknown fields are refused (so an
 * injected `clinicId` or `role` never reaches a service), values are transformed
 * to their declared types, and failures name each field and rule. Values nested
 * too deep, text with NUL or lone surrogates and numbers too large are refused
 * too (see BoundedValidationPipe). Each class's rules are looked up once
 * (rememberValidationRules).
 */
export function createValidationPipe(): PipeTransform {
  rememberValidationRules();
  return new BoundedValidationPipe(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) =>
        new CoreError(CoreErrorCode.ValidationFailed, 'The request is invalid: see errors', toFieldProblems(errors)),
    }),
  );
}
