/**
 * Psychotherapy notes (…/private-notes): kept apart from the clinical record and
 * readable by their author alone: never shown to supervisors, the clinic admin or
 * the clients, never in timelines, reports, exports, notifications or logs. The
 * page says so, and looks different from progress notes.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { ApiError } from '../api/errors';
import { useMe } from '../auth/session';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { clinicalPaths } from './clinical-paths';
import { clinicalKeys, usePsychotherapyNotes, useSessions, type PsychotherapyNote } from './clinical-queries';
import { fieldErrorsOf, Notice, ProblemSummary, Section, SelectInput, SubmitButton, TextInput } from './components';
import { formatDateTime } from './labels';
import { sessionLabel } from './NotesPage';

function EditNote({ note, onDone }: { readonly note: PsychotherapyNote; readonly onDone: (message: string) => void }) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(note.body);
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.PATCH('/api/v1/cases/{caseId}/psychotherapy-notes/{noteId}', {
          params: { path: { caseId, noteId: note.id } },
          body: { body, revision: note.revision },
        }),
      ),
    onSuccess: async () => {
      setEditing(false);
      onDone('Your private note was saved.');
      await client.invalidateQueries({ queryKey: clinicalKeys.privateNotes(caseId) });
    },
  });
  if (!editing)
    return (
      <>
        <p className="cw-prewrap">{note.body}</p>
        <button type="button" className="button button--secondary button--small" onClick={() => setEditing(true)}>
          Edit
        </button>
      </>
    );
  return (
    <form
      className="form"
      aria-label="Edit the private note"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <TextInput
        label="Private note"
        multiline
        required
        value={body}
        error={fieldErrorsOf(mutation.error).body}
        onChange={setBody}
      />
      <ProblemSummary error={mutation.error} />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending}>Save</SubmitButton>
        <button type="button" className="button button--secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function NewNote({ onDone }: { readonly onDone: (message: string) => void }) {
  const { caseId } = useCaseContext();
  const sessions = useSessions(caseId);
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const [sessionId, setSessionId] = useState('');
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/psychotherapy-notes', {
          params: { path: { caseId } },
          body: { body, ...(sessionId !== '' && { sessionId }) },
        }),
      ),
    onSuccess: async () => {
      setBody('');
      setSessionId('');
      onDone('Your private note was saved.');
      await client.invalidateQueries({ queryKey: clinicalKeys.privateNotes(caseId) });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  return (
    <form
      className="form"
      aria-label="Write a private note"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (body.trim() !== '') mutation.mutate();
      }}
    >
      <SelectInput
        label="Session"
        value={sessionId}
        error={errors.sessionId}
        onChange={setSessionId}
        options={[
          { value: '', label: 'No session' },
          ...(sessions.data?.sessions ?? []).map((session) => ({ value: session.id, label: sessionLabel(session) })),
        ]}
      />
      <TextInput label="Private note" multiline required value={body} error={errors.body} onChange={setBody} />
      <ProblemSummary error={mutation.error} />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={body.trim() === ''}>
          Save the private note
        </SubmitButton>
      </div>
    </form>
  );
}

export function PrivateNotesPage() {
  const { caseId, caseView } = useCaseContext();
  const me = useMe();
  // Not on the care team (a supervisor, the clinic admin): no notes of yours here, and nobody else's are shown.
  const onCareTeam = caseView.careTeam.some(
    (member) => member.membershipId.toLowerCase() === me.membershipId.toLowerCase(),
  );
  const notes = usePsychotherapyNotes(caseId, onCareTeam);
  const [notice, setNotice] = useState<string>();
  const outsider = !onCareTeam || (notes.error instanceof ApiError && notes.error.status === 404);
  return (
    <Page title={`Private notes · ${caseView.title ?? 'Case'}`} heading="Private psychotherapy notes">
      <div className="mc-private" data-testid="private-notes-banner">
        <p>
          <strong>Only you can read these.</strong> Psychotherapy notes are kept apart from the clinical record: your
          supervisor, the clinic admin and the clients cannot open them, and they never appear in timelines, reports,
          exports or notifications. Anything needed for treatment belongs in a{' '}
          <Link to={clinicalPaths.notes(caseId)}>progress note</Link>.
        </p>
      </div>
      {notice !== undefined && <Notice>{notice}</Notice>}
      {outsider ? (
        <Empty>
          You have no private notes in this case: only its care team writes them, each for themselves alone.
        </Empty>
      ) : (
        <>
          <Section title="Your private notes">
            <QueryView query={notes} label="Loading your private notes…">
              {(data) =>
                data.notes.length === 0 ? (
                  <Empty>No private note for this case.</Empty>
                ) : (
                  <ul className="cw-entries" aria-label="Your private notes">
                    {data.notes.map((note) => (
                      <li key={note.id} className="cw-entry mc-private__note">
                        <p className="cw-muted">
                          {formatDateTime(note.createdAt)}
                          {note.updatedAt !== note.createdAt ? ` · changed ${formatDateTime(note.updatedAt)}` : ''}
                        </p>
                        <EditNote note={note} onDone={setNotice} />
                      </li>
                    ))}
                  </ul>
                )
              }
            </QueryView>
          </Section>
          <Section title="Write a private note">
            <NewNote onDone={setNotice} />
          </Section>
        </>
      )}
    </Page>
  );
}
