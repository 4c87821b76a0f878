/**
 * The case page's frame: loads the case once, shows its title, status, phase and
 * flags, a navigation of the case's parts, and renders the part (an Outlet) with
 * the case in context (names of participants and care-team members).
 */
import { createContext, useContext, useMemo } from 'react';
import { Link, NavLink, Outlet, useParams } from 'react-router';

import { Loading, ErrorNotice } from '../ui/Status';
import { clinicalPaths } from './clinical-paths';
import { Badge } from './components';
import { CASE_STATUS_LABELS, PHASE_LABELS } from './labels';
import { counselorPaths } from './paths';
import { useCase, type CaseView } from './queries';

export interface CaseContextValue {
  readonly caseId: string;
  readonly caseView: CaseView;
  /** A participant's display name (or "a former participant"). */
  readonly clientName: (clientId: string | null | undefined) => string;
  /** A care-team member's display name (or "a colleague"). */
  readonly memberName: (membershipId: string | null | undefined) => string;
}

const CaseContext = createContext<CaseContextValue | undefined>(undefined);

export function useCaseContext(): CaseContextValue {
  const value = useContext(CaseContext);
  if (value === undefined) throw new Error('useCaseContext outside CaseLayout');
  return value;
}

export function CaseFlags({ caseView, openAlerts = 0 }: { readonly caseView: CaseView; readonly openAlerts?: number }) {
  const flags = [];
  if (caseView.safety?.status === 'safety_hold')
    flags.push(
      <Badge key="hold" tone="danger">
        Safety hold
      </Badge>,
    );
  if (openAlerts > 0)
    flags.push(
      <Badge key="alerts" tone="danger">
        {openAlerts === 1 ? '1 open safety alert' : `${openAlerts} open safety alerts`}
      </Badge>,
    );
  if (caseView.secretsPolicy !== undefined && !caseView.secretsPolicy.allSigned)
    flags.push(
      <Badge key="policy" tone="warn">
        Secrets policy not signed by everyone
      </Badge>,
    );
  if (flags.length === 0) return null;
  return (
    <ul className="cw-flags" aria-label="Flags">
      {flags.map((flag) => (
        <li key={flag.key}>{flag}</li>
      ))}
    </ul>
  );
}

const PARTS: readonly { readonly label: string; readonly to: (caseId: string) => string; readonly end?: boolean }[] = [
  { label: 'Overview', to: counselorPaths.case, end: true },
  { label: 'Repair plan', to: counselorPaths.plan },
  { label: 'Homework', to: counselorPaths.homework },
  { label: 'Trust ledger', to: counselorPaths.ledger },
  { label: 'Boundary events', to: counselorPaths.boundaries },
  { label: 'Readiness', to: counselorPaths.readiness },
  { label: 'Timeline', to: counselorPaths.timeline },
  { label: 'Disclosure log', to: counselorPaths.disclosures },
  { label: 'Sessions', to: clinicalPaths.sessions },
  { label: 'Progress notes', to: clinicalPaths.notes },
  { label: 'Private notes', to: clinicalPaths.privateNotes },
  { label: 'Measures', to: clinicalPaths.measures },
  { label: 'Safety', to: clinicalPaths.safety },
];

export function CaseLayout() {
  const { caseId = '' } = useParams();
  const query = useCase(caseId);
  const value = useMemo<CaseContextValue | undefined>(() => {
    const caseView = query.data;
    if (caseView === undefined) return undefined;
    const clients = new Map(caseView.participants.map((p) => [p.clientId.toLowerCase(), p.displayName]));
    const members = new Map(caseView.careTeam.map((m) => [m.membershipId.toLowerCase(), m.displayName]));
    return {
      caseId,
      caseView,
      clientName: (clientId) =>
        (clientId !== null && clientId !== undefined ? clients.get(clientId.toLowerCase()) : undefined) ??
        'a former participant',
      memberName: (membershipId) =>
        (membershipId !== null && membershipId !== undefined ? members.get(membershipId.toLowerCase()) : undefined) ??
        'a colleague',
    };
  }, [caseId, query.data]);

  if (query.isPending)
    return (
      <div className="cw-case">
        <Loading label="Loading the case…" />
      </div>
    );
  if (value === undefined)
    return (
      <div className="cw-case">
        <h1>Case</h1>
        <ErrorNotice error={query.error} title="This case could not be loaded" onRetry={() => void query.refetch()} />
        <p>
          <Link to={counselorPaths.caseload()}>Back to the caseload</Link>
        </p>
      </div>
    );
  const { caseView } = value;
  return (
    <CaseContext.Provider value={value}>
      <div className="cw-case">
        <div className="cw-case__banner">
          <p className="cw-breadcrumb">
            <Link to={counselorPaths.caseload()}>Caseload</Link> <span aria-hidden="true">›</span>{' '}
            <span>{caseView.title ?? 'Case'}</span>
          </p>
          <p className="cw-case__meta">
            <Badge tone="info">{CASE_STATUS_LABELS[caseView.status]}</Badge>{' '}
            <Badge>{caseView.phase ? PHASE_LABELS[caseView.phase] : 'No plan yet'}</Badge>{' '}
            <span className="cw-muted">
              {caseView.participants.map((p, index) => (
                <span key={p.clientId}>
                  {index > 0 && ' · '}
                  <Link to={`/counselor/clients/${p.clientId}`}>{p.displayName}</Link>
                  {p.roleLabel ? ` (${p.roleLabel})` : ''}
                </span>
              ))}
            </span>
          </p>
          <CaseFlags caseView={caseView} />
        </div>
        <nav className="cw-case__nav" aria-label="Case sections">
          <ul>
            {PARTS.map((part) => (
              <li key={part.label}>
                <NavLink to={part.to(caseId)} end={part.end}>
                  {part.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="cw-case__body">
          <Outlet />
        </div>
      </div>
    </CaseContext.Provider>
  );
}
