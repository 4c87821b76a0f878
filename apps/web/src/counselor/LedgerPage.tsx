/**
 * The trust ledger: per commitment and participant, kept / partly kept / missed,
 * disputes, current and longest run of kept; and every entry with confirmations
 * and disputes (corrections stay listed, never edited).
 */
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { Badge, Section } from './components';
import { CHECK_IN_LABELS, formatDay, formatDateTime } from './labels';
import { useLedger, useLedgerSummary, usePlan } from './queries';

function useCommitmentName(caseId: string): (commitmentId: string) => string {
  const plan = usePlan(caseId);
  const commitments = plan.data?.content.commitments ?? [];
  return (commitmentId) =>
    commitments.find((c) => c.id?.toLowerCase() === commitmentId.toLowerCase())?.what ??
    'A commitment no longer in the plan';
}

export function LedgerSummaryTable({ summary }: { readonly summary: Schemas['LedgerSummaryResponse'] }) {
  const { caseId, clientName } = useCaseContext();
  const commitmentName = useCommitmentName(caseId);
  if (summary.commitments.length === 0) return <Empty>No check-ins recorded yet.</Empty>;
  return (
    <div className="cw-table-wrap" tabIndex={0} role="region" aria-label="Ledger summary (scrolls sideways)">
      <table className="cw-table">
        <caption className="cw-visually-hidden">Trust ledger summary per commitment and participant</caption>
        <thead>
          <tr>
            <th scope="col">Commitment</th>
            <th scope="col">Who</th>
            <th scope="col">Kept</th>
            <th scope="col">Partly</th>
            <th scope="col">Missed</th>
            <th scope="col">Disputed</th>
            <th scope="col">Run (longest)</th>
            <th scope="col">Last entry</th>
          </tr>
        </thead>
        <tbody>
          {summary.commitments.map((row) => (
            <tr key={`${row.commitmentId}-${row.participantClientId}`}>
              <th scope="row">{commitmentName(row.commitmentId)}</th>
              <td>{clientName(row.participantClientId)}</td>
              <td>{row.totals.kept}</td>
              <td>{row.totals.partlyKept}</td>
              <td>{row.totals.missed}</td>
              <td>{row.totals.disputed > 0 ? <Badge tone="warn">{row.totals.disputed}</Badge> : 0}</td>
              <td>
                {row.currentKeptRun} ({row.longestKeptRun})
              </td>
              <td>{formatDay(row.lastOccurredOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EntryList({ entries }: { readonly entries: Schemas['CheckInResponse'][] }) {
  const { caseId, clientName, memberName } = useCaseContext();
  const commitmentName = useCommitmentName(caseId);
  if (entries.length === 0) return <Empty>No check-ins recorded yet.</Empty>;
  const sorted = [...entries].sort((a, b) => (a.occurredOn < b.occurredOn ? 1 : a.occurredOn > b.occurredOn ? -1 : 0));
  return (
    <ol className="cw-entries">
      {sorted.map((entry) => (
        <li key={entry.id} className={`cw-entry${entry.correctedByCheckInId !== null ? ' cw-entry--superseded' : ''}`}>
          <p>
            <strong>{formatDay(entry.occurredOn)}</strong> · {clientName(entry.participantClientId)} ·{' '}
            {commitmentName(entry.commitmentId)}:{' '}
            <Badge tone={entry.status === 'kept' ? 'good' : entry.status === 'missed' ? 'warn' : 'neutral'}>
              {CHECK_IN_LABELS[entry.status]}
            </Badge>
            {entry.correctedByCheckInId !== null && <Badge>Corrected later</Badge>}
            {entry.correctsCheckInId !== null && <Badge tone="info">Correction</Badge>}
          </p>
          {entry.note !== null && <p className="cw-quote">{entry.note}</p>}
          <p className="cw-muted">
            Recorded {formatDateTime(entry.recordedAt)}
            {entry.recordedByKind === 'care_team' ? ` by ${memberName(entry.recordedByMembershipId)} (care team)` : ''}
          </p>
          {entry.responses.length > 0 && (
            <ul className="cw-list">
              {entry.responses.map((response) => (
                <li key={response.id}>
                  <Badge tone={response.response === 'disputed' ? 'warn' : 'good'}>
                    {response.response === 'disputed' ? 'Disputed' : 'Confirmed'}
                  </Badge>{' '}
                  by {clientName(response.responderClientId)} on {formatDateTime(response.respondedAt)}
                  {response.note !== null && <span className="cw-quote"> — {response.note}</span>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

export function LedgerPage() {
  const { caseId, caseView } = useCaseContext();
  const summary = useLedgerSummary(caseId);
  const ledger = useLedger(caseId);
  return (
    <Page title={`Trust ledger · ${caseView.title ?? 'Case'}`} heading="Trust ledger">
      <p className="cw-lede">
        A shared reference, not surveillance: what each participant recorded and how the other responded.
      </p>
      <Section title="Summary">
        <QueryView query={summary} label="Loading the summary…">
          {(data) => <LedgerSummaryTable summary={data} />}
        </QueryView>
      </Section>
      <Section title="Entries">
        <QueryView query={ledger} label="Loading the entries…">
          {(data) => <EntryList entries={data.entries} />}
        </QueryView>
      </Section>
    </Page>
  );
}
