/**
 * Measures of a case (…/measures): assigning a measure to a participant (once
 * or every N days; the client answers it in the portal), what is due and what
 * was completed, a chart per participant and measure (cutoff band, reliable
 * change marked) with its data table, and for relationship measures the dyadic
 * chart of both partners side by side with their gap (never averaged).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import {
  clinicalKeys,
  useAdministrations,
  useChangeSeries,
  useDyadic,
  useMeasureCatalogue,
  type Administration,
  type CatalogueEntry,
  type ChangeSeries,
} from './clinical-queries';
import { fieldErrorsOf, Notice, ProblemSummary, Section, SelectInput, SubmitButton, TextInput } from './components';
import { formatDateTime, todayLocal } from './labels';
import { rciMark, ScoreChart } from './MeasureChart';

function AssignForm({
  catalogue,
  onDone,
}: {
  readonly catalogue: readonly CatalogueEntry[];
  readonly onDone: (m: string) => void;
}) {
  const { caseId, caseView } = useCaseContext();
  const client = useQueryClient();
  const [clientId, setClientId] = useState('');
  const [measureId, setMeasureId] = useState('');
  const [startDate, setStartDate] = useState(todayLocal());
  const [localTime, setLocalTime] = useState('09:00');
  const [interval, setInterval] = useState('');
  const [count, setCount] = useState('');
  const offered = catalogue.filter((entry) => entry.administrable);
  const mutation = useMutation({
    mutationFn: (body: Schemas['ScheduleMeasureRequest']) =>
      call(api.POST('/api/v1/cases/{caseId}/measure-schedules', { params: { path: { caseId } }, body })),
    onSuccess: async () => {
      setMeasureId('');
      onDone('The measure was assigned. It is waiting in the participant’s portal under Questionnaires.');
      await client.invalidateQueries({ queryKey: clinicalKeys.administrations(caseId) });
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const chosen = offered.find((entry) => entry.id === measureId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (clientId === '' || chosen === undefined) return;
    mutation.mutate({
      clientId,
      measureId: chosen.id,
      version: chosen.version,
      startDate,
      localTime,
      ...(interval !== '' && { intervalDays: Number(interval) }),
      ...(interval !== '' && count !== '' && { occurrences: Number(count) }),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Assign a measure">
      <SelectInput
        label="Participant"
        required
        value={clientId}
        error={errors.clientId}
        onChange={setClientId}
        options={[
          { value: '', label: 'Choose a participant' },
          ...caseView.participants.map((p) => ({ value: p.clientId, label: p.displayName })),
        ]}
      />
      <SelectInput
        label="Measure"
        required
        value={measureId}
        error={errors.measureId}
        hint="Only measures offered in the portal are listed (the CSI needs the clinic's licence confirmation)."
        onChange={setMeasureId}
        options={[
          { value: '', label: 'Choose a measure' },
          ...offered.map((entry) => ({ value: entry.id, label: entry.displayLabel })),
        ]}
      />
      <TextInput
        label="First due on"
        type="date"
        required
        value={startDate}
        error={errors.startDate}
        onChange={setStartDate}
      />
      <TextInput
        label="Due at (the participant's local time, HH:MM)"
        required
        value={localTime}
        error={errors.localTime}
        onChange={setLocalTime}
      />
      <TextInput
        label="Repeat every N days"
        hint="Leave empty for once."
        type="number"
        min={1}
        max={365}
        value={interval}
        error={errors.intervalDays}
        onChange={setInterval}
      />
      {interval !== '' && (
        <TextInput
          label="How many times"
          hint="Leave empty to repeat until stopped."
          type="number"
          min={1}
          max={200}
          value={count}
          error={errors.occurrences}
          onChange={setCount}
        />
      )}
      <ProblemSummary error={mutation.error} title="The measure was not assigned" />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} pendingLabel="Assigning…" disabled={clientId === '' || !chosen}>
          Assign the measure
        </SubmitButton>
      </div>
    </form>
  );
}

/** "9 Oct 2026": the day of a score (its time of day does not matter here). */
function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
}

function ChangeTable({
  caption,
  series,
  seriesName,
}: {
  readonly caption: string;
  readonly series: ChangeSeries;
  readonly seriesName?: string;
}) {
  return (
    <div className="table-wrap cw-table-wrap" tabIndex={0} role="region" aria-label={`${caption} (data table)`}>
      <table className="cw-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {seriesName !== undefined && <th scope="col">Who</th>}
            <th scope="col">When</th>
            <th scope="col">Score</th>
            <th scope="col">Change from first</th>
            <th scope="col">In clinical range</th>
            <th scope="col">Reliable change</th>
          </tr>
        </thead>
        <tbody>
          {series.points.map((point, index) => (
            <tr key={point.administeredAt}>
              {seriesName !== undefined && <td>{seriesName}</td>}
              <td>{formatDate(point.administeredAt)}</td>
              <td>{point.score}</td>
              <td>
                {index === 0
                  ? 'first (baseline)'
                  : point.changeFromBaseline > 0
                    ? `+${point.changeFromBaseline}`
                    : point.changeFromBaseline}
              </td>
              <td>{point.inClinicalRange === null ? '—' : point.inClinicalRange ? 'yes' : 'no'}</td>
              <td>
                {point.label !== undefined
                  ? `${rciMark(point.label)} ${point.label}`.trim()
                  : index === 0
                    ? '—'
                    : 'no label'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function rcText(series: ChangeSeries): string {
  return series.reliableChange !== null
    ? `Reliable change: a change of ${series.reliableChange.threshold} points or more (${series.reliableChange.source}).`
    : `No reliable-change label: ${series.labelAbsentReason ?? 'no published value'}.`;
}

function ClientChart({ clientId, entry }: { readonly clientId: string; readonly entry: CatalogueEntry }) {
  const { caseId, clientName } = useCaseContext();
  const query = useChangeSeries(caseId, clientId, entry.id);
  const name = clientName(clientId);
  return (
    <Section title={`${entry.displayLabel}: ${name}`} level={3} className="mc-chart-section">
      <QueryView query={query} label={`Loading ${entry.displayLabel} of ${name}…`}>
        {(series) =>
          series.points.length === 0 ? (
            <Empty>No completed administration yet.</Empty>
          ) : (
            <div className="mc-chart-pair">
              <ScoreChart
                title={`${entry.displayLabel} of ${name} over time`}
                description={`${series.points.length} scores from ${series.points[0]?.score ?? ''} to ${series.points.at(-1)?.score ?? ''}; ${series.direction === 'higher_is_worse' ? 'higher is worse' : 'higher is better'}. The data table beside the chart lists every score.`}
                series={[{ name, points: series.points }]}
                range={entry.definition.scoring.range}
                cutoff={series.cutoff}
              />
              <div>
                <ChangeTable caption={`${entry.displayLabel} of ${name}`} series={series} />
                <p className="cw-muted">
                  {series.direction === 'higher_is_worse' ? 'Higher is worse.' : 'Higher is better.'} {rcText(series)}
                </p>
              </div>
            </div>
          )
        }
      </QueryView>
    </Section>
  );
}

function DyadicChart({ entry }: { readonly entry: CatalogueEntry }) {
  const { caseId, clientName } = useCaseContext();
  const query = useDyadic(caseId, entry.id);
  return (
    <Section title={`${entry.displayLabel}: both partners`} level={3} className="mc-chart-section">
      <QueryView query={query} label={`Loading the dyadic view of ${entry.displayLabel}…`}>
        {(view) => {
          const partners = view.partners.filter((partner) => partner.series.points.length > 0);
          const [first, second] = partners;
          if (first === undefined || second === undefined)
            return <Empty>The dyadic chart appears once both partners have a completed administration.</Empty>;
          return (
            <div className="mc-chart-pair">
              <ScoreChart
                title={`${entry.displayLabel} of both partners over time`}
                description={`Each partner's own series (never averaged), ${entry.definition.direction === 'higher_is_better' ? 'higher is better' : 'higher is worse'}. The data tables beside the chart list every score and the gap.`}
                series={partners.map((partner) => ({
                  name: clientName(partner.participantId),
                  points: partner.series.points,
                }))}
                range={entry.definition.scoring.range}
                cutoff={first.series.cutoff}
              />
              <div>
                {partners.map((partner) => (
                  <ChangeTable
                    key={partner.participantId}
                    caption={`${entry.displayLabel} of ${clientName(partner.participantId)}`}
                    series={partner.series}
                  />
                ))}
                {view.gap.length > 0 && (
                  <div
                    className="table-wrap cw-table-wrap"
                    tabIndex={0}
                    role="region"
                    aria-label="Gap between the partners (data table)"
                  >
                    <table className="cw-table">
                      <caption>
                        Gap between {clientName(first.participantId)} and {clientName(second.participantId)} (scores
                        within {view.pairingWindowDays} days)
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">When</th>
                          <th scope="col">Gap (first − second)</th>
                        </tr>
                      </thead>
                      <tbody>
                        {view.gap.map((point) => (
                          <tr key={point.at}>
                            <td>{formatDate(point.at)}</td>
                            <td>{point.gap}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                <p className="cw-muted">{rcText(first.series)}</p>
              </div>
            </div>
          );
        }}
      </QueryView>
    </Section>
  );
}

function AdministrationsTable({
  administrations,
  catalogue,
}: {
  readonly administrations: readonly Administration[];
  readonly catalogue: readonly CatalogueEntry[];
}) {
  const { clientName } = useCaseContext();
  const label = (id: string) => catalogue.find((entry) => entry.id === id)?.displayLabel ?? id;
  const shown = [...administrations].filter((a) => a.status !== 'cancelled').reverse();
  if (shown.length === 0) return <Empty>No measure has been assigned or recorded yet.</Empty>;
  return (
    <div
      className="table-wrap cw-table-wrap"
      tabIndex={0}
      role="region"
      aria-label="Administrations (scrolls sideways)"
    >
      <table className="cw-table">
        <caption className="cw-visually-hidden">Administrations, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">Who</th>
            <th scope="col">Status</th>
            <th scope="col">When</th>
            <th scope="col">Score</th>
            <th scope="col">Reported separately</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => (
            <tr key={a.id}>
              <td>{label(a.measureId)}</td>
              <td>{clientName(a.clientId)}</td>
              <td>
                {a.status === 'due'
                  ? 'Due'
                  : a.recordedByKind === 'client'
                    ? 'Completed in the portal'
                    : 'Recorded from paper'}
              </td>
              <td>{formatDateTime(a.administeredAt ?? a.dueAt)}</td>
              <td>{a.score !== null ? `${a.score.total}${a.score.band !== null ? ` (${a.score.band})` : ''}` : '—'}</td>
              <td>
                {a.score?.separateItems.length
                  ? a.score.separateItems
                      .map((item) => `${item.itemId.replace(/^phq9_/, 'item ')}: ${item.value ?? '—'}`)
                      .join(', ')
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CaseMeasuresPage() {
  const { caseId, caseView, clientName } = useCaseContext();
  const catalogue = useMeasureCatalogue();
  const administrations = useAdministrations(caseId);
  const [notice, setNotice] = useState<string>();
  return (
    <Page title={`Measures · ${caseView.title ?? 'Case'}`} heading="Measures">
      {notice !== undefined && <Notice>{notice}</Notice>}
      <QueryView query={catalogue} label="Loading measures…">
        {(entries) => (
          <>
            <Section title="Assign a measure">
              <AssignForm catalogue={entries} onDone={setNotice} />
            </Section>
            <Section title="Administrations">
              <QueryView query={administrations} label="Loading administrations…">
                {(list) => <AdministrationsTable administrations={list} catalogue={entries} />}
              </QueryView>
            </Section>
            <Section title="Change over time">
              <QueryView query={administrations} label="Loading charts…">
                {(list) => {
                  const completed = list.filter((a) => a.status === 'completed');
                  const pairs = new Map<string, { clientId: string; entry: CatalogueEntry }>();
                  const relationship = new Map<string, CatalogueEntry>();
                  for (const a of completed) {
                    const entry = entries.find((candidate) => candidate.id === a.measureId);
                    if (entry === undefined) continue;
                    pairs.set(`${a.clientId}|${entry.id}`, { clientId: a.clientId, entry });
                    if (entry.domain === 'relationship') relationship.set(entry.id, entry);
                  }
                  if (pairs.size === 0) return <Empty>Charts appear once a measure has been completed.</Empty>;
                  return (
                    <>
                      {[...relationship.values()].map((entry) => (
                        <DyadicChart key={`dyadic-${entry.id}`} entry={entry} />
                      ))}
                      {[...pairs.values()]
                        .sort(
                          (a, b) =>
                            clientName(a.clientId).localeCompare(clientName(b.clientId)) ||
                            a.entry.displayLabel.localeCompare(b.entry.displayLabel),
                        )
                        .map((pair) => (
                          <ClientChart
                            key={`${pair.clientId}-${pair.entry.id}`}
                            clientId={pair.clientId}
                            entry={pair.entry}
                          />
                        ))}
                    </>
                  );
                }}
              </QueryView>
            </Section>
          </>
        )}
      </QueryView>
    </Page>
  );
}
