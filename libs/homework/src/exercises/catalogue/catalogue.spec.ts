import { audienceFromClinical, UnknownClinicalTermError, visibilityFromClinical } from '../clinical-mapping.js';
import {
  AUDIENCES,
  COACH_MODES,
  PHASES,
  SEED_CONCEPTS,
  VISIBILITIES,
  type Audience,
  type ExerciseDefinition,
} from '../exercise.types.js';
import { BUILT_IN_EXERCISES, BUILT_IN_KEY_PATTERN, builtInExercise, isBuiltInKey } from './index.js';

/**
 * clinical.md §2.2/§2.3 transcribed independently of the catalogue: the party and the
 * visibility wording as clinical.md writes them, and the phases of the §2.2 table.
 */
const CLINICAL: Record<string, { party: string; visibility: string; phases: string }> = {
  E01: { party: 'individual (each)', visibility: '`clinician`', phases: 'P0' },
  E02: { party: 'betrayed', visibility: '`release`', phases: 'P1' },
  E03: { party: 'betraying', visibility: '`release`', phases: 'P1' },
  E04: { party: 'betraying', visibility: '`release`', phases: 'P1' },
  // "`clinician` until it is asked in session": Mend lets the asker release it (see E05's note in the report).
  E05: { party: 'both', visibility: '`clinician` → `release`', phases: 'P1–P2' },
  E06: { party: 'individual', visibility: '`clinician`', phases: 'P1–P4' },
  E07: { party: 'both (joint)', visibility: '`shared`', phases: 'P1' },
  E08: { party: 'both', visibility: '`reveal`', phases: 'P1–P4' },
  E09: { party: 'betrayed', visibility: '`release`', phases: 'P1' },
  E10: { party: 'betrayed', visibility: '`clinician`, optionally `release`', phases: 'P1–P3' },
  E11: { party: 'both', visibility: '`shared`', phases: 'P1, P4' },
  E12: { party: 'betraying', visibility: '`release`', phases: 'P1' },
  E13: { party: 'betraying', visibility: '`shared`', phases: 'P1–P3' },
  E14: { party: 'betraying', visibility: '`shared`', phases: 'P1–P4' },
  E15: { party: 'both', visibility: '`reveal`', phases: 'P1–P4' },
  E16: { party: 'both', visibility: '`reveal`', phases: 'P1–P4' },
  E17: { party: 'both', visibility: '`private`, optionally `clinician`', phases: 'P1–P2' },
  E18: { party: 'both', visibility: '`shared`', phases: 'P1–P2' },
  E19: { party: 'both', visibility: '`reveal`', phases: 'P1–P4' },
  E20: { party: 'both', visibility: '`shared`', phases: 'P1–P3' },
  E21: { party: 'both (separately, then shared)', visibility: '`clinician` → `release`', phases: 'P2' },
  E22: { party: 'betraying', visibility: '`release`', phases: 'P2' },
  E23: { party: 'betraying', visibility: '`shared`', phases: 'P2' },
  E24: { party: 'both', visibility: '`shared`', phases: 'P2–P3' },
  E25: { party: 'both', visibility: '`shared` (clinician may hold)', phases: 'P1–P4' },
  E26: { party: 'individual', visibility: '`private` by default (optional `clinician`)', phases: 'P1–P3' },
  E27: { party: 'individual', visibility: '`private`/`clinician`', phases: 'P1–P2' },
  E28: { party: 'individual', visibility: '`clinician`', phases: 'P1–P4' },
  E29: { party: 'individual', visibility: '`private`/`clinician`', phases: 'P1–P4' },
  E30: { party: 'both', visibility: '`shared`', phases: 'P2–P3' },
  E31: { party: 'both', visibility: '`shared`', phases: 'P3' },
  E32: { party: 'both', visibility: '`reveal`', phases: 'P3–P4' },
  E33: { party: 'both', visibility: '`shared`', phases: 'P3' },
  E34: { party: 'betrayed', visibility: '`clinician` → `release`', phases: 'P3' },
  E35: { party: 'individual (each)', visibility: '`clinician` by default', phases: 'P0, P3' },
  E36: { party: 'both', visibility: '`shared`', phases: 'P3–P4' },
  E37: { party: 'both', visibility: '`reveal`', phases: 'P4' },
};

/** "P1–P3" → P1, P2, P3; "P1, P4" → P1, P4. */
function phaseList(wording: string): string[] {
  return wording.split(',').flatMap((piece) => {
    const [from, to] = piece.trim().split('–');
    if (to === undefined) return [from];
    const start = Number(from.slice(1));
    const end = Number(to.slice(1));
    return Array.from({ length: end - start + 1 }, (_, index) => `P${start + index}`);
  });
}

describe('clinical.md → Mend mapping', () => {
  it.each([
    ['betrayed', 'harmed'],
    ['betraying', 'harming'],
    ['both', 'each'],
    ['both (joint)', 'together'],
    ['Both (joint)', 'together'],
    ['individual', 'individual'],
    ['individual (each)', 'each'],
    ['harming', 'harming'],
  ])('maps the party "%s" to the audience %s', (party, audience) => {
    expect(audienceFromClinical(party)).toBe(audience);
  });

  it('refuses a party it does not know', () => {
    expect(() => audienceFromClinical('spouse')).toThrow(UnknownClinicalTermError);
  });

  it.each([
    ['`shared`', 'shared', []],
    ['`clinician` → `release`', 'clinician', ['release']],
    ['`private`/`clinician`', 'private', ['clinician']],
    ['`clinician`, optionally `release`', 'clinician', ['release']],
    ['`shared` (clinician may hold)', 'shared', ['clinician']],
    ['`private` by default (optional `clinician`)', 'private', ['clinician']],
  ])('reads the visibility %s as default %s, switchable to %j', (wording, defaultVisibility, switchable) => {
    expect(visibilityFromClinical(wording)).toEqual({ defaultVisibility, switchableVisibility: switchable });
  });

  it('refuses a visibility with no known value', () => {
    expect(() => visibilityFromClinical('secret')).toThrow(UnknownClinicalTermError);
  });
});

describe('the built-in catalogue', () => {
  it('holds all 37 exercises of clinical.md §2 (at least 30), keyed E01..E37 in order', () => {
    expect(BUILT_IN_EXERCISES.length).toBeGreaterThanOrEqual(30);
    expect(BUILT_IN_EXERCISES.map((exercise) => exercise.key)).toEqual(Object.keys(CLINICAL));
  });

  it('has unique keys and titles, all in the built-in key format', () => {
    const keys = BUILT_IN_EXERCISES.map((exercise) => exercise.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(BUILT_IN_EXERCISES.map((exercise) => exercise.title)).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(BUILT_IN_KEY_PATTERN);
  });

  it('covers every phase and every audience', () => {
    const phases = new Set(BUILT_IN_EXERCISES.flatMap((exercise) => exercise.phases));
    expect([...phases].sort()).toEqual([...PHASES]);
    const audiences = new Set<Audience>(BUILT_IN_EXERCISES.map((exercise) => exercise.audience));
    expect([...audiences].sort()).toEqual([...AUDIENCES].sort());
  });

  it.each(BUILT_IN_EXERCISES.map((exercise) => [exercise.key, exercise] as const))(
    '%s carries the audience, visibility and phases clinical.md gives it',
    (key, exercise: ExerciseDefinition) => {
      const clinical = CLINICAL[key];
      expect(exercise.audience).toBe(audienceFromClinical(clinical.party));
      expect({
        defaultVisibility: exercise.defaultVisibility,
        switchableVisibility: exercise.switchableVisibility,
      }).toEqual(visibilityFromClinical(clinical.visibility));
      expect(exercise.phases).toEqual(phaseList(clinical.phases));
    },
  );

  it.each(BUILT_IN_EXERCISES.map((exercise) => [exercise.key, exercise] as const))(
    '%s is well formed',
    (_key, exercise: ExerciseDefinition) => {
      expect(VISIBILITIES).toContain(exercise.defaultVisibility);
      expect(exercise.switchableVisibility).not.toContain(exercise.defaultVisibility);
      expect(COACH_MODES).toContain(exercise.coachMode);
      expect(exercise.estimatedMinutes).toBeGreaterThan(0);
      expect(exercise.estimatedMinutes).toBeLessThanOrEqual(60);
      expect(exercise.seedConcepts.length).toBeGreaterThan(0);
      for (const concept of exercise.seedConcepts) expect(SEED_CONCEPTS).toContain(concept);
      expect(exercise.title.trim()).toBe(exercise.title);
      expect(exercise.instructions.length).toBeGreaterThan(0);
      const parts = new Set(exercise.responseSchema.parts?.map((part) => part.key) ?? []);
      for (const prompt of exercise.prompts) if (prompt.part !== undefined) expect(parts).toContain(prompt.part);
    },
  );

  it('keeps counselor-only fields out of client answers (E03 "reviewed" is feedback)', () => {
    const e03 = builtInExercise('E03')!;
    expect(e03.responseSchema.feedbackFields?.map((field) => field.key)).toEqual(['clinician_reviewed']);
    expect(e03.responseSchema.fields.map((field) => field.key)).not.toContain('clinician_reviewed');
  });

  it('models the paired question log as an asker part and an answerer part', () => {
    const e05 = builtInExercise('E05')!.responseSchema;
    expect(e05.parts).toEqual([
      expect.objectContaining({ key: 'asker', audience: 'harmed' }),
      expect.objectContaining({ key: 'answerer', audience: 'harming' }),
    ]);
    expect(e05.fields.filter((field) => field.part === 'answerer').map((field) => field.key)).toEqual([
      'answered_in_session',
      'answer_summary',
    ]);
  });

  it('writes role-specific prompts for the self-compassion letter', () => {
    expect(builtInExercise('E27')!.prompts.map((prompt) => prompt.forRole)).toEqual(['harmed', 'harming']);
  });

  it('is frozen and answers lookups by key', () => {
    expect(Object.isFrozen(BUILT_IN_EXERCISES)).toBe(true);
    expect(builtInExercise('E15')?.title).toBe('Daily Check-in Ritual');
    expect(builtInExercise('E99')).toBeUndefined();
    expect(isBuiltInKey('E01')).toBe(true);
    expect(isBuiltInKey('e01')).toBe(false);
  });
});
