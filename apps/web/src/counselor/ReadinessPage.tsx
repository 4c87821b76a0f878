/**
 * Readiness assessments (clinical.md S27): the counselor's rating, each
 * participant's own rating, and an outcome — continue, redefine or end (a valid
 * outcome, not a failure); optionally closing the case with it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import {
  Badge,
  Checkbox,
  Facts,
  fieldErrorsOf,
  Notice,
  ProblemSummary,
  RadioGroup,
  Section,
  SubmitButton,
  TextInput,
} from './components';
import { formatDay, formatDateTime, OUTCOME_LABELS, todayLocal } from './labels';
import { counselorKeys, useReadiness } from './queries';

type Outcome = NonNullable<Schemas['ReadinessResponse']['outcome']>;
const OUTCOMES = Object.keys(OUTCOME_LABELS) as Outcome[];

function OutcomeFields({
  outcome,
  setOutcome,
  reason,
  setReason,
  closeCase,
  setCloseCase,
  errors,
  allowPending,
}: {
  readonly outcome: Outcome | '';
  readonly setOutcome: (value: Outcome | '') => void;
  readonly reason: string;
  readonly setReason: (value: string) => void;
  readonly closeCase: boolean;
  readonly setCloseCase: (value: boolean) => void;
  readonly errors: Record<string, string>;
  readonly allowPending: boolean;
}) {
  return (
    <>
      <RadioGroup<Outcome | 'pending'>
        legend="Outcome"
        name="outcome"
        hint="Redefining or ending the relationship is a valid outcome."
        value={outcome === '' ? (allowPending ? 'pending' : '') : outcome}
        error={errors.outcome}
        onChange={(value) => setOutcome(value === 'pending' ? '' : value)}
        options={[
          ...(allowPending ? [{ value: 'pending' as const, label: 'Not decided yet (record it later)' }] : []),
          ...OUTCOMES.map((value) => ({ value, label: OUTCOME_LABELS[value] })),
        ]}
      />
      {outcome !== '' && (
        <TextInput
          label="Reason for the outcome"
          hint="Care team only."
          multiline
          maxLength={2000}
          value={reason}
          error={errors.outcomeReason}
          onChange={setReason}
        />
      )}
      {(outcome === 'redefine' || outcome === 'end') && (
        <Checkbox label="Close the case with this outcome" checked={closeCase} onChange={setCloseCase} />
      )}
    </>
  );
}

function RecordForm({ onDone }: { readonly onDone: (message: string) => void }) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const [assessedOn, setAssessedOn] = useState(todayLocal);
  const [rating, setRating] = useState('');
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [reason, setReason] = useState('');
  const [closeCase, setCloseCase] = useState(false);
  const mutation = useMutation({
    mutationFn: (body: Schemas['RecordReadinessRequest']) =>
      call(api.POST('/api/v1/cases/{caseId}/readiness-assessments', { params: { path: { caseId } }, body })),
    onSuccess: async () => {
      setRating('');
      setNote('');
      setOutcome('');
      setReason('');
      setCloseCase(false);
      onDone('The readiness assessment was recorded.');
      await client.invalidateQueries({ queryKey: counselorKeys.case(caseId) });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      assessedOn,
      counselorRating: Number(rating),
      ...(note.trim() !== '' && { counselorNote: note.trim() }),
      ...(outcome !== '' && { outcome }),
      ...(outcome !== '' && reason.trim() !== '' && { outcomeReason: reason.trim() }),
      ...((outcome === 'redefine' || outcome === 'end') && closeCase && { closeCase: true }),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Record a readiness assessment">
      <TextInput
        label="Assessed on"
        type="date"
        required
        value={assessedOn}
        error={errors.assessedOn}
        onChange={setAssessedOn}
      />
      <TextInput
        label="Your rating of readiness (0 not ready – 10 ready)"
        type="number"
        min={0}
        max={10}
        required
        value={rating}
        error={errors.counselorRating}
        onChange={setRating}
      />
      <TextInput
        label="Your note"
        multiline
        maxLength={4000}
        value={note}
        error={errors.counselorNote}
        onChange={setNote}
      />
      <OutcomeFields
        outcome={outcome}
        setOutcome={setOutcome}
        reason={reason}
        setReason={setReason}
        closeCase={closeCase}
        setCloseCase={setCloseCase}
        errors={errors}
        allowPending
      />
      <ProblemSummary error={mutation.error} />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={rating === ''}>
          Record the assessment
        </SubmitButton>
      </div>
    </form>
  );
}

function DecideForm({ assessment }: { readonly assessment: Schemas['ReadinessResponse'] }) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [reason, setReason] = useState('');
  const [closeCase, setCloseCase] = useState(false);
  const mutation = useMutation({
    mutationFn: (body: Schemas['DecideReadinessRequest']) =>
      call(
        api.POST('/api/v1/cases/{caseId}/readiness-assessments/{assessmentId}/outcome', {
          params: { path: { caseId, assessmentId: assessment.id } },
          body,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: counselorKeys.case(caseId) }),
  });
  const errors = fieldErrorsOf(mutation.error);
  return (
    <form
      className="form cw-inline-form"
      aria-label={`Record the outcome of the assessment of ${formatDay(assessment.assessedOn)}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (outcome === '') return;
        mutation.mutate({
          outcome,
          ...(reason.trim() !== '' && { outcomeReason: reason.trim() }),
          ...((outcome === 'redefine' || outcome === 'end') && closeCase && { closeCase: true }),
        });
      }}
    >
      <OutcomeFields
        outcome={outcome}
        setOutcome={setOutcome}
        reason={reason}
        setReason={setReason}
        closeCase={closeCase}
        setCloseCase={setCloseCase}
        errors={errors}
        allowPending={false}
      />
      <ProblemSummary error={mutation.error} />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={outcome === ''}>
          Record the outcome
        </SubmitButton>
      </div>
    </form>
  );
}

export function ReadinessPage() {
  const { caseId, caseView, clientName, memberName } = useCaseContext();
  const readiness = useReadiness(caseId);
  const [notice, setNotice] = useState<string>();
  return (
    <Page title={`Readiness · ${caseView.title ?? 'Case'}`} heading="Readiness assessments">
      {notice !== undefined && <Notice>{notice}</Notice>}
      <Section title="Assessments">
        <QueryView query={readiness} label="Loading readiness assessments…">
          {(list) =>
            list.length === 0 ? (
              <Empty>No readiness assessment yet.</Empty>
            ) : (
              <ol className="cw-entries">
                {list.map((assessment) => (
                  <li key={assessment.id} className="cw-entry">
                    <h3>
                      {formatDay(assessment.assessedOn)}{' '}
                      {assessment.outcome === null ? (
                        <Badge tone="warn">Outcome pending</Badge>
                      ) : (
                        <Badge tone="info">{OUTCOME_LABELS[assessment.outcome]}</Badge>
                      )}{' '}
                      {assessment.closedCase && <Badge>Closed the case</Badge>}
                    </h3>
                    <Facts
                      items={[
                        [
                          'Counselor rating',
                          assessment.counselorRating === null ? '—' : `${assessment.counselorRating} / 10`,
                        ],
                        ...assessment.ratings.map(
                          (rating) =>
                            [
                              `${clientName(rating.clientId)}'s own rating`,
                              `${rating.rating} / 10${rating.note ? ` — ${rating.note}` : ''}`,
                            ] as const,
                        ),
                        [
                          'Recorded',
                          `${formatDateTime(assessment.recordedAt)} by ${memberName(assessment.recordedByMembershipId)}`,
                        ],
                        ...(assessment.counselorNote ? [['Note', assessment.counselorNote] as const] : []),
                        ...(assessment.outcomeReason ? [['Reason', assessment.outcomeReason] as const] : []),
                      ]}
                    />
                    {assessment.ratings.length === 0 && (
                      <p className="cw-muted">No participant has given their own rating yet.</p>
                    )}
                    {assessment.outcome === null && <DecideForm assessment={assessment} />}
                  </li>
                ))}
              </ol>
            )
          }
        </QueryView>
      </Section>
      <Section title="Record a readiness assessment">
        <RecordForm onDone={setNotice} />
      </Section>
    </Page>
  );
}
