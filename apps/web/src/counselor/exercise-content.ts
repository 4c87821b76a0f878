/**
 * The pinned exercise of an occurrence (`exerciseContent`: an open object in the
 * OpenAPI document, libs/homework's PinnedExercise) read at run time with the
 * portal's parser (src/portal/exercise/schema.ts), plus the counselor's part: the
 * exercise's feedback fields (the same field vocabulary, parsed the same way).
 */
import { parseExerciseContent, type ExerciseContent, type Field, type ScalarField } from '../portal/exercise/schema';

export type { Field, ScalarField };

export interface ReviewedExercise extends ExerciseContent {
  /** What the counselor records about a submission (e.g. E03's "reviewed" tick). */
  readonly feedbackFields: readonly Field[];
}

export function readExerciseContent(raw: unknown): ReviewedExercise | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const record = raw as Record<string, unknown>;
  return {
    ...parseExerciseContent(record),
    feedbackFields: parseExerciseContent({ fields: record.feedbackFields }).fields,
  };
}
