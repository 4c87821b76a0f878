import { Ajv, type ErrorObject } from 'ajv';

import { optionsOf, type MeasureDefinition } from './measure-definition.js';
import { MIN_PLATFORM_RCI_SAMPLE, reliableChangeThreshold } from './reliable-change.js';

/**
 * The JSON Schema of a measure definition (the format a clinic uses for a measure it
 * holds a licence for), plus the cross-field rules JSON Schema cannot say. Built-in
 * definitions pass the same checks, except that their wording may be "to be supplied".
 * An item may be a semantic differential (`anchors`: the two poles; its options are its
 * positions, left to right, which may be unlabelled) and may carry an `introduction`
 * (text the form prints above it).
 */

const text = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const source = { type: 'string', minLength: 3, maxLength: 1000 } as const;
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } as const;
const comparison = { enum: ['gte', 'gt', 'lte', 'lt'] } as const;
const option = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'label'],
  properties: {
    value: { type: 'integer', minimum: -100, maximum: 100 },
    label: { type: ['string', 'null'], maxLength: 500 },
  },
} as const;
const options = { type: 'array', minItems: 2, maxItems: 20, items: option } as const;

export const MEASURE_DEFINITION_SCHEMA = {
  $id: 'https://mend.example/schemas/measure-definition.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'version',
    'name',
    'displayLabel',
    'domain',
    'recallPeriod',
    'attribution',
    'licence',
    'wording',
    'responseOptions',
    'items',
    'scoring',
    'subscales',
    'direction',
    'severityBands',
    'cutoff',
    'reliableChange',
    'separatelyReportedItems',
    'safetySignals',
  ],
  properties: {
    id,
    version: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    displayLabel: { type: 'string', minLength: 1, maxLength: 200 },
    domain: { enum: ['symptom', 'relationship'] },
    recallPeriod: { type: ['string', 'null'], maxLength: 200 },
    attribution: source,
    licence: {
      type: 'object',
      additionalProperties: false,
      required: ['verdict', 'note', 'source'],
      properties: {
        verdict: { enum: ['free_attribution_only', 'free_from_authors_confirm_commercial', 'clinic_licensed'] },
        note: text,
        source,
      },
    },
    wording: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'note'],
      properties: {
        status: { enum: ['complete', 'to_be_supplied'] },
        note: { type: 'string', maxLength: 2000 },
        sources: { type: 'array', maxItems: 20, items: source },
      },
    },
    instructions: { type: ['string', 'null'], minLength: 1, maxLength: 4000 },
    responseOptions: options,
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'number', 'text'],
        properties: {
          id,
          number: { type: 'integer', minimum: 1 },
          text: { type: ['string', 'null'], minLength: 1, maxLength: 2000 },
          options,
          reverseKeyed: { type: 'boolean' },
          anchors: {
            type: 'object',
            additionalProperties: false,
            required: ['left', 'right'],
            properties: {
              left: { type: 'string', minLength: 1, maxLength: 200 },
              right: { type: 'string', minLength: 1, maxLength: 200 },
            },
          },
          introduction: { type: 'string', minLength: 1, maxLength: 2000 },
        },
      },
    },
    scoring: {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'range', 'partialAnswers', 'source'],
      properties: {
        method: { enum: ['sum', 'mean'] },
        range: {
          type: 'object',
          additionalProperties: false,
          required: ['min', 'max'],
          properties: { min: { type: 'number' }, max: { type: 'number' } },
        },
        partialAnswers: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['rule', 'source'],
              properties: { rule: { const: 'reject' }, source },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['rule', 'maxMissing', 'source'],
              properties: { rule: { const: 'prorate' }, maxMissing: { type: 'integer', minimum: 1 }, source },
            },
          ],
        },
        source,
      },
    },
    subscales: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'itemIds', 'method'],
        properties: {
          id,
          label: { type: 'string', minLength: 1, maxLength: 200 },
          itemIds: { type: 'array', minItems: 1, uniqueItems: true, items: id },
          method: { enum: ['sum', 'mean'] },
        },
      },
    },
    direction: { enum: ['higher_is_worse', 'higher_is_better'] },
    severityBands: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['bands', 'source'],
          properties: {
            bands: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['min', 'max', 'label'],
                properties: {
                  min: { type: 'number' },
                  max: { type: 'number' },
                  label: { type: 'string', minLength: 1 },
                },
              },
            },
            source,
          },
        },
      ],
    },
    cutoff: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['value', 'clinicalWhen', 'description', 'source'],
          properties: { value: { type: 'number' }, clinicalWhen: comparison, description: text, source },
        },
      ],
    },
    reliableChange: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'threshold', 'source'],
          properties: {
            kind: { const: 'published' },
            threshold: { type: 'number', exclusiveMinimum: 0 },
            source,
            note: { type: 'string', maxLength: 1000 },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'threshold', 'n', 'sd', 'r', 'reliability', 'source'],
          properties: {
            kind: { const: 'platform_computed' },
            threshold: { type: 'number', exclusiveMinimum: 0 },
            n: { type: 'integer', minimum: MIN_PLATFORM_RCI_SAMPLE },
            sd: { type: 'number', exclusiveMinimum: 0 },
            r: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
            reliability: { enum: ['test_retest', 'internal_consistency'] },
            source,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'threshold', 'reason', 'source'],
          properties: { kind: { const: 'none' }, threshold: { type: 'null' }, reason: text, source },
        },
      ],
    },
    separatelyReportedItems: { type: 'array', uniqueItems: true, items: id },
    safetySignals: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'when', 'tier', 'reason', 'source'],
        properties: {
          id,
          itemId: id,
          when: {
            type: 'object',
            additionalProperties: false,
            required: ['op', 'value'],
            properties: { op: { enum: ['gte', 'gt', 'lte', 'lt', 'eq'] }, value: { type: 'number' } },
          },
          tier: { enum: [1, 2, 3] },
          reason: { type: 'string', minLength: 1, maxLength: 200 },
          source,
        },
      },
    },
  },
} as const;

export interface DefinitionIssue {
  /** JSON pointer into the definition, e.g. `/items/3/text`. */
  readonly pointer: string;
  readonly rule: string;
  readonly message: string;
}

export type DefinitionValidation =
  | { readonly ok: true; readonly definition: MeasureDefinition }
  | { readonly ok: false; readonly issues: readonly DefinitionIssue[] };

let compiled: ReturnType<Ajv['compile']> | undefined;
function schemaValidator() {
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(MEASURE_DEFINITION_SCHEMA);
  return compiled;
}

const WRAPPERS = new Set(['oneOf', 'anyOf', 'if']);
function schemaIssues(errors: readonly ErrorObject[]): DefinitionIssue[] {
  const concrete = errors.filter((error) => !WRAPPERS.has(error.keyword));
  return (concrete.length > 0 ? concrete : errors).map((error) => {
    const params = error.params as Record<string, unknown>;
    const child = params.missingProperty ?? params.additionalProperty;
    return {
      pointer: typeof child === 'string' ? `${error.instancePath}/${child}` : error.instancePath,
      rule: `schema-${error.keyword}`,
      message: error.message ?? 'is invalid',
    };
  });
}

function rangeOf(definition: MeasureDefinition): { min: number; max: number } {
  const per = definition.items.map((item) => {
    const values = optionsOf(definition, item).map((entry) => entry.value);
    return { min: Math.min(...values), max: Math.max(...values) };
  });
  if (definition.scoring.method === 'mean')
    return { min: Math.min(...per.map((entry) => entry.min)), max: Math.max(...per.map((entry) => entry.max)) };
  return {
    min: per.reduce((total, entry) => total + entry.min, 0),
    max: per.reduce((total, entry) => total + entry.max, 0),
  };
}

/** Cross-field rules: references resolve, numbers lie in the score range, provenance is consistent. */
function semanticIssues(definition: MeasureDefinition, origin: 'built_in' | 'clinic'): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (pointer: string, rule: string, message: string) => issues.push({ pointer, rule, message });
  const itemIds = new Set<string>();
  definition.items.forEach((item, index) => {
    if (itemIds.has(item.id)) add(`/items/${index}/id`, 'duplicate-item-id', 'duplicates another item id');
    itemIds.add(item.id);
    if (item.number !== index + 1) add(`/items/${index}/number`, 'item-numbering', `must be ${index + 1}`);
    const values = optionsOf(definition, item).map((entry) => entry.value);
    if (new Set(values).size !== values.length)
      add(`/items/${index}/options`, 'duplicate-option-value', 'two options share a value');
    // A semantic differential's wording is its two poles: its positions may be unlabelled.
    if (origin === 'clinic' && item.text === null && item.anchors === undefined)
      add(`/items/${index}/text`, 'wording-required', 'a clinic measure gives the exact item wording');
    if (
      origin === 'clinic' &&
      item.anchors === undefined &&
      optionsOf(definition, item).some((entry) => entry.label === null)
    )
      add(
        item.options ? `/items/${index}/options` : '/responseOptions',
        'wording-required',
        'a clinic measure gives every option label (only a semantic differential, with `anchors`, may leave its positions unlabelled)',
      );
  });
  const values = definition.responseOptions.map((entry) => entry.value);
  if (new Set(values).size !== values.length)
    add('/responseOptions', 'duplicate-option-value', 'two options share a value');
  if (origin === 'clinic' && definition.wording.status !== 'complete')
    add('/wording/status', 'wording-required', 'a clinic measure must be complete');
  if (origin === 'clinic' && definition.licence.verdict !== 'clinic_licensed')
    add('/licence/verdict', 'licence-verdict', "a clinic measure is held under the clinic's own licence");

  const range = rangeOf(definition);
  const stated = definition.scoring.range;
  if (Math.abs(range.min - stated.min) > 1e-9 || Math.abs(range.max - stated.max) > 1e-9)
    add('/scoring/range', 'range-mismatch', `must be ${range.min}–${range.max} for these items and options`);
  const inRange = (value: number) => value >= range.min && value <= range.max;

  const partial = definition.scoring.partialAnswers;
  if (partial.rule === 'prorate' && partial.maxMissing >= definition.items.length)
    add('/scoring/partialAnswers/maxMissing', 'prorate-too-lenient', 'must leave at least one item answered');

  definition.subscales.forEach((subscale, index) => {
    subscale.itemIds.forEach((itemId, position) => {
      if (!itemIds.has(itemId)) add(`/subscales/${index}/itemIds/${position}`, 'unknown-item', 'names no item');
    });
  });
  const subscaleIds = definition.subscales.map((subscale) => subscale.id);
  if (new Set(subscaleIds).size !== subscaleIds.length)
    add('/subscales', 'duplicate-subscale-id', 'two subscales share an id');

  definition.separatelyReportedItems.forEach((itemId, index) => {
    if (!itemIds.has(itemId)) add(`/separatelyReportedItems/${index}`, 'unknown-item', 'names no item');
  });

  if (definition.cutoff !== null && !inRange(definition.cutoff.value))
    add('/cutoff/value', 'cutoff-out-of-range', `must lie within ${range.min}–${range.max}`);

  const bands = definition.severityBands?.bands ?? [];
  bands.forEach((band, index) => {
    if (band.min > band.max || !inRange(band.min) || !inRange(band.max))
      add(`/severityBands/bands/${index}`, 'band-out-of-range', `must lie within ${range.min}–${range.max}, min ≤ max`);
    if (index > 0 && band.min <= bands[index - 1].max)
      add(`/severityBands/bands/${index}/min`, 'band-overlap', 'must start above the previous band');
  });

  const rci = definition.reliableChange;
  if (rci.kind !== 'none' && rci.threshold > range.max - range.min)
    add('/reliableChange/threshold', 'rci-out-of-range', `must not exceed the score range (${range.max - range.min})`);
  if (rci.kind === 'platform_computed') {
    const expected = Math.ceil(reliableChangeThreshold(rci.sd, rci.r) * 100) / 100;
    if (Math.abs(expected - rci.threshold) > 0.01)
      add('/reliableChange/threshold', 'rci-inconsistent', `must be ${expected} (1.96 × SD × √(2(1 − r)))`);
  }

  definition.safetySignals.forEach((signal, index) => {
    if (signal.itemId !== undefined && !itemIds.has(signal.itemId))
      add(`/safetySignals/${index}/itemId`, 'unknown-item', 'names no item');
  });
  return issues;
}

/**
 * Validates a measure definition: the JSON Schema first, then the cross-field rules.
 * `clinic` (the default) also requires verbatim wording of every item and option, and
 * the clinic's own licence; `built_in` allows wording "to be supplied".
 */
export function validateMeasureDefinition(
  input: unknown,
  origin: 'built_in' | 'clinic' = 'clinic',
): DefinitionValidation {
  const validate = schemaValidator();
  if (!validate(input)) return { ok: false, issues: schemaIssues(validate.errors ?? []) };
  const definition = input as MeasureDefinition;
  const issues = semanticIssues(definition, origin);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition };
}
