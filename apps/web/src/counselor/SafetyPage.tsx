/**
 * Safety of a case (…/safety): the safety hold control, with what each partner
 * will see spelled out before it is turned on, and the case's alerts with their
 * acknowledgement and escalation status (clinical.md §4.3).
 */
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { AcknowledgeButton, alertStatus } from './AlertsPage';
import { useCaseContext } from './CaseLayout';
import { HOLD_MESSAGE_FOR_PARTICIPANTS, TIER_LABELS, TRIGGER_LABELS, useCaseAlerts } from './clinical-queries';
import { Badge, fieldErrorsOf, Notice, ProblemSummary, Section, SubmitButton, TextInput } from './components';
import { formatDateTime } from './labels';
import { useInvalidateCase } from './queries';

function HoldExplanation() {
  return (
    <div className="mc-explain" data-testid="hold-explanation">
      <p>
        <strong>What a safety hold does.</strong> While the case is on hold:
      </p>
      <ul>
        <li>shared and reveal exercises are suspended, and no new ones can be assigned;</li>
        <li>the shared plan, trust ledger and boundary events are closed to both partners;</li>
        <li>reminders of joint work and notifications to the partners stop;</li>
        <li>individual work with each partner and your own records carry on.</li>
      </ul>
      <p>
        <strong>What the other partner will see.</strong> Only a neutral message, the same for both partners: &ldquo;
        {HOLD_MESSAGE_FOR_PARTICIPANTS}&rdquo; Shared pages say that shared activities are paused and that the care team
        will be in touch. Nobody is told why, who it is about, or that a screen was positive.
      </p>
      <p>
        <strong>The reason you give</strong> is for the care team only: never shown to the partners or the clinic admin,
        never logged.
      </p>
    </div>
  );
}

function HoldControl() {
  const { caseId, caseView, memberName } = useCaseContext();
  const invalidate = useInvalidateCase(caseId);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string>();
  const safety = caseView.safety;
  const onHold = safety?.status === 'safety_hold';
  const mutation = useMutation({
    mutationFn: (body: { status: 'normal' | 'safety_hold'; reason?: string }) =>
      call(api.PUT('/api/v1/cases/{caseId}/safety', { params: { path: { caseId } }, body })),
    onSuccess: async (answer) => {
      setReason('');
      setNotice(
        answer.status === 'safety_hold'
          ? 'The case is on safety hold. The partners now see only the neutral message.'
          : 'The safety hold was lifted. Shared activities are open again.',
      );
      await invalidate();
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (onHold) mutation.mutate({ status: 'normal' });
    else if (reason.trim() !== '') mutation.mutate({ status: 'safety_hold', reason: reason.trim() });
  };
  return (
    <Section title="Safety hold">
      {notice !== undefined && <Notice>{notice}</Notice>}
      <p>
        {onHold ? (
          <>
            <Badge tone="danger">On safety hold</Badge> since {formatDateTime(safety?.changedAt)} (
            {memberName(safety?.changedByMembershipId)})
          </>
        ) : (
          <Badge tone="good">Not on hold</Badge>
        )}
      </p>
      {onHold && safety?.reason !== null && safety?.reason !== undefined && (
        <p>
          Reason (care team only): <span className="cw-quote">{safety.reason}</span>
        </p>
      )}
      <HoldExplanation />
      <form className="form" onSubmit={submit} aria-label={onHold ? 'Lift the safety hold' : 'Put on safety hold'}>
        {!onHold && (
          <TextInput
            label="Reason (care team only)"
            hint="Why the case goes on hold. Never shown to the partners."
            multiline
            required
            maxLength={2000}
            value={reason}
            error={errors.reason}
            onChange={setReason}
          />
        )}
        <ProblemSummary error={mutation.error} />
        <div className="form-actions">
          <SubmitButton
            pending={mutation.isPending}
            pendingLabel={onHold ? 'Lifting the hold…' : 'Putting on hold…'}
            disabled={!onHold && reason.trim() === ''}
          >
            {onHold ? 'Lift the safety hold' : 'Put the case on safety hold'}
          </SubmitButton>
        </div>
      </form>
    </Section>
  );
}

export function SafetyPage() {
  const { caseId, caseView, clientName, memberName } = useCaseContext();
  const alerts = useCaseAlerts(caseId);
  const [notice, setNotice] = useState<string>();
  return (
    <Page title={`Safety · ${caseView.title ?? 'Case'}`} heading="Safety">
      <HoldControl />
      <Section title="Alerts of this case">
        {notice !== undefined && <Notice>{notice}</Notice>}
        <QueryView query={alerts} label="Loading the case's alerts…">
          {(data) =>
            data.length === 0 ? (
              <Empty>No safety alert in this case.</Empty>
            ) : (
              <ul className="cw-entries" aria-label="Alerts of this case">
                {data.map((alert) => (
                  <li key={alert.id} className="cw-entry">
                    <p>
                      <Badge tone={alert.tier === 1 ? 'danger' : alert.tier === 2 ? 'warn' : 'neutral'}>
                        {TIER_LABELS[alert.tier]}
                      </Badge>{' '}
                      <strong>{TRIGGER_LABELS[alert.trigger] ?? 'A safety signal'}</strong> about{' '}
                      {alert.subjectClientId === null ? 'the case' : clientName(alert.subjectClientId)} ·{' '}
                      {formatDateTime(alert.raisedAt)}
                    </p>
                    <p>{alertStatus(alert, memberName)}</p>
                    {alert.status === 'open' && (
                      <AcknowledgeButton alert={alert} onDone={() => setNotice('The alert was acknowledged.')} />
                    )}
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
