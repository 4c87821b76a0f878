import type {
  BoolField,
  ChecklistField,
  DateField,
  DateTimeField,
  ExerciseDefinition,
  FieldOption,
  NumberField,
  NumberUnit,
  RatingField,
  RowsField,
  ScalarField,
  SelectField,
  TextField,
  TimeField,
} from '../exercise.types.js';

/** Compact constructors for the built-in catalogue. Every value they build is plain data. */

/** Lengths for free text: a short answer, a paragraph, a letter or narrative. */
export const SHORT_TEXT = 500;
export const MEDIUM_TEXT = 2_000;
export const LONG_TEXT = 8_000;

type Extra<F> = Partial<Omit<F, 'key' | 'type' | 'label'>>;

/** "it was only…" → `it_was_only`: option values are stable slugs of their labels. */
export function slug(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}

export function opts(...labels: string[]): FieldOption[] {
  return labels.map((label) => ({ value: slug(label), label }));
}

export const text = (key: string, label: string, extra: Extra<TextField> = {}): TextField => ({
  key,
  type: 'text',
  label,
  maxLength: MEDIUM_TEXT,
  multiline: true,
  ...extra,
});

export const shortText = (key: string, label: string, extra: Extra<TextField> = {}): TextField =>
  text(key, label, { maxLength: SHORT_TEXT, multiline: false, ...extra });

export const longText = (key: string, label: string, extra: Extra<TextField> = {}): TextField =>
  text(key, label, { maxLength: LONG_TEXT, ...extra });

/** A 0–10 rating anchored at both ends. */
export const rating = (
  key: string,
  label: string,
  [low, high]: readonly [string, string],
  extra: Extra<RatingField> = {},
): RatingField => ({
  key,
  type: 'rating_0_10',
  label,
  anchors: [
    { value: 0, label: low },
    { value: 10, label: high },
  ],
  ...extra,
});

export const select = (
  key: string,
  label: string,
  options: FieldOption[],
  extra: Extra<SelectField> = {},
): SelectField => ({
  key,
  type: 'select',
  label,
  options,
  ...extra,
});

export const checklist = (
  key: string,
  label: string,
  options: FieldOption[],
  extra: Extra<ChecklistField> = {},
): ChecklistField => ({ key, type: 'checklist', label, options, ...extra });

export const bool = (key: string, label: string, extra: Extra<BoolField> = {}): BoolField => ({
  key,
  type: 'bool',
  label,
  ...extra,
});

export const date = (key: string, label: string, extra: Extra<DateField> = {}): DateField => ({
  key,
  type: 'date',
  label,
  ...extra,
});

export const datetime = (key: string, label: string, extra: Extra<DateTimeField> = {}): DateTimeField => ({
  key,
  type: 'datetime',
  label,
  ...extra,
});

export const time = (key: string, label: string, extra: Extra<TimeField> = {}): TimeField => ({
  key,
  type: 'time',
  label,
  ...extra,
});

export const number = (key: string, label: string, unit: NumberUnit, extra: Extra<NumberField> = {}): NumberField => ({
  key,
  type: 'number',
  label,
  unit,
  min: 0,
  ...extra,
});

export const rows = (key: string, label: string, columns: ScalarField[], extra: Extra<RowsField> = {}): RowsField => ({
  key,
  type: 'rows',
  label,
  columns,
  maxRows: 50,
  ...extra,
});

/** Common anchors. */
export const DISTRESS = ['no distress', 'the most distress I can imagine'] as const;
export const NOT_AT_ALL_COMPLETELY = ['not at all', 'completely'] as const;

/** The consequence tiers of E11, reused by E24 and E25. */
export const CONSEQUENCE_TIERS = opts(
  'name it + repair conversation',
  'temporary tightening of the agreement',
  'extra clinician session',
  'pause on conjoint work',
);

/** Feelings offered where clinical.md asks for a feelings checklist without listing them (E04, E19). */
export const FEELINGS = opts(
  'hurt',
  'sad',
  'angry',
  'afraid',
  'ashamed',
  'guilty',
  'lonely',
  'confused',
  'numb',
  'overwhelmed',
  'defensive',
  'relieved',
  'hopeful',
);

export const defineExercise = (exercise: ExerciseDefinition): ExerciseDefinition => exercise;
