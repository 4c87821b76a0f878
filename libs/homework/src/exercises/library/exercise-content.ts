import type { ValidateFunction } from 'ajv';

import {
  AUDIENCES,
  COACH_MODES,
  PHASES,
  SEED_CONCEPTS,
  VISIBILITIES,
  type ExerciseDefinition,
} from '../exercise.types.js';
import { jsonSchemaValidator, toIssues, type SchemaIssue } from '../json-schema-validator.js';
import { FIELD_KEY_PATTERN, metaValidator, RESPONSE_SCHEMA_META_SCHEMA } from '../response-schema.meta.js';

/** What a version of an exercise stores: the whole definition but its key (built-ins: `E01`; custom: the exercise id). */
export type ExerciseContent = Omit<ExerciseDefinition, 'key'>;

export function contentOf(definition: ExerciseDefinition): ExerciseContent {
  const { key: _key, ...content } = definition;
  return content;
}

export const EXERCISE_LIMITS = {
  maxTitle: 200,
  maxInstructions: 4_000,
  maxPrompts: 20,
  maxPromptLength: 2_000,
  maxFrequency: 200,
  maxModel: 500,
  maxEstimatedMinutes: 240,
  maxChangeNote: 2_000,
} as const;

const text = (min: number, max: number): Record<string, unknown> => ({
  type: 'string',
  minLength: min,
  maxLength: max,
  pattern: '\\S',
  ruleIds: { pattern: 'blank', minLength: 'blank', maxLength: 'too-long' },
});

/** The JSON Schema of an exercise definition; its response schema is checked by the meta-schema. */
export const EXERCISE_CONTENT_SCHEMA: Record<string, unknown> = {
  $id: 'https://mend.invalid/schemas/exercise-content.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'title',
    'instructions',
    'prompts',
    'audience',
    'phases',
    'defaultVisibility',
    'switchableVisibility',
    'coachMode',
    'estimatedMinutes',
    'frequency',
    'seedConcepts',
    'responseSchema',
  ],
  properties: {
    title: text(1, EXERCISE_LIMITS.maxTitle),
    instructions: text(1, EXERCISE_LIMITS.maxInstructions),
    prompts: {
      type: 'array',
      maxItems: EXERCISE_LIMITS.maxPrompts,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: text(1, EXERCISE_LIMITS.maxPromptLength),
          forRole: { enum: ['harmed', 'harming'], ruleIds: { enum: 'unknown-role' } },
          part: { type: 'string', pattern: FIELD_KEY_PATTERN },
        },
      },
    },
    audience: { enum: [...AUDIENCES], ruleIds: { enum: 'unknown-audience' } },
    optionalAudiences: {
      type: 'array',
      uniqueItems: true,
      items: { enum: [...AUDIENCES], ruleIds: { enum: 'unknown-audience' } },
    },
    phases: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...PHASES], ruleIds: { enum: 'unknown-phase' } },
      ruleIds: { minItems: 'phases-required' },
    },
    defaultVisibility: { enum: [...VISIBILITIES], ruleIds: { enum: 'unknown-visibility' } },
    switchableVisibility: {
      type: 'array',
      uniqueItems: true,
      items: { enum: [...VISIBILITIES], ruleIds: { enum: 'unknown-visibility' } },
      // The default is not also "switchable to".
      not: { contains: { const: { $data: '2/defaultVisibility' } } },
      ruleIds: { not: 'switchable-includes-default' },
    },
    coachMode: { enum: [...COACH_MODES], ruleIds: { enum: 'unknown-coach-mode' } },
    estimatedMinutes: { type: 'integer', minimum: 1, maximum: EXERCISE_LIMITS.maxEstimatedMinutes },
    frequency: text(1, EXERCISE_LIMITS.maxFrequency),
    seedConcepts: {
      type: 'array',
      uniqueItems: true,
      items: { enum: [...SEED_CONCEPTS], ruleIds: { enum: 'unknown-seed-concept' } },
    },
    model: text(1, EXERCISE_LIMITS.maxModel),
    responseSchema: { $ref: RESPONSE_SCHEMA_META_SCHEMA.$id },
  },
};

let compiled: ValidateFunction | undefined;

export type ExerciseContentCheck =
  | { readonly valid: true; readonly content: ExerciseContent; readonly issues: readonly [] }
  | { readonly valid: false; readonly issues: readonly SchemaIssue[] };

/**
 * Checks a whole exercise definition, its response schema included (a schema that
 * cannot be answered is rejected). Issues name the path (`responseSchema.fields.story.maxLength`)
 * and the rule.
 */
export function checkExerciseContent(candidate: unknown): ExerciseContentCheck {
  metaValidator(); // registers the meta-schema the content schema refers to
  compiled ??= jsonSchemaValidator().compile(EXERCISE_CONTENT_SCHEMA);
  if (compiled(candidate)) return { valid: true, content: candidate as ExerciseContent, issues: [] };
  return { valid: false, issues: toIssues(compiled.errors, candidate, 'response-schema') };
}
