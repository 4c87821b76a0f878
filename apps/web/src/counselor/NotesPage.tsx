/**
 * Progress notes of a case (…/notes): every note with its template, session,
 * status and co-signature; starting a new one (template, session) opens the
 * editor. Psychotherapy notes live on their own page (…/private-notes).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import { api, call } from '../api/client';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { clinicalPaths } from './clinical-paths';
import {
  clinicalKeys,
  MODALITY_LABELS,
  TEMPLATE_LABELS,
  useNotes,
  useSessions,
  type NoteTemplate,
  type NoteView,
  type SessionView,
} from './clinical-queries';
import { Badge, fieldErrorsOf, ProblemSummary, Section, SelectInput, SubmitButton } from './components';
import { formatDateTime } from './labels';

export function noteStatusBadge(note: Pick<NoteView, 'status'> & Partial<NoteView>) {
  if (note.status === 'draft') return <Badge tone="warn">Draft (unsigned)</Badge>;
  if (note.cosignRequired === true && (note.cosignedAt ?? null) === null)
    return <Badge tone="warn">Signed · awaiting co-signature</Badge>;
  if (note.cosignedAt !== null && note.cosignedAt !== undefined) return <Badge tone="good">Signed and co-signed</Badge>;
  return <Badge tone="good">Signed</Badge>;
}

export function sessionLabel(session: SessionView): string {
  return `${formatDateTime(session.startsAt)} · ${session.kind === 'joint' ? 'joint' : 'individual'} · ${MODALITY_LABELS[session.modality]}`;
}

function NewNoteForm() {
  const { caseId } = useCaseContext();
  const sessions = useSessions(caseId);
  const client = useQueryClient();
  const navigate = useNavigate();
  const [template, setTemplate] = useState<NoteTemplate | ''>('');
  const [sessionId, setSessionId] = useState('');
  const mutation = useMutation({
    mutationFn: (body: { template: NoteTemplate; sessionId?: string }) =>
      call(
        api.POST('/api/v1/cases/{caseId}/notes', {
          params: { path: { caseId } },
          body: { ...body, body: {} },
        }),
      ),
    onSuccess: async (note) => {
      await client.invalidateQueries({ queryKey: clinicalKeys.notes(caseId) });
      await client.invalidateQueries({ queryKey: clinicalKeys.noteQueue });
      await navigate(clinicalPaths.note(caseId, note.id));
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (template === '') return;
    mutation.mutate({ template, ...(sessionId !== '' && { sessionId }) });
  };
  const sessionOptions = (sessions.data?.sessions ?? []).filter((session) => session.status !== 'cancelled');
  return (
    <form className="form" onSubmit={submit} aria-label="Start a progress note">
      <SelectInput<NoteTemplate>
        label="Template"
        required
        value={template}
        error={errors.template}
        onChange={setTemplate}
        options={[
          { value: '', label: 'Choose a template' },
          ...(Object.keys(TEMPLATE_LABELS) as NoteTemplate[]).map((value) => ({
            value,
            label: TEMPLATE_LABELS[value],
          })),
        ]}
      />
      <SelectInput
        label="Session"
        hint="The session this note documents (optional)."
        value={sessionId}
        error={errors.sessionId}
        onChange={setSessionId}
        options={[
          { value: '', label: 'No session' },
          ...sessionOptions.map((session) => ({ value: session.id, label: sessionLabel(session) })),
        ]}
      />
      <ProblemSummary error={mutation.error} title="The note was not started" />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} pendingLabel="Starting…" disabled={template === ''}>
          Start the note
        </SubmitButton>
      </div>
    </form>
  );
}

export function NotesPage() {
  const { caseId, caseView, memberName } = useCaseContext();
  const notes = useNotes(caseId);
  return (
    <Page title={`Progress notes · ${caseView.title ?? 'Case'}`} heading="Progress notes">
      <p className="cw-lede">
        Part of the clinical record: read by the care team and supervisors. Your private psychotherapy notes are kept
        apart, on <Link to={clinicalPaths.privateNotes(caseId)}>Private notes</Link>.
      </p>
      <Section title="Notes">
        <QueryView query={notes} label="Loading notes…">
          {(data) =>
            data.notes.length === 0 ? (
              <Empty>No progress note yet.</Empty>
            ) : (
              <ul className="cw-entries" aria-label="Progress notes">
                {data.notes.map((note) => (
                  <li key={note.id} className="cw-entry">
                    <p>
                      <Link to={clinicalPaths.note(caseId, note.id)}>
                        {TEMPLATE_LABELS[note.template].split(' (')[0]} note of {formatDateTime(note.createdAt)}
                      </Link>{' '}
                      {noteStatusBadge(note)}
                      {note.amendments.length > 0 && (
                        <>
                          {' '}
                          <Badge tone="info">
                            {note.amendments.length === 1 ? '1 amendment' : `${note.amendments.length} amendments`}
                          </Badge>
                        </>
                      )}
                    </p>
                    <p className="cw-muted">
                      By {memberName(note.authorMembershipId)}
                      {note.signedAt !== null ? ` · signed ${formatDateTime(note.signedAt)}` : ''}
                    </p>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
      <Section title="Start a progress note">
        <NewNoteForm />
      </Section>
    </Page>
  );
}
