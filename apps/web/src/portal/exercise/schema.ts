/**
 * The exercise content of an occurrence (`exerciseContent`), read at run time.
 *
 * The OpenAPI document declares it as a free-form object (the response schema is
 * validated on the server by its own meta-schema, libs/homework), so this module
 * narrows it field by field instead of trusting a cast: the field vocabulary of
 * clinical.md §2.1 (text, rating_0_10, likert_1_5, checklist, select, bool, date,
 * datetime, time, number, rows). Anything it does not recognise is kept as
 * `unsupported` and shown as such, never silently dropped.
 */

export interface Option {
  readonly value: string;
  readonly label: string;
}
export interface Anchor {
  readonly value: number;
  readonly label: string;
}
interface Base {
  readonly key: string;
  readonly label: string;
  readonly help?: string;
  readonly required: boolean;
  readonly requiredWhen?: { readonly field: string; readonly equals: boolean | string };
  readonly part?: string;
}
export type ScalarField = Base &
  (
    | { readonly type: 'text'; readonly maxLength: number; readonly minLength?: number; readonly multiline: boolean }
    | { readonly type: 'rating_0_10' | 'likert_1_5'; readonly anchors: readonly Anchor[] }
    | {
        readonly type: 'checklist';
        readonly options: readonly Option[];
        readonly allowOther: boolean;
        readonly otherLabel?: string;
        readonly otherMaxLength: number;
        readonly minSelected?: number;
        readonly maxSelected?: number;
      }
    | { readonly type: 'select'; readonly options: readonly Option[] }
    | { readonly type: 'bool' | 'date' | 'datetime' | 'time' }
    | {
        readonly type: 'number';
        readonly unit: string;
        readonly min?: number;
        readonly max?: number;
        readonly integer: boolean;
        readonly suggestion?: string;
      }
    | { readonly type: 'unsupported'; readonly originalType: string }
  );
export type RowsField = Base & {
  readonly type: 'rows';
  readonly columns: readonly ScalarField[];
  readonly minRows?: number;
  readonly maxRows?: number;
  readonly rowLabel?: string;
};
export type Field = ScalarField | RowsField;

export type CoachMode = 'on' | 'accountability' | 'gentle' | 'off';

export interface ExerciseContent {
  readonly title: string;
  readonly instructions: string;
  readonly prompts: readonly { readonly text: string; readonly part?: string }[];
  readonly fields: readonly Field[];
  readonly parts: readonly { readonly key: string; readonly label: string }[];
  readonly coachMode: CoachMode;
  readonly estimatedMinutes?: number;
}

/** The server's default limit for a checklist's "other" text (libs/homework RESPONSE_LIMITS). */
const DEFAULT_OTHER_MAX_LENGTH = 500;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

function options(value: unknown): Option[] {
  return list(value)
    .filter(isObject)
    .map((option) => ({ value: String(option.value), label: text(option.label) ?? String(option.value) }));
}

function anchors(value: unknown): Anchor[] {
  return list(value)
    .filter(isObject)
    .flatMap((anchor) => {
      const at = num(anchor.value);
      return at === undefined ? [] : [{ value: at, label: text(anchor.label) ?? '' }];
    });
}

function base(raw: Json): Base {
  const when = isObject(raw.requiredWhen) ? raw.requiredWhen : undefined;
  return {
    key: text(raw.key) ?? '',
    label: text(raw.label) ?? text(raw.key) ?? '',
    help: text(raw.help),
    required: raw.required === true,
    requiredWhen:
      when !== undefined && typeof when.field === 'string' && ['boolean', 'string'].includes(typeof when.equals)
        ? { field: when.field, equals: when.equals as boolean | string }
        : undefined,
    part: text(raw.part),
  };
}

function scalar(raw: Json): ScalarField {
  const common = base(raw);
  const type = text(raw.type) ?? '';
  switch (type) {
    case 'text':
      return {
        ...common,
        type,
        maxLength: num(raw.maxLength) ?? 20_000,
        minLength: num(raw.minLength),
        multiline: raw.multiline !== false,
      };
    case 'rating_0_10':
    case 'likert_1_5':
      return { ...common, type, anchors: anchors(raw.anchors) };
    case 'checklist':
      return {
        ...common,
        type,
        options: options(raw.options),
        allowOther: raw.allowOther === true,
        otherLabel: text(raw.otherLabel),
        otherMaxLength: num(raw.otherMaxLength) ?? DEFAULT_OTHER_MAX_LENGTH,
        minSelected: num(raw.minSelected),
        maxSelected: num(raw.maxSelected),
      };
    case 'select':
      return { ...common, type, options: options(raw.options) };
    case 'bool':
    case 'date':
    case 'datetime':
    case 'time':
      return { ...common, type };
    case 'number':
      return {
        ...common,
        type,
        unit: text(raw.unit) ?? '',
        min: num(raw.min),
        max: num(raw.max),
        integer: raw.integer === true,
        suggestion: text(raw.suggestion),
      };
    default:
      return { ...common, type: 'unsupported', originalType: type };
  }
}

function field(raw: Json): Field {
  if (raw.type === 'rows') {
    return {
      ...base(raw),
      type: 'rows',
      columns: list(raw.columns).filter(isObject).map(scalar),
      minRows: num(raw.minRows),
      maxRows: num(raw.maxRows),
      rowLabel: text(raw.rowLabel),
    };
  }
  return scalar(raw);
}

const COACH_MODES: readonly CoachMode[] = ['on', 'accountability', 'gentle', 'off'];

export function parseExerciseContent(raw: Record<string, unknown>): ExerciseContent {
  const mode = text(raw.coachMode) as CoachMode | undefined;
  return {
    title: text(raw.title) ?? '',
    instructions: text(raw.instructions) ?? '',
    prompts: list(raw.prompts)
      .filter(isObject)
      .map((prompt) => ({ text: text(prompt.text) ?? '', part: text(prompt.part) })),
    fields: list(raw.fields).filter(isObject).map(field),
    parts: list(raw.parts)
      .filter(isObject)
      .map((part) => ({ key: text(part.key) ?? '', label: text(part.label) ?? '' })),
    coachMode: mode !== undefined && COACH_MODES.includes(mode) ? mode : 'off',
    estimatedMinutes: num(raw.estimatedMinutes),
  };
}
