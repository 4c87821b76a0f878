/**
 * Clinic settings (clinic admins): name and timezone; reminder defaults
 * (channels, default time, quiet hours); the second-factor requirement; safety
 * escalation (contact and delay, default country) and the crisis resources
 * clients are shown; and, for platform operators, where the queue dashboard is.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import {
  Checkbox,
  fieldErrorsOf,
  Notice,
  ProblemSummary,
  Section,
  SelectInput,
  SubmitButton,
  TextInput,
} from '../counselor/components';
import { formatDateTime } from '../counselor/labels';
import { TextInput as TimeInput } from '../ui/fields';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import {
  adminKeys,
  memberName,
  useClinic,
  useCrisisResources,
  useMembers,
  useReminderSettings,
  useSafetySettings,
  type CrisisResourceListView,
  type SafetySettingsView,
} from './queries';

type Channel = Schemas['ClinicReminderSettingsResponse']['channels'][number];
const CHANNEL_LABELS: Record<Channel, string> = { in_app: 'In the app', email: 'Email', sms: 'Text message (SMS)' };

/** IANA zones the browser knows (all of them in current Chromium and Firefox). */
function timezones(current: string): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return supported.includes(current) ? supported : [current, ...supported];
}

function ClinicForm({ clinic }: { readonly clinic: Schemas['ClinicResponse'] }) {
  const client = useQueryClient();
  const [name, setName] = useState(clinic.name);
  const [timezone, setTimezone] = useState(clinic.timezone);
  const mutation = useMutation({
    mutationFn: (body: Schemas['UpdateClinicRequest']) => call(api.PATCH('/api/v1/clinic', { body })),
    onSuccess: (data) => client.setQueryData(adminKeys.clinic, data),
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ name: name.trim(), timezone });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Clinic">
      <TextInput label="Clinic name" required value={name} error={errors.name} onChange={setName} maxLength={200} />
      <SelectInput
        label="Timezone"
        hint="Clinic-level schedules (reports, staff reminders) follow it; clients keep their own."
        required
        value={timezone}
        error={errors.timezone}
        onChange={(value) => setTimezone(value === '' ? clinic.timezone : value)}
        options={timezones(clinic.timezone).map((zone) => ({ value: zone, label: zone }))}
      />
      <ProblemSummary error={mutation.error} />
      {mutation.isSuccess && <Notice>The clinic was saved.</Notice>}
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={name.trim() === ''}>
          Save the clinic
        </SubmitButton>
      </div>
    </form>
  );
}

function ReminderForm({ settings }: { readonly settings: Schemas['ClinicReminderSettingsResponse'] }) {
  const client = useQueryClient();
  const [channels, setChannels] = useState<Channel[]>([...settings.channels]);
  const [localTime, setLocalTime] = useState(settings.localTime);
  const [quietStart, setQuietStart] = useState(settings.quietHours.start);
  const [quietEnd, setQuietEnd] = useState(settings.quietHours.end);
  const mutation = useMutation({
    mutationFn: (body: Schemas['UpdateClinicReminderSettingsRequest']) =>
      call(api.PUT('/api/v1/clinic/reminder-settings', { body })),
    onSuccess: (data) => client.setQueryData(adminKeys.reminderSettings, data),
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ channels, localTime, quietHours: { start: quietStart, end: quietEnd } });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Reminders">
      <fieldset className="field field--group">
        <legend className="field__label">Channels the clinic uses</legend>
        {(Object.keys(CHANNEL_LABELS) as Channel[]).map((channel) => (
          <Checkbox
            key={channel}
            label={CHANNEL_LABELS[channel]}
            checked={channels.includes(channel)}
            onChange={(on) =>
              setChannels((current) => (on ? [...current, channel] : current.filter((c) => c !== channel)))
            }
          />
        ))}
        {errors.channels !== undefined && <p className="field__error">{errors.channels}</p>}
      </fieldset>
      <TimeInput
        label="Default reminder time"
        help="In each client's own timezone, unless they chose a time."
        type="time"
        value={localTime}
        error={errors.localTime}
        onChange={setLocalTime}
      />
      <fieldset className="field field--group">
        <legend className="field__label">Quiet hours (recipient's local time)</legend>
        <p className="field__help">Reminders due inside them wait until they end. Safety notices never wait.</p>
        <TimeInput
          label="From"
          type="time"
          value={quietStart}
          error={errors['quietHours.start']}
          onChange={setQuietStart}
        />
        <TimeInput label="Until" type="time" value={quietEnd} error={errors['quietHours.end']} onChange={setQuietEnd} />
      </fieldset>
      <ProblemSummary error={mutation.error} />
      {mutation.isSuccess && <Notice>The reminder settings were saved.</Notice>}
      {settings.updatedAt !== null && <p className="cw-muted">Last changed {formatDateTime(settings.updatedAt)}.</p>}
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} disabled={channels.length === 0}>
          Save the reminder settings
        </SubmitButton>
      </div>
    </form>
  );
}

function SafetyForm({ settings }: { readonly settings: SafetySettingsView }) {
  const client = useQueryClient();
  const members = useMembers();
  const [contact, setContact] = useState(settings.escalationMembershipId ?? '');
  const [delay, setDelay] = useState(String(settings.escalationDelayMinutes));
  const [country, setCountry] = useState(settings.defaultCountry);
  const mutation = useMutation({
    mutationFn: (body: Schemas['UpdateSafetySettingsRequest']) =>
      call(api.PUT('/api/v1/clinic/safety-settings', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.safetySettings }),
  });
  const errors = fieldErrorsOf(mutation.error);
  const staff = (members.data ?? []).filter((member) => member.status === 'active' && !member.roles.includes('client'));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      escalationMembershipId: contact === '' ? null : contact,
      escalationDelayMinutes: Number(delay),
      defaultCountry: country.trim().toUpperCase(),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Safety escalation">
      <SelectInput
        label="Escalation contact"
        hint="A tier-1 alert nobody on the care team acknowledged in time escalates to them."
        value={contact}
        error={errors.escalationMembershipId}
        onChange={setContact}
        options={[
          { value: '', label: 'No one (the care team only)' },
          ...staff.map((member) => ({ value: member.membershipId, label: memberName(member) })),
        ]}
      />
      <TextInput
        label="Escalate after (minutes)"
        type="number"
        min={1}
        value={delay}
        error={errors.escalationDelayMinutes}
        onChange={setDelay}
      />
      <TextInput
        label="Default country (two letters)"
        hint="Crisis resources for clients whose country is not known from their timezone."
        value={country}
        error={errors.defaultCountry}
        onChange={setCountry}
        maxLength={2}
      />
      <ProblemSummary error={mutation.error} />
      {mutation.isSuccess && <Notice>The safety settings were saved.</Notice>}
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending}>Save the safety settings</SubmitButton>
      </div>
    </form>
  );
}

type CrisisKind = Schemas['CrisisResourceDto']['kind'];
const RESOURCE_KIND_LABELS: Record<CrisisKind, string> = {
  call: 'Call',
  text: 'Text',
  call_or_text: 'Call or text',
  emergency: 'Emergency number',
};

interface ResourceRow {
  readonly key: number;
  readonly name: string;
  readonly contact: string;
  readonly kind: CrisisKind;
  readonly href: string;
}

function CrisisEditor({ list }: { readonly list: CrisisResourceListView }) {
  const client = useQueryClient();
  const [rows, setRows] = useState<ResourceRow[]>(() =>
    list.resources.map((resource, index) => ({ key: index, ...resource, href: resource.href ?? '' })),
  );
  const [verified, setVerified] = useState(!list.needsLocalVerification);
  const mutation = useMutation({
    mutationFn: (body: Schemas['SetCrisisResourcesRequest']) =>
      call(api.PUT('/api/v1/clinic/crisis-resources/{country}', { params: { path: { country: list.country } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: adminKeys.crisisResources(list.country) }),
  });
  const errors = fieldErrorsOf(mutation.error);
  const change = (key: number, patch: Partial<ResourceRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      verified,
      resources: rows.map((row) => ({
        name: row.name.trim(),
        contact: row.contact.trim(),
        kind: row.kind,
        href: row.href.trim() === '' ? null : row.href.trim(),
      })),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label={`Crisis resources for ${list.country}`}>
      <p>
        Shown to clients in {list.country} (and with every tier-1 safety screen).{' '}
        {list.source === 'built_in'
          ? 'This is Mend’s built-in list: check it locally before relying on it.'
          : list.needsLocalVerification
            ? 'The clinic’s list, not yet marked as checked.'
            : 'The clinic’s list, checked locally.'}
      </p>
      {rows.length === 0 && <Empty>No crisis resources for {list.country}.</Empty>}
      {rows.map((row, index) => (
        <fieldset key={row.key} className="field field--group">
          <legend className="field__label">
            Resource {index + 1}
            {row.name !== '' ? `: ${row.name}` : ''}
          </legend>
          <TextInput
            label="Name"
            required
            value={row.name}
            error={errors[`resources[${index}].name`]}
            onChange={(value) => change(row.key, { name: value })}
            maxLength={200}
          />
          <TextInput
            label="What to dial or text"
            required
            value={row.contact}
            error={errors[`resources[${index}].contact`]}
            onChange={(value) => change(row.key, { contact: value })}
            maxLength={200}
          />
          <SelectInput<CrisisKind>
            label="Kind"
            required
            value={row.kind}
            onChange={(value) => change(row.key, { kind: value === '' ? 'call' : value })}
            options={(Object.keys(RESOURCE_KIND_LABELS) as CrisisKind[]).map((value) => ({
              value,
              label: RESOURCE_KIND_LABELS[value],
            }))}
          />
          <TextInput
            label="Link (optional)"
            hint="tel:988 or sms:741741 — opens the phone's dialler or messages."
            value={row.href}
            error={errors[`resources[${index}].href`]}
            onChange={(value) => change(row.key, { href: value })}
          />
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => setRows((current) => current.filter((item) => item.key !== row.key))}
          >
            Remove resource {index + 1}
          </button>
        </fieldset>
      ))}
      <div className="form-actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            setRows((current) => [
              ...current,
              {
                key: Math.max(-1, ...current.map((row) => row.key)) + 1,
                name: '',
                contact: '',
                kind: 'call',
                href: '',
              },
            ])
          }
        >
          Add a resource
        </button>
      </div>
      <Checkbox label="The clinic has checked these locally" checked={verified} onChange={setVerified} />
      <ProblemSummary error={mutation.error} />
      {mutation.isSuccess && <Notice>The crisis resources were saved.</Notice>}
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending}>Save the crisis resources</SubmitButton>
      </div>
    </form>
  );
}

function CrisisResources({ country }: { readonly country: string }) {
  const resources = useCrisisResources(country);
  if (!/^[A-Z]{2}$/.test(country)) return <Empty>Set the clinic’s default country to edit its crisis resources.</Empty>;
  return (
    <QueryView query={resources} label="Loading crisis resources…">
      {(data) => <CrisisEditor key={data.country} list={data} />}
    </QueryView>
  );
}

export function SettingsPage() {
  const clinic = useClinic();
  const reminders = useReminderSettings();
  const safety = useSafetySettings();
  return (
    <Page title="Clinic settings">
      <Section title="Clinic">
        <QueryView query={clinic} label="Loading the clinic…">
          {(data) => <ClinicForm key={data.id} clinic={data} />}
        </QueryView>
      </Section>
      <Section title="Second factor">
        <p>
          Required for every staff member (clinic admins, supervisors, counselors): their first sign-in enrols an
          authenticator app, and it cannot be turned off for a clinic. Clients sign in with their password. See who has
          enrolled under Users and invitations.
        </p>
      </Section>
      <Section title="Reminders">
        <QueryView query={reminders} label="Loading the reminder settings…">
          {(data) => <ReminderForm settings={data} />}
        </QueryView>
      </Section>
      <Section title="Safety escalation">
        <QueryView query={safety} label="Loading the safety settings…">
          {(data) => <SafetyForm settings={data} />}
        </QueryView>
      </Section>
      <Section title="Crisis resources">
        <QueryView query={safety} label="Loading the safety settings…">
          {(data) => <CrisisResources country={data.defaultCountry} />}
        </QueryView>
      </Section>
      <Section title="Platform operators">
        <p>
          The queue dashboard spans every clinic and belongs to whoever runs the Mend platform, not to a clinic: it is
          at <a href="/ops/queues">/ops/queues</a> and asks for the operators’ own credentials (a clinic sign-in does
          not open it).
        </p>
      </Section>
    </Page>
  );
}
