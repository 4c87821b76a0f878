/**
 * The plan's revision history and the difference between two revisions: per
 * section, items added, removed and changed (each changed field before → after),
 * and a moved review date.
 */
import { useSearchParams } from 'react-router';

import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { Badge, Section, SelectInput } from './components';
import { formatDay, formatDateTime, plural } from './labels';
import { usePlanDiff, usePlanRevisions } from './queries';

type SectionKey = keyof Schemas['PlanSectionsDiffResponse'];

const SECTIONS: readonly { key: SectionKey; label: string; main: string }[] = [
  { key: 'breachAssessment', label: 'Breach assessment', main: 'text' },
  { key: 'goals', label: 'Goals', main: 'title' },
  { key: 'commitments', label: 'Commitments', main: 'what' },
  { key: 'boundaries', label: 'Boundaries', main: 'description' },
  { key: 'needs', label: 'Needs', main: 'text' },
  { key: 'contingencyPlans', label: 'Contingency plans', main: 'trigger' },
];

/** A value of a plan item as a short readable text (arrays of objects as counts). */
function show(value: unknown, clientName: (id: string) => string): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string'))
      return value.length === 0 ? '(everyone)' : value.map((id) => clientName(id)).join(', ');
    return plural(value.length, 'item');
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function label(item: Record<string, unknown>, main: string): string {
  const value = item[main];
  return typeof value === 'string' && value !== '' ? value : 'An item';
}

function DiffView({ diff }: { readonly diff: Schemas['PlanDiffResponse'] }) {
  const { clientName } = useCaseContext();
  const name = (id: string) => clientName(id);
  if (diff.changeCount === 0) return <Empty>No differences between these revisions.</Empty>;
  return (
    <div className="cw-diff">
      <p>
        {plural(diff.changeCount, 'change')} from revision {diff.from} to revision {diff.to}.
      </p>
      {diff.reviewDate !== null && (
        <p>
          <Badge tone="info">Review date</Badge> {formatDay(diff.reviewDate.from)} → {formatDay(diff.reviewDate.to)}
        </p>
      )}
      {SECTIONS.map(({ key, label: sectionLabel, main }) => {
        const section = diff.sections[key];
        const count = section.added.length + section.removed.length + section.changed.length;
        if (count === 0) return null;
        return (
          <Section key={key} title={`${sectionLabel} (${plural(count, 'change')})`} level={3}>
            <ul className="cw-diff__list">
              {section.added.map((item, index) => (
                <li key={`a${index}`} className="cw-diff__added">
                  <Badge tone="good">Added</Badge> <ins>{label(item, main)}</ins>
                </li>
              ))}
              {section.removed.map((item, index) => (
                <li key={`r${index}`} className="cw-diff__removed">
                  <Badge tone="warn">Removed</Badge> <del>{label(item, main)}</del>
                </li>
              ))}
              {section.changed.map((change) => (
                <li key={change.id} className="cw-diff__changed">
                  <Badge tone="info">Changed</Badge> {label(change.after, main)}
                  <dl className="cw-diff__fields">
                    {change.fields.map((field) => (
                      <div key={field} className="cw-facts__row">
                        <dt>{field}</dt>
                        <dd>
                          <del>{show(change.before[field], name)}</del> <span aria-hidden="true">→</span>
                          <span className="cw-visually-hidden"> changed to </span>{' '}
                          <ins>{show(change.after[field], name)}</ins>
                        </dd>
                      </div>
                    ))}
                  </dl>
                </li>
              ))}
            </ul>
          </Section>
        );
      })}
    </div>
  );
}

export function PlanHistoryPage() {
  const { caseId, caseView, memberName } = useCaseContext();
  const revisions = usePlanRevisions(caseId);
  const [params, setParams] = useSearchParams();
  const latest = revisions.data?.at(-1)?.revision ?? 0;
  const to = Number(params.get('to') ?? latest);
  const from = Number(params.get('from') ?? Math.max(0, to - 1));
  const valid = Number.isInteger(from) && Number.isInteger(to) && to >= 1 && from >= 0 && from < to;
  const diff = usePlanDiff(caseId, from, to, valid && latest > 0);
  const choose = (nextFrom: number, nextTo: number) =>
    setParams({ from: String(nextFrom), to: String(nextTo) }, { replace: true });
  return (
    <Page title={`Plan history · ${caseView.title ?? 'Case'}`} heading="Repair plan history">
      <QueryView query={revisions} label="Loading the revisions…">
        {(list) =>
          list.length === 0 ? (
            <Empty>The plan has not been written yet.</Empty>
          ) : (
            <>
              <Section title="Compare revisions">
                <form
                  className="cw-filters"
                  aria-label="Choose the revisions to compare"
                  onSubmit={(e) => e.preventDefault()}
                >
                  <SelectInput
                    label="From"
                    value={String(from)}
                    onChange={(value) => choose(Number(value), Math.max(Number(value) + 1, to))}
                    options={[
                      { value: '0', label: '0 · the empty plan' },
                      ...list
                        .filter((r) => r.revision < latest)
                        .map((r) => ({
                          value: String(r.revision),
                          label: `${r.revision} · ${formatDateTime(r.createdAt)}`,
                        })),
                    ]}
                  />
                  <SelectInput
                    label="To"
                    value={String(to)}
                    onChange={(value) => choose(Math.min(from, Number(value) - 1), Number(value))}
                    options={list.map((r) => ({
                      value: String(r.revision),
                      label: `${r.revision} · ${formatDateTime(r.createdAt)}`,
                    }))}
                  />
                </form>
                {!valid ? (
                  <p className="field__error">Choose an earlier “from” than “to”.</p>
                ) : (
                  <QueryView query={diff} label="Comparing…">
                    {(data) => <DiffView diff={data} />}
                  </QueryView>
                )}
              </Section>
              <Section title="Revisions">
                <ol className="cw-entries" reversed>
                  {[...list].reverse().map((revision) => (
                    <li key={revision.revision} className="cw-entry">
                      <p>
                        <strong>Revision {revision.revision}</strong> · {formatDateTime(revision.createdAt)} by{' '}
                        {memberName(revision.authorMembershipId)}
                      </p>
                      {revision.changeNote !== null && <p className="cw-quote">{revision.changeNote}</p>}
                      <button
                        type="button"
                        className="button button--secondary"
                        onClick={() => choose(revision.revision - 1, revision.revision)}
                        aria-label={`Show what changed in revision ${revision.revision}`}
                      >
                        What changed
                      </button>
                    </li>
                  ))}
                </ol>
              </Section>
            </>
          )
        }
      </QueryView>
    </Page>
  );
}
