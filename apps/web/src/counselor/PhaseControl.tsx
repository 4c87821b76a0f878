/** Moving a case along the phase spine (dated, with a reason), and the phase history. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import { QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { fieldErrorsOf, Notice, ProblemSummary, SelectInput, SubmitButton, TextInput } from './components';
import { formatDateTime, PHASE_LABELS, PHASES, type Phase } from './labels';
import { counselorKeys, usePhaseChanges } from './queries';

export function PhaseControl({ caseId, currentPhase }: { readonly caseId: string; readonly currentPhase: Phase }) {
  const client = useQueryClient();
  const { memberName } = useCaseContext();
  const [open, setOpen] = useState(false);
  const [toPhase, setToPhase] = useState<Phase | ''>('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  const history = usePhaseChanges(caseId);
  const mutation = useMutation({
    mutationFn: (body: { toPhase: Phase; reason: string }) =>
      call(api.POST('/api/v1/cases/{caseId}/plan/phase', { params: { path: { caseId } }, body })),
    onSuccess: async (change) => {
      setDone(`Moved to ${PHASE_LABELS[change.toPhase]}.`);
      setOpen(false);
      setToPhase('');
      setReason('');
      await client.invalidateQueries({ queryKey: counselorKeys.case(caseId) });
      await client.invalidateQueries({ queryKey: ['cases', 'list'] });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (toPhase === '') return;
    mutation.mutate({ toPhase, reason });
  };
  return (
    <div className="cw-phase">
      {done !== undefined && <Notice>{done}</Notice>}
      {!open ? (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setOpen(true);
            setDone(undefined);
          }}
        >
          Change phase
        </button>
      ) : (
        <form className="form" onSubmit={submit} aria-label="Change the phase">
          <SelectInput<Phase>
            label="New phase"
            required
            value={toPhase}
            error={errors.toPhase}
            onChange={setToPhase}
            options={[
              { value: '', label: 'Choose a phase' },
              ...PHASES.map((phase) => ({
                value: phase,
                label: PHASE_LABELS[phase],
                disabled: phase === currentPhase,
              })),
            ]}
          />
          <TextInput
            label="Reason"
            hint="Seen by the care team only."
            required
            multiline
            maxLength={2000}
            value={reason}
            error={errors.reason}
            onChange={setReason}
          />
          <ProblemSummary error={mutation.error} />
          <div className="form-actions">
            <SubmitButton pending={mutation.isPending} disabled={toPhase === '' || reason.trim() === ''}>
              Move to this phase
            </SubmitButton>
            <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <details className="cw-details">
        <summary>Phase history</summary>
        <QueryView query={history} label="Loading the phase history…">
          {(changes) =>
            changes.length === 0 ? (
              <p className="cw-muted">The phase has not changed yet.</p>
            ) : (
              <ol className="cw-list">
                {changes.map((change) => (
                  <li key={change.id}>
                    {formatDateTime(change.changedAt)}: {change.fromPhase} → {change.toPhase} by{' '}
                    {memberName(change.changedByMembershipId)}
                    {change.reason !== null && <span className="cw-muted"> — {change.reason}</span>}
                  </li>
                ))}
              </ol>
            )
          }
        </QueryView>
      </details>
    </div>
  );
}
