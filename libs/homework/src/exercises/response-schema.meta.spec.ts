import { BUILT_IN_EXERCISES } from './catalogue/index.js';
import type { ResponseSchema } from './exercise.types.js';
import { checkResponseSchema } from './response-schema.meta.js';

const text = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  type: 'text',
  label: `Label of ${key}`,
  maxLength: 100,
  ...extra,
});

/** A schema using every field type of clinical.md §2.1. */
const EVERY_TYPE: ResponseSchema = {
  fields: [
    { key: 'story', type: 'text', label: 'Story', maxLength: 4000, minLength: 10, required: true },
    { key: 'mood', type: 'rating_0_10', label: 'Mood', anchors: [{ value: 0, label: 'low' }] },
    { key: 'agree', type: 'likert_1_5', label: 'Agree', anchors: [{ value: 5, label: 'strongly agree' }] },
    {
      key: 'cues',
      type: 'checklist',
      label: 'Cues',
      options: [{ value: 'heat', label: 'heat' }],
      allowOther: true,
      minSelected: 0,
      maxSelected: 1,
    },
    {
      key: 'goal',
      type: 'select',
      label: 'Goal',
      options: [
        { value: 'stay', label: 'stay' },
        { value: 'leave', label: 'leave' },
      ],
    },
    { key: 'flag', type: 'bool', label: 'Flag' },
    { key: 'plan', type: 'text', label: 'Plan', maxLength: 10, requiredWhen: { field: 'flag', equals: true } },
    { key: 'on', type: 'date', label: 'On' },
    { key: 'at', type: 'datetime', label: 'At' },
    { key: 'wake', type: 'time', label: 'Wake' },
    { key: 'hours', type: 'number', label: 'Hours', unit: 'hours', min: 0, max: 24 },
    {
      key: 'steps',
      type: 'rows',
      label: 'Steps',
      minRows: 1,
      maxRows: 5,
      columns: [{ key: 'step', type: 'text', label: 'Step', maxLength: 50, required: true }],
    },
  ],
  feedbackFields: [{ key: 'reviewed', type: 'bool', label: 'Reviewed' }],
};

describe('response schema meta-schema', () => {
  it.each(BUILT_IN_EXERCISES.map((exercise) => [exercise.key, exercise.responseSchema] as const))(
    'accepts the built-in %s',
    (_key, schema) => {
      expect(checkResponseSchema(schema).issues).toEqual([]);
    },
  );

  it('accepts a schema using every field type', () => {
    expect(checkResponseSchema(EVERY_TYPE)).toEqual({ valid: true, schema: EVERY_TYPE, issues: [] });
  });

  /** Each case: a schema that cannot be answered, and the path and rule the rejection must name. */
  const rejections: ReadonlyArray<readonly [string, unknown, string, string]> = [
    ['no fields at all', { fields: [] }, 'fields', 'fields-required'],
    ['missing fields', {}, 'fields', 'fields-required'],
    ['a duplicate field key', { fields: [text('a'), text('a')] }, 'fields.a.key', 'duplicate-field-key'],
    [
      'a duplicate column key',
      { fields: [{ key: 'r', type: 'rows', label: 'R', columns: [text('c'), text('c')] }] },
      'fields.r.columns.c.key',
      'duplicate-field-key',
    ],
    [
      'text without a max length',
      { fields: [{ key: 't', type: 'text', label: 'T' }] },
      'fields.t.maxLength',
      'text-needs-max-length',
    ],
    ['a max length below 1', { fields: [text('t', { maxLength: 0 })] }, 'fields.t.maxLength', 'max-length-too-small'],
    [
      'a min length above the max length',
      { fields: [text('t', { minLength: 200 })] },
      'fields.t.minLength',
      'min-exceeds-max',
    ],
    [
      'a number with min > max',
      { fields: [{ key: 'n', type: 'number', label: 'N', unit: 'hours', min: 5, max: 2 }] },
      'fields.n.min',
      'min-exceeds-max',
    ],
    [
      'a number without a unit',
      { fields: [{ key: 'n', type: 'number', label: 'N' }] },
      'fields.n.unit',
      'number-needs-unit',
    ],
    [
      'a select with no options',
      { fields: [{ key: 's', type: 'select', label: 'S', options: [] }] },
      'fields.s.options',
      'select-needs-two-options',
    ],
    [
      'a select with one option',
      { fields: [{ key: 's', type: 'select', label: 'S', options: [{ value: 'a', label: 'A' }] }] },
      'fields.s.options',
      'select-needs-two-options',
    ],
    [
      'a select without options',
      { fields: [{ key: 's', type: 'select', label: 'S' }] },
      'fields.s.options',
      'select-needs-two-options',
    ],
    [
      'a checklist with no options',
      { fields: [{ key: 'c', type: 'checklist', label: 'C', options: [] }] },
      'fields.c.options',
      'checklist-needs-options',
    ],
    [
      'duplicate option values',
      {
        fields: [
          {
            key: 's',
            type: 'select',
            label: 'S',
            options: [
              { value: 'a', label: 'A' },
              { value: 'a', label: 'Again' },
            ],
          },
        ],
      },
      'fields.s.options[1].value',
      'duplicate-option-value',
    ],
    [
      'a checklist needing more selections than it allows',
      {
        fields: [
          {
            key: 'c',
            type: 'checklist',
            label: 'C',
            options: [{ value: 'a', label: 'A' }],
            minSelected: 2,
            maxSelected: 1,
          },
        ],
      },
      'fields.c.minSelected',
      'min-exceeds-max',
    ],
    [
      'a rating anchor outside 0–10',
      { fields: [{ key: 'r', type: 'rating_0_10', label: 'R', anchors: [{ value: 11, label: 'x' }] }] },
      'fields.r.anchors[0].value',
      'anchor-out-of-range',
    ],
    [
      'a Likert anchor outside 1–5',
      { fields: [{ key: 'l', type: 'likert_1_5', label: 'L', anchors: [{ value: 0, label: 'x' }] }] },
      'fields.l.anchors[0].value',
      'anchor-out-of-range',
    ],
    [
      'two anchors on one point',
      {
        fields: [
          {
            key: 'r',
            type: 'rating_0_10',
            label: 'R',
            anchors: [
              { value: 3, label: 'x' },
              { value: 3, label: 'y' },
            ],
          },
        ],
      },
      'fields.r.anchors[1].value',
      'duplicate-anchor',
    ],
    [
      'rows with no columns',
      { fields: [{ key: 'r', type: 'rows', label: 'R', columns: [] }] },
      'fields.r.columns',
      'rows-need-columns',
    ],
    [
      'rows without columns',
      { fields: [{ key: 'r', type: 'rows', label: 'R' }] },
      'fields.r.columns',
      'rows-need-columns',
    ],
    [
      'rows that can hold no row',
      { fields: [{ key: 'r', type: 'rows', label: 'R', maxRows: 0, columns: [text('c')] }] },
      'fields.r.maxRows',
      'max-rows-too-small',
    ],
    [
      'rows needing more rows than they allow',
      { fields: [{ key: 'r', type: 'rows', label: 'R', minRows: 3, maxRows: 2, columns: [text('c')] }] },
      'fields.r.minRows',
      'min-exceeds-max',
    ],
    [
      'rows nested in rows',
      {
        fields: [
          {
            key: 'r',
            type: 'rows',
            label: 'R',
            columns: [{ key: 'inner', type: 'rows', label: 'I', columns: [text('c')] }],
          },
        ],
      },
      'fields.r.columns.inner',
      'nested-rows',
    ],
    ['an unknown field type', { fields: [{ key: 'x', type: 'slider', label: 'X' }] }, 'fields.x', 'unknown-field-type'],
    ['a field without a type', { fields: [{ key: 'x', label: 'X' }] }, 'fields.x.type', 'field-type-missing'],
    ['a field without a label', { fields: [{ key: 'x', type: 'bool' }] }, 'fields.x.label', 'label-missing'],
    ['an empty label', { fields: [{ key: 'x', type: 'bool', label: '' }] }, 'fields.x.label', 'label-empty'],
    ['a malformed key', { fields: [{ key: '1 bad', type: 'bool', label: 'X' }] }, 'fields[0].key', 'field-key-format'],
    ['an unknown property', { fields: [text('t', { colour: 'red' })] }, 'fields.t.colour', 'unknown-property'],
    [
      'a requirement conditional on a field that does not exist',
      { fields: [text('t', { requiredWhen: { field: 'ghost', equals: true } })] },
      'fields.t.requiredWhen.field',
      'condition-unknown-field',
    ],
    [
      'a requirement conditional on itself',
      { fields: [{ key: 'b', type: 'bool', label: 'B', requiredWhen: { field: 'b', equals: true } }] },
      'fields.b.requiredWhen.field',
      'condition-unknown-field',
    ],
    [
      'a requirement conditional on a text field',
      { fields: [text('a'), text('t', { requiredWhen: { field: 'a', equals: 'x' } })] },
      'fields.t.requiredWhen.field',
      'condition-field-type',
    ],
    [
      'a requirement conditional on a select value that does not exist',
      {
        fields: [
          {
            key: 's',
            type: 'select',
            label: 'S',
            options: [
              { value: 'a', label: 'A' },
              { value: 'b', label: 'B' },
            ],
          },
          text('t', { requiredWhen: { field: 's', equals: 'zzz' } }),
        ],
      },
      'fields.t.requiredWhen.equals',
      'condition-value-invalid',
    ],
    [
      'a requirement conditional on a bool compared with a string',
      { fields: [{ key: 'b', type: 'bool', label: 'B' }, text('t', { requiredWhen: { field: 'b', equals: 'yes' } })] },
      'fields.t.requiredWhen.equals',
      'condition-value-invalid',
    ],
    [
      'a field both required and conditionally required',
      {
        fields: [
          { key: 'b', type: 'bool', label: 'B' },
          text('t', { required: true, requiredWhen: { field: 'b', equals: true } }),
        ],
      },
      'fields.t',
      'required-and-conditional',
    ],
    [
      'a paired schema with a field of no part',
      {
        parts: [
          { key: 'asker', label: 'Asker' },
          { key: 'answerer', label: 'Answerer' },
        ],
        fields: [text('q', { part: 'asker' }), text('a')],
      },
      'fields.a.part',
      'part-missing',
    ],
    [
      'a field of an undeclared part',
      {
        parts: [
          { key: 'asker', label: 'Asker' },
          { key: 'answerer', label: 'Answerer' },
        ],
        fields: [text('q', { part: 'asker' }), text('a', { part: 'judge' })],
      },
      'fields.a.part',
      'part-unknown',
    ],
    ['a part on an unpaired schema', { fields: [text('q', { part: 'asker' })] }, 'fields.q.part', 'part-undeclared'],
    [
      'a single part',
      { parts: [{ key: 'asker', label: 'Asker' }], fields: [text('q', { part: 'asker' })] },
      'parts',
      'parts-need-two',
    ],
    ['an empty feedback list', { fields: [text('q')], feedbackFields: [] }, 'feedbackFields', 'feedback-fields-empty'],
    ['an unknown top-level property', { fields: [text('q')], extra: true }, 'extra', 'unknown-property'],
  ];

  it.each(rejections)('rejects %s', (_name, schema, path, rule) => {
    const result = checkResponseSchema(schema);
    expect(result.valid).toBe(false);
    expect(result.issues).toContainEqual(expect.objectContaining({ path, rule }));
  });

  it('reports every problem of a schema at once, each with a pointer', () => {
    const result = checkResponseSchema({
      fields: [text('a', { maxLength: 0 }), text('a'), { key: 's', type: 'select', label: 'S', options: [] }],
    });
    expect(result.issues.map((issue) => [issue.pointer, issue.rule])).toEqual(
      expect.arrayContaining([
        ['/fields/0/maxLength', 'max-length-too-small'],
        ['/fields/1/key', 'duplicate-field-key'],
        ['/fields/2/options', 'select-needs-two-options'],
      ]),
    );
  });

  it('rejects values that are not schemas', () => {
    for (const candidate of [null, 'fields', 42, []]) expect(checkResponseSchema(candidate).valid).toBe(false);
  });
});
