import 'reflect-metadata';

import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage,
  IsInt,
  IsOptional,
  IsString,
  Length,
  validate,
  type ValidationError,
} from 'class-validator';

import { rememberValidationRules } from './validation-metadata.js';

class Base {
  @IsString() name!: string;
}

class Child extends Base {
  @IsInt() count!: number;
  @Length(1, 3, { groups: ['short'] }) code?: string;
}

class Unrelated {
  @IsString() other!: string;
}

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

const failedFields = (errors: ValidationError[]): string[] => errors.map((error) => error.property).sort();

const propertiesOf = (rules: readonly { propertyName: string }[]): string[] =>
  [...new Set(rules.map((rule) => rule.propertyName))].sort();

describe('rememberValidationRules', () => {
  const storage = getMetadataStorage();
  // The lookup as class-validator ships it, to compare against.
  const shipped = storage.getTargetValidationMetadatas.bind(storage);

  beforeAll(() => rememberValidationRules(storage));

  it('answers every lookup exactly as class-validator does, inherited rules and groups included', () => {
    const cases: [new () => object, boolean, boolean, string[] | undefined][] = [
      [Child, false, false, undefined],
      [Child, false, false, ['short']],
      [Child, false, true, undefined],
      [Child, true, false, []],
      [Base, false, false, undefined],
      [Unrelated, false, false, undefined],
    ];
    for (const [target, always, strictGroups, groups] of cases) {
      const expected = shipped(target, '', always, strictGroups, groups);
      const remembered = storage.getTargetValidationMetadatas(target, '', always, strictGroups, groups);
      expect([...remembered]).toEqual(expected);
      expect(remembered.length).toBeGreaterThan(0);
    }
    expect(propertiesOf(storage.getTargetValidationMetadatas(Child, '', false, false, undefined))).toEqual([
      'code',
      'count',
      'name',
    ]);
    expect(propertiesOf(storage.getTargetValidationMetadatas(Child, '', false, true, undefined))).toEqual([
      'count',
      'name',
    ]);
  });

  it('looks a class up once per set of options and hands out a frozen list', () => {
    const first = storage.getTargetValidationMetadatas(Child, '', false, false, undefined);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, undefined)).toBe(first);
    // No groups and an empty list of groups are the same lookup for class-validator.
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, [])).toBe(first);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['short'])).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => (first as unknown[]).push('not a rule')).toThrow(TypeError);
  });

  it('forgets what it kept when a rule is added, so validation follows the new rule', async () => {
    class Later {
      @IsString() title!: string;
    }
    // A known field passes and an unknown one is refused.
    expect(failedFields(await validate(plainToInstance(Later, { title: 'a' }), OPTIONS))).toEqual([]);
    expect(failedFields(await validate(plainToInstance(Later, { title: 'a', note: 'b' }), OPTIONS))).toEqual(['note']);
    const before = storage.getTargetValidationMetadatas(Later, '', false, false, undefined);

    // A rule added afterwards, as @nestjs/mapped-types does when it derives a DTO.
    IsOptional()(Later.prototype, 'note');
    IsString()(Later.prototype, 'note');

    const after = storage.getTargetValidationMetadatas(Later, '', false, false, undefined);
    expect(after).not.toBe(before);
    expect(propertiesOf(after)).toEqual(['note', 'title']);
    expect(failedFields(await validate(plainToInstance(Later, { title: 'a', note: 'b' }), OPTIONS))).toEqual([]);
    expect(failedFields(await validate(plainToInstance(Later, { title: 'a', note: 7 }), OPTIONS))).toEqual(['note']);
  });

  it('validates inherited rules through the remembered lookup', async () => {
    expect(failedFields(await validate(plainToInstance(Child, { name: 'x', count: 2, code: 'ab' }), OPTIONS))).toEqual(
      [],
    );
    expect(
      failedFields(await validate(plainToInstance(Child, { name: 3, count: 'two', code: 'ab' }), OPTIONS)),
    ).toEqual(['count', 'name']);
    expect(
      failedFields(await validate(plainToInstance(Child, { name: 'x', count: 2, code: 'ab', extra: 1 }), OPTIONS)),
    ).toEqual(['extra']);
  });

  it('is installed once however often it is asked', () => {
    const installed = storage.getTargetValidationMetadatas;
    rememberValidationRules(storage);
    expect(storage.getTargetValidationMetadatas).toBe(installed);
  });
});
