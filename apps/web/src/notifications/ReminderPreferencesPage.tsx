/**
 * A client's reminder preferences (/portal/reminders): how reminders reach them
 * (in the app or by email), at what time, discreet wording; their own quiet
 * hours or the clinic's; and per kind of reminder its own channel or time, or
 * no reminders of that kind at all. Safety notices to the care team are not a
 * client's reminders and are not listed.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { ApiError } from '../api/errors';
import type { Schemas } from '../api/types';
import { useChosenCase } from '../portal/case-context';
import { portalKeys, useMyClientRecord } from '../portal/portal-data';
import { ChoiceGroup, FormError, SelectInput, TextInput } from '../ui/fields';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, Loading } from '../ui/Status';
import { notificationKeys, useClinicReminderDefaults, useReminderPreferences } from './queries';

type ClientRecord = Schemas['ClientResponse'];
type Preferences = Schemas['ClientReminderPreferencesResponse'];
type CategoryPreference = Schemas['CategoryPreferenceDto'];
type Category = CategoryPreference['category'];
type Channel = NonNullable<CategoryPreference['channel']>;

const CATEGORY_LABELS: Record<Category, string> = {
  assignment_due_soon: 'Homework due tomorrow',
  assignment_due: 'Homework due today',
  assignment_overdue: 'Homework overdue',
  check_in: 'Daily check-in',
  session_tomorrow: 'Session tomorrow',
  measure_due: 'Questionnaire due',
  plan_review: 'Plan review coming up',
};

const CHANNEL_LABELS: Record<Channel, string> = { in_app: 'In the app', email: 'Email', sms: 'Text message' };

function problemMessage(error: unknown): string | undefined {
  if (error === null || error === undefined) return undefined;
  if (error instanceof ApiError) return error.problem?.errors?.[0]?.message ?? error.message;
  return 'This was not saved. Check your connection and try again.';
}

function HowAndWhen({ record }: { readonly record: ClientRecord }) {
  const client = useQueryClient();
  const [channel, setChannel] = useState<ClientRecord['reminderChannel']>(record.reminderChannel);
  const [time, setTime] = useState(record.reminderTime ?? '');
  const [discreet, setDiscreet] = useState(record.discreetNotifications);
  const mutation = useMutation({
    mutationFn: (body: Schemas['UpdateClientPreferencesRequest']) =>
      call(api.PATCH('/api/v1/clients/{clientId}/preferences', { params: { path: { clientId: record.id } }, body })),
    onSuccess: (data) => client.setQueryData(portalKeys.client(record.id), data),
  });
  const errors = mutation.error instanceof ApiError ? mutation.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      reminderChannel: channel,
      reminderTime: time === '' ? null : time,
      discreetNotifications: discreet,
    });
  };
  return (
    <form className="form card" onSubmit={submit} aria-labelledby="how-heading">
      <h2 id="how-heading">How and when</h2>
      <ChoiceGroup legend="Send my reminders" error={errors.reminderChannel}>
        {(describedBy) => (
          <div className="choices">
            {(['in_app', 'email'] as const).map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="channel"
                  value={value}
                  checked={channel === value}
                  aria-describedby={describedBy}
                  onChange={() => setChannel(value)}
                />
                <span>{value === 'in_app' ? 'In the app (Notifications)' : 'By email'}</span>
              </label>
            ))}
          </div>
        )}
      </ChoiceGroup>
      <TextInput
        label="Usual time"
        help={`In your timezone (${record.timezone}). Leave empty for the clinic's usual time.`}
        type="time"
        value={time}
        error={errors.reminderTime}
        onChange={setTime}
      />
      <label className="choice">
        <input type="checkbox" checked={discreet} onChange={(event) => setDiscreet(event.target.checked)} />
        <span>Discreet wording: reminders only say “You have a new message”</span>
      </label>
      <FormError message={problemMessage(mutation.error)} />
      {mutation.isSuccess && (
        <p className="notice" role="status">
          Saved.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

function QuietAndKinds({
  clientId,
  preferences,
  clinicQuiet,
}: {
  readonly clientId: string;
  readonly preferences: Preferences;
  readonly clinicQuiet: { readonly start: string; readonly end: string } | undefined;
}) {
  const client = useQueryClient();
  const [ownQuiet, setOwnQuiet] = useState(preferences.quietHours !== null);
  const [quietStart, setQuietStart] = useState(preferences.quietHours?.start ?? clinicQuiet?.start ?? '21:00');
  const [quietEnd, setQuietEnd] = useState(preferences.quietHours?.end ?? clinicQuiet?.end ?? '08:00');
  const [kinds, setKinds] = useState<CategoryPreference[]>(preferences.preferences.map((item) => ({ ...item })));
  const mutation = useMutation({
    mutationFn: (body: Schemas['UpdateClientReminderPreferencesRequest']) =>
      call(api.PUT('/api/v1/clients/{clientId}/reminder-preferences', { params: { path: { clientId } }, body })),
    onSuccess: (data) => client.setQueryData(notificationKeys.reminderPreferences(clientId), data),
  });
  const errors = mutation.error instanceof ApiError ? mutation.error.fieldErrors() : {};
  const change = (category: Category, patch: Partial<CategoryPreference>) =>
    setKinds((current) => current.map((item) => (item.category === category ? { ...item, ...patch } : item)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      quietHours: ownQuiet ? { start: quietStart, end: quietEnd } : null,
      preferences: kinds.map((item) => ({
        category: item.category,
        channel: item.channel ?? null,
        localTime: item.localTime === '' ? null : (item.localTime ?? null),
        optedOut: item.optedOut ?? false,
      })),
    });
  };
  return (
    <form className="form card" onSubmit={submit} aria-labelledby="quiet-heading">
      <h2 id="quiet-heading">Quiet hours and kinds of reminder</h2>
      <ChoiceGroup
        legend="Quiet hours"
        help="Reminders that fall inside them wait until they end."
        error={errors['quietHours.start'] ?? errors['quietHours.end']}
      >
        {(describedBy) => (
          <div className="choices">
            <label className="choice">
              <input
                type="radio"
                name="quiet"
                checked={!ownQuiet}
                aria-describedby={describedBy}
                onChange={() => setOwnQuiet(false)}
              />
              <span>
                The clinic’s
                {clinicQuiet !== undefined ? ` (${clinicQuiet.start} to ${clinicQuiet.end})` : ''}
              </span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name="quiet"
                checked={ownQuiet}
                aria-describedby={describedBy}
                onChange={() => setOwnQuiet(true)}
              />
              <span>My own</span>
            </label>
          </div>
        )}
      </ChoiceGroup>
      {ownQuiet && (
        <div className="split">
          <TextInput label="Quiet from" type="time" value={quietStart} onChange={setQuietStart} />
          <TextInput label="Quiet until" type="time" value={quietEnd} onChange={setQuietEnd} />
        </div>
      )}
      {kinds.map((item, index) => (
        <fieldset key={item.category} className="field field--group">
          <legend className="field__label">{CATEGORY_LABELS[item.category]}</legend>
          <label className="choice">
            <input
              type="checkbox"
              checked={!(item.optedOut ?? false)}
              onChange={(event) => change(item.category, { optedOut: !event.target.checked })}
            />
            <span>Remind me</span>
          </label>
          {!(item.optedOut ?? false) && (
            <div className="split">
              <SelectInput
                label="How"
                placeholder="As usual"
                value={item.channel ?? ''}
                error={errors[`preferences[${index}].channel`]}
                onChange={(value) => change(item.category, { channel: value === '' ? null : (value as Channel) })}
                options={(['in_app', 'email'] as const).map((value) => ({ value, label: CHANNEL_LABELS[value] }))}
              />
              <TextInput
                label="At"
                help="Empty: your usual time."
                type="time"
                value={item.localTime ?? ''}
                error={errors[`preferences[${index}].localTime`]}
                onChange={(value) => change(item.category, { localTime: value === '' ? null : value })}
              />
            </div>
          )}
        </fieldset>
      ))}
      <FormError message={problemMessage(mutation.error)} />
      {mutation.isSuccess && (
        <p className="notice" role="status">
          Saved.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

export function ReminderPreferencesPage() {
  const chosen = useChosenCase();
  const clientId = chosen.cases?.find((item) => item.yourClientId !== undefined)?.yourClientId;
  const record = useMyClientRecord(clientId);
  const preferences = useReminderPreferences(clientId);
  const clinic = useClinicReminderDefaults();
  let body;
  if (chosen.query.isPending || (clientId !== undefined && (record.isPending || preferences.isPending)))
    body = <Loading label="Loading your reminder settings…" />;
  else if (chosen.cases === undefined)
    body = <ErrorNotice error={chosen.query.error} onRetry={() => void chosen.query.refetch()} />;
  else if (clientId === undefined) body = <Empty>You are not part of a case yet, so there are no reminders.</Empty>;
  else if (record.data === undefined) body = <ErrorNotice error={record.error} onRetry={() => void record.refetch()} />;
  else if (preferences.data === undefined)
    body = <ErrorNotice error={preferences.error} onRetry={() => void preferences.refetch()} />;
  else
    body = (
      <>
        <HowAndWhen key={record.data.id} record={record.data} />
        <QuietAndKinds
          key={clientId}
          clientId={clientId}
          preferences={preferences.data}
          clinicQuiet={clinic.data?.quietHours}
        />
      </>
    );
  return (
    <Page title="Reminders" actions={<Link to="/portal/notifications">Notifications</Link>}>
      {body}
    </Page>
  );
}
