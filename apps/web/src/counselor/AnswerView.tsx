/**
 * A submission's answers, read-only, laid out by the pinned response schema:
 * every field type of clinical.md §2.1 shown as a person would read it.
 */
import type { Field, ScalarField } from './exercise-content';
import { formatDay, formatDateTime } from './labels';

const UNIT_LABELS: Record<string, string> = {
  hours: 'hours',
  minutes: 'minutes',
  days: 'days',
  months: 'months',
  count: '',
  meals: 'meals',
  drinks: 'drinks',
};

/** A primitive as text; anything else as JSON (answers are JSON values). */
export function asText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

function optionLabel(field: { readonly options: readonly { value: string; label: string }[] }, value: unknown): string {
  return field.options.find((option) => option.value === value)?.label ?? asText(value);
}

/** A scalar answer as text (undefined: not answered). */
export function formatScalar(field: ScalarField, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  switch (field.type) {
    case 'text':
      return asText(value);
    case 'rating_0_10': {
      const anchor = field.anchors?.find((a) => a.value === value)?.label;
      return `${asText(value)} / 10${anchor ? ` (${anchor})` : ''}`;
    }
    case 'likert_1_5': {
      const anchor = field.anchors?.find((a) => a.value === value)?.label;
      return `${asText(value)} / 5${anchor ? ` (${anchor})` : ''}`;
    }
    case 'select':
      return optionLabel(field, value);
    case 'checklist': {
      const answer = value as { selected?: unknown; other?: unknown };
      const selected = Array.isArray(answer.selected) ? answer.selected.map((item) => optionLabel(field, item)) : [];
      if (typeof answer.other === 'string' && answer.other !== '')
        selected.push(`${field.otherLabel ?? 'Other'}: ${answer.other}`);
      return selected.length === 0 ? undefined : selected.join('; ');
    }
    case 'bool':
      return value === true ? 'Yes' : value === false ? 'No' : asText(value);
    case 'date':
      return formatDay(asText(value));
    case 'datetime':
      return formatDateTime(asText(value));
    case 'time':
      return asText(value);
    case 'number': {
      const unit = UNIT_LABELS[field.unit] ?? field.unit;
      return `${asText(value)}${unit ? ` ${unit}` : ''}`;
    }
    case 'unsupported':
      return JSON.stringify(value);
  }
}

function FieldAnswer({ field, value }: { readonly field: Field; readonly value: unknown }) {
  if (field.type === 'rows') {
    const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
    return (
      <>
        <dt>{field.label}</dt>
        <dd>
          {rows.length === 0 ? (
            <span className="cw-muted">Not answered</span>
          ) : (
            <ol className="cw-rows">
              {rows.map((row, index) => (
                <li key={index}>
                  <span className="cw-visually-hidden">
                    {field.rowLabel ?? 'Row'} {index + 1}
                  </span>
                  <dl className="answers">
                    {field.columns.map((column) => (
                      <div key={column.key}>
                        <dt>{column.label}</dt>
                        <dd>
                          {formatScalar(column, row[column.key]) ?? <span className="cw-muted">Not answered</span>}
                        </dd>
                      </div>
                    ))}
                  </dl>
                </li>
              ))}
            </ol>
          )}
        </dd>
      </>
    );
  }
  const text = formatScalar(field, value);
  return (
    <>
      <dt>{field.label}</dt>
      <dd>{text ?? <span className="cw-muted">Not answered</span>}</dd>
    </>
  );
}

export function AnswerView({
  fields,
  answers,
}: {
  readonly fields: readonly Field[];
  readonly answers: Record<string, unknown>;
}) {
  return (
    <dl className="answers">
      {fields.map((field) => (
        <div key={field.key}>
          <FieldAnswer field={field} value={answers[field.key]} />
        </div>
      ))}
    </dl>
  );
}
