import type { Faker } from '@faker-js/faker';

import { seededFaker, testSeed } from '@mend/testing';

import { checkAnswers, compileAnswerSchema, UnknownPartError } from './answer-schema.js';
import { BUILT_IN_EXERCISES, builtInExercise } from './catalogue/index.js';
import type { ResponseField, ResponseSchema } from './exercise.types.js';
import { checkResponseSchema } from './response-schema.meta.js';

type Answers = Record<string, unknown>;

const pad = (value: number) => String(value).padStart(2, '0');

/** A valid value for a field (submit mode: required fields answered). */
function validValue(field: ResponseField, faker: Faker): unknown {
  switch (field.type) {
    case 'text': {
      const min = Math.max(field.minLength ?? 0, 1);
      const body = faker.lorem.sentence().slice(0, field.maxLength);
      return body.length >= min ? body : body.padEnd(Math.min(min, field.maxLength), 'x');
    }
    case 'rating_0_10':
      return faker.number.int({ min: 0, max: 10 });
    case 'likert_1_5':
      return faker.number.int({ min: 1, max: 5 });
    case 'checklist': {
      const max = Math.min(field.maxSelected ?? field.options.length, field.options.length);
      const min = Math.min(Math.max(field.minSelected ?? 0, field.required ? 1 : 0), max);
      const count = faker.number.int({ min, max });
      const selected = faker.helpers.arrayElements(field.options, count).map((option) => option.value);
      return field.allowOther && faker.datatype.boolean()
        ? { selected, other: faker.lorem.words(2).slice(0, field.otherMaxLength ?? 500) }
        : { selected };
    }
    case 'select':
      return faker.helpers.arrayElement(field.options).value;
    case 'bool':
      return faker.datatype.boolean();
    case 'date':
      return faker.date.between({ from: '2020-01-01', to: '2030-12-31' }).toISOString().slice(0, 10);
    case 'datetime':
      return faker.date.between({ from: '2020-01-01', to: '2030-12-31' }).toISOString();
    case 'time':
      return `${pad(faker.number.int({ min: 0, max: 23 }))}:${pad(faker.number.int({ min: 0, max: 59 }))}`;
    case 'number': {
      const min = field.min ?? -1_000;
      const max = field.max ?? 1_000;
      return field.integer
        ? faker.number.int({ min: Math.ceil(min), max: Math.floor(max) })
        : faker.number.float({ min, max, fractionDigits: 2 });
    }
    case 'rows': {
      const min = Math.max(field.minRows ?? 0, field.required ? 1 : 0);
      const count = faker.number.int({ min, max: Math.max(min, Math.min(field.maxRows ?? 3, 3)) });
      return Array.from({ length: count }, () => validGroup(field.columns, faker));
    }
  }
}

/** Valid answers for a group of fields: every required field, a random share of the optional ones. */
function validGroup(fields: readonly ResponseField[], faker: Faker): Answers {
  const answers: Answers = {};
  for (const field of fields) {
    // Optional fields are answered, cleared (null) or left out.
    const choice = field.required ? 'answer' : faker.helpers.arrayElement(['answer', 'clear', 'omit'] as const);
    if (choice === 'answer') answers[field.key] = validValue(field, faker);
    else if (choice === 'clear') answers[field.key] = null;
  }
  // Conditions are settled after every value is chosen.
  for (const field of fields) {
    const condition = field.requiredWhen;
    if (condition !== undefined && answers[condition.field] === condition.equals && answers[field.key] == null)
      answers[field.key] = validValue({ ...field, required: true }, faker);
  }
  return answers;
}

/** An invalid value for a field and the rule its rejection must name. */
function invalidValue(field: ResponseField): { value: unknown; rule: string; pointerSuffix: string } {
  switch (field.type) {
    case 'text':
      return { value: 'x'.repeat(field.maxLength + 1), rule: 'max-length', pointerSuffix: '' };
    case 'rating_0_10':
      return { value: 11, rule: 'out-of-range', pointerSuffix: '' };
    case 'likert_1_5':
      return { value: 0, rule: 'out-of-range', pointerSuffix: '' };
    case 'checklist':
      return { value: { selected: ['not-an-option'] }, rule: 'unknown-option', pointerSuffix: '/selected/0' };
    case 'select':
      return { value: 'not-an-option', rule: 'unknown-option', pointerSuffix: '' };
    case 'bool':
      return { value: 'yes', rule: 'wrong-type', pointerSuffix: '' };
    case 'date':
      return { value: '2025-02-30', rule: 'date-format', pointerSuffix: '' };
    case 'datetime':
      return { value: '2025-02-03 10:00', rule: 'datetime-format', pointerSuffix: '' };
    case 'time':
      return { value: '24:00', rule: 'time-format', pointerSuffix: '' };
    case 'number':
      return field.max !== undefined
        ? { value: field.max + 1, rule: 'out-of-range', pointerSuffix: '' }
        : { value: 'ten', rule: 'wrong-type', pointerSuffix: '' };
    case 'rows':
      return { value: [{ not_a_column: 1 }], rule: 'unknown-field', pointerSuffix: '/0/not_a_column' };
  }
}

function fieldsOf(schema: ResponseSchema, part: string | undefined): readonly ResponseField[] {
  return part === undefined ? schema.fields : schema.fields.filter((field) => field.part === part);
}

const seed = testSeed();
// Logged so a failure can be replayed with MEND_TEST_SEED.
console.info(`answer-schema.spec seed: ${seed}`);

const cases = BUILT_IN_EXERCISES.flatMap((exercise) => {
  const parts = exercise.responseSchema.parts?.map((part) => part.key) ?? [undefined];
  return parts.map((part) => [exercise.key, part, exercise.responseSchema] as const);
});

describe('answers to the built-in exercises (property-style, seeded)', () => {
  it.each(cases)(
    '%s (part %s): generated valid answers pass; each field made invalid is rejected at its path',
    (key, part, schema) => {
      const faker = seededFaker(seed + key.charCodeAt(1) * 100 + key.charCodeAt(2));
      const fields = fieldsOf(schema, part);
      for (let round = 0; round < 25; round += 1) {
        const answers = validGroup(fields, faker);
        expect(checkAnswers(schema, answers, { mode: 'submit', part }).issues).toEqual([]);
        expect(checkAnswers(schema, answers, { mode: 'draft', part }).issues).toEqual([]);

        const target = faker.helpers.arrayElement(fields);
        const { value, rule, pointerSuffix } = invalidValue(target);
        const broken = { ...answers, [target.key]: value };
        for (const mode of ['draft', 'submit'] as const) {
          const result = checkAnswers(schema, broken, { mode, part });
          expect(result.valid).toBe(false);
          expect(result.issues).toContainEqual(
            expect.objectContaining({ pointer: `/${target.key}${pointerSuffix}`, rule }),
          );
        }
      }
    },
  );

  it.each(cases)(
    '%s (part %s): an empty draft is accepted; submit names every missing required field',
    (_key, part, schema) => {
      expect(checkAnswers(schema, {}, { mode: 'draft', part }).issues).toEqual([]);
      const required = fieldsOf(schema, part).filter((field) => field.required);
      const submitted = checkAnswers(schema, {}, { mode: 'submit', part });
      expect(submitted.valid).toBe(required.length === 0);
      expect(
        submitted.issues
          .filter((issue) => issue.rule === 'required')
          .map((issue) => issue.path)
          .sort(),
      ).toEqual(required.map((field) => field.key).sort());
    },
  );
});

describe('answer rules', () => {
  const schema: ResponseSchema = {
    fields: [
      { key: 'story', type: 'text', label: 'Story', maxLength: 20, required: true },
      { key: 'agree', type: 'likert_1_5', label: 'Agree' },
      { key: 'flag', type: 'bool', label: 'Flag' },
      { key: 'plan', type: 'text', label: 'Plan', maxLength: 20, requiredWhen: { field: 'flag', equals: true } },
      {
        key: 'cues',
        type: 'checklist',
        label: 'Cues',
        required: true,
        allowOther: true,
        otherMaxLength: 5,
        maxSelected: 2,
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
          { value: 'c', label: 'C' },
        ],
      },
      { key: 'wake', type: 'time', label: 'Wake' },
      { key: 'meals', type: 'number', label: 'Meals', unit: 'meals', min: 0, max: 3, integer: true },
      {
        key: 'steps',
        type: 'rows',
        label: 'Steps',
        maxRows: 2,
        columns: [
          { key: 'step', type: 'text', label: 'Step', maxLength: 10, required: true },
          { key: 'on', type: 'date', label: 'On' },
        ],
      },
    ],
    feedbackFields: [{ key: 'reviewed', type: 'bool', label: 'Reviewed', required: true }],
  };
  const valid = { story: 'ok', cues: { selected: ['a'] } };

  it('the schema under test is itself valid', () => {
    expect(checkResponseSchema(schema).valid).toBe(true);
  });

  it('accepts a minimal submission', () => {
    expect(checkAnswers(schema, valid, { mode: 'submit' })).toEqual({ valid: true, issues: [] });
  });

  it('enforces text max lengths in drafts too, naming the limit', () => {
    const result = checkAnswers(schema, { story: 'x'.repeat(21) }, { mode: 'draft' });
    expect(result.issues).toEqual([
      { pointer: '/story', path: 'story', rule: 'max-length', message: 'must be at most 20 characters' },
    ]);
  });

  it('never echoes the answer in an issue', () => {
    const secret = 'my-secret-words-here-and-more';
    const result = checkAnswers(
      schema,
      { story: secret, wake: secret, cues: { selected: [secret] } },
      { mode: 'draft' },
    );
    expect(result.valid).toBe(false);
    expect(JSON.stringify(result.issues)).not.toContain(secret);
  });

  it('requires an empty required text to be filled in on submit only', () => {
    expect(checkAnswers(schema, { ...valid, story: '' }, { mode: 'draft' }).valid).toBe(true);
    expect(checkAnswers(schema, { ...valid, story: '' }, { mode: 'submit' }).issues).toContainEqual(
      expect.objectContaining({ path: 'story', rule: 'required' }),
    );
    expect(checkAnswers(schema, { ...valid, story: null }, { mode: 'submit' }).valid).toBe(false);
  });

  it('requires a conditional field only when its condition holds', () => {
    expect(checkAnswers(schema, { ...valid, flag: false }, { mode: 'submit' }).valid).toBe(true);
    expect(checkAnswers(schema, { ...valid, flag: true }, { mode: 'submit' }).issues).toEqual([
      expect.objectContaining({ path: 'plan', rule: 'required' }),
    ]);
    expect(checkAnswers(schema, { ...valid, flag: true, plan: 'call first' }, { mode: 'submit' }).valid).toBe(true);
    expect(checkAnswers(schema, { flag: true }, { mode: 'draft' }).valid).toBe(true);
  });

  it('checks checklist selections, the "other" text and its length', () => {
    const check = (cues: unknown, mode: 'draft' | 'submit' = 'submit') =>
      checkAnswers(schema, { story: 'ok', cues }, { mode }).issues.map((issue) => [issue.path, issue.rule]);
    expect(check({ selected: [] })).toEqual([['cues.selected', 'required']]);
    expect(check({ selected: [] }, 'draft')).toEqual([]);
    expect(check({ selected: [], other: 'mine' })).toEqual([]);
    expect(check({ selected: ['a', 'b', 'c'] })).toEqual([['cues.selected', 'max-selected']]);
    expect(check({ selected: ['a', 'a'] })).toEqual([['cues.selected', 'duplicate-selection']]);
    expect(check({ selected: ['z'] })).toEqual([['cues.selected[0]', 'unknown-option']]);
    expect(check({ selected: ['a'], other: 'too long' })).toEqual([['cues.other', 'max-length']]);
    expect(check(['a'])).toEqual([['cues', 'wrong-type']]);
  });

  it.each([
    ['wake', '7:30', 'time-format'],
    ['wake', '07:60', 'time-format'],
    ['wake', '07:30:00', 'time-format'],
    ['agree', 6, 'out-of-range'],
    ['agree', 2.5, 'wrong-type'],
    ['meals', 4, 'out-of-range'],
    ['meals', 1.5, 'wrong-type'],
    ['meals', -1, 'out-of-range'],
    ['flag', 'true', 'wrong-type'],
    ['nonsense', 1, 'unknown-field'],
  ])('rejects %s = %j with %s', (key, value, rule) => {
    expect(checkAnswers(schema, { ...valid, [key]: value }, { mode: 'draft' }).issues).toEqual([
      expect.objectContaining({ path: key, rule }),
    ]);
  });

  it.each(['07:30', '00:00', '23:59'])('accepts the time %s', (wake) => {
    expect(checkAnswers(schema, { ...valid, wake }, { mode: 'submit' }).valid).toBe(true);
  });

  it('validates rows: columns, required columns on submit, dates and the row limit', () => {
    const issues = (steps: unknown, mode: 'draft' | 'submit' = 'submit') =>
      checkAnswers(schema, { ...valid, steps }, { mode }).issues.map((issue) => [issue.path, issue.rule]);
    expect(issues([{ step: 'walk', on: '2025-03-01' }])).toEqual([]);
    expect(issues([{ on: '2025-03-01' }])).toEqual([['steps[0].step', 'required']]);
    expect(issues([{ on: '2025-03-01' }], 'draft')).toEqual([]);
    expect(issues([{ step: 'walk', on: '01/03/2025' }])).toEqual([['steps[0].on', 'date-format']]);
    expect(issues([{ step: 'a' }, { step: 'b' }, { step: 'c' }])).toEqual([['steps', 'max-rows']]);
  });

  it('accepts ISO date-times with an offset and rejects those without', () => {
    const withTime: ResponseSchema = { fields: [{ key: 'at', type: 'datetime', label: 'At', required: true }] };
    expect(checkAnswers(withTime, { at: '2025-03-30T01:30:00+01:00' }, { mode: 'submit' }).valid).toBe(true);
    expect(checkAnswers(withTime, { at: '2025-03-30T01:30:00Z' }, { mode: 'submit' }).valid).toBe(true);
    expect(checkAnswers(withTime, { at: '2025-03-30T01:30:00' }, { mode: 'submit' }).issues).toEqual([
      expect.objectContaining({ path: 'at', rule: 'datetime-format' }),
    ]);
  });

  it('validates counselor feedback separately from client answers', () => {
    expect(checkAnswers(schema, { reviewed: true }, { mode: 'submit', target: 'feedback' }).valid).toBe(true);
    expect(checkAnswers(schema, { ...valid, reviewed: true }, { mode: 'submit' }).issues).toEqual([
      expect.objectContaining({ path: 'reviewed', rule: 'unknown-field' }),
    ]);
    expect(checkAnswers(schema, {}, { mode: 'submit', target: 'feedback' }).issues).toEqual([
      expect.objectContaining({ path: 'reviewed', rule: 'required' }),
    ]);
  });

  it('validates each part of a paired exercise on its own fields only', () => {
    const questionLog = builtInExercise('E05')!.responseSchema;
    expect(checkAnswers(questionLog, { question: 'Why?' }, { mode: 'submit', part: 'asker' }).valid).toBe(true);
    expect(
      checkAnswers(questionLog, { question: 'Why?', answer_summary: 'x' }, { mode: 'submit', part: 'asker' }).issues,
    ).toEqual([expect.objectContaining({ path: 'answer_summary', rule: 'unknown-field' })]);
    expect(checkAnswers(questionLog, { answer_summary: 'x' }, { mode: 'submit', part: 'answerer' }).valid).toBe(true);
    expect(() => compileAnswerSchema(questionLog, { mode: 'submit', part: 'judge' })).toThrow(UnknownPartError);
  });

  it('compiles to a plain JSON Schema object', () => {
    const compiled = compileAnswerSchema(schema, { mode: 'submit' });
    expect(compiled).toMatchObject({ type: 'object', additionalProperties: false, required: ['story', 'cues'] });
    expect(JSON.parse(JSON.stringify(compiled))).toEqual(compiled);
  });

  it('rejects answers that are not an object', () => {
    for (const answers of [null, [], 'x', 3])
      expect(checkAnswers(schema, answers, { mode: 'draft' }).valid).toBe(false);
  });
});
