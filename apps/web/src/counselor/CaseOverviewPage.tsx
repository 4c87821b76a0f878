/**
 * A case at a glance: phase (and moving it), homework per participant (due,
 * overdue, awaiting review, completion), the trust-ledger summary and the
 * secrets-policy signatures.
 */
import { Link } from 'react-router';

import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { Badge, Facts, Section } from './components';
import { formatDay, formatDateTime, percent, PHASE_LABELS, VISIBILITY_LABELS } from './labels';
import { LedgerSummaryTable } from './LedgerPage';
import { counselorPaths } from './paths';
import { PhaseControl } from './PhaseControl';
import { useHomeworkOverview, useLedgerSummary, usePlan, useSecretsPolicy } from './queries';

type OverviewItem = Schemas['OverviewItemResponse'];

function ItemList({
  caseId,
  items,
  empty,
}: {
  readonly caseId: string;
  readonly items: readonly OverviewItem[];
  readonly empty: string;
}) {
  if (items.length === 0) return <p className="cw-muted">{empty}</p>;
  return (
    <ul className="cw-list">
      {items.map((item) => (
        <li key={item.occurrenceId}>
          <Link to={counselorPaths.review(caseId, item.occurrenceId)}>{item.exercise.title}</Link>{' '}
          <span className="cw-muted">
            due {formatDay(item.dueOn)} · {VISIBILITY_LABELS[item.visibility].name}
            {item.part !== null ? ` · part: ${item.part}` : ''}
          </span>{' '}
          {item.reviewReasons.includes('release_approval') && <Badge tone="info">Release approval</Badge>}{' '}
          {item.reviewReasons.includes('feedback') && <Badge tone="info">Feedback</Badge>}
        </li>
      ))}
    </ul>
  );
}

export function HomeworkOverviewPanel({ caseId }: { readonly caseId: string }) {
  const { clientName } = useCaseContext();
  const overview = useHomeworkOverview(caseId, 4);
  return (
    <QueryView query={overview} label="Loading homework…">
      {(data) =>
        data.participants.length === 0 ? (
          <Empty>No homework yet.</Empty>
        ) : (
          <div className="cw-grid">
            {data.participants.map((participant) => (
              <article key={participant.clientId} className="cw-card" aria-labelledby={`hw-${participant.clientId}`}>
                <h3 id={`hw-${participant.clientId}`}>
                  {clientName(participant.clientId)}
                  {participant.role !== null && <span className="cw-muted"> · {participant.role}</span>}
                </h3>
                <p className="cw-muted">Their today: {formatDay(participant.today)}</p>
                <ul className="cw-counts" aria-label={`Homework counts for ${clientName(participant.clientId)}`}>
                  <li>
                    <span className="cw-counts__value">{participant.counts.due}</span> due
                  </li>
                  <li className={participant.counts.overdue > 0 ? 'cw-counts--warn' : undefined}>
                    <span className="cw-counts__value">{participant.counts.overdue}</span> overdue
                  </li>
                  <li className={participant.counts.awaitingReview > 0 ? 'cw-counts--info' : undefined}>
                    <span className="cw-counts__value">{participant.counts.awaitingReview}</span> to review
                  </li>
                  <li>
                    <span className="cw-counts__value">{percent(participant.window.completionRate)}</span> completed (
                    {data.weeks} weeks)
                  </li>
                </ul>
                <h4>Awaiting your review</h4>
                <ItemList caseId={caseId} items={participant.awaitingReview} empty="Nothing to review." />
                <h4>Overdue</h4>
                <ItemList caseId={caseId} items={participant.overdue} empty="Nothing overdue." />
                <h4>Due now</h4>
                <ItemList caseId={caseId} items={participant.due} empty="Nothing due." />
              </article>
            ))}
          </div>
        )
      }
    </QueryView>
  );
}

function SecretsPolicyPanel({ caseId }: { readonly caseId: string }) {
  const policy = useSecretsPolicy(caseId);
  const { clientName } = useCaseContext();
  return (
    <QueryView query={policy} label="Loading the secrets policy…">
      {(data) =>
        data.current === null ? (
          <p>No secrets policy is set.</p>
        ) : (
          <>
            <p>
              Version {data.current.version} ({data.current.kind.replace(/_/g, ' ')}):{' '}
              {data.complete ? (
                <Badge tone="good">signed by everyone</Badge>
              ) : (
                <Badge tone="warn">individual channels stay closed until everyone signs</Badge>
              )}
            </p>
            <ul className="cw-list">
              {data.participants.map((participant) => (
                <li key={participant.clientId}>
                  {clientName(participant.clientId)}:{' '}
                  {participant.signed ? `signed ${formatDateTime(participant.signedAt)}` : 'not signed yet'}
                </li>
              ))}
            </ul>
          </>
        )
      }
    </QueryView>
  );
}

export function CaseOverviewPage() {
  const { caseId, caseView } = useCaseContext();
  const plan = usePlan(caseId);
  const ledger = useLedgerSummary(caseId);
  return (
    <Page title={`Overview · ${caseView.title ?? 'Case'}`} heading={caseView.title ?? 'Case'}>
      <div className="cw-columns">
        <Section title="Phase">
          <QueryView query={plan} label="Loading the plan…">
            {(data) => (
              <>
                <Facts
                  items={[
                    [
                      'Current phase',
                      data.revision === 0 && caseView.phase == null ? 'No plan yet (P0)' : PHASE_LABELS[data.phase],
                    ],
                    ['Since', formatDateTime(data.phaseChangedAt)],
                    ['Plan revision', data.revision === 0 ? 'Not written yet' : String(data.revision)],
                    ['Next plan review', formatDay(data.content.reviewDate)],
                  ]}
                />
                <PhaseControl caseId={caseId} currentPhase={data.phase} />
              </>
            )}
          </QueryView>
        </Section>
        <Section title="Secrets policy">
          <SecretsPolicyPanel caseId={caseId} />
        </Section>
      </div>
      <Section
        title="Homework"
        actions={
          <Link className="button" to={counselorPaths.assign(caseId)}>
            Assign an exercise
          </Link>
        }
      >
        <HomeworkOverviewPanel caseId={caseId} />
      </Section>
      <Section title="Trust ledger" actions={<Link to={counselorPaths.ledger(caseId)}>All entries</Link>}>
        <QueryView query={ledger} label="Loading the ledger summary…">
          {(data) => <LedgerSummaryTable summary={data} />}
        </QueryView>
      </Section>
    </Page>
  );
}
