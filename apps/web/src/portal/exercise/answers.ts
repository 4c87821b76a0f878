import type { Field, ScalarField } from './schema';

/**
 * Form state for an exercise and its conversion to the API's answer shape
 * (libs/homework answer-schema.ts): text and choices as strings, numbers as
 * numbers, `checklist` as { selected, other? }, `rows` as an array of objects,
 * `date` YYYY-MM-DD, `time` HH:MM, `datetime` ISO 8601 with an offset. Empty
 * values are left out (a draft may be partial; required fields are checked on
 * submit, by `validate` here and again by the server).
 */

export interface ChecklistValue {
  readonly selected: readonly string[];
  readonly other: string;
}
export type ScalarValue = string | number | boolean | null | ChecklistValue;
export type RowValue = Readonly<Record<string, ScalarValue>>;
export type FormValue = ScalarValue | readonly RowValue[];
export type FormState = Readonly<Record<string, FormValue>>;
export type Answers = Record<string, unknown>;
export type FieldErrors = Readonly<Record<string, string>>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** ISO instant → the value of an <input type="datetime-local"> in the browser's timezone. */
function toLocalDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function initialScalar(field: ScalarField, saved: unknown): ScalarValue {
  switch (field.type) {
    case 'checklist': {
      const value = isRecord(saved) ? saved : {};
      return {
        selected: Array.isArray(value.selected) ? value.selected.filter((item) => typeof item === 'string') : [],
        other: typeof value.other === 'string' ? value.other : '',
      };
    }
    case 'rating_0_10':
    case 'likert_1_5':
      return typeof saved === 'number' ? saved : null;
    case 'bool':
      return typeof saved === 'boolean' ? saved : null;
    case 'number':
      return typeof saved === 'number' ? String(saved) : '';
    case 'datetime':
      return typeof saved === 'string' ? toLocalDateTime(saved) : '';
    case 'text':
    case 'select':
    case 'date':
    case 'time':
    case 'unsupported':
      return typeof saved === 'string' ? saved : '';
  }
}

/** The form state for a set of fields, from saved answers (a draft) when there are any. */
export function initialState(fields: readonly Field[], saved: Answers | null | undefined): FormState {
  const state: Record<string, FormValue> = {};
  for (const field of fields) {
    const value = saved?.[field.key];
    if (field.type === 'rows') {
      const rows = Array.isArray(value) ? value.filter(isRecord) : [];
      state[field.key] = rows.map((row) =>
        Object.fromEntries(field.columns.map((column) => [column.key, initialScalar(column, row[column.key])])),
      );
    } else {
      state[field.key] = initialScalar(field, value);
    }
  }
  return state;
}

/** An empty row of a `rows` field. */
export function emptyRow(field: Extract<Field, { type: 'rows' }>): RowValue {
  return Object.fromEntries(field.columns.map((column) => [column.key, initialScalar(column, undefined)]));
}

function scalarAnswer(field: ScalarField, value: ScalarValue | undefined): unknown {
  if (value === undefined || value === null) return undefined;
  switch (field.type) {
    case 'checklist': {
      const checklist = value as ChecklistValue;
      if (checklist.selected.length === 0 && checklist.other.trim() === '') return undefined;
      return {
        selected: [...checklist.selected],
        ...(field.allowOther && checklist.other.trim() !== '' && { other: checklist.other }),
      };
    }
    case 'number': {
      const raw = asText(value).trim().replace(',', '.');
      if (raw === '') return undefined;
      const parsed = Number(raw);
      return Number.isFinite(parsed) ? parsed : raw;
    }
    case 'datetime': {
      const raw = asText(value);
      if (raw === '') return undefined;
      const date = new Date(raw);
      return Number.isNaN(date.getTime()) ? raw : date.toISOString();
    }
    case 'rating_0_10':
    case 'likert_1_5':
    case 'bool':
      return value;
    case 'text':
    case 'select':
    case 'date':
    case 'time':
    case 'unsupported':
      return value === '' ? undefined : value;
  }
}

/** The answers to send (draft or submit): empty values left out (a row the writer added stays, maybe empty). */
export function toAnswers(fields: readonly Field[], state: FormState): Answers {
  const answers: Answers = {};
  for (const field of fields) {
    const value = state[field.key];
    if (field.type === 'rows') {
      const rows = (Array.isArray(value) ? (value as readonly RowValue[]) : []).map((row) => {
        const out: Answers = {};
        for (const column of field.columns) {
          const answer = scalarAnswer(column, row[column.key]);
          if (answer !== undefined) out[column.key] = answer;
        }
        return out;
      });
      // Rows stay in place (even empty ones) so that error paths like rows[2].x point at the row shown.
      if (rows.length > 0) answers[field.key] = rows;
    } else {
      const answer = scalarAnswer(field, value as ScalarValue | undefined);
      if (answer !== undefined) answers[field.key] = answer;
    }
  }
  return answers;
}

/** A string or number as text (anything else as empty). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

function isRequired(field: Field, group: Answers): boolean {
  if (field.required) return true;
  const when = field.requiredWhen;
  return when !== undefined && group[when.field] === when.equals;
}

function checkScalar(field: ScalarField, answer: unknown, required: boolean): string | undefined {
  if (answer === undefined) return required ? 'Please answer this.' : undefined;
  switch (field.type) {
    case 'text': {
      const value = asText(answer);
      if (value.length > field.maxLength) return `Please keep this to ${field.maxLength} characters or fewer.`;
      if (field.minLength !== undefined && value.length < field.minLength)
        return `Please write at least ${field.minLength} characters.`;
      return undefined;
    }
    case 'number': {
      if (typeof answer !== 'number') return 'Please enter a number.';
      if (field.integer && !Number.isInteger(answer)) return 'Please enter a whole number.';
      if (field.min !== undefined && answer < field.min) return `Please enter ${field.min} or more.`;
      if (field.max !== undefined && answer > field.max) return `Please enter ${field.max} or less.`;
      return undefined;
    }
    case 'checklist': {
      const value = answer as { selected: string[]; other?: string };
      if (required && value.selected.length === 0 && (value.other ?? '').trim() === '')
        return 'Please choose at least one.';
      if (field.minSelected !== undefined && value.selected.length < field.minSelected)
        return `Please choose at least ${field.minSelected}.`;
      if (field.maxSelected !== undefined && value.selected.length > field.maxSelected)
        return `Please choose at most ${field.maxSelected}.`;
      if ((value.other ?? '').length > field.otherMaxLength)
        return `Please keep "other" to ${field.otherMaxLength} characters or fewer.`;
      return undefined;
    }
    case 'date':
      return DATE.test(asText(answer)) && !Number.isNaN(Date.parse(asText(answer)))
        ? undefined
        : 'Please enter a date.';
    case 'time':
      return TIME.test(asText(answer)) ? undefined : 'Please enter a time as HH:MM.';
    case 'datetime':
      return Number.isNaN(Date.parse(asText(answer))) ? 'Please enter a date and time.' : undefined;
    case 'rating_0_10':
    case 'likert_1_5':
    case 'bool':
    case 'select':
    case 'unsupported':
      return undefined;
  }
}

/**
 * The server's rules (libs/homework answer-schema.ts), checked before sending so
 * messages appear next to each field at once: `draft` checks types, ranges and
 * lengths; `submit` adds required fields, conditional requirements, minimum rows
 * and selections. Keys: `field`, `rows[0].column`.
 */
export function validate(fields: readonly Field[], answers: Answers, mode: 'draft' | 'submit'): FieldErrors {
  const errors: Record<string, string> = {};
  const submit = mode === 'submit';
  for (const field of fields) {
    const answer = answers[field.key];
    const required = submit && isRequired(field, answers);
    if (field.type === 'rows') {
      const rows = Array.isArray(answer) ? (answer as Answers[]) : [];
      const minRows = submit ? Math.max(field.minRows ?? 0, required ? 1 : 0) : 0;
      if (rows.length < minRows)
        errors[field.key] =
          minRows === 1 ? 'Please add at least one.' : `Please add at least ${minRows} ${field.rowLabel ?? 'rows'}.`;
      else if (field.maxRows !== undefined && rows.length > field.maxRows)
        errors[field.key] = `Please keep this to ${field.maxRows} or fewer.`;
      rows.forEach((row, index) => {
        for (const column of field.columns) {
          const message = checkScalar(column, row[column.key], submit && isRequired(column, row));
          if (message !== undefined) errors[`${field.key}[${index}].${column.key}`] = message;
        }
      });
    } else {
      const message = checkScalar(field, answer, required);
      if (message !== undefined) errors[field.key] = message;
    }
  }
  return errors;
}

/**
 * Server problems (422 `submission_answers_invalid`, field paths like `story`,
 * `who[0].name`, `tags.selected`) mapped to the keys the form shows them under.
 */
export function serverFieldErrors(problems: readonly { field: string; message: string }[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const key = problem.field.replace(/^answers\./, '').replace(/\.(selected|other)$/, '');
    errors[key] ??= problem.message;
  }
  return errors;
}

/** Rows are kept in the state; the row index of `rows[0].x` keys. */
export function rowKey(fieldKey: string, index: number, column: string): string {
  return `${fieldKey}[${index}].${column}`;
}
