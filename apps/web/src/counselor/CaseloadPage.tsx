/**
 * The caseload: the counselor's cases with status, phase, what is due, overdue or
 * awaiting review and the next item due (the caseload's `include=homework`: one
 * request for the page) and flags (safety hold, open safety alerts, unsigned
 * secrets policy). Filters by status, phase and name.
 */
import { useState } from 'react';
import { Link } from 'react-router';

import { formatDay } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, Loading } from '../ui/Status';
import { CaseFlags } from './CaseLayout';
import { Badge, SelectInput, TextInput } from './components';
import { CASE_STATUS_LABELS, PHASE_LABELS, PHASES, type Phase } from './labels';
import { counselorPaths } from './paths';
import { useCaseload, useOpenAlertCounts, type CaseListQuery, type CaseView } from './queries';

type CaseHomework = NonNullable<CaseView['homework']>;

type StatusFilter = 'open' | 'intake' | 'active' | 'on_hold' | 'closed' | 'all';

const STATUS_FILTERS: Record<StatusFilter, { label: string; statuses: CaseListQuery['status'] }> = {
  open: { label: 'Open cases (intake, active, on hold)', statuses: ['intake', 'active', 'on_hold'] },
  intake: { label: 'Intake', statuses: ['intake'] },
  active: { label: 'Active', statuses: ['active'] },
  on_hold: { label: 'On hold', statuses: ['on_hold'] },
  closed: { label: 'Closed', statuses: ['closed'] },
  all: { label: 'All cases', statuses: [] },
};

function HomeworkCounts({
  homework,
  participants,
}: {
  readonly homework: CaseHomework;
  readonly participants: CaseView['participants'];
}) {
  const next = homework.nextDue;
  // Whose item it is, when the case has more than one participant.
  const owner =
    next !== null && participants.length > 1
      ? participants.find((p) => p.clientId.toLowerCase() === next.clientId.toLowerCase())?.displayName
      : undefined;
  return (
    <>
      <ul className="cw-counts" aria-label="Homework">
        <li>
          <span className="cw-counts__value">{homework.due}</span> due
        </li>
        <li className={homework.overdue > 0 ? 'cw-counts--warn' : undefined}>
          <span className="cw-counts__value">{homework.overdue}</span> overdue
        </li>
        <li className={homework.awaitingReview > 0 ? 'cw-counts--info' : undefined}>
          <span className="cw-counts__value">{homework.awaitingReview}</span> to review
        </li>
      </ul>
      {next !== null && (
        <p className="cw-muted">
          Next due: {next.exerciseTitle}
          {owner !== undefined && ` (${owner})`}, {formatDay(next.dueOn)}
        </p>
      )}
    </>
  );
}

function CaseCard({ caseView, openAlerts }: { readonly caseView: CaseView; readonly openAlerts: number }) {
  const careTeamView = caseView.view === 'care_team';
  return (
    <li className="cw-card cw-caseload__item">
      <h2 className="cw-card__title">
        <Link to={counselorPaths.case(caseView.id)}>{caseView.title ?? 'Case'}</Link>
      </h2>
      <p className="cw-case__meta">
        <Badge tone="info">{CASE_STATUS_LABELS[caseView.status]}</Badge>{' '}
        <Badge>{caseView.phase ? PHASE_LABELS[caseView.phase] : 'No plan yet'}</Badge>{' '}
        <span className="cw-muted">{caseView.type}</span>
      </p>
      <p className="cw-muted">
        {caseView.participants.map((p) => `${p.displayName}${p.roleLabel ? ` (${p.roleLabel})` : ''}`).join(' · ')}
      </p>
      <CaseFlags caseView={caseView} openAlerts={openAlerts} />
      {careTeamView && caseView.status !== 'closed' && caseView.homework !== undefined && (
        <HomeworkCounts homework={caseView.homework} participants={caseView.participants} />
      )}
    </li>
  );
}

export function CaseloadPage() {
  const [status, setStatus] = useState<StatusFilter>('open');
  const [phase, setPhase] = useState<Phase | ''>('');
  const [search, setSearch] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const query: CaseListQuery = {
    status: STATUS_FILTERS[status].statuses,
    ...(phase !== '' && { phase }),
    ...(search.trim() !== '' && { q: search.trim() }),
    ...(cursor !== undefined && { cursor }),
  };
  const caseload = useCaseload(query);
  const alerts = useOpenAlertCounts();
  const resetPaging = () => setCursors([]);

  return (
    <Page title="Caseload">
      <form className="cw-filters" role="search" aria-label="Filter the caseload" onSubmit={(e) => e.preventDefault()}>
        <SelectInput<StatusFilter>
          label="Status"
          value={status}
          onChange={(value) => {
            setStatus(value === '' ? 'open' : value);
            resetPaging();
          }}
          options={(Object.keys(STATUS_FILTERS) as StatusFilter[]).map((key) => ({
            value: key,
            label: STATUS_FILTERS[key].label,
          }))}
        />
        <SelectInput<Phase>
          label="Phase"
          value={phase}
          onChange={(value) => {
            setPhase(value);
            resetPaging();
          }}
          options={[{ value: '', label: 'Any phase' }, ...PHASES.map((p) => ({ value: p, label: PHASE_LABELS[p] }))]}
        />
        <TextInput
          label="Name or title"
          type="search"
          value={search}
          onChange={(value) => {
            setSearch(value);
            resetPaging();
          }}
          maxLength={100}
        />
      </form>
      {caseload.isPending ? (
        <Loading label="Loading your caseload…" />
      ) : caseload.data === undefined ? (
        <ErrorNotice
          error={caseload.error}
          title="Your caseload could not be loaded"
          onRetry={() => void caseload.refetch()}
        />
      ) : (
        <>
          {caseload.isFetching && (
            <p className="cw-muted" role="status">
              Updating…
            </p>
          )}
          {caseload.data.items.length === 0 ? (
            <Empty>No cases match these filters.</Empty>
          ) : (
            <ul className="cw-caseload" aria-label="Cases">
              {caseload.data.items.map((item) => (
                <CaseCard key={item.id} caseView={item} openAlerts={alerts.data?.get(item.id.toLowerCase()) ?? 0} />
              ))}
            </ul>
          )}
          <div className="cw-pager">
            {cursors.length > 0 && (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                Previous page
              </button>
            )}
            {caseload.data.nextCursor !== null && (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  const next = caseload.data?.nextCursor;
                  if (next) setCursors((c) => [...c, next]);
                }}
              >
                Next page
              </button>
            )}
          </div>
          {alerts.error !== null && (
            <p className="cw-muted">Safety alerts could not be loaded; the alert flags may be missing.</p>
          )}
        </>
      )}
    </Page>
  );
}
