/**
 * The exercise model of PRODUCT.md (Exercise) and clinical.md §2: a homework template with
 * an audience, phases, a default visibility, an I-statement coach mode, an estimate of the
 * time it takes and a typed response schema (the field vocabulary of clinical.md §2.1).
 */

/** Who an exercise is for (PRODUCT.md, Exercise). clinical.md's betrayed / betraying / both / both (joint) map to harmed / harming / each / together. */
export const AUDIENCES = ['harmed', 'harming', 'each', 'together', 'individual'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The model-neutral phase spine of clinical.md §1.5. */
export const PHASES = ['P0', 'P1', 'P2', 'P3', 'P4'] as const;
export type Phase = (typeof PHASES)[number];

/** Visibility values of clinical.md §2.1 (who sees a submitted answer). */
export const VISIBILITIES = ['private', 'clinician', 'release', 'reveal', 'shared'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** I-statement coach modes of clinical.md §2.1 / §6. */
export const COACH_MODES = ['on', 'accountability', 'gentle', 'off'] as const;
export type CoachMode = (typeof COACH_MODES)[number];

/** Seed concept ids of clinical.md §0.1. */
export const SEED_CONCEPTS = [
  'S01',
  'S02',
  'S03',
  'S04',
  'S05',
  'S06',
  'S07',
  'S08',
  'S09',
  'S10',
  'S11',
  'S12',
  'S13',
  'S14',
  'S15',
  'S16',
  'S17',
  'S18',
  'S19',
  'S20',
  'S21',
  'S22',
  'S23',
  'S24',
  'S25',
  'S26',
  'S27',
] as const;
export type SeedConceptId = (typeof SEED_CONCEPTS)[number];

/** Participant roles a role-specific prompt may address (clinical.md §0.1). */
export type PromptRole = 'harmed' | 'harming';

/** The field types of clinical.md §2.1, the canonical list. */
export const FIELD_TYPES = [
  'text',
  'rating_0_10',
  'likert_1_5',
  'checklist',
  'select',
  'bool',
  'date',
  'datetime',
  'time',
  'number',
  'rows',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Units a `number` field may carry. */
export const NUMBER_UNITS = ['hours', 'minutes', 'days', 'months', 'count', 'meals', 'drinks'] as const;
export type NumberUnit = (typeof NUMBER_UNITS)[number];

/** One choice of a `select` or `checklist` field: a stable value and the label shown. */
export interface FieldOption {
  readonly value: string;
  readonly label: string;
}

/** A labelled point of a rating or Likert scale (e.g. 0 = "no distress"). */
export interface ScaleAnchor {
  readonly value: number;
  readonly label: string;
}

/** Makes a field required only when another field of the same group has a given value. */
export interface FieldCondition {
  /** Key of a `bool` or `select` field in the same group (top level, or the same row). */
  readonly field: string;
  readonly equals: boolean | string;
}

interface FieldBase {
  /** Stable key of the answer (as written in clinical.md). */
  readonly key: string;
  /** The question or prompt shown to the writer. */
  readonly label: string;
  readonly help?: string;
  /** Enforced when the answer is submitted, never on drafts. */
  readonly required?: boolean;
  /** Required only when this condition holds (implies nothing when the condition fails). */
  readonly requiredWhen?: FieldCondition;
  /** In a paired exercise: which part (see ResponseSchema.parts) answers this field. */
  readonly part?: string;
}

export interface TextField extends FieldBase {
  readonly type: 'text';
  readonly maxLength: number;
  readonly minLength?: number;
  readonly multiline?: boolean;
}

export interface RatingField extends FieldBase {
  readonly type: 'rating_0_10';
  readonly anchors?: readonly ScaleAnchor[];
}

export interface LikertField extends FieldBase {
  readonly type: 'likert_1_5';
  readonly anchors?: readonly ScaleAnchor[];
}

export interface ChecklistField extends FieldBase {
  readonly type: 'checklist';
  readonly options: readonly FieldOption[];
  /** Adds a free-text "other" to the answer. */
  readonly allowOther?: boolean;
  readonly otherLabel?: string;
  readonly otherMaxLength?: number;
  readonly minSelected?: number;
  readonly maxSelected?: number;
}

export interface SelectField extends FieldBase {
  readonly type: 'select';
  readonly options: readonly FieldOption[];
}

export interface BoolField extends FieldBase {
  readonly type: 'bool';
}

export interface DateField extends FieldBase {
  readonly type: 'date';
}

export interface DateTimeField extends FieldBase {
  readonly type: 'datetime';
}

export interface TimeField extends FieldBase {
  readonly type: 'time';
}

export interface NumberField extends FieldBase {
  readonly type: 'number';
  readonly unit: NumberUnit;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** A suggestion shown to the writer (e.g. "at least 20 minutes"); not enforced. */
  readonly suggestion?: string;
}

/** A field that can be a column of a `rows` group (rows do not nest). */
export type ScalarField =
  | TextField
  | RatingField
  | LikertField
  | ChecklistField
  | SelectField
  | BoolField
  | DateField
  | DateTimeField
  | TimeField
  | NumberField;

export interface RowsField extends FieldBase {
  readonly type: 'rows';
  readonly columns: readonly ScalarField[];
  readonly minRows?: number;
  readonly maxRows?: number;
  /** Label of one row ("boundary", "step"). */
  readonly rowLabel?: string;
}

export type ResponseField = ScalarField | RowsField;

/** One role's share of a paired exercise (e.g. the question log's asker and answerer). */
export interface ResponsePart {
  readonly key: string;
  readonly label: string;
  /** The participant role that usually takes this part. */
  readonly audience?: Audience;
}

/**
 * What a client answers (`fields`) and what the counselor records about a submission
 * (`feedbackFields`, e.g. a "reviewed" tick): the two are validated separately.
 */
export interface ResponseSchema {
  readonly fields: readonly ResponseField[];
  readonly feedbackFields?: readonly ResponseField[];
  /** Paired exercises only: every field then names its part. */
  readonly parts?: readonly ResponsePart[];
}

/** A prompt shown with the exercise, exactly as written in clinical.md §2.3. */
export interface ExercisePrompt {
  readonly text: string;
  /** Role-specific prompts (E27, E34) name the role they are for. */
  readonly forRole?: PromptRole;
  /** Paired exercises: the part the prompt is for (E05's asker). */
  readonly part?: string;
}

export interface ExerciseDefinition {
  /** `E01`..`E37` for built-ins. */
  readonly key: string;
  readonly title: string;
  /** Text shown above the prompts (a header, a psychoeducation note, how to fill it in). */
  readonly instructions: string;
  readonly prompts: readonly ExercisePrompt[];
  readonly audience: Audience;
  /** Audiences the exercise also suits (clinical.md: "both optional"). */
  readonly optionalAudiences?: readonly Audience[];
  readonly phases: readonly Phase[];
  readonly defaultVisibility: Visibility;
  /** Other visibilities the counselor may switch an assignment to (compound defaults). */
  readonly switchableVisibility: readonly Visibility[];
  readonly coachMode: CoachMode;
  readonly estimatedMinutes: number;
  /** Default frequency in clinical.md's words; the counselor sets the real schedule. */
  readonly frequency: string;
  readonly seedConcepts: readonly SeedConceptId[];
  /** Clinical lineage for the counselor-facing help text. */
  readonly model?: string;
  readonly responseSchema: ResponseSchema;
}
