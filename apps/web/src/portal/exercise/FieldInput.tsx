import { useId } from 'react';

import { ChoiceGroup, FieldShell } from '../../ui/fields';
import {
  emptyRow,
  type ChecklistValue,
  type FieldErrors,
  type FormValue,
  type RowValue,
  type ScalarValue,
} from './answers';
import { CoachHints } from './CoachHints';
import type { CoachMode, Field, RowsField, ScalarField } from './schema';

/**
 * One field of an exercise, rendered from its schema: the right control for each
 * type of clinical.md §2.1, its label, help and error message (by key), the
 * coach under free text when the exercise's mode allows it.
 */
export function FieldInput({
  field,
  value,
  onChange,
  errors,
  errorKey,
  coachMode,
}: {
  readonly field: Field;
  readonly value: FormValue | undefined;
  readonly onChange: (value: FormValue) => void;
  readonly errors: FieldErrors;
  /** The key errors are filed under (`field`, or `rows[0].column` inside a row). */
  readonly errorKey: string;
  readonly coachMode: CoachMode;
}) {
  if (field.type === 'rows')
    return (
      <RowsInput
        field={field}
        rows={Array.isArray(value) ? (value as readonly RowValue[]) : []}
        onChange={onChange}
        errors={errors}
        coachMode={coachMode}
      />
    );
  return (
    <ScalarInput
      field={field}
      value={value as ScalarValue | undefined}
      onChange={onChange}
      error={errors[errorKey]}
      coachMode={coachMode}
    />
  );
}

function ScalarInput({
  field,
  value,
  onChange,
  error,
  coachMode,
}: {
  readonly field: ScalarField;
  readonly value: ScalarValue | undefined;
  readonly onChange: (value: ScalarValue) => void;
  readonly error: string | undefined;
  readonly coachMode: CoachMode;
}) {
  const required = field.required;
  switch (field.type) {
    case 'text': {
      const text = typeof value === 'string' ? value : '';
      const coach = <CoachHints mode={coachMode} text={text} />;
      return (
        <FieldShell label={field.label} help={field.help} error={error} required={required}>
          {({ id, describedBy, invalid }) => (
            <>
              {field.multiline ? (
                <textarea
                  id={id}
                  className="input input--textarea"
                  rows={5}
                  value={text}
                  onChange={(event) => onChange(event.target.value)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  aria-required={required || undefined}
                />
              ) : (
                <input
                  id={id}
                  className="input"
                  value={text}
                  onChange={(event) => onChange(event.target.value)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  aria-required={required || undefined}
                />
              )}
              {text.length > field.maxLength * 0.8 && (
                <p className="field__counter">
                  {text.length} / {field.maxLength} characters
                </p>
              )}
              {coach}
            </>
          )}
        </FieldShell>
      );
    }
    case 'rating_0_10':
    case 'likert_1_5': {
      const [from, to] = field.type === 'rating_0_10' ? [0, 10] : [1, 5];
      const points = Array.from({ length: to - from + 1 }, (_, index) => from + index);
      const anchorText = field.anchors.map((anchor) => `${anchor.value} = ${anchor.label}`).join('; ');
      return (
        <ChoiceGroup
          legend={field.label}
          help={[field.help, anchorText].filter(Boolean).join(' — ') || undefined}
          error={error}
          required={required}
        >
          {() => (
            <div className="scale">
              {points.map((point) => {
                const anchor = field.anchors.find((item) => item.value === point);
                return (
                  <label key={point} className="choice">
                    <input
                      type="radio"
                      name={field.key}
                      value={point}
                      checked={value === point}
                      onChange={() => onChange(point)}
                      aria-label={anchor !== undefined ? `${point}: ${anchor.label}` : String(point)}
                    />
                    <span aria-hidden="true">{point}</span>
                  </label>
                );
              })}
            </div>
          )}
        </ChoiceGroup>
      );
    }
    case 'select':
      return (
        <ChoiceGroup legend={field.label} help={field.help} error={error} required={required}>
          {() => (
            <div className="choices">
              {field.options.map((option) => (
                <label key={option.value} className="choice">
                  <input
                    type="radio"
                    name={field.key}
                    value={option.value}
                    checked={value === option.value}
                    onChange={() => onChange(option.value)}
                  />
                  <span>{option.label}</span>
                </label>
              ))}
            </div>
          )}
        </ChoiceGroup>
      );
    case 'checklist':
      return <ChecklistInput field={field} value={value} onChange={onChange} error={error} />;
    case 'bool':
      return (
        <ChoiceGroup legend={field.label} help={field.help} error={error} required={required}>
          {() => (
            <div className="choices">
              {[
                [true, 'Yes'],
                [false, 'No'],
              ].map(([option, label]) => (
                <label key={String(option)} className="choice">
                  <input
                    type="radio"
                    name={field.key}
                    checked={value === option}
                    onChange={() => onChange(option as boolean)}
                  />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          )}
        </ChoiceGroup>
      );
    case 'date':
    case 'time':
    case 'datetime':
    case 'number': {
      const type = field.type === 'datetime' ? 'datetime-local' : field.type === 'number' ? 'text' : field.type;
      const help =
        field.type === 'number'
          ? [
              field.help,
              `In ${field.unit}.`,
              field.suggestion !== undefined ? `Suggested: ${field.suggestion}.` : undefined,
            ]
              .filter(Boolean)
              .join(' ')
          : field.help;
      return (
        <FieldShell label={field.label} help={help} error={error} required={required}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className={`input${field.type === 'number' ? ' input--number' : ''}`}
              type={type}
              inputMode={field.type === 'number' ? (field.integer ? 'numeric' : 'decimal') : undefined}
              value={typeof value === 'string' ? value : ''}
              onChange={(event) => onChange(event.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              aria-required={required || undefined}
            />
          )}
        </FieldShell>
      );
    }
    case 'unsupported':
      return (
        <p className="notice notice--warn">
          “{field.label}” cannot be answered here yet (a “{field.originalType}” field). Please tell your counselor.
        </p>
      );
  }
}

function ChecklistInput({
  field,
  value,
  onChange,
  error,
}: {
  readonly field: Extract<ScalarField, { type: 'checklist' }>;
  readonly value: ScalarValue | undefined;
  readonly onChange: (value: ScalarValue) => void;
  readonly error: string | undefined;
}) {
  const current: ChecklistValue = typeof value === 'object' && value !== null ? value : { selected: [], other: '' };
  const otherId = useId();
  const limits = [
    field.minSelected !== undefined ? `at least ${field.minSelected}` : undefined,
    field.maxSelected !== undefined ? `at most ${field.maxSelected}` : undefined,
  ].filter(Boolean);
  return (
    <ChoiceGroup
      legend={field.label}
      help={
        [field.help, limits.length > 0 ? `Choose ${limits.join(' and ')}.` : undefined].filter(Boolean).join(' ') ||
        undefined
      }
      error={error}
      required={field.required}
    >
      {() => (
        <>
          <div className="choices">
            {field.options.map((option) => (
              <label key={option.value} className="choice">
                <input
                  type="checkbox"
                  checked={current.selected.includes(option.value)}
                  onChange={(event) =>
                    onChange({
                      ...current,
                      selected: event.target.checked
                        ? [...current.selected, option.value]
                        : current.selected.filter((item) => item !== option.value),
                    })
                  }
                />
                <span>{option.label}</span>
              </label>
            ))}
          </div>
          {field.allowOther && (
            <div className="field">
              <label htmlFor={otherId} className="field__label">
                {field.otherLabel ?? 'Other'} (optional)
              </label>
              <input
                id={otherId}
                className="input"
                value={current.other}
                maxLength={field.otherMaxLength}
                onChange={(event) => onChange({ ...current, other: event.target.value })}
              />
            </div>
          )}
        </>
      )}
    </ChoiceGroup>
  );
}

function RowsInput({
  field,
  rows,
  onChange,
  errors,
  coachMode,
}: {
  readonly field: RowsField;
  readonly rows: readonly RowValue[];
  readonly onChange: (rows: readonly RowValue[]) => void;
  readonly errors: FieldErrors;
  readonly coachMode: CoachMode;
}) {
  const noun = field.rowLabel ?? 'row';
  const canAdd = field.maxRows === undefined || rows.length < field.maxRows;
  const limits = [
    field.minRows !== undefined ? `at least ${field.minRows}` : undefined,
    field.maxRows !== undefined ? `up to ${field.maxRows}` : undefined,
  ].filter(Boolean);
  return (
    <ChoiceGroup
      legend={field.label}
      help={
        [field.help, limits.length > 0 ? `Add ${limits.join(', ')}.` : undefined].filter(Boolean).join(' ') || undefined
      }
      error={errors[field.key]}
      required={field.required}
    >
      {() => (
        <div className="rows">
          {rows.map((row, index) => (
            <fieldset key={index} className="row-item">
              <legend className="row-item__header">
                {capitalise(noun)} {index + 1}
              </legend>
              {field.columns.map((column) => (
                <ScalarInput
                  key={column.key}
                  field={column}
                  value={row[column.key]}
                  onChange={(next) =>
                    onChange(rows.map((item, at) => (at === index ? { ...item, [column.key]: next } : item)))
                  }
                  error={errors[`${field.key}[${index}].${column.key}`]}
                  coachMode={coachMode}
                />
              ))}
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => onChange(rows.filter((_, at) => at !== index))}
              >
                Remove {noun} {index + 1}
              </button>
            </fieldset>
          ))}
          {canAdd && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => onChange([...rows, emptyRow(field)])}
            >
              Add {rows.length === 0 ? 'a' : 'another'} {noun}
            </button>
          )}
        </div>
      )}
    </ChoiceGroup>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
