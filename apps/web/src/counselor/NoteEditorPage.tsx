/**
 * One progress note (…/notes/:noteId).
 *  - A draft (its author): the template's fields; the draft saves itself 1.5 s
 *    after typing stops (PATCH with the revision it was based on; a newer save
 *    elsewhere is a 409 and is said so); "Sign" saves, then signs (fields the
 *    signature needs are named beside them).
 *  - A signed note: the note as it reads now (amendments applied), each amendment
 *    (who, when, why, which fields), the note as signed, "Amend" with a reason, and
 *    the co-signature: a supervisor of the author co-signs here.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';

import { api, call } from '../api/client';
import { ApiError } from '../api/errors';
import { useMe } from '../auth/session';
import { Page } from '../ui/Page';
import { QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { clinicalPaths } from './clinical-paths';
import { clinicalKeys, TEMPLATE_LABELS, useNote, useSessions, type NoteView } from './clinical-queries';
import {
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
import { formatDateTime } from './labels';
import {
  amendableFields,
  compactBody,
  CPT_CODES,
  displayValue,
  NOTE_FIELDS,
  RISK_LEVELS,
  signingProblems,
  type NoteField,
  type RiskLevel,
  type RiskScreenEntry,
} from './note-fields';
import { noteStatusBadge, sessionLabel } from './NotesPage';

type Body = Record<string, unknown>;

/** Field errors of the API (`body.subjective`) keyed by field name. */
function bodyErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrorsOf(error))) result[field.replace(/^body\./, '')] ??= message;
  return result;
}

export function NoteEditorPage() {
  const { noteId = '' } = useParams();
  const { caseId, caseView } = useCaseContext();
  const note = useNote(caseId, noteId);
  // Above both views: the note turns from a draft into a signed note under the message.
  const [notice, setNotice] = useState<string>();
  const title =
    note.data !== undefined ? `${TEMPLATE_LABELS[note.data.template].split(' (')[0]} note` : 'Progress note';
  return (
    <Page title={`${title} · ${caseView.title ?? 'Case'}`} heading={title}>
      <p className="cw-breadcrumb">
        <Link to={clinicalPaths.notes(caseId)}>All progress notes</Link>
      </p>
      {notice !== undefined && <Notice>{notice}</Notice>}
      <QueryView query={note} label="Loading the note…">
        {(data) =>
          data.status === 'draft' ? (
            <DraftEditor note={data} onNotice={setNotice} />
          ) : (
            <SignedNote note={data} onNotice={setNotice} />
          )
        }
      </QueryView>
    </Page>
  );
}

function NoteFacts({ note }: { readonly note: NoteView }) {
  const { caseId, memberName } = useCaseContext();
  const me = useMe();
  const sessions = useSessions(caseId);
  const session = sessions.data?.sessions.find((candidate) => candidate.id === note.sessionId);
  const name = (id: string | null) => (id !== null && id === me.membershipId ? 'you' : memberName(id));
  return (
    <Facts
      items={[
        ['Status', noteStatusBadge(note)],
        ['Template', TEMPLATE_LABELS[note.template]],
        ...(note.sessionId !== null
          ? [['Session', session !== undefined ? sessionLabel(session) : 'a session of this case'] as const]
          : []),
        ['Author', name(note.authorMembershipId)],
        ['Started', formatDateTime(note.createdAt)],
        ...(note.signedAt !== null ? [['Signed', formatDateTime(note.signedAt)] as const] : []),
        ...(note.cosignRequired
          ? [
              [
                'Co-signature',
                note.cosignedAt !== null
                  ? `Co-signed by ${name(note.cosignedByMembershipId)} on ${formatDateTime(note.cosignedAt)}`
                  : "Required: awaiting the author's supervisor",
              ] as const,
            ]
          : []),
      ]}
    />
  );
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'conflict' }
  | { kind: 'error'; error: unknown };

function DraftEditor({ note, onNotice }: { readonly note: NoteView; readonly onNotice: (m: string) => void }) {
  const { caseId } = useCaseContext();
  const me = useMe();
  const client = useQueryClient();
  const [body, setBody] = useState<Body>(() => ({ ...note.body }));
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const revision = useRef(note.revision);
  const latest = useRef(body);
  const dirty = useRef(false);
  const inFlight = useRef<Promise<boolean> | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [signError, setSignError] = useState<unknown>();
  const [missing, setMissing] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const mine = note.authorMembershipId === me.membershipId;

  /** Saves the latest body if it changed; resolves false when the save failed. */
  const save = useCallback(async (): Promise<boolean> => {
    if (inFlight.current !== undefined) await inFlight.current;
    if (!dirty.current) return true;
    dirty.current = false;
    setState({ kind: 'saving' });
    const run = (async () => {
      try {
        const saved = await call(
          api.PATCH('/api/v1/cases/{caseId}/notes/{noteId}', {
            params: { path: { caseId, noteId: note.id } },
            body: { body: compactBody(latest.current), revision: revision.current },
          }),
        );
        revision.current = saved.revision;
        setState({ kind: 'saved', at: saved.updatedAt });
        return true;
      } catch (error) {
        dirty.current = true;
        setState(error instanceof ApiError && error.status === 409 ? { kind: 'conflict' } : { kind: 'error', error });
        return false;
      } finally {
        inFlight.current = undefined;
      }
    })();
    inFlight.current = run;
    return run;
  }, [caseId, note.id]);

  const change = (name: string, value: unknown) => {
    setBody((current) => {
      const next = { ...current, [name]: value };
      latest.current = next;
      return next;
    });
    dirty.current = true;
    setMissing((current) => {
      if (current[name] === undefined) return current;
      const { [name]: _, ...rest } = current;
      return rest;
    });
    setState({ kind: 'pending' });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), 1_500);
  };

  // Save what is typed when leaving the page.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      if (dirty.current) void save();
    },
    [save],
  );

  const focusFirstProblem = () =>
    setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  const sign = useMutation({
    mutationFn: async () => {
      clearTimeout(timer.current);
      if (!(await save())) throw new Error('The draft could not be saved, so it was not signed.');
      return call(
        api.POST('/api/v1/cases/{caseId}/notes/{noteId}/signature', { params: { path: { caseId, noteId: note.id } } }),
      );
    },
    onSuccess: async (signed) => {
      setSignError(undefined);
      onNotice('The note was signed. It can no longer be edited; changes are amendments with a reason.');
      client.setQueryData(clinicalKeys.note(caseId, note.id), signed);
      await client.invalidateQueries({ queryKey: clinicalKeys.notes(caseId) });
      await client.invalidateQueries({ queryKey: clinicalKeys.noteQueue });
    },
    onError: (error) => {
      setSignError(error);
      // Focus the first field the signature needs (its message is beside it).
      focusFirstProblem();
    },
  });

  const errors = {
    ...bodyErrors(state.kind === 'error' ? state.error : undefined),
    ...bodyErrors(signError),
    ...missing,
  };
  /** Signs, after checking in the browser what the server's signature rules need (signingProblems). */
  const trySign = () => {
    const problems = signingProblems(note.template, latest.current);
    setMissing(problems);
    if (Object.keys(problems).length > 0) {
      setSignError(undefined);
      focusFirstProblem();
      return;
    }
    sign.mutate();
  };
  if (!mine)
    return (
      <>
        <NoteFacts note={note} />
        <p>This draft is being written by its author. It can be read once it is signed.</p>
      </>
    );
  return (
    <>
      <NoteFacts note={note} />
      <form
        ref={formRef}
        className="form"
        aria-label="Edit the draft"
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          trySign();
        }}
      >
        {NOTE_FIELDS[note.template].map((field) => (
          <FieldEditor
            key={field.name}
            field={field}
            value={body[field.name]}
            error={errors[field.name]}
            onChange={(value) => change(field.name, value)}
          />
        ))}
        <p className="save-state" role="status" aria-live="polite">
          {saveStateText(state)}
        </p>
        {state.kind === 'error' && <ProblemSummary error={state.error} title="The draft was not saved" />}
        {signError !== undefined && <ProblemSummary error={signError} title="The note was not signed" />}
        {Object.keys(missing).length > 0 && (
          <p className="form-error" role="alert">
            The note was not signed: {Object.keys(missing).length === 1 ? 'one field needs' : 'some fields need'} your
            attention (marked above).
          </p>
        )}
        <div className="form-actions">
          <SubmitButton pending={sign.isPending} pendingLabel="Signing…">
            Sign the note
          </SubmitButton>
        </div>
        <p className="cw-muted">Signing makes the note final: later changes are amendments with a reason.</p>
      </form>
    </>
  );
}

function saveStateText(state: SaveState): string {
  switch (state.kind) {
    case 'idle':
      return 'Drafts save themselves as you type.';
    case 'pending':
      return 'Not saved yet…';
    case 'saving':
      return 'Saving the draft…';
    case 'saved':
      return `Draft saved ${formatDateTime(state.at)}`;
    case 'conflict':
      return 'This draft was saved elsewhere meanwhile. Reload the page to continue from the newer version.';
    case 'error':
      return 'The draft was not saved.';
  }
}

function FieldEditor({
  field,
  value,
  error,
  onChange,
}: {
  readonly field: NoteField;
  readonly value: unknown;
  readonly error?: string;
  readonly onChange: (value: unknown) => void;
}) {
  const { caseView } = useCaseContext();
  const label = field.label;
  switch (field.kind) {
    case 'text':
      return (
        <TextInput
          label={label}
          hint={field.hint}
          required={field.required}
          multiline
          maxLength={20_000}
          value={typeof value === 'string' ? value : ''}
          error={error}
          onChange={onChange}
        />
      );
    case 'time':
      return (
        <TimeInput label={label} value={typeof value === 'string' ? value : ''} error={error} onChange={onChange} />
      );
    case 'cpt':
      return (
        <SelectInput
          label={label}
          value={typeof value === 'string' ? value : ''}
          error={error}
          onChange={onChange}
          options={[{ value: '', label: 'None' }, ...CPT_CODES]}
        />
      );
    case 'client':
      return (
        <SelectInput
          label={label}
          value={typeof value === 'string' ? value : ''}
          error={error}
          onChange={onChange}
          options={[
            { value: '', label: 'None' },
            ...caseView.participants.map((p) => ({ value: p.clientId, label: p.displayName })),
          ]}
        />
      );
    case 'attendees': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <fieldset className={`field field--group${error !== undefined ? ' field--invalid' : ''}`}>
          <legend className="field__label">
            {label}
            <span className="field__required"> (required)</span>
          </legend>
          {caseView.participants.map((p) => (
            <Checkbox
              key={p.clientId}
              label={p.displayName}
              checked={chosen.includes(p.clientId)}
              onChange={(checked) =>
                onChange(checked ? [...chosen, p.clientId] : chosen.filter((id) => id !== p.clientId))
              }
            />
          ))}
          {error !== undefined && <p className="field__error">{error}</p>}
        </fieldset>
      );
    }
    case 'text_list':
      return (
        <TextInput
          label={label}
          multiline
          value={Array.isArray(value) ? (value as string[]).join('\n') : ''}
          error={error}
          onChange={(text) =>
            onChange(
              text
                .split('\n')
                .map((line) => line.slice(0, 500))
                .filter((line, index, lines) => line.trim() !== '' || index === lines.length - 1),
            )
          }
        />
      );
    case 'risk_screen':
      return <RiskScreenEditor value={value} error={error} onChange={onChange} />;
  }
}

function TimeInput({
  label,
  value,
  error,
  onChange,
}: {
  readonly label: string;
  readonly value: string;
  readonly error?: string;
  readonly onChange: (value: string) => void;
}) {
  const id = `time-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className={`field${error !== undefined ? ' field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input
        id={id}
        className="input"
        type="time"
        value={value}
        aria-invalid={error !== undefined ? true : undefined}
        aria-describedby={error !== undefined ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error !== undefined && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

function RiskScreenEditor({
  value,
  error,
  onChange,
}: {
  readonly value: unknown;
  readonly error?: string;
  readonly onChange: (value: RiskScreenEntry[]) => void;
}) {
  const { caseView } = useCaseContext();
  const entries = Array.isArray(value) ? (value as RiskScreenEntry[]) : [];
  const entryOf = (clientId: string): RiskScreenEntry =>
    entries.find((entry) => entry.clientId === clientId) ?? {
      clientId,
      askedIndividually: false,
      suicidalIdeation: 'not_assessed',
      homicidalIdeation: 'not_assessed',
      intimatePartnerViolence: 'not_assessed',
    };
  const update = (clientId: string, patch: Partial<RiskScreenEntry>) =>
    onChange(
      caseView.participants.map((p) =>
        p.clientId === clientId ? { ...entryOf(clientId), ...patch } : entryOf(p.clientId),
      ),
    );
  return (
    <fieldset className={`field field--group${error !== undefined ? ' field--invalid' : ''}`}>
      <legend className="field__label">
        Risk screen, each attendee asked individually<span className="field__required"> (required)</span>
      </legend>
      {caseView.participants.map((p) => {
        const entry = entryOf(p.clientId);
        const level = (name: 'suicidalIdeation' | 'homicidalIdeation' | 'intimatePartnerViolence', text: string) => (
          <SelectInput<RiskLevel>
            label={`${text} (${p.displayName})`}
            value={entry[name]}
            onChange={(v) => update(p.clientId, { [name]: v === '' ? 'not_assessed' : v })}
            options={RISK_LEVELS}
          />
        );
        return (
          <div key={p.clientId} className="mc-risk">
            <Checkbox
              label={`${p.displayName} was asked individually`}
              checked={entry.askedIndividually}
              onChange={(checked) => update(p.clientId, { askedIndividually: checked })}
            />
            {level('suicidalIdeation', 'Suicidal ideation')}
            {level('homicidalIdeation', 'Homicidal ideation')}
            {level('intimatePartnerViolence', 'Intimate partner violence')}
          </div>
        );
      })}
      {error !== undefined && <p className="field__error">{error}</p>}
    </fieldset>
  );
}

function NoteBodyView({ note, body, label }: { readonly note: NoteView; readonly body: Body; readonly label: string }) {
  const { clientName } = useCaseContext();
  return (
    <dl className="cw-facts mc-note-body" data-testid={label}>
      {NOTE_FIELDS[note.template].map((field) => (
        <div key={field.name} className="cw-facts__row">
          <dt>{field.label}</dt>
          <dd className="cw-prewrap">{displayValue(field, body[field.name], clientName)}</dd>
        </div>
      ))}
    </dl>
  );
}

function SignedNote({ note, onNotice }: { readonly note: NoteView; readonly onNotice: (m: string) => void }) {
  const { caseId, memberName } = useCaseContext();
  const me = useMe();
  const client = useQueryClient();
  const name = (id: string | null) => (id !== null && id === me.membershipId ? 'you' : memberName(id));
  const cosign = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/notes/{noteId}/cosignature', {
          params: { path: { caseId, noteId: note.id } },
        }),
      ),
    onSuccess: async (cosigned) => {
      onNotice('You co-signed the note.');
      client.setQueryData(clinicalKeys.note(caseId, note.id), cosigned);
      await client.invalidateQueries({ queryKey: clinicalKeys.noteQueue });
      await client.invalidateQueries({ queryKey: clinicalKeys.notes(caseId) });
    },
  });
  const canCosign = note.cosignRequired && note.cosignedAt === null && note.authorMembershipId !== me.membershipId;
  return (
    <>
      <NoteFacts note={note} />
      {canCosign && (
        <Section title="Co-signature">
          <p>The author&apos;s notes need a supervisor&apos;s co-signature. Read the note, then co-sign it.</p>
          <button type="button" className="button" disabled={cosign.isPending} onClick={() => cosign.mutate()}>
            {cosign.isPending ? 'Co-signing…' : 'Co-sign the note'}
          </button>
          <ProblemSummary error={cosign.error} title="The note was not co-signed" />
        </Section>
      )}
      <Section title={note.amendments.length > 0 ? 'The note as it reads now' : 'The note'}>
        <NoteBodyView note={note} body={note.currentBody} label="The note as it reads now" />
      </Section>
      {note.amendments.length > 0 && (
        <Section title="Amendments">
          <ol className="cw-entries" aria-label="Amendments">
            {note.amendments.map((amendment) => (
              <li key={amendment.id} className="cw-entry">
                <p>
                  <strong>{formatDateTime(amendment.createdAt)}</strong> by {name(amendment.authorMembershipId)}
                </p>
                <p>
                  Reason: <span className="cw-quote">{amendment.reason}</span>
                </p>
                <p className="cw-muted">
                  Changed:{' '}
                  {amendment.changedFields
                    .map((field) => NOTE_FIELDS[note.template].find((f) => f.name === field)?.label ?? field)
                    .join(', ')}
                </p>
              </li>
            ))}
          </ol>
          <details className="cw-details">
            <summary>The note as signed (before any amendment)</summary>
            <NoteBodyView note={note} body={note.body} label="The note as signed" />
          </details>
        </Section>
      )}
      {note.authorMembershipId === me.membershipId && (
        <Section title="Amend the note">
          <AmendForm note={note} onDone={onNotice} />
        </Section>
      )}
    </>
  );
}

function AmendForm({ note, onDone }: { readonly note: NoteView; readonly onDone: (message: string) => void }) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const fields = amendableFields(note.template);
  const current = note.currentBody;
  const [field, setField] = useState('');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/notes/{noteId}/amendments', {
          params: { path: { caseId, noteId: note.id } },
          body: { reason: reason.trim(), changes: { [field]: value } },
        }),
      ),
    onSuccess: async (amended) => {
      setField('');
      setValue('');
      setReason('');
      onDone('The amendment was recorded. The note as signed stays available.');
      client.setQueryData(clinicalKeys.note(caseId, note.id), amended);
      await client.invalidateQueries({ queryKey: clinicalKeys.notes(caseId) });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const chosen = fields.find((f) => f.name === field);
  return (
    <form
      className="form"
      aria-label="Amend the note"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (field !== '' && reason.trim() !== '') mutation.mutate();
      }}
    >
      <SelectInput
        label="Field to change"
        required
        value={field}
        error={errors.changes}
        onChange={(name) => {
          setField(name);
          const existing = current[name];
          setValue(typeof existing === 'string' ? existing : '');
        }}
        options={[{ value: '', label: 'Choose a field' }, ...fields.map((f) => ({ value: f.name, label: f.label }))]}
      />
      {chosen !== undefined &&
        (chosen.kind === 'time' ? (
          <TimeInput label={`New ${chosen.label.toLowerCase()}`} value={value} onChange={setValue} />
        ) : (
          <TextInput
            label={`New text of ${chosen.label.toLowerCase()}`}
            multiline
            required
            maxLength={20_000}
            value={value}
            error={errors[`changes.${chosen.name}`]}
            onChange={setValue}
          />
        ))}
      <TextInput
        label="Reason for the amendment"
        hint="Kept with the amendment in the record."
        required
        multiline
        maxLength={2000}
        value={reason}
        error={errors.reason}
        onChange={setReason}
      />
      <ProblemSummary error={mutation.error} title="The amendment was not recorded" />
      <div className="form-actions">
        <SubmitButton
          pending={mutation.isPending}
          pendingLabel="Recording…"
          disabled={field === '' || reason.trim() === ''}
        >
          Record the amendment
        </SubmitButton>
      </div>
    </form>
  );
}
