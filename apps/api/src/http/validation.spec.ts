import { IsInt, IsOptional, IsString } from 'class-validator';

import { CoreError } from '@mend/core';

import {
  createValidationPipe,
  inputProblem,
  MAX_INPUT_DEPTH,
  MAX_INPUT_NUMBER,
  numberOutOfRange,
} from './validation.js';

class Sample {
  @IsString()
  name: string;

  @IsOptional()
  @IsInt()
  count?: number;
}

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
};

describe('inputProblem', () => {
  it('accepts ordinary values up to the depth limit', () => {
    expect(inputProblem({ name: 'Ana', items: [{ a: [1, 2] }] })).toBeUndefined();
    expect(inputProblem(nested(MAX_INPUT_DEPTH))).toBeUndefined();
  });

  it('names the first value nested deeper than the limit, without recursion', () => {
    expect(inputProblem({ email: nested(100_000) })).toMatchObject({
      field: `email${'[0]'.repeat(MAX_INPUT_DEPTH - 1)}`,
      rule: 'maxDepth',
    });
  });

  it('refuses NUL and lone surrogates in values and keys', () => {
    expect(inputProblem({ note: 'a\u0000b' })).toMatchObject({ field: 'note', rule: 'noNulCharacter' });
    expect(inputProblem({ note: 'x\uD800y' })).toMatchObject({ field: 'note', rule: 'wellFormedText' });
    expect(inputProblem({ note: 'x\uDE00' })).toMatchObject({ rule: 'wellFormedText' });
    expect(inputProblem({ answers: { 'k\u0000': 1 } })).toMatchObject({
      field: 'answers.(a key)',
      rule: 'noNulCharacter',
    });
    expect(inputProblem({ note: 'emoji 😀 and RTL \u202E are text' })).toBeUndefined();
  });
});

describe('numberOutOfRange', () => {
  it('names numbers beyond a PostgreSQL integer', () => {
    expect(numberOutOfRange({ a: [1, -MAX_INPUT_NUMBER, MAX_INPUT_NUMBER] })).toBeUndefined();
    expect(numberOutOfRange({ a: [1, MAX_INPUT_NUMBER + 1] })).toBe('a[1]');
    expect(numberOutOfRange({ revision: 1e23 })).toBe('revision');
  });
});

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: Sample, data: '' };

  async function refusal(value: unknown): Promise<unknown> {
    try {
      await pipe.transform(value, body);
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      return (error as CoreError).errors;
    }
    throw new Error('accepted');
  }

  it('refuses deep nesting, NUL and huge numbers with the field and rule', async () => {
    expect(await refusal({ name: nested(5000) })).toEqual([expect.objectContaining({ rule: 'maxDepth' })]);
    expect(await refusal({ name: 'a\u0000' })).toEqual([
      expect.objectContaining({ field: 'name', rule: 'noNulCharacter' }),
    ]);
    expect(await refusal({ name: 'x', count: 2 ** 31 })).toEqual([
      expect.objectContaining({ field: 'count', rule: 'numberRange' }),
    ]);
  });

  it('passes what the DTO accepts and leaves custom parameters alone', async () => {
    await expect(pipe.transform({ name: 'Ana', count: 3 }, body)).resolves.toEqual({ name: 'Ana', count: 3 });
    const custom = { deep: nested(100), n: 1e30 };
    expect(pipe.transform(custom, { type: 'custom', metatype: Object, data: '' })).toBe(custom);
  });
});
