import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import type { Schemas } from '../api/types';
import { ChoiceGroup, FormError, SelectInput, TextArea, TextInput } from '../ui/fields';
import { formatDay, formatInstant, todayIn } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { CasePicker, participantName, useChosenCase } from './case-context';
import { portalKeys, useMyTimezone, type CaseView } from './portal-data';

type CheckIn = Schemas['CheckInResponse'];
type Commitment = Schemas['CommitmentDto'];
type Status = CheckIn['status'];

const STATUS_LABELS: Readonly<Record<Status, string>> = {
  kept: 'Kept',
  partly_kept: 'Partly kept',
  missed: 'Missed',
};

/**
 * The trust ledger: a shared record of commitments kept, "not surveillance but a
 * shared reference". Record a check-in on your own commitment; confirm or dispute
 * your partner's. Entries are never edited: a correction is a new entry.
 */
export function LedgerPage() {
  const chosen = useChosenCase();
  return (
    <Page title="Trust ledger">
      <p className="muted">
        A shared record of the commitments in your plan. It is a reference for both of you, not a scorecard.
      </p>
      <CasePicker chosen={chosen} />
      {chosen.current !== undefined && <CaseLedger key={chosen.current.id} caseView={chosen.current} />}
    </Page>
  );
}

function usePlan(caseId: string) {
  return useQuery({
    queryKey: portalKeys.plan(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/plan', { params: { path: { caseId } } })),
  });
}

const PAGE_SIZE = 15;

function CaseLedger({ caseView }: { readonly caseView: CaseView }) {
  const plan = usePlan(caseView.id);
  const [shown, setShown] = useState(PAGE_SIZE);
  const ledger = useQuery({
    queryKey: portalKeys.ledger(caseView.id),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/ledger', { params: { path: { caseId: caseView.id } } })),
  });
  return (
    <QueryView query={plan} label="Loading your plan…">
      {(loaded) => {
        const commitments = loaded.content.commitments;
        const mine = commitments.filter(
          (commitment) =>
            caseView.yourClientId !== undefined && commitment.participantClientIds.includes(caseView.yourClientId),
        );
        return (
          <>
            {mine.length > 0 ? (
              <RecordCheckIn caseView={caseView} commitments={mine} />
            ) : (
              <p className="notice">No commitment in your plan is yours to record yet.</p>
            )}
            <section aria-labelledby="entries-title" className="stack">
              <h2 id="entries-title">Entries</h2>
              <QueryView query={ledger} label="Loading the ledger…">
                {({ entries }) =>
                  entries.length === 0 ? (
                    <Empty>No check-ins yet.</Empty>
                  ) : (
                    <>
                      <ul className="list-plain" data-testid="ledger-entries">
                        {[...entries]
                          .sort(
                            (a, b) =>
                              b.occurredOn.localeCompare(a.occurredOn) || b.recordedAt.localeCompare(a.recordedAt),
                          )
                          .slice(0, shown)
                          .map((entry) => (
                            <LedgerEntry
                              key={entry.id}
                              entry={entry}
                              caseView={caseView}
                              commitment={commitments.find((item) => item.id === entry.commitmentId)}
                            />
                          ))}
                      </ul>
                      {entries.length > shown && (
                        <button
                          type="button"
                          className="button button--secondary"
                          onClick={() => setShown((count) => count + PAGE_SIZE)}
                        >
                          Show older entries ({entries.length - shown} more)
                        </button>
                      )}
                    </>
                  )
                }
              </QueryView>
            </section>
          </>
        );
      }}
    </QueryView>
  );
}

function RecordCheckIn({ caseView, commitments }: { readonly caseView: CaseView; readonly commitments: Commitment[] }) {
  const queryClient = useQueryClient();
  const timezone = useMyTimezone();
  const [commitmentId, setCommitmentId] = useState(commitments.length === 1 ? (commitments[0]?.id ?? '') : '');
  const [occurredOn, setOccurredOn] = useState(todayIn(timezone));
  const [status, setStatus] = useState<Status | ''>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | undefined>();
  const record = useMutation({
    mutationFn: (body: Schemas['RecordCheckInRequest']) =>
      call(api.POST('/api/v1/cases/{caseId}/ledger/check-ins', { params: { path: { caseId: caseView.id } }, body })),
    onSuccess: () => {
      setDone('Your check-in is in the ledger.');
      setStatus('');
      setNote('');
      void queryClient.invalidateQueries({ queryKey: portalKeys.ledger(caseView.id) });
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(error.fieldErrors());
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const local: Record<string, string> = {};
    if (commitmentId === '') local.commitmentId = 'Please choose the commitment.';
    if (status === '') local.status = 'Please say how it went.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(occurredOn)) local.occurredOn = 'Please enter the date.';
    else if (occurredOn > todayIn(timezone)) local.occurredOn = 'The date cannot be in the future.';
    setErrors(local);
    if (Object.keys(local).length > 0 || status === '') return;
    record.mutate({ commitmentId, occurredOn, status, ...(note.trim() !== '' && { note: note.trim() }) });
  };
  return (
    <section aria-labelledby="record-title" className="card">
      <h2 id="record-title">Record a check-in</h2>
      <form className="form" noValidate onSubmit={submit}>
        <SelectInput
          label="Commitment"
          value={commitmentId}
          onChange={setCommitmentId}
          options={commitments.map((commitment) => ({ value: commitment.id ?? '', label: commitment.what }))}
          error={errors.commitmentId}
          required
        />
        <TextInput
          label="Day"
          type="date"
          value={occurredOn}
          onChange={setOccurredOn}
          error={errors.occurredOn}
          required
        />
        <ChoiceGroup legend="How did it go?" error={errors.status} required>
          {() => (
            <div className="choices">
              {(Object.keys(STATUS_LABELS) as Status[]).map((value) => (
                <label key={value} className="choice">
                  <input type="radio" name="status" checked={status === value} onChange={() => setStatus(value)} />
                  <span>{STATUS_LABELS[value]}</span>
                </label>
              ))}
            </div>
          )}
        </ChoiceGroup>
        <TextArea
          label="Note (optional)"
          value={note}
          onChange={setNote}
          maxLength={2000}
          rows={3}
          error={errors.note}
        />
        <FormError
          message={
            record.error !== null && !(record.error instanceof ApiError && record.error.status === 422)
              ? describeError(record.error)
              : undefined
          }
        />
        <div className="form-actions">
          <button type="submit" className="button" disabled={record.isPending}>
            {record.isPending ? 'Saving…' : 'Add to the ledger'}
          </button>
          <span role="status" className="save-state">
            {done}
          </span>
        </div>
      </form>
    </section>
  );
}

function LedgerEntry({
  entry,
  caseView,
  commitment,
}: {
  readonly entry: CheckIn;
  readonly caseView: CaseView;
  readonly commitment: Commitment | undefined;
}) {
  const timezone = useMyTimezone();
  const isMine = entry.participantClientId === caseView.yourClientId;
  const myResponse = entry.responses.find((response) => response.responderClientId === caseView.yourClientId);
  return (
    <li className="card" data-testid="ledger-entry">
      <p>
        <strong>{commitment?.what ?? 'A commitment'}</strong>
      </p>
      <p>
        <span
          className={`badge ${entry.status === 'kept' ? 'badge--ok' : entry.status === 'missed' ? 'badge--danger' : 'badge--warn'}`}
        >
          {STATUS_LABELS[entry.status]}
        </span>{' '}
        on {formatDay(entry.occurredOn)} · {isMine ? 'you' : participantName(caseView, entry.participantClientId)}
        {entry.recordedByKind === 'care_team' && ' (recorded by the care team)'}
      </p>
      {entry.note !== null && <p className="entry-note">“{entry.note}”</p>}
      {entry.correctsCheckInId !== null && <p className="muted">Corrects an earlier entry.</p>}
      {entry.correctedByCheckInId !== null && <p className="muted">Corrected by a later entry.</p>}
      {entry.responses.map((response) => (
        <p key={response.id} className="muted" data-testid="ledger-response">
          {response.responderClientId === caseView.yourClientId
            ? 'You'
            : participantName(caseView, response.responderClientId)}{' '}
          {response.response === 'confirmed' ? 'confirmed this' : 'disputed this'} (
          {formatInstant(response.respondedAt, timezone)}){response.note !== null && `: “${response.note}”`}
        </p>
      ))}
      {!isMine && myResponse === undefined && entry.correctedByCheckInId === null && (
        <RespondToEntry caseId={caseView.id} entry={entry} />
      )}
    </li>
  );
}

function RespondToEntry({ caseId, entry }: { readonly caseId: string; readonly entry: CheckIn }) {
  const queryClient = useQueryClient();
  const [disputing, setDisputing] = useState(false);
  const [note, setNote] = useState('');
  const respond = useMutation({
    mutationFn: (body: Schemas['RespondRequest']) =>
      call(
        api.POST('/api/v1/cases/{caseId}/ledger/check-ins/{checkInId}/responses', {
          params: { path: { caseId, checkInId: entry.id } },
          body,
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: portalKeys.ledger(caseId) }),
  });
  if (disputing)
    return (
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          respond.mutate({ response: 'disputed', ...(note.trim() !== '' && { note: note.trim() }) });
        }}
      >
        <TextArea
          label="What do you remember differently? (optional, your partner will see it)"
          value={note}
          onChange={setNote}
          maxLength={2000}
          rows={3}
        />
        <FormError message={respond.error !== null ? describeError(respond.error) : undefined} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={respond.isPending}>
            {respond.isPending ? 'Saving…' : 'Dispute this entry'}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setDisputing(false)}>
            Cancel
          </button>
        </div>
      </form>
    );
  return (
    <div className="form-actions">
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={respond.isPending}
        onClick={() => respond.mutate({ response: 'confirmed' })}
      >
        Confirm
      </button>
      <button type="button" className="button button--secondary button--small" onClick={() => setDisputing(true)}>
        Dispute…
      </button>
      {respond.error !== null && <FormError message={describeError(respond.error)} />}
    </div>
  );
}
