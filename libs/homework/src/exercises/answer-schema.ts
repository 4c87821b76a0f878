import type { ValidateFunction } from 'ajv';

import type { ChecklistField, ResponseField, ResponseSchema, ScalarField } from './exercise.types.js';
import { jsonSchemaValidator, toIssues, type SchemaIssue } from './json-schema-validator.js';
import { RESPONSE_LIMITS } from './response-schema.meta.js';

/**
 * Compiles a (valid) response schema into the JSON Schema of its answers.
 *
 * Answers are one JSON object keyed by field key. Value shapes:
 * - `text` string; `rating_0_10` integer 0–10; `likert_1_5` integer 1–5; `bool` boolean;
 * - `select` an option value; `checklist` `{ selected: optionValue[], other?: string }`;
 * - `date` `YYYY-MM-DD`; `datetime` ISO 8601 with an offset; `time` `HH:MM` (24 h);
 * - `number` a number (an integer when the field says so) within its min/max;
 * - `rows` an array of objects keyed by column key.
 *
 * A `draft` may be partial (`required`, `requiredWhen`, minimum rows and selections are
 * enforced only on `submit`) and may hold `null` for a cleared field; types, ranges,
 * options and maximum lengths are enforced in both modes.
 */

export type AnswerMode = 'draft' | 'submit';

/** Whose fields to validate: the client's answers (optionally one part of a paired exercise) or the counselor's feedback. */
export interface AnswerSchemaOptions {
  readonly mode: AnswerMode;
  readonly part?: string;
  readonly target?: 'answers' | 'feedback';
}

type SchemaObject = Record<string, unknown>;

export const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

function withNull(schema: SchemaObject, nullable: boolean): SchemaObject {
  if (!nullable) return schema;
  const type: unknown = schema.type;
  const types: unknown[] = Array.isArray(type) ? (type as unknown[]) : [type];
  const result: SchemaObject = { ...schema, type: [...types, 'null'] };
  if (Array.isArray(schema.enum)) result.enum = [...(schema.enum as unknown[]), null];
  return result;
}

function checklistSchema(field: ChecklistField, mode: AnswerMode, required: boolean): SchemaObject {
  const minSelected = mode === 'submit' ? (field.minSelected ?? 0) : 0;
  const selected: SchemaObject = {
    type: 'array',
    uniqueItems: true,
    items: { enum: field.options.map((option) => option.value), ruleIds: { enum: 'unknown-option' } },
    ruleIds: { uniqueItems: 'duplicate-selection', minItems: 'min-selected', maxItems: 'max-selected' },
  };
  if (minSelected > 0) selected.minItems = minSelected;
  if (field.maxSelected !== undefined) selected.maxItems = field.maxSelected;
  const properties: SchemaObject = { selected };
  if (field.allowOther)
    properties.other = {
      type: 'string',
      maxLength: field.otherMaxLength ?? RESPONSE_LIMITS.defaultOtherMaxLength,
      ruleIds: { maxLength: 'max-length' },
    };
  const schema: SchemaObject = {
    type: 'object',
    required: ['selected'],
    additionalProperties: false,
    properties,
    ruleIds: { additionalProperties: 'unknown-field', 'required:selected': 'required' },
  };
  if (required && mode === 'submit') {
    // Something must be ticked, or (where allowed) the "other" text filled in.
    const ticked = { properties: { selected: { type: 'array', minItems: 1, ruleIds: { minItems: 'required' } } } };
    if (field.allowOther) {
      schema.if = { required: ['other'], properties: { other: { type: 'string', minLength: 1 } } };
      schema.else = ticked;
    } else {
      schema.allOf = [ticked];
    }
  }
  return schema;
}

function scalarSchema(field: ScalarField, mode: AnswerMode, required: boolean): SchemaObject {
  const mustAnswer = required && mode === 'submit';
  switch (field.type) {
    case 'text': {
      const minLength = Math.max(field.minLength ?? 0, mustAnswer ? 1 : 0);
      return {
        type: 'string',
        maxLength: field.maxLength,
        ...(minLength > 0 && mode === 'submit' ? { minLength } : {}),
        ruleIds: { maxLength: 'max-length', minLength: mustAnswer && minLength === 1 ? 'required' : 'min-length' },
      };
    }
    case 'rating_0_10':
      return { type: 'integer', minimum: 0, maximum: 10 };
    case 'likert_1_5':
      return { type: 'integer', minimum: 1, maximum: 5 };
    case 'checklist':
      return checklistSchema(field, mode, required);
    case 'select':
      return {
        type: 'string',
        enum: field.options.map((option) => option.value),
        ruleIds: { enum: 'unknown-option' },
      };
    case 'bool':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date', ruleIds: { format: 'date-format' } };
    case 'datetime':
      return { type: 'string', format: 'date-time', ruleIds: { format: 'datetime-format' } };
    case 'time':
      return { type: 'string', pattern: TIME_PATTERN, ruleIds: { pattern: 'time-format' } };
    case 'number':
      return {
        type: field.integer ? 'integer' : 'number',
        ...(field.min !== undefined ? { minimum: field.min } : {}),
        ...(field.max !== undefined ? { maximum: field.max } : {}),
      };
  }
}

function fieldSchema(field: ResponseField, mode: AnswerMode, required: boolean): SchemaObject {
  const nullable = !(required && mode === 'submit');
  if (field.type !== 'rows') {
    const schema = scalarSchema(field, mode, required);
    // A checklist answer is an object; clearing it is `null` (or leaving it out).
    return withNull(schema, nullable);
  }
  const rows: SchemaObject = {
    type: 'array',
    items: groupSchema(field.columns, mode),
    ruleIds: { minItems: 'min-rows', maxItems: 'max-rows' },
  };
  const minRows = mode === 'submit' ? Math.max(field.minRows ?? 0, required ? 1 : 0) : 0;
  if (minRows > 0) rows.minItems = minRows;
  if (field.maxRows !== undefined) rows.maxItems = field.maxRows;
  if (required && mode === 'submit' && (field.minRows ?? 0) === 0)
    rows.ruleIds = { minItems: 'required', maxItems: 'max-rows' };
  return withNull(rows, nullable);
}

function groupSchema(fields: readonly ResponseField[], mode: AnswerMode): SchemaObject {
  const properties: SchemaObject = {};
  const required: string[] = [];
  const conditions: SchemaObject[] = [];
  for (const field of fields) {
    const isRequired = field.required === true;
    properties[field.key] = fieldSchema(field, mode, isRequired);
    if (isRequired && mode === 'submit') required.push(field.key);
    if (field.requiredWhen !== undefined && mode === 'submit')
      conditions.push({
        if: {
          required: [field.requiredWhen.field],
          properties: { [field.requiredWhen.field]: { const: field.requiredWhen.equals } },
        },
        then: {
          required: [field.key],
          properties: { [field.key]: fieldSchema(field, mode, true) },
          ruleIds: { required: 'required' },
        },
      });
  }
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(conditions.length > 0 ? { allOf: conditions } : {}),
    ruleIds: { additionalProperties: 'unknown-field', required: 'required' },
  };
}

export class UnknownPartError extends Error {
  constructor(part: string) {
    super(`The response schema has no part "${part}"`);
    this.name = 'UnknownPartError';
  }
}

function selectFields(schema: ResponseSchema, options: AnswerSchemaOptions): readonly ResponseField[] {
  if (options.target === 'feedback') return schema.feedbackFields ?? [];
  if (options.part === undefined) return schema.fields;
  if (!(schema.parts ?? []).some((part) => part.key === options.part)) throw new UnknownPartError(options.part);
  return schema.fields.filter((field) => field.part === options.part);
}

/** The JSON Schema (draft-07) of the answers to a response schema. */
export function compileAnswerSchema(schema: ResponseSchema, options: AnswerSchemaOptions): SchemaObject {
  return groupSchema(selectFields(schema, options), options.mode);
}

/**
 * Compiled answer validators, by response schema content (schemas read from the database
 * are new objects on every request) and options; the least recently used go first.
 */
const MAX_CACHED_VALIDATORS = 500;
const compiledCache = new Map<string, ValidateFunction>();
const keyOfSchema = new WeakMap<ResponseSchema, string>();

function answerValidator(schema: ResponseSchema, options: AnswerSchemaOptions): ValidateFunction {
  let schemaKey = keyOfSchema.get(schema);
  if (schemaKey === undefined) {
    schemaKey = JSON.stringify(schema);
    keyOfSchema.set(schema, schemaKey);
  }
  const cacheKey = `${options.mode}|${options.part ?? ''}|${options.target ?? 'answers'}|${schemaKey}`;
  let validate = compiledCache.get(cacheKey);
  if (validate === undefined) {
    validate = jsonSchemaValidator().compile(compileAnswerSchema(schema, options));
    if (compiledCache.size >= MAX_CACHED_VALIDATORS) {
      const [oldestKey, oldest] = compiledCache.entries().next().value!;
      compiledCache.delete(oldestKey);
      // Ajv keeps every schema it compiled: let it forget the evicted one too.
      jsonSchemaValidator().removeSchema(oldest.schema);
    }
  } else {
    compiledCache.delete(cacheKey);
  }
  compiledCache.set(cacheKey, validate);
  return validate;
}

export type AnswerCheck =
  | { readonly valid: true; readonly issues: readonly [] }
  | { readonly valid: false; readonly issues: readonly SchemaIssue[] };

/**
 * Validates answers (or counselor feedback) against a response schema that passed
 * `checkResponseSchema`. Issues name the answer path (`who_affected[0].person`) and the
 * rule (`required`, `max-length`, `out-of-range`, `unknown-option`, `date-format`, ...).
 */
export function checkAnswers(schema: ResponseSchema, answers: unknown, options: AnswerSchemaOptions): AnswerCheck {
  const validate = answerValidator(schema, options);
  if (validate(answers)) return { valid: true, issues: [] };
  return { valid: false, issues: toIssues(validate.errors, answers, 'answers') };
}
