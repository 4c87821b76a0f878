/**
 * Sessions of a case (…/sessions): a calendar, day by day (coming up, then
 * past), each session with its time in the clinic's timezone and each
 * participant's own, kind, modality, status, reschedule history and attendance.
 * Scheduling by wall-clock time in a timezone (a clash is 409 `session_conflict`
 * and is said plainly), rescheduling, marking completed / cancelled / no-show
 * (final, confirmed) and recording attendance per participant.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import { ApiError } from '../api/errors';
import type { Schemas } from '../api/types';
import { useMe } from '../auth/session';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import {
  ATTENDANCE_LABELS,
  clinicalKeys,
  MODALITY_LABELS,
  SESSION_STATUS_LABELS,
  useSessions,
  type SessionView,
} from './clinical-queries';
import {
  Badge,
  fieldErrorsOf,
  Notice,
  ProblemSummary,
  RadioGroup,
  Section,
  SelectInput,
  SubmitButton,
  TextInput,
} from './components';

type Modality = SessionView['modality'];
type Kind = SessionView['kind'];
type Attendance = Schemas['AttendanceResponse']['attendance'];

function dayKey(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: timezone,
  }).format(new Date(iso));
}

function time(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: timezone }).format(
    new Date(iso),
  );
}

/** A local wall-clock time (YYYY-MM-DDTHH:mm) of an instant in a timezone, for a datetime-local field. */
function localInput(iso: string, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: timezone,
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

function conflictMessage(error: unknown): string | undefined {
  if (error instanceof ApiError && error.code === 'session_conflict')
    return 'You already have a session at that time (sessions of one counselor may not overlap). Choose another time.';
  return undefined;
}

function useSessionWrite<T>(caseId: string, fn: (body: T) => Promise<unknown>, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      onDone();
      await client.invalidateQueries({ queryKey: clinicalKeys.sessions(caseId) });
    },
  });
}

function ScheduleForm({ timezone, onDone }: { readonly timezone: string; readonly onDone: (m: string) => void }) {
  const { caseId, caseView } = useCaseContext();
  const [startsAtLocal, setStartsAtLocal] = useState('');
  const [duration, setDuration] = useState('50');
  const [modality, setModality] = useState<Modality>('in_person');
  const [kind, setKind] = useState<Kind>('joint');
  const [clientId, setClientId] = useState('');
  const mutation = useSessionWrite(
    caseId,
    (body: Schemas['ScheduleSessionRequest']) =>
      call(api.POST('/api/v1/cases/{caseId}/sessions', { params: { path: { caseId } }, body })),
    () => {
      setStartsAtLocal('');
      onDone('The session was scheduled.');
    },
  );
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (startsAtLocal === '') return;
    mutation.mutate({
      startsAtLocal,
      timezone,
      durationMinutes: Number(duration),
      modality,
      kind,
      ...(kind === 'individual' && clientId !== '' && { individualClientId: clientId }),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Schedule a session">
      <TextInput
        label="Starts at"
        hint={`Local time in ${timezone}; each participant sees it in their own timezone.`}
        type="datetime-local"
        required
        value={startsAtLocal}
        error={errors.startsAtLocal ?? errors.startsAt}
        onChange={setStartsAtLocal}
      />
      <TextInput
        label="Length in minutes"
        type="number"
        min={5}
        max={480}
        required
        value={duration}
        error={errors.durationMinutes}
        onChange={setDuration}
      />
      <SelectInput<Modality>
        label="Where"
        required
        value={modality}
        onChange={(value) => setModality(value === '' ? 'in_person' : value)}
        options={(Object.keys(MODALITY_LABELS) as Modality[]).map((value) => ({
          value,
          label: MODALITY_LABELS[value],
        }))}
      />
      <RadioGroup<Kind>
        legend="Who"
        name="session-kind"
        value={kind}
        onChange={setKind}
        hint="An individual session in a couple case needs both partners' signatures of the secrets policy; the other partner does not see it."
        options={[
          { value: 'joint', label: 'Joint session (everyone in the case)' },
          { value: 'individual', label: 'Individual session' },
        ]}
      />
      {kind === 'individual' && (
        <SelectInput
          label="With"
          required
          value={clientId}
          error={errors.individualClientId}
          onChange={setClientId}
          options={[
            { value: '', label: 'Choose a participant' },
            ...caseView.participants.map((p) => ({ value: p.clientId, label: p.displayName })),
          ]}
        />
      )}
      {conflictMessage(mutation.error) !== undefined ? (
        <p className="form-error" role="alert">
          {conflictMessage(mutation.error)}
        </p>
      ) : (
        <ProblemSummary error={mutation.error} title="The session was not scheduled" />
      )}
      <div className="form-actions">
        <SubmitButton
          pending={mutation.isPending}
          pendingLabel="Scheduling…"
          disabled={startsAtLocal === '' || (kind === 'individual' && clientId === '')}
        >
          Schedule the session
        </SubmitButton>
      </div>
    </form>
  );
}

function RescheduleForm({
  session,
  timezone,
  onDone,
}: {
  readonly session: SessionView;
  readonly timezone: string;
  readonly onDone: (m: string) => void;
}) {
  const { caseId } = useCaseContext();
  const [open, setOpen] = useState(false);
  const [startsAtLocal, setStartsAtLocal] = useState(() => localInput(session.startsAt, timezone));
  const [duration, setDuration] = useState(String(session.durationMinutes));
  const mutation = useSessionWrite(
    caseId,
    (body: Schemas['RescheduleSessionRequest']) =>
      call(
        api.POST('/api/v1/cases/{caseId}/sessions/{sessionId}/reschedule', {
          params: { path: { caseId, sessionId: session.id } },
          body,
        }),
      ),
    () => {
      setOpen(false);
      onDone('The session was moved. Its history keeps the old time.');
    },
  );
  if (!open)
    return (
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen(true)}>
        Reschedule
      </button>
    );
  const errors = fieldErrorsOf(mutation.error);
  return (
    <form
      className="form cw-inline-form"
      aria-label="Reschedule the session"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        mutation.mutate({ startsAtLocal, timezone, durationMinutes: Number(duration) });
      }}
    >
      <TextInput
        label="New start"
        type="datetime-local"
        required
        value={startsAtLocal}
        error={errors.startsAtLocal}
        onChange={setStartsAtLocal}
      />
      <TextInput
        label="Length in minutes"
        type="number"
        min={5}
        max={480}
        value={duration}
        error={errors.durationMinutes}
        onChange={setDuration}
      />
      {conflictMessage(mutation.error) !== undefined ? (
        <p className="form-error" role="alert">
          {conflictMessage(mutation.error)}
        </p>
      ) : (
        <ProblemSummary error={mutation.error} title="The session was not moved" />
      )}
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} pendingLabel="Moving…">
          Move the session
        </SubmitButton>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          Keep the time
        </button>
      </div>
    </form>
  );
}

function StatusControl({ session, onDone }: { readonly session: SessionView; readonly onDone: (m: string) => void }) {
  const { caseId } = useCaseContext();
  const [choice, setChoice] = useState<'completed' | 'cancelled' | 'no_show' | ''>('');
  const mutation = useSessionWrite(
    caseId,
    (status: 'completed' | 'cancelled' | 'no_show') =>
      call(
        api.POST('/api/v1/cases/{caseId}/sessions/{sessionId}/status', {
          params: { path: { caseId, sessionId: session.id } },
          body: { status },
        }),
      ),
    () => onDone('The session status was recorded.'),
  );
  return (
    <form
      className="cw-inline-form"
      aria-label="Change the session status"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (choice !== '') mutation.mutate(choice);
      }}
    >
      <SelectInput
        label="Mark the session"
        hint="Final: a session marked completed, cancelled or no-show cannot be changed back."
        value={choice}
        onChange={setChoice}
        options={[
          { value: '', label: 'Choose' },
          { value: 'completed', label: 'Completed' },
          { value: 'cancelled', label: 'Cancelled' },
          { value: 'no_show', label: 'No-show' },
        ]}
      />
      <ProblemSummary error={mutation.error} />
      <SubmitButton pending={mutation.isPending} secondary disabled={choice === ''}>
        Record the status
      </SubmitButton>
    </form>
  );
}

function AttendanceForm({ session, onDone }: { readonly session: SessionView; readonly onDone: (m: string) => void }) {
  const { caseId, caseView } = useCaseContext();
  const people =
    session.kind === 'individual'
      ? caseView.participants.filter((p) => p.clientId === session.individualClientId)
      : caseView.participants;
  const [values, setValues] = useState<Record<string, Attendance | ''>>(() =>
    Object.fromEntries(
      people.map((p) => [
        p.clientId,
        session.attendance.find((entry) => entry.clientId.toLowerCase() === p.clientId.toLowerCase())?.attendance ?? '',
      ]),
    ),
  );
  const mutation = useSessionWrite(
    caseId,
    (entries: Schemas['AttendanceEntryRequest'][]) =>
      call(
        api.PUT('/api/v1/cases/{caseId}/sessions/{sessionId}/attendance', {
          params: { path: { caseId, sessionId: session.id } },
          body: { entries },
        }),
      ),
    () => onDone('Attendance was recorded.'),
  );
  const entries = Object.entries(values)
    .filter((entry): entry is [string, Attendance] => entry[1] !== '')
    .map(([clientId, attendance]) => ({ clientId, attendance }));
  return (
    <form
      className="form cw-inline-form"
      aria-label="Record attendance"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (entries.length > 0) mutation.mutate(entries);
      }}
    >
      {people.map((p) => (
        <SelectInput<Attendance>
          key={p.clientId}
          label={`Attendance of ${p.displayName}`}
          value={values[p.clientId] ?? ''}
          onChange={(value) => setValues((current) => ({ ...current, [p.clientId]: value }))}
          options={[
            { value: '', label: 'Not recorded' },
            ...(Object.keys(ATTENDANCE_LABELS) as Attendance[]).map((value) => ({
              value,
              label: ATTENDANCE_LABELS[value],
            })),
          ]}
        />
      ))}
      <ProblemSummary error={mutation.error} />
      <SubmitButton pending={mutation.isPending} secondary disabled={entries.length === 0}>
        Record attendance
      </SubmitButton>
    </form>
  );
}

function SessionCard({
  session,
  timezone,
  onDone,
}: {
  readonly session: SessionView;
  readonly timezone: string;
  readonly onDone: (m: string) => void;
}) {
  const { clientName, memberName } = useCaseContext();
  const others = session.localTimes.filter((local) => local.clientId !== null && local.timezone !== timezone);
  const moves = session.history.filter((event) => event.kind === 'rescheduled');
  return (
    <li className="cw-entry mc-session" data-testid="session">
      <p>
        <strong>
          {time(session.startsAt, timezone)}–{time(session.endsAt, timezone)}
        </strong>{' '}
        {session.kind === 'joint'
          ? 'Joint session'
          : `Individual session with ${clientName(session.individualClientId)}`}{' '}
        · {MODALITY_LABELS[session.modality]} · {session.durationMinutes} min{' '}
        <Badge tone={session.status === 'scheduled' ? 'info' : session.status === 'completed' ? 'good' : 'warn'}>
          {SESSION_STATUS_LABELS[session.status]}
        </Badge>
      </p>
      <p className="cw-muted">With {memberName(session.counselorMembershipId)}</p>
      {others.length > 0 && (
        <p className="cw-muted">
          {others
            .map((local) => `${clientName(local.clientId)}: ${time(local.startsAt, local.timezone)} ${local.timezone}`)
            .join(' · ')}
        </p>
      )}
      {moves.length > 0 && (
        <p className="cw-muted">
          Moved from{' '}
          {moves
            .map((event) =>
              event.fromStartsAt !== null
                ? `${dayKey(event.fromStartsAt, timezone)} ${time(event.fromStartsAt, timezone)}`
                : '',
            )
            .join(', then from ')}
        </p>
      )}
      {session.attendance.length > 0 && (
        <p>
          Attendance:{' '}
          {session.attendance
            .map((entry) => `${clientName(entry.clientId)} ${ATTENDANCE_LABELS[entry.attendance].toLowerCase()}`)
            .join(', ')}
        </p>
      )}
      {session.status === 'scheduled' && (
        <div className="mc-session__actions">
          <RescheduleForm session={session} timezone={timezone} onDone={onDone} />
          <StatusControl session={session} onDone={onDone} />
        </div>
      )}
      {session.status === 'completed' && <AttendanceForm session={session} onDone={onDone} />}
    </li>
  );
}

function Calendar({
  sessions,
  timezone,
  label,
  onDone,
}: {
  readonly sessions: readonly SessionView[];
  readonly timezone: string;
  readonly label: string;
  readonly onDone: (m: string) => void;
}) {
  const days = new Map<string, SessionView[]>();
  for (const session of sessions) {
    const key = dayKey(session.startsAt, timezone);
    days.set(key, [...(days.get(key) ?? []), session]);
  }
  return (
    <ol className="mc-calendar" aria-label={label}>
      {[...days.entries()].map(([day, items]) => (
        <li key={day} className="mc-calendar__day">
          <h3>{day}</h3>
          <ul className="cw-entries">
            {items.map((session) => (
              <SessionCard key={session.id} session={session} timezone={timezone} onDone={onDone} />
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

export function SessionsPage() {
  const { caseId, caseView } = useCaseContext();
  const me = useMe();
  const timezone = me.clinicTimezone;
  const sessions = useSessions(caseId);
  const [notice, setNotice] = useState<string>();
  return (
    <Page title={`Sessions · ${caseView.title ?? 'Case'}`} heading="Sessions">
      <p className="cw-lede">Times are shown in the clinic&apos;s timezone, {timezone}.</p>
      {notice !== undefined && <Notice>{notice}</Notice>}
      <QueryView query={sessions} label="Loading sessions…">
        {(data) => {
          const now = Date.now();
          const upcoming = data.sessions.filter(
            (session) => session.status === 'scheduled' || Date.parse(session.endsAt) >= now,
          );
          const past = data.sessions.filter((session) => !upcoming.includes(session)).reverse();
          return (
            <>
              <Section title="Coming up">
                {upcoming.length === 0 ? (
                  <Empty>No session is scheduled.</Empty>
                ) : (
                  <Calendar sessions={upcoming} timezone={timezone} label="Sessions coming up" onDone={setNotice} />
                )}
              </Section>
              <Section title="Past sessions">
                {past.length === 0 ? (
                  <Empty>No past session.</Empty>
                ) : (
                  <Calendar sessions={past} timezone={timezone} label="Past sessions" onDone={setNotice} />
                )}
              </Section>
            </>
          );
        }}
      </QueryView>
      <Section title="Schedule a session">
        <ScheduleForm timezone={timezone} onDone={setNotice} />
      </Section>
    </Page>
  );
}
