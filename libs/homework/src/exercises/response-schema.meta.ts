import type { ValidateFunction } from 'ajv';

import { AUDIENCES, NUMBER_UNITS, type ResponseSchema } from './exercise.types.js';
import { jsonSchemaValidator, toIssues, type SchemaIssue } from './json-schema-validator.js';

/**
 * The meta-schema of response schemas: a JSON Schema that accepts only response schemas a
 * client can actually answer. Each constraint carries the rule id reported when it fails.
 */

export const RESPONSE_LIMITS = {
  maxFields: 100,
  maxColumns: 30,
  maxOptions: 60,
  maxTextLength: 20_000,
  maxRows: 200,
  maxLabelLength: 2_000,
  maxOptionLabelLength: 200,
  defaultOtherMaxLength: 500,
} as const;

export const FIELD_KEY_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,63}$';
export const OPTION_VALUE_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';

type SchemaObject = Record<string, unknown>;

const label = (max: number = RESPONSE_LIMITS.maxLabelLength): SchemaObject => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  ruleIds: { minLength: 'label-empty', maxLength: 'label-too-long' },
});

const options = (minItems: number): SchemaObject => ({
  type: 'array',
  minItems,
  maxItems: RESPONSE_LIMITS.maxOptions,
  uniqueBy: 'value',
  ruleIds: {
    minItems: minItems > 1 ? 'select-needs-two-options' : 'checklist-needs-options',
    maxItems: 'too-many-options',
    uniqueBy: 'duplicate-option-value',
  },
  items: {
    type: 'object',
    required: ['value', 'label'],
    additionalProperties: false,
    properties: {
      value: { type: 'string', pattern: OPTION_VALUE_PATTERN, ruleIds: { pattern: 'option-value-format' } },
      label: label(RESPONSE_LIMITS.maxOptionLabelLength),
    },
  },
});

const anchors = (min: number, max: number): SchemaObject => ({
  type: 'array',
  minItems: 1,
  maxItems: max - min + 1,
  uniqueBy: 'value',
  ruleIds: { uniqueBy: 'duplicate-anchor', minItems: 'anchors-empty', maxItems: 'too-many-anchors' },
  items: {
    type: 'object',
    required: ['value', 'label'],
    additionalProperties: false,
    properties: {
      value: {
        type: 'integer',
        minimum: min,
        maximum: max,
        ruleIds: { minimum: 'anchor-out-of-range', maximum: 'anchor-out-of-range', type: 'anchor-not-integer' },
      },
      label: label(RESPONSE_LIMITS.maxOptionLabelLength),
    },
  },
});

const count = (min: number, max: number): SchemaObject => ({ type: 'integer', minimum: min, maximum: max });

/** A count that must not exceed a sibling (`$data`: "min ≤ max"). */
const countAtMost = (sibling: string, min: number, max: number): SchemaObject => ({
  type: 'integer',
  minimum: min,
  allOf: [{ maximum: max }, { maximum: { $data: `1/${sibling}` }, ruleIds: { maximum: 'min-exceeds-max' } }],
});

function baseProperties(isColumn: boolean): SchemaObject {
  return {
    key: { type: 'string', pattern: FIELD_KEY_PATTERN, ruleIds: { pattern: 'field-key-format' } },
    label: label(),
    help: label(),
    required: { type: 'boolean' },
    requiredWhen: {
      type: 'object',
      required: ['field', 'equals'],
      additionalProperties: false,
      properties: {
        field: { type: 'string', pattern: FIELD_KEY_PATTERN, ruleIds: { pattern: 'field-key-format' } },
        equals: { type: ['boolean', 'string'] },
      },
    },
    ...(isColumn ? {} : { part: { type: 'string', pattern: FIELD_KEY_PATTERN } }),
  };
}

function branch(
  type: string,
  isColumn: boolean,
  own: SchemaObject,
  required: string[] = [],
  rules: SchemaObject = {},
): SchemaObject {
  return {
    type: 'object',
    required: ['key', 'type', 'label', ...required],
    additionalProperties: false,
    properties: { ...baseProperties(isColumn), type: { const: type }, ...own },
    ruleIds: { 'required:key': 'field-key-missing', 'required:label': 'label-missing', ...rules },
    // `required: true` and `requiredWhen` contradict each other.
    if: { required: ['required'], properties: { required: { const: true } } },
    then: { not: { required: ['requiredWhen'] }, ruleIds: { not: 'required-and-conditional' } },
  };
}

function fieldSchema(isColumn: boolean): SchemaObject {
  const branches: SchemaObject[] = [
    branch(
      'text',
      isColumn,
      {
        maxLength: {
          type: 'integer',
          minimum: 1,
          maximum: RESPONSE_LIMITS.maxTextLength,
          ruleIds: { minimum: 'max-length-too-small', maximum: 'max-length-too-large' },
        },
        minLength: countAtMost('maxLength', 0, RESPONSE_LIMITS.maxTextLength),
        multiline: { type: 'boolean' },
      },
      ['maxLength'],
      { 'required:maxLength': 'text-needs-max-length' },
    ),
    branch('rating_0_10', isColumn, { anchors: anchors(0, 10) }),
    branch('likert_1_5', isColumn, { anchors: anchors(1, 5) }),
    branch(
      'checklist',
      isColumn,
      {
        options: options(1),
        allowOther: { type: 'boolean' },
        otherLabel: label(RESPONSE_LIMITS.maxOptionLabelLength),
        otherMaxLength: {
          type: 'integer',
          minimum: 1,
          maximum: RESPONSE_LIMITS.maxTextLength,
          ruleIds: { minimum: 'max-length-too-small', maximum: 'max-length-too-large' },
        },
        minSelected: countAtMost('maxSelected', 0, RESPONSE_LIMITS.maxOptions),
        maxSelected: count(1, RESPONSE_LIMITS.maxOptions),
      },
      ['options'],
      { 'required:options': 'checklist-needs-options' },
    ),
    branch('select', isColumn, { options: options(2) }, ['options'], {
      'required:options': 'select-needs-two-options',
    }),
    branch('bool', isColumn, {}),
    branch('date', isColumn, {}),
    branch('datetime', isColumn, {}),
    branch('time', isColumn, {}),
    branch(
      'number',
      isColumn,
      {
        unit: { enum: [...NUMBER_UNITS], ruleIds: { enum: 'unknown-unit' } },
        min: {
          type: 'number',
          allOf: [{ maximum: { $data: '1/max' }, ruleIds: { maximum: 'min-exceeds-max' } }],
        },
        max: { type: 'number' },
        integer: { type: 'boolean' },
        suggestion: label(RESPONSE_LIMITS.maxOptionLabelLength),
      },
      ['unit'],
      { 'required:unit': 'number-needs-unit' },
    ),
  ];
  if (!isColumn)
    branches.push(
      branch(
        'rows',
        false,
        {
          columns: fieldList(true, RESPONSE_LIMITS.maxColumns, 'rows-need-columns'),
          minRows: countAtMost('maxRows', 0, RESPONSE_LIMITS.maxRows),
          maxRows: {
            type: 'integer',
            minimum: 1,
            maximum: RESPONSE_LIMITS.maxRows,
            ruleIds: { minimum: 'max-rows-too-small', maximum: 'max-rows-too-large' },
          },
          rowLabel: label(RESPONSE_LIMITS.maxOptionLabelLength),
        },
        ['columns'],
        { 'required:columns': 'rows-need-columns' },
      ),
    );
  return {
    type: 'object',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: branches,
    // Rows do not nest: a `rows` column matches no column branch.
    ruleIds: {
      'required:type': 'field-type-missing',
      discriminator: 'unknown-field-type',
      ...(isColumn ? { 'discriminator:rows': 'nested-rows' } : {}),
    },
  };
}

function fieldList(isColumn: boolean, maxItems: number, emptyRule: string): SchemaObject {
  return {
    type: 'array',
    minItems: 1,
    maxItems,
    uniqueBy: 'key',
    conditionRefs: true,
    // Each field schema is compiled once and referenced (fields and feedbackFields share one).
    items: { $ref: isColumn ? '#/definitions/column' : '#/definitions/field' },
    ruleIds: {
      minItems: emptyRule,
      maxItems: 'too-many-fields',
      uniqueBy: 'duplicate-field-key',
    },
  };
}

/** The meta-schema (JSON Schema draft-07 with Mend's keywords). */
export const RESPONSE_SCHEMA_META_SCHEMA: SchemaObject = {
  $id: 'https://mend.invalid/schemas/response-schema.json',
  type: 'object',
  required: ['fields'],
  additionalProperties: false,
  partRefs: true,
  ruleIds: { 'required:fields': 'fields-required' },
  definitions: { field: fieldSchema(false), column: fieldSchema(true) },
  properties: {
    fields: fieldList(false, RESPONSE_LIMITS.maxFields, 'fields-required'),
    feedbackFields: fieldList(false, RESPONSE_LIMITS.maxFields, 'feedback-fields-empty'),
    parts: {
      type: 'array',
      minItems: 2,
      maxItems: 4,
      uniqueBy: 'key',
      ruleIds: { minItems: 'parts-need-two', uniqueBy: 'duplicate-part-key' },
      items: {
        type: 'object',
        required: ['key', 'label'],
        additionalProperties: false,
        properties: {
          key: { type: 'string', pattern: FIELD_KEY_PATTERN, ruleIds: { pattern: 'field-key-format' } },
          label: label(RESPONSE_LIMITS.maxOptionLabelLength),
          audience: { enum: [...AUDIENCES], ruleIds: { enum: 'unknown-audience' } },
        },
      },
    },
  },
};

let compiled: ValidateFunction | undefined;

/** The compiled meta-schema (registered with the shared validator under its `$id`). */
export function metaValidator(): ValidateFunction {
  compiled ??= jsonSchemaValidator().compile(RESPONSE_SCHEMA_META_SCHEMA);
  return compiled;
}

export type ResponseSchemaCheck =
  | { readonly valid: true; readonly schema: ResponseSchema; readonly issues: readonly [] }
  | { readonly valid: false; readonly issues: readonly SchemaIssue[] };

/** Checks that a response schema can be answered; issues name the field path and the rule. */
export function checkResponseSchema(candidate: unknown): ResponseSchemaCheck {
  const validate = metaValidator();
  if (validate(candidate)) return { valid: true, schema: candidate as ResponseSchema, issues: [] };
  return { valid: false, issues: toIssues(validate.errors, candidate, 'response-schema') };
}
