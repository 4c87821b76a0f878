/**
 * The safety alerts inbox (/counselor/alerts): every alert of the caller's
 * caseload (care team, supervised, or escalated to them), open ones first and
 * most urgent first, refreshed every few seconds. Each shows its case, who it is
 * about, what kind of signal raised it (never the content), and its
 * acknowledgement and escalation status; "Acknowledge" records who and when and
 * stops the escalation.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { clinicalPaths } from './clinical-paths';
import { clinicalKeys, TIER_LABELS, TRIGGER_LABELS, useAlertsInbox, type SafetyAlert } from './clinical-queries';
import { Badge, Notice, ProblemSummary, RadioGroup } from './components';
import { formatDateTime } from './labels';
import { counselorKeys, useCase } from './queries';

type Filter = 'open' | 'all';

/** Acknowledgement and escalation status in words. */
export function alertStatus(alert: SafetyAlert, memberName: (id: string | null) => string): string {
  if (alert.status === 'acknowledged')
    return `Acknowledged by ${memberName(alert.acknowledgedByMembershipId)} on ${formatDateTime(alert.acknowledgedAt)}${
      alert.escalatedAt !== null ? ` (after it was escalated on ${formatDateTime(alert.escalatedAt)})` : ''
    }.`;
  if (alert.escalatedAt !== null)
    return `Not acknowledged: escalated to ${memberName(alert.escalatedToMembershipId)} on ${formatDateTime(alert.escalatedAt)}.`;
  if (alert.escalationDueAt !== null)
    return `Not acknowledged yet: escalates to the clinic's escalation contact on ${formatDateTime(alert.escalationDueAt)} unless acknowledged.`;
  return 'Not acknowledged yet.';
}

export function AcknowledgeButton({
  alert,
  onDone,
  describedBy,
}: {
  readonly alert: SafetyAlert;
  readonly onDone: () => void;
  /** The id of the text that says which alert this is (every button is named "Acknowledge"). */
  readonly describedBy?: string;
}) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/safety-alerts/{alertId}/acknowledge', {
          params: { path: { caseId: alert.caseId, alertId: alert.id } },
        }),
      ),
    onSuccess: async () => {
      onDone();
      await client.invalidateQueries({ queryKey: clinicalKeys.alerts });
      await client.invalidateQueries({ queryKey: clinicalKeys.caseAlerts(alert.caseId) });
      await client.invalidateQueries({ queryKey: counselorKeys.openAlerts });
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button--small"
        aria-describedby={describedBy}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Acknowledging…' : 'Acknowledge'}
      </button>
      <ProblemSummary error={mutation.error} title="The alert was not acknowledged" />
    </>
  );
}

function AlertRow({ alert, onAcknowledged }: { readonly alert: SafetyAlert; readonly onAcknowledged: () => void }) {
  const caseQuery = useCase(alert.caseId);
  const caseView = caseQuery.data;
  const title = caseView?.title ?? 'Case';
  const subject =
    alert.subjectClientId === null
      ? 'the case as a whole'
      : (caseView?.participants.find((p) => p.clientId.toLowerCase() === alert.subjectClientId?.toLowerCase())
          ?.displayName ?? 'a participant');
  const memberName = (id: string | null) =>
    (id !== null
      ? caseView?.careTeam.find((member) => member.membershipId.toLowerCase() === id.toLowerCase())?.displayName
      : undefined) ?? 'a colleague';
  return (
    <li className={`cw-entry mc-alert mc-alert--tier${alert.tier}${alert.status === 'open' ? ' mc-alert--open' : ''}`}>
      <p>
        <Badge tone={alert.tier === 1 ? 'danger' : alert.tier === 2 ? 'warn' : 'neutral'}>
          {TIER_LABELS[alert.tier]}
        </Badge>{' '}
        {alert.status === 'open' ? <Badge tone="danger">Open</Badge> : <Badge tone="good">Acknowledged</Badge>}{' '}
        {alert.escalatedAt !== null && <Badge tone="warn">Escalated</Badge>}
      </p>
      <p id={`alert-${alert.id}`}>
        <strong>{TRIGGER_LABELS[alert.trigger] ?? 'A safety signal'}</strong> about {subject} in{' '}
        <Link to={clinicalPaths.safety(alert.caseId)}>{title}</Link>
      </p>
      <p className="cw-muted">Raised {formatDateTime(alert.raisedAt)}</p>
      <p data-testid="alert-status">{alertStatus(alert, memberName)}</p>
      {alert.suggestSafetyHold && alert.status === 'open' && (
        <p className="cw-muted">
          Consider a safety hold for this case (nothing is automatic):{' '}
          <Link to={clinicalPaths.safety(alert.caseId)}>safety of {title}</Link>.
        </p>
      )}
      {alert.status === 'open' && (
        <AcknowledgeButton alert={alert} onDone={onAcknowledged} describedBy={`alert-${alert.id}`} />
      )}
    </li>
  );
}

export function AlertsPage() {
  const inbox = useAlertsInbox();
  const [filter, setFilter] = useState<Filter>('open');
  const [notice, setNotice] = useState<string>();
  return (
    <Page title="Safety alerts">
      <p className="cw-lede">
        Alerts from measures, free-text scans, check-ins and the care team. They never contain what was written: open a
        case to see its detail. Tier-1 alerts escalate to the clinic&apos;s escalation contact when nobody acknowledges
        them in time. This list refreshes by itself.
      </p>
      {notice !== undefined && <Notice>{notice}</Notice>}
      <RadioGroup<Filter>
        legend="Show"
        name="alert-filter"
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'open', label: 'Open alerts' },
          { value: 'all', label: 'All alerts' },
        ]}
      />
      <QueryView query={inbox} label="Loading safety alerts…">
        {(alerts) => {
          const shown = filter === 'open' ? alerts.filter((alert) => alert.status === 'open') : alerts;
          return shown.length === 0 ? (
            <Empty>{filter === 'open' ? 'No open safety alerts.' : 'No safety alerts.'}</Empty>
          ) : (
            <ul className="cw-entries mc-alerts" aria-label="Safety alerts">
              {shown.map((alert) => (
                <AlertRow
                  key={alert.id}
                  alert={alert}
                  onAcknowledged={() => setNotice('The alert was acknowledged. Its escalation is stopped.')}
                />
              ))}
            </ul>
          );
        }}
      </QueryView>
    </Page>
  );
}
