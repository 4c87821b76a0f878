/**
 * Small building blocks of the counselor workspace: labelled fields that show
 * their error beside them (aria-invalid + aria-describedby), a submit button that
 * shows progress, a problem summary for a failed write, badges and sections.
 */
import { useId, type ReactNode } from 'react';

import { ApiError, describeError } from '../api/errors';

/** A titled part of a page (an h2, or h3 inside a section) with an accessible name. */
export function Section({
  title,
  level = 2,
  actions,
  children,
  className,
}: {
  readonly title: ReactNode;
  readonly level?: 2 | 3;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
  readonly className?: string;
}) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={`cw-section${className ? ` ${className}` : ''}`} aria-labelledby={id}>
      <div className="cw-section__header">
        <Heading id={id} tabIndex={-1}>
          {title}
        </Heading>
        {actions !== undefined && <div className="cw-section__actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'danger';

const TONE_CLASS: Record<Tone, string> = {
  neutral: 'badge cw-badge--neutral',
  info: 'badge',
  good: 'badge badge--ok',
  warn: 'badge badge--warn',
  danger: 'badge badge--danger',
};

export function Badge({ tone = 'neutral', children }: { readonly tone?: Tone; readonly children: ReactNode }) {
  return <span className={TONE_CLASS[tone]}>{children}</span>;
}

interface FieldShell {
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string;
  readonly required?: boolean;
}

function describedBy(hintId: string, errorId: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint !== undefined ? hintId : '', error !== undefined ? errorId : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldFrame({
  id,
  label,
  hint,
  error,
  required,
  children,
}: FieldShell & { readonly id: string; readonly children: ReactNode }) {
  return (
    <div className={`field${error !== undefined ? ' field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {required === true && <span className="field__required"> (required)</span>}
      </label>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field__help">
          {hint}
        </p>
      )}
      {children}
      {error !== undefined && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextInput({
  label,
  hint,
  error,
  required,
  value,
  onChange,
  type = 'text',
  multiline = false,
  maxLength,
  min,
  max,
  name,
  autoComplete = 'off',
}: FieldShell & {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly type?: 'text' | 'date' | 'datetime-local' | 'number' | 'search';
  readonly multiline?: boolean;
  readonly maxLength?: number;
  readonly min?: number | string;
  readonly max?: number | string;
  readonly name?: string;
  readonly autoComplete?: string;
}) {
  const id = useId();
  const common = {
    id,
    name,
    value,
    required,
    maxLength,
    'aria-invalid': error !== undefined ? true : undefined,
    'aria-describedby': describedBy(`${id}-hint`, `${id}-error`, hint, error),
  } as const;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      {multiline ? (
        <textarea
          {...common}
          className="input input--textarea"
          rows={4}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          {...common}
          className={`input${type === 'number' ? ' input--number' : ''}`}
          type={type}
          min={min}
          max={max}
          autoComplete={autoComplete}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

export function SelectInput<T extends string>({
  label,
  hint,
  error,
  required,
  value,
  onChange,
  options,
  name,
}: FieldShell & {
  readonly value: T | '';
  readonly onChange: (value: T | '') => void;
  readonly options: readonly { readonly value: T | ''; readonly label: string; readonly disabled?: boolean }[];
  readonly name?: string;
}) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      <select
        id={id}
        className="input"
        name={name}
        value={value}
        required={required}
        aria-invalid={error !== undefined ? true : undefined}
        aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, error)}
        onChange={(event) => onChange(event.target.value as T | '')}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function Checkbox({
  label,
  hint,
  checked,
  onChange,
  disabled,
}: {
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="choice cw-choice">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={hint !== undefined ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field__help">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A group of radio buttons in a fieldset with a legend. */
export function RadioGroup<T extends string>({
  legend,
  hint,
  error,
  name,
  value,
  onChange,
  options,
}: {
  readonly legend: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string;
  readonly name: string;
  readonly value: T | '';
  readonly onChange: (value: T) => void;
  readonly options: readonly {
    readonly value: T;
    readonly label: ReactNode;
    readonly description?: ReactNode;
    readonly disabled?: boolean;
  }[];
}) {
  const id = useId();
  return (
    <fieldset
      className={`field field--group${error !== undefined ? ' field--invalid' : ''}`}
      aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, error)}
    >
      <legend className="field__label">{legend}</legend>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field__help">
          {hint}
        </p>
      )}
      {options.map((option) => {
        const optionId = `${id}-${option.value}`;
        return (
          <div className="choice cw-choice" key={option.value}>
            <input
              id={optionId}
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              disabled={option.disabled}
              aria-describedby={option.description !== undefined ? `${optionId}-description` : undefined}
              onChange={() => onChange(option.value)}
            />
            <label htmlFor={optionId}>{option.label}</label>
            {option.description !== undefined && (
              <p id={`${optionId}-description`} className="field__help">
                {option.description}
              </p>
            )}
          </div>
        );
      })}
      {error !== undefined && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** A submit button that says what it is doing while the request runs (a long operation shows progress). */
export function SubmitButton({
  pending,
  children,
  pendingLabel = 'Saving…',
  secondary = false,
  disabled = false,
}: {
  readonly pending: boolean;
  readonly children: ReactNode;
  readonly pendingLabel?: string;
  readonly secondary?: boolean;
  readonly disabled?: boolean;
}) {
  return (
    <button
      type="submit"
      className={`button${secondary ? ' button--secondary' : ''}`}
      disabled={pending || disabled}
      aria-disabled={pending || disabled}
    >
      {pending ? (
        <>
          <span className="spinner" aria-hidden="true" /> {pendingLabel}
        </>
      ) : (
        children
      )}
    </button>
  );
}

/** What went wrong with a write, with the per-field messages listed (focusable for keyboard users). */
export function ProblemSummary({
  error,
  title = 'This was not saved',
}: {
  readonly error: unknown;
  readonly title?: string;
}) {
  if (error === null || error === undefined) return null;
  const fields = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return (
    <div className="status status--error cw-problem" role="alert">
      <p className="status__title">{title}</p>
      <p>{describeError(error)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field, index) => (
            <li key={`${field.field}-${index}`}>
              <code>{field.field}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A polite announcement after a write succeeded. */
export function Notice({ children }: { readonly children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

/** Field errors of an ApiError, with the `content.` prefix of plan writes removed. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fieldErrors())) {
    result[field.replace(/^content\./, '')] ??= message;
  }
  return result;
}

/** A description list of label → value pairs. */
export function Facts({ items }: { readonly items: readonly (readonly [ReactNode, ReactNode])[] }) {
  return (
    <dl className="cw-facts">
      {items.map(([term, detail], index) => (
        <div key={index} className="cw-facts__row">
          <dt>{term}</dt>
          <dd>{detail}</dd>
        </div>
      ))}
    </dl>
  );
}
