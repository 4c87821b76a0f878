/**
 * Boundary events: a boundary of the plan was crossed (when, severity, the
 * restorative response agreed), recorded by the care team; marking the repair
 * completed. Proportionate and restorative, not punitive (clinical.md S26).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import {
  Badge,
  fieldErrorsOf,
  Notice,
  ProblemSummary,
  Section,
  SelectInput,
  SubmitButton,
  TextInput,
} from './components';
import { formatDateTime, SEVERITY_LABELS } from './labels';
import { counselorPaths } from './paths';
import { counselorKeys, useBoundaryEvents, usePlan } from './queries';

type Severity = Schemas['RecordBoundaryEventRequest']['severity'];
type Boundary = Schemas['BoundaryDto'];

/** `datetime-local` value for now, in the browser's timezone. */
function nowLocalInput(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function RecordForm({
  boundaries,
  onDone,
}: {
  readonly boundaries: readonly Boundary[];
  readonly onDone: (message: string) => void;
}) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const [boundaryId, setBoundaryId] = useState('');
  const [occurredAt, setOccurredAt] = useState(nowLocalInput);
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [restorative, setRestorative] = useState('');
  const mutation = useMutation({
    mutationFn: (body: Schemas['RecordBoundaryEventRequest']) =>
      call(api.POST('/api/v1/cases/{caseId}/boundary-events', { params: { path: { caseId } }, body })),
    onSuccess: async () => {
      setBoundaryId('');
      setSeverity('');
      setRestorative('');
      onDone('The boundary event was recorded.');
      await client.invalidateQueries({ queryKey: counselorKeys.boundaryEvents(caseId) });
      await client.invalidateQueries({ queryKey: counselorKeys.timeline(caseId) });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (boundaryId === '' || severity === '' || occurredAt === '') return;
    mutation.mutate({
      boundaryId,
      occurredAt: new Date(occurredAt).toISOString(),
      severity,
      ...(restorative.trim() !== '' && { restorativeResponse: restorative.trim() }),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Record a boundary event">
      <SelectInput
        label="Which boundary was crossed"
        required
        value={boundaryId}
        error={errors.boundaryId}
        onChange={(value) => {
          setBoundaryId(value);
          const boundary = boundaries.find((b) => b.id === value);
          if (boundary !== undefined && restorative.trim() === '') setRestorative(boundary.restorativeResponse);
        }}
        options={[
          { value: '', label: 'Choose a boundary' },
          ...boundaries.map((b) => ({ value: b.id ?? '', label: b.description })),
        ]}
      />
      <TextInput
        label="When it happened"
        type="datetime-local"
        required
        value={occurredAt}
        error={errors.occurredAt}
        onChange={setOccurredAt}
      />
      <SelectInput<Severity>
        label="Severity"
        required
        value={severity}
        error={errors.severity}
        onChange={setSeverity}
        options={[
          { value: '', label: 'Choose a severity' },
          ...(Object.keys(SEVERITY_LABELS) as Severity[]).map((value) => ({ value, label: SEVERITY_LABELS[value] })),
        ]}
      />
      <TextInput
        label="Restorative response agreed"
        hint="Starts from the plan's agreed response; change it if something else was agreed."
        multiline
        maxLength={2000}
        value={restorative}
        error={errors.restorativeResponse}
        onChange={setRestorative}
      />
      <ProblemSummary error={mutation.error} />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={boundaryId === '' || severity === ''}>
          Record the event
        </SubmitButton>
      </div>
    </form>
  );
}

function CompleteButton({ event }: { readonly event: Schemas['BoundaryEventResponse'] }) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/boundary-events/{eventId}/completion', {
          params: { path: { caseId, eventId: event.id } },
          body: {},
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: counselorKeys.boundaryEvents(caseId) }),
  });
  return (
    <>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Saving…' : 'Mark the repair completed'}
      </button>
      <ProblemSummary error={mutation.error} />
    </>
  );
}

export function BoundaryEventsPage() {
  const { caseId, caseView, clientName, memberName } = useCaseContext();
  const events = useBoundaryEvents(caseId);
  const plan = usePlan(caseId);
  const [notice, setNotice] = useState<string>();
  const boundaryName = (id: string) =>
    plan.data?.content.boundaries.find((b) => b.id?.toLowerCase() === id.toLowerCase())?.description ??
    'A boundary no longer in the plan';
  return (
    <Page title={`Boundary events · ${caseView.title ?? 'Case'}`} heading="Boundary events">
      {notice !== undefined && <Notice>{notice}</Notice>}
      <Section title="Events">
        <QueryView query={events} label="Loading boundary events…">
          {(data) =>
            data.events.length === 0 ? (
              <Empty>No boundary has been crossed.</Empty>
            ) : (
              <ol className="cw-entries">
                {data.events.map((event) => (
                  <li key={event.id} className="cw-entry">
                    <p>
                      <strong>{boundaryName(event.boundaryId)}</strong>{' '}
                      <Badge
                        tone={event.severity === 'high' ? 'danger' : event.severity === 'moderate' ? 'warn' : 'neutral'}
                      >
                        {SEVERITY_LABELS[event.severity]}
                      </Badge>{' '}
                      {event.completed ? (
                        <Badge tone="good">Repair completed</Badge>
                      ) : (
                        <Badge tone="warn">Repair open</Badge>
                      )}
                    </p>
                    <p className="cw-muted">
                      {formatDateTime(event.occurredAt)} · reported by{' '}
                      {event.reportedByKind === 'participant'
                        ? clientName(event.reporterClientId)
                        : `${memberName(event.reportedByMembershipId)} (care team)`}
                    </p>
                    {event.restorativeResponse !== null && (
                      <p>
                        Restorative response: <span className="cw-quote">{event.restorativeResponse}</span>
                      </p>
                    )}
                    {event.completed ? (
                      <p className="cw-muted">Completed {formatDateTime(event.completedAt)}</p>
                    ) : (
                      <CompleteButton event={event} />
                    )}
                  </li>
                ))}
              </ol>
            )
          }
        </QueryView>
      </Section>
      <Section title="Record a boundary event">
        <QueryView query={plan} label="Loading the plan's boundaries…">
          {(data) =>
            data.content.boundaries.length === 0 ? (
              <p>
                The plan has no boundaries yet. <Link to={counselorPaths.planEdit(caseId)}>Add them to the plan</Link>{' '}
                first.
              </p>
            ) : (
              <RecordForm boundaries={data.content.boundaries} onDone={setNotice} />
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
