import type { ExerciseDefinition } from '../exercise.types.js';
import { EXERCISES_E01_E12 } from './exercises-e01-e12.js';
import { EXERCISES_E13_E24 } from './exercises-e13-e24.js';
import { EXERCISES_E25_E37 } from './exercises-e25-e37.js';

/** The built-in exercise library: the 37 exercises of clinical.md §2, in order. */
export const BUILT_IN_EXERCISES: readonly ExerciseDefinition[] = Object.freeze([
  ...EXERCISES_E01_E12,
  ...EXERCISES_E13_E24,
  ...EXERCISES_E25_E37,
]);

const BY_KEY = new Map(BUILT_IN_EXERCISES.map((exercise) => [exercise.key, exercise]));

/** Built-in keys are `E` and two digits; custom exercises are addressed by id, never by such a key. */
export const BUILT_IN_KEY_PATTERN = /^E\d{2}$/;

export function builtInExercise(key: string): ExerciseDefinition | undefined {
  return BY_KEY.get(key);
}

export function isBuiltInKey(key: string): boolean {
  return BY_KEY.has(key);
}
