/**
 * Reports: request one (kind, period, audience; the case and partner where the
 * kind needs them; a narrative for case reports and client summaries), a
 * preview of the sections the chosen audience receives and why others are left
 * out, and the reports you requested or that were shared with you, with their
 * progress. Used by the counselor workspace and the administration area.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { useMe } from '../auth/session';
import {
  Badge,
  fieldErrorsOf,
  ProblemSummary,
  Section,
  SelectInput,
  SubmitButton,
  TextInput,
} from '../counselor/components';
import { formatDateTime } from '../counselor/labels';
import { useCaseload } from '../counselor/queries';
import { todayIn } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import {
  AUDIENCE_LABELS,
  isRunning,
  KIND_LABELS,
  reportKeys,
  STATUS_LABELS,
  useReports,
  useReportSections,
  type Report,
  type ReportAudience,
  type ReportKind,
} from './queries';

export interface ReportChoice {
  readonly kind: ReportKind;
  readonly audiences: readonly ReportAudience[];
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function SectionsPreview({ kind, audience }: { readonly kind: ReportKind; readonly audience: ReportAudience | '' }) {
  const sections = useReportSections(kind, audience);
  if (audience === '') return <p>Choose an audience to see what it will receive.</p>;
  return (
    <QueryView query={sections} label="Loading the sections…">
      {(data) => (
        <>
          <h3>Included for {AUDIENCE_LABELS[data.audience].toLowerCase()}</h3>
          <ul className="cw-list" aria-label="Sections included">
            {data.sections
              .filter((section) => section.included)
              .map((section) => (
                <li key={section.id}>
                  <strong>{section.title}</strong>: {section.note}
                </li>
              ))}
          </ul>
          {data.sections.some((section) => !section.included) && (
            <>
              <h3>Left out</h3>
              <ul className="cw-list" aria-label="Sections left out">
                {data.sections
                  .filter((section) => !section.included)
                  .map((section) => (
                    <li key={section.id}>
                      <strong>{section.title}</strong>: {section.note}
                    </li>
                  ))}
              </ul>
            </>
          )}
          {data.never.length > 0 && <p className="cw-muted">Never in any report: {data.never.join('; ')}.</p>}
        </>
      )}
    </QueryView>
  );
}

/** The case (and, for one partner's copy, the partner) a case report or client summary is about. */
function CaseFields({
  caseId,
  partnerId,
  forPartner,
  errors,
  onCase,
  onPartner,
}: {
  readonly caseId: string;
  readonly partnerId: string;
  readonly forPartner: boolean;
  readonly errors: Record<string, string>;
  readonly onCase: (value: string) => void;
  readonly onPartner: (value: string) => void;
}) {
  const cases = useCaseload({ status: ['intake', 'active', 'on_hold', 'closed'] });
  const chosenCase = cases.data?.items.find((item) => item.id === caseId);
  return (
    <>
      <SelectInput<string>
        label="Case"
        required
        value={caseId}
        error={errors.caseId}
        hint={cases.error !== null ? 'Your cases could not be loaded; reload the page to try again.' : undefined}
        onChange={onCase}
        options={[
          { value: '', label: cases.isPending ? 'Loading your cases…' : 'Choose a case' },
          ...(cases.data?.items ?? []).map((item) => ({
            value: item.id,
            label: item.title ?? item.participants.map((participant) => participant.displayName).join(' & '),
          })),
        ]}
      />
      {forPartner && (
        <SelectInput<string>
          label="Partner"
          required
          value={partnerId}
          error={errors.audienceClientId}
          onChange={onPartner}
          options={[
            { value: '', label: 'Choose the partner it is for' },
            ...(chosenCase?.participants ?? []).map((participant) => ({
              value: participant.clientId,
              label: participant.displayName,
            })),
          ]}
        />
      )}
    </>
  );
}

function RequestForm({ base, choices }: { readonly base: string; readonly choices: readonly ReportChoice[] }) {
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const today = todayIn(me.clinicTimezone);
  const first = choices[0] as ReportChoice;
  const [kind, setKind] = useState<ReportKind>(first.kind);
  const audiences = choices.find((choice) => choice.kind === kind)?.audiences ?? [];
  const [audience, setAudience] = useState<ReportAudience | ''>(first.audiences[0] ?? '');
  const [caseId, setCaseId] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [start, setStart] = useState(addDays(today, -56));
  const [end, setEnd] = useState(addDays(today, 1));
  const [narrative, setNarrative] = useState('');
  const needsCase = kind === 'case' || kind === 'client_summary';
  const mutation = useMutation({
    mutationFn: (body: Schemas['RequestReportRequest']) => call(api.POST('/api/v1/reports', { body })),
    onSuccess: async (report) => {
      client.setQueryData(reportKeys.report(report.id), report);
      await client.invalidateQueries({ queryKey: reportKeys.list });
      await navigate(`${base}/${report.id}`);
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const chooseKind = (value: ReportKind | '') => {
    if (value === '') return;
    setKind(value);
    setAudience(choices.find((choice) => choice.kind === value)?.audiences[0] ?? '');
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (audience === '') return;
    mutation.mutate({
      kind,
      audience,
      period: { start, end },
      ...(needsCase && caseId !== '' && { caseId }),
      ...(audience === 'partner' && partnerId !== '' && { audienceClientId: partnerId }),
      ...(needsCase && narrative.trim() !== '' && { narrative: narrative.trim() }),
    });
  };
  const ready = audience !== '' && (!needsCase || caseId !== '') && (audience !== 'partner' || partnerId !== '');
  return (
    <div className="cw-columns">
      <form className="form" onSubmit={submit} aria-label="Request a report">
        <SelectInput<ReportKind>
          label="Kind"
          required
          value={kind}
          error={errors.kind}
          onChange={chooseKind}
          options={choices.map((choice) => ({ value: choice.kind, label: KIND_LABELS[choice.kind] }))}
        />
        <SelectInput<ReportAudience>
          label="Audience"
          required
          value={audience}
          error={errors.audience}
          onChange={setAudience}
          options={audiences.map((value) => ({ value, label: AUDIENCE_LABELS[value] }))}
        />
        {needsCase && (
          <CaseFields
            caseId={caseId}
            partnerId={partnerId}
            forPartner={audience === 'partner'}
            errors={errors}
            onCase={(value) => {
              setCaseId(value);
              setPartnerId('');
            }}
            onPartner={setPartnerId}
          />
        )}
        <fieldset className="field field--group">
          <legend className="field__label">Period (the clinic’s timezone, {me.clinicTimezone})</legend>
          <TextInput
            label="First day"
            type="date"
            required
            value={start}
            error={errors['period.start']}
            onChange={setStart}
          />
          <TextInput
            label="Day after the last day"
            hint="At most 366 days after the first day, and at most tomorrow."
            type="date"
            required
            value={end}
            max={addDays(today, 1)}
            error={errors['period.end'] ?? errors.period}
            onChange={setEnd}
          />
        </fieldset>
        {needsCase && (
          <TextInput
            label="Narrative for this audience (optional)"
            hint="Stored encrypted; printed in the report for exactly this audience."
            multiline
            maxLength={5000}
            value={narrative}
            error={errors.narrative}
            onChange={setNarrative}
          />
        )}
        <ProblemSummary error={mutation.error} title="The report was not requested" />
        <div className="form-actions">
          <SubmitButton pending={mutation.isPending} pendingLabel="Requesting…" disabled={!ready}>
            Request the report
          </SubmitButton>
        </div>
      </form>
      <section className="cw-card" aria-labelledby="sections-preview">
        <h2 id="sections-preview" className="cw-card__title">
          What this audience receives
        </h2>
        <SectionsPreview kind={kind} audience={audience} />
      </section>
    </div>
  );
}

export function ReportStatusBadge({ report }: { readonly report: Report }) {
  const tone =
    report.status === 'ready' ? 'good' : report.status === 'failed' ? 'danger' : isRunning(report) ? 'info' : 'neutral';
  return (
    <Badge tone={tone}>
      {STATUS_LABELS[report.status]}
      {isRunning(report) ? ` · ${report.progress}%` : ''}
    </Badge>
  );
}

export function periodText(period: Report['period']): string {
  return `${period.start} to ${period.end} (exclusive)`;
}

export function ReportsPage({
  base,
  choices,
  title = 'Reports',
}: {
  readonly base: string;
  readonly choices: readonly ReportChoice[];
  readonly title?: string;
}) {
  const reports = useReports();
  return (
    <Page title={title}>
      {choices.length > 0 ? (
        <Section title="Request a report">
          <RequestForm base={base} choices={choices} />
        </Section>
      ) : (
        <p>Your roles request no reports; reports shared with you are listed below.</p>
      )}
      <Section title="Your reports">
        <QueryView query={reports} label="Loading reports…">
          {(data) =>
            data.reports.length === 0 ? (
              <Empty>No reports yet.</Empty>
            ) : (
              <ul className="cw-entries" aria-label="Reports">
                {data.reports.map((report) => (
                  <li key={report.id} className="cw-entry">
                    <p>
                      <Link to={`${base}/${report.id}`}>
                        {KIND_LABELS[report.kind]} for {AUDIENCE_LABELS[report.audience].toLowerCase()}
                      </Link>{' '}
                      <ReportStatusBadge report={report} />
                      {report.scheduled && (
                        <>
                          {' '}
                          <Badge>Scheduled</Badge>
                        </>
                      )}
                    </p>
                    <p className="cw-muted">
                      {periodText(report.period)} · requested {formatDateTime(report.createdAt)}
                    </p>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
