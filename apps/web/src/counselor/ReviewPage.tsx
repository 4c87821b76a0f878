/**
 * Reviewing one submission: the pinned exercise, the answers (when the care team
 * may read them), the feedback given so far, the exercise's feedback fields and a
 * note, and — for a release assignment that requires review — approving the
 * release. A paired occurrence links to the partner's half.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { QueryView } from '../ui/Status';
import { AnswerView, formatScalar } from './AnswerView';
import { useCaseContext } from './CaseLayout';
import {
  Badge,
  Checkbox,
  Facts,
  fieldErrorsOf,
  Notice,
  ProblemSummary,
  Section,
  SelectInput,
  SubmitButton,
  TextInput,
} from './components';
import { readExerciseContent, type Field } from './exercise-content';
import { formatDay, formatDateTime, OCCURRENCE_STATUS_LABELS, VISIBILITY_LABELS } from './labels';
import { counselorPaths as counselorPaths } from './paths';
import { counselorKeys, invalidateHomework, useAssignment, useOccurrence } from './queries';

type Occurrence = Schemas['OccurrenceDetailResponse'];

/** One feedback field as an input (feedback fields are scalar: a tick, a rating, a short text). */
function FeedbackFieldInput({
  field,
  value,
  onChange,
  error,
}: {
  readonly field: Field;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  readonly error?: string;
}) {
  switch (field.type) {
    case 'bool':
      return <Checkbox label={field.label} hint={field.help} checked={value === true} onChange={onChange} />;
    case 'select':
      return (
        <SelectInput
          label={field.label}
          hint={field.help}
          error={error}
          value={typeof value === 'string' ? value : ''}
          onChange={(next) => onChange(next === '' ? undefined : next)}
          options={[{ value: '', label: 'Not set' }, ...field.options.map((o) => ({ value: o.value, label: o.label }))]}
        />
      );
    case 'rating_0_10':
    case 'likert_1_5':
    case 'number':
      return (
        <TextInput
          label={field.label}
          hint={
            field.help ??
            (field.type === 'rating_0_10' ? '0 to 10' : field.type === 'likert_1_5' ? '1 to 5' : undefined)
          }
          type="number"
          min={
            field.type === 'likert_1_5'
              ? 1
              : field.type === 'rating_0_10'
                ? 0
                : field.type === 'number'
                  ? field.min
                  : undefined
          }
          max={
            field.type === 'likert_1_5'
              ? 5
              : field.type === 'rating_0_10'
                ? 10
                : field.type === 'number'
                  ? field.max
                  : undefined
          }
          error={error}
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(next) => onChange(next === '' ? undefined : Number(next))}
        />
      );
    case 'date':
      return (
        <TextInput
          label={field.label}
          hint={field.help}
          type="date"
          error={error}
          value={typeof value === 'string' ? value : ''}
          onChange={(next) => onChange(next === '' ? undefined : next)}
        />
      );
    case 'text':
      return (
        <TextInput
          label={field.label}
          hint={field.help}
          multiline={field.multiline}
          maxLength={field.maxLength}
          error={error}
          value={typeof value === 'string' ? value : ''}
          onChange={(next) => onChange(next === '' ? undefined : next)}
        />
      );
    case 'checklist':
    case 'datetime':
    case 'time':
    case 'rows':
    case 'unsupported':
      return <p className="cw-muted">“{field.label}” cannot be filled in here.</p>;
  }
}

function FeedbackList({
  occurrence,
  feedbackFields,
}: {
  readonly occurrence: Occurrence;
  readonly feedbackFields: readonly Field[];
}) {
  const { memberName } = useCaseContext();
  const feedback = occurrence.feedback ?? [];
  if (feedback.length === 0) return <p className="cw-muted">No feedback yet.</p>;
  return (
    <ol className="cw-entries">
      {feedback.map((item) => (
        <li key={item.id} className="cw-entry">
          <p className="cw-muted">
            {formatDateTime(item.createdAt)} · {memberName(item.authorMembershipId)}
          </p>
          {item.note !== null && <p className="cw-prewrap">{item.note}</p>}
          {Object.keys(item.fields).length > 0 && (
            <Facts
              items={feedbackFields
                .filter((field) => item.fields[field.key] !== undefined && field.type !== 'rows')
                .map((field) => [field.label, formatScalar(field as never, item.fields[field.key]) ?? '—'] as const)}
            />
          )}
        </li>
      ))}
    </ol>
  );
}

function FeedbackForm({
  occurrence,
  feedbackFields,
}: {
  readonly occurrence: Occurrence;
  readonly feedbackFields: readonly Field[];
}) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const [fields, setFields] = useState<Record<string, unknown>>({});
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const mutation = useMutation({
    mutationFn: (body: Schemas['FeedbackRequest']) =>
      call(
        api.POST('/api/v1/cases/{caseId}/occurrences/{occurrenceId}/feedback', {
          params: { path: { caseId, occurrenceId: occurrence.id } },
          body,
        }),
      ),
    onSuccess: async (updated) => {
      client.setQueryData(counselorKeys.occurrence(caseId, occurrence.id), updated);
      setFields({});
      setNote('');
      setDone(true);
      await invalidateHomework(client, caseId);
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const filled = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    mutation.mutate({
      ...(Object.keys(filled).length > 0 && { fields: filled }),
      ...(note.trim() !== '' && { note: note.trim() }),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Leave feedback">
      {done && <Notice>Your feedback was saved. The author sees it; their partner does not.</Notice>}
      {feedbackFields.map((field) => (
        <FeedbackFieldInput
          key={field.key}
          field={field}
          value={fields[field.key]}
          error={errors[`fields.${field.key}`] ?? errors[field.key]}
          onChange={(value) => setFields((current) => ({ ...current, [field.key]: value }))}
        />
      ))}
      <TextInput
        label="Feedback note"
        hint="Seen by the author and the care team, never by the partner."
        multiline
        maxLength={4000}
        value={note}
        error={errors.note}
        onChange={setNote}
      />
      <ProblemSummary error={mutation.error} />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={note.trim() === '' && Object.keys(filled).length === 0}>
          Send feedback
        </SubmitButton>
      </div>
    </form>
  );
}

function ApproveRelease({ occurrence }: { readonly occurrence: Occurrence }) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/occurrences/{occurrenceId}/review', {
          params: { path: { caseId, occurrenceId: occurrence.id } },
        }),
      ),
    onSuccess: async (updated) => {
      client.setQueryData(counselorKeys.occurrence(caseId, occurrence.id), updated);
      await invalidateHomework(client, caseId);
    },
  });
  return (
    <div>
      <p>The author can release this answer to their partner only after you approve it.</p>
      <button type="button" className="button" disabled={mutation.isPending} onClick={() => mutation.mutate()}>
        {mutation.isPending ? 'Approving…' : 'Approve for release'}
      </button>
      <ProblemSummary error={mutation.error} title="The release was not approved" />
    </div>
  );
}

function ReleaseState({ occurrence }: { readonly occurrence: Occurrence }) {
  const submission = occurrence.submission;
  if (submission === null) return null;
  const states = [];
  if (occurrence.visibility === 'release') {
    if (occurrence.releaseRequiresReview)
      states.push(
        submission.reviewApprovedAt !== null ? (
          <Badge key="approved" tone="good">
            Approved for release {formatDateTime(submission.reviewApprovedAt)}
          </Badge>
        ) : (
          <Badge key="approval" tone="warn">
            Awaiting your approval
          </Badge>
        ),
      );
    states.push(
      submission.releasedAt !== null ? (
        <Badge key="released" tone="good">
          Released to the partner {formatDateTime(submission.releasedAt)}
        </Badge>
      ) : (
        <Badge key="not-released">Not released to the partner</Badge>
      ),
    );
  }
  if (occurrence.visibility === 'reveal')
    states.push(
      submission.revealedAt !== null ? (
        <Badge key="revealed" tone="good">
          Revealed to both {formatDateTime(submission.revealedAt)}
        </Badge>
      ) : (
        <Badge key="waiting" tone="warn">
          Not revealed: waiting for the partner
        </Badge>
      ),
    );
  return <p className="cw-badges">{states}</p>;
}

function PartnerLink({ occurrence }: { readonly occurrence: Occurrence }) {
  const { caseId, clientName } = useCaseContext();
  const assignment = useAssignment(caseId, occurrence.pairId !== null ? occurrence.assignmentId : undefined);
  if (occurrence.pairId === null) return null;
  const partner = assignment.data?.occurrences.find(
    (other) => other.pairId === occurrence.pairId && other.id !== occurrence.id,
  );
  if (partner === undefined) return null;
  return (
    <p>
      Paired with{' '}
      <Link to={counselorPaths.review(caseId, partner.id)}>
        {clientName(partner.clientId)}&apos;s half ({OCCURRENCE_STATUS_LABELS[partner.status].toLowerCase()})
      </Link>
      .
    </p>
  );
}

function ReviewContent({ occurrence }: { readonly occurrence: Occurrence }) {
  const { caseId, clientName } = useCaseContext();
  const content = readExerciseContent(occurrence.exerciseContent);
  const fields = content?.fields ?? [];
  const feedbackFields = content?.feedbackFields ?? [];
  const part = content?.parts.find((p) => p.key === occurrence.part);
  const submitted = occurrence.submission?.status === 'submitted';
  const needsApproval =
    submitted &&
    occurrence.visibility === 'release' &&
    occurrence.releaseRequiresReview &&
    occurrence.submission?.reviewApprovedAt === null;
  return (
    <>
      <Facts
        items={[
          ['Who', `${clientName(occurrence.clientId)}${part !== undefined ? ` (${part.label})` : ''}`],
          ['Status', OCCURRENCE_STATUS_LABELS[occurrence.status]],
          ['Open from', formatDay(occurrence.opensOn)],
          ['Due', formatDay(occurrence.dueOn)],
          [
            'Visibility',
            `${VISIBILITY_LABELS[occurrence.visibility].name} — ${VISIBILITY_LABELS[occurrence.visibility].description}`,
          ],
          ['Submitted', formatDateTime(occurrence.submission?.submittedAt)],
        ]}
      />
      <ReleaseState occurrence={occurrence} />
      <PartnerLink occurrence={occurrence} />
      <p>
        <Link to={counselorPaths.assignment(caseId, occurrence.assignmentId)}>The whole assignment</Link>
      </p>
      <Section title="Answers">
        {!submitted ? (
          <p className="cw-muted">
            Not submitted yet
            {occurrence.submission?.status === 'draft' ? ' (a draft is in progress; drafts stay private)' : ''}.
          </p>
        ) : occurrence.answers === null || !occurrence.answersVisible ? (
          <p className="cw-muted">
            {occurrence.visibility === 'private'
              ? 'This exercise is private to its author: only that it was done is shown.'
              : 'The answers are not visible to you.'}
          </p>
        ) : (
          <AnswerView fields={fields} answers={occurrence.answers} />
        )}
      </Section>
      {needsApproval && (
        <Section title="Release">
          <ApproveRelease occurrence={occurrence} />
        </Section>
      )}
      <Section title="Feedback">
        <FeedbackList occurrence={occurrence} feedbackFields={feedbackFields} />
        {submitted ? (
          <FeedbackForm occurrence={occurrence} feedbackFields={feedbackFields} />
        ) : (
          <p className="cw-muted">Feedback can be given once the answers are submitted.</p>
        )}
      </Section>
      {content !== undefined && (
        <details className="cw-details">
          <summary>The exercise as assigned</summary>
          <p className="cw-prewrap">{content.instructions}</p>
          {content.prompts.length > 0 && (
            <ul className="cw-list">
              {content.prompts.map((prompt, index) => (
                <li key={index}>{prompt.text}</li>
              ))}
            </ul>
          )}
        </details>
      )}
    </>
  );
}

export function ReviewPage() {
  const { caseId, caseView } = useCaseContext();
  const { occurrenceId = '' } = useParams();
  const occurrence = useOccurrence(caseId, occurrenceId);
  const title = occurrence.data?.exercise.title ?? 'Submission';
  return (
    <Page title={`Review · ${title} · ${caseView.title ?? 'Case'}`} heading={`Review: ${title}`}>
      <QueryView query={occurrence} label="Loading the submission…">
        {(data) => <ReviewContent occurrence={data} />}
      </QueryView>
    </Page>
  );
}
