import { useId, type ReactNode } from 'react';

/**
 * Form building blocks. Every control has a visible <label>, help text and its
 * error message tied to it with aria-describedby, and aria-invalid when wrong.
 * Errors are shown next to the field (server problems are mapped by field path).
 */

export interface FieldShellProps {
  readonly label: ReactNode;
  readonly help?: ReactNode;
  readonly error?: string;
  readonly required?: boolean;
  readonly children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

export function FieldShell({ label, help, error, required, children }: FieldShellProps) {
  const id = useId();
  const helpId = help !== undefined ? `${id}-help` : undefined;
  const errorId = error !== undefined ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error !== undefined ? ' field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {required === true && <span className="field__required"> (required)</span>}
      </label>
      {help !== undefined && (
        <p id={helpId} className="field__help">
          {help}
        </p>
      )}
      {children({ id, describedBy, invalid: error !== undefined })}
      {error !== undefined && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A group of radios or checkboxes: a fieldset with a legend. */
export function ChoiceGroup({
  legend,
  help,
  error,
  required,
  children,
  className,
}: {
  readonly legend: ReactNode;
  readonly help?: ReactNode;
  readonly error?: string;
  readonly required?: boolean;
  readonly children: (describedBy: string | undefined) => ReactNode;
  readonly className?: string;
}) {
  const id = useId();
  const helpId = help !== undefined ? `${id}-help` : undefined;
  const errorId = error !== undefined ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={`field field--group${error !== undefined ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-describedby={describedBy}
      aria-invalid={error !== undefined ? true : undefined}
    >
      <legend className="field__label">
        {legend}
        {required === true && <span className="field__required"> (required)</span>}
      </legend>
      {help !== undefined && (
        <p id={helpId} className="field__help">
          {help}
        </p>
      )}
      {children(describedBy)}
      {error !== undefined && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function TextInput({
  label,
  help,
  error,
  required,
  value,
  onChange,
  type = 'text',
  autoComplete,
  maxLength,
  inputMode,
  name,
}: {
  readonly label: ReactNode;
  readonly help?: ReactNode;
  readonly error?: string;
  readonly required?: boolean;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly type?: 'text' | 'email' | 'password' | 'date' | 'time' | 'datetime-local' | 'number';
  readonly autoComplete?: string;
  readonly maxLength?: number;
  readonly inputMode?: 'numeric' | 'decimal' | 'text' | 'email';
  readonly name?: string;
}) {
  return (
    <FieldShell label={label} help={help} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={name}
          className="input"
          type={type}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          aria-required={required || undefined}
          autoComplete={autoComplete}
          maxLength={maxLength}
          inputMode={inputMode}
        />
      )}
    </FieldShell>
  );
}

export function TextArea({
  label,
  help,
  error,
  required,
  value,
  onChange,
  maxLength,
  rows = 5,
  after,
  name,
}: {
  readonly label: ReactNode;
  readonly help?: ReactNode;
  readonly error?: string;
  readonly required?: boolean;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly maxLength?: number;
  readonly rows?: number;
  /** Rendered under the text area (counters, coach hints). */
  readonly after?: ReactNode;
  readonly name?: string;
}) {
  return (
    <FieldShell label={label} help={help} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <>
          <textarea
            id={id}
            name={name}
            className="input input--textarea"
            value={value}
            rows={rows}
            onChange={(event) => onChange(event.target.value)}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            aria-required={required || undefined}
            maxLength={maxLength}
          />
          {maxLength !== undefined && (
            <p className="field__counter" aria-live="off">
              {value.length} / {maxLength}
            </p>
          )}
          {after}
        </>
      )}
    </FieldShell>
  );
}

export function SelectInput({
  label,
  help,
  error,
  required,
  value,
  onChange,
  options,
  placeholder = 'Choose…',
}: {
  readonly label: ReactNode;
  readonly help?: ReactNode;
  readonly error?: string;
  readonly required?: boolean;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly placeholder?: string;
}) {
  return (
    <FieldShell label={label} help={help} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          className="input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          aria-required={required || undefined}
        >
          <option value="">{placeholder}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** A form-level message (what failed, what to do) above the submit button. */
export function FormError({ message }: { readonly message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
