import { formatInstant } from '../../ui/format';
import type { Answers } from './answers';
import type { Field, ScalarField } from './schema';

/** Submitted answers, read-only, labelled by the exercise's own questions. */
export function AnswersView({ fields, answers }: { readonly fields: readonly Field[]; readonly answers: Answers }) {
  const shown = fields.filter((field) => answers[field.key] !== undefined && answers[field.key] !== null);
  if (shown.length === 0) return <p className="muted">No answers.</p>;
  return (
    <dl className="answers">
      {shown.map((field) => (
        <div key={field.key}>
          <dt>{field.label}</dt>
          <dd>
            {field.type === 'rows' ? (
              <ol>
                {(Array.isArray(answers[field.key]) ? (answers[field.key] as Answers[]) : []).map((row, index) => (
                  <li key={index}>
                    {field.columns
                      .filter((column) => row[column.key] !== undefined && row[column.key] !== null)
                      .map((column) => (
                        <p key={column.key}>
                          <strong>{column.label}:</strong> {scalarText(column, row[column.key])}
                        </p>
                      ))}
                  </li>
                ))}
              </ol>
            ) : (
              scalarText(field, answers[field.key])
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function scalarText(field: ScalarField, value: unknown): string {
  switch (field.type) {
    case 'bool':
      return value === true ? 'Yes' : 'No';
    case 'select':
      return field.options.find((option) => option.value === value)?.label ?? String(value);
    case 'checklist': {
      const answer = value as { selected?: string[]; other?: string };
      const labels = (answer.selected ?? []).map(
        (selected) => field.options.find((option) => option.value === selected)?.label ?? selected,
      );
      if (answer.other !== undefined && answer.other !== '')
        labels.push(`${field.otherLabel ?? 'other'}: ${answer.other}`);
      return labels.join(', ');
    }
    case 'number':
      return `${String(value)} ${field.unit}`;
    case 'datetime':
      return typeof value === 'string' ? formatInstant(value) : String(value);
    case 'rating_0_10':
    case 'likert_1_5': {
      const anchor = field.anchors.find((item) => item.value === value);
      return anchor !== undefined ? `${String(value)} (${anchor.label})` : String(value);
    }
    case 'text':
    case 'date':
    case 'time':
    case 'unsupported':
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}
