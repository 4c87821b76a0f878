/**
 * Questionnaires in the portal: the client's due measures (/portal/measures) and
 * answering one (/portal/measures/:caseId/:administrationId): the instrument's own
 * instructions, then each item verbatim on its own screen with its options in
 * printed order and the progress shown; the server scores it. When the answers
 * raise a tier-1 alert the flow stops at once and the crisis resources are shown
 * with the statement that Mend is not monitored around the clock.
 */
import './measures.css';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';

import { api, call } from '../api/client';
import type { Administration, CatalogueEntry, ClientSafety, MeasureItem } from '../counselor/clinical-queries';
import { formatInstant } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, QueryView } from '../ui/Status';
import { caseTitle, CasePicker, useChosenCase } from './case-context';
import { CrisisResources } from './CrisisResources';
import { useMyTimezone } from './portal-data';

const measureKeys = {
  list: (caseId: string) => ['case', caseId, 'my-measures'] as const,
  one: (caseId: string, id: string) => ['case', caseId, 'my-measures', id] as const,
};

function useMyAdministrations(caseId: string | undefined) {
  return useQuery({
    queryKey: measureKeys.list(caseId ?? ''),
    queryFn: async () => {
      const data = await call(
        api.GET('/api/v1/cases/{caseId}/measure-administrations', { params: { path: { caseId: caseId ?? '' } } }),
      );
      return (data as unknown as { administrations: Administration[] }).administrations;
    },
    enabled: caseId !== undefined,
  });
}

export function MeasuresPage() {
  const chosen = useChosenCase();
  const caseId = chosen.current?.id;
  const list = useMyAdministrations(caseId);
  const timezone = useMyTimezone();
  return (
    <Page title="Questionnaires">
      <p className="muted">
        Short questionnaires your counselor asked you to fill in. Your answers go to your care team only, never to your
        partner.
      </p>
      <CasePicker chosen={chosen} />
      {caseId !== undefined && (
        <QueryView query={list} label="Loading your questionnaires…">
          {(administrations) => {
            const due = administrations.filter((item) => item.status === 'due');
            const done = administrations
              .filter((item) => item.status === 'completed')
              .slice(-5)
              .reverse();
            return (
              <>
                <section aria-labelledby="due-measures" className="stack">
                  <h2 id="due-measures">To fill in</h2>
                  {due.length === 0 ? (
                    <Empty>No questionnaire is waiting for you.</Empty>
                  ) : (
                    <ul className="cards">
                      {due.map((item) => (
                        <DueCard key={item.id} item={item} timezone={timezone} />
                      ))}
                    </ul>
                  )}
                </section>
                {done.length > 0 && (
                  <section aria-labelledby="done-measures" className="stack">
                    <h2 id="done-measures">Recently sent</h2>
                    <ul className="list-plain">
                      {done.map((item) => (
                        <li key={item.id}>
                          {item.measureId.toUpperCase()} · sent{' '}
                          {item.administeredAt !== null ? formatInstant(item.administeredAt, timezone) : ''}
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
                {chosen.current !== undefined && chosen.cases !== undefined && chosen.cases.length > 1 && (
                  <p className="muted">Case: {caseTitle(chosen.current)}</p>
                )}
              </>
            );
          }}
        </QueryView>
      )}
    </Page>
  );
}

function DueCard({ item, timezone }: { readonly item: Administration; readonly timezone: string }) {
  const detail = useAdministration(item.caseId, item.id);
  const label = detail.data?.measure.displayLabel ?? 'Questionnaire';
  return (
    <li className="card occurrence-card" data-testid="measure-due">
      <h3 className="occurrence-card__title">
        <Link to={`/portal/measures/${item.caseId}/${item.id}`}>{label}</Link>
      </h3>
      {detail.data !== undefined && (
        <p className="muted">{detail.data.measure.definition.items.length} questions, one at a time</p>
      )}
      {item.dueAt !== null && <p className="occurrence-card__due">Due {formatInstant(item.dueAt, timezone)}</p>}
    </li>
  );
}

function useAdministration(caseId: string, administrationId: string) {
  return useQuery({
    queryKey: measureKeys.one(caseId, administrationId),
    queryFn: async () =>
      (await call(
        api.GET('/api/v1/cases/{caseId}/measure-administrations/{administrationId}', {
          params: { path: { caseId, administrationId } },
        }),
      )) as unknown as { administration: Administration; measure: CatalogueEntry },
  });
}

export function MeasurePage() {
  const { caseId = '', administrationId = '' } = useParams();
  const query = useAdministration(caseId, administrationId);
  const title = query.data?.measure.displayLabel ?? 'Questionnaire';
  // Kept here, above the query: the answer to sending must stay on screen when the administration reloads.
  const [sent, setSent] = useState<ClientSafety | 'sent'>();
  if (sent !== undefined)
    return (
      <Page title={title}>
        <AfterSending result={sent} />
      </Page>
    );
  return (
    <Page title={title}>
      <QueryView query={query} label="Loading the questionnaire…">
        {({ administration, measure }) =>
          administration.status !== 'due' ? (
            <>
              <Empty>This questionnaire has already been sent. Thank you.</Empty>
              <p>
                <Link to="/portal/measures">Back to your questionnaires</Link>
              </p>
            </>
          ) : (
            <MeasureFlow caseId={caseId} administrationId={administrationId} measure={measure} onSent={setSent} />
          )
        }
      </QueryView>
    </Page>
  );
}

function optionsOf(measure: CatalogueEntry, item: MeasureItem) {
  return item.options ?? measure.definition.responseOptions;
}

function MeasureFlow({
  caseId,
  administrationId,
  measure,
  onSent,
}: {
  readonly caseId: string;
  readonly administrationId: string;
  readonly measure: CatalogueEntry;
  readonly onSent: (result: ClientSafety | 'sent') => void;
}) {
  const client = useQueryClient();
  const items = measure.definition.items;
  const instructions = measure.definition.instructions ?? null;
  /** -1: the instructions; 0…n-1: an item. */
  const [step, setStep] = useState(instructions !== null ? -1 : 0);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [missing, setMissing] = useState(false);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/measure-administrations/{administrationId}/responses', {
          params: { path: { caseId, administrationId } },
          body: { answers },
        }),
      ),
    onSuccess: async (data) => {
      const safety = (data as unknown as { safety: ClientSafety | null }).safety;
      onSent(safety ?? 'sent');
      await client.invalidateQueries({ queryKey: measureKeys.list(caseId), exact: true });
    },
  });

  const firstStep = useRef(true);
  useEffect(() => {
    // Each new screen starts at its heading (keyboard and screen-reader users); not on first load (the page heading has focus).
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    stepHeading.current?.focus();
  }, [step]);

  const total = items.length;
  const answeredCount = items.filter((item) => answers[item.id] !== undefined).length;
  const progress = (
    <div className="pm-progress">
      <label htmlFor={`progress-${administrationId}`}>
        {step < 0 ? `${total} questions` : `Question ${step + 1} of ${total}`} · {answeredCount} answered
      </label>
      <progress id={`progress-${administrationId}`} max={total} value={answeredCount} />
    </div>
  );

  if (step < 0)
    return (
      <div className="pm-flow">
        {progress}
        <h2 ref={stepHeading} tabIndex={-1}>
          Before you start
        </h2>
        <div className="pm-instructions">
          {(instructions ?? '').split(/\n\s*\n/).map((paragraph, index) => (
            <p key={index}>{paragraph}</p>
          ))}
        </div>
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setStep(0)}>
            Start
          </button>
        </div>
        <p className="muted pm-attribution">{measure.definition.attribution}</p>
      </div>
    );

  const item = items[step];
  if (item === undefined) return null;
  const last = step === total - 1;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (answers[item.id] === undefined) {
      setMissing(true);
      return;
    }
    setMissing(false);
    if (!last) setStep(step + 1);
    else mutation.mutate();
  };
  return (
    <form className="pm-flow form" onSubmit={submit} aria-label={`Question ${step + 1} of ${total}`} noValidate>
      {progress}
      <h2 ref={stepHeading} tabIndex={-1} className="pm-step-heading">
        Question {step + 1} of {total}
      </h2>
      {item.introduction !== undefined && <p className="pm-introduction">{item.introduction}</p>}
      <ItemChoices
        measure={measure}
        item={item}
        value={answers[item.id]}
        missing={missing}
        onChange={(value) => {
          setMissing(false);
          setAnswers((current) => ({ ...current, [item.id]: value }));
        }}
      />
      {mutation.error !== null && (
        <ErrorNotice error={mutation.error} title="Your answers were not sent. Please try again." />
      )}
      <div className="form-actions pm-actions">
        {step > (instructions !== null ? -1 : 0) && (
          <button type="button" className="button button--secondary" onClick={() => setStep(step - 1)}>
            Back
          </button>
        )}
        <button type="submit" className="button" disabled={mutation.isPending}>
          {last ? (mutation.isPending ? 'Sending…' : 'Send my answers') : 'Next'}
        </button>
      </div>
      <p className="muted pm-attribution">{measure.definition.attribution}</p>
    </form>
  );
}

function ItemChoices({
  measure,
  item,
  value,
  missing,
  onChange,
}: {
  readonly measure: CatalogueEntry;
  readonly item: MeasureItem;
  readonly value: number | undefined;
  readonly missing: boolean;
  readonly onChange: (value: number) => void;
}) {
  const id = useId();
  const options = optionsOf(measure, item);
  const anchors = item.anchors;
  const legend =
    item.text ?? (anchors !== undefined ? `${anchors.left} … ${anchors.right}` : `Question ${item.number}`);
  return (
    <fieldset
      className={`field field--group pm-item${missing ? ' field--invalid' : ''}${anchors !== undefined ? ' pm-item--differential' : ''}`}
      aria-describedby={missing ? `${id}-error` : undefined}
      aria-invalid={missing || undefined}
    >
      <legend className="field__label pm-item__text">
        <span className="pm-item__number">{item.number}.</span> {legend}
      </legend>
      {measure.definition.recallPeriod !== null && anchors === undefined && (
        <p className="field__help">{measure.definition.recallPeriod}</p>
      )}
      {anchors !== undefined && (
        <p className="pm-anchors" aria-hidden="true">
          <span>{anchors.left}</span>
          <span>{anchors.right}</span>
        </p>
      )}
      <div className={anchors !== undefined ? 'pm-positions' : 'choice-list'}>
        {options.map((option, index) => {
          const optionId = `${id}-${index}`;
          const label =
            option.label ??
            (anchors !== undefined
              ? `Position ${index + 1} of ${options.length}, from ${anchors.left} to ${anchors.right}`
              : String(option.value));
          return (
            <div className="choice pm-choice" key={optionId}>
              <input
                id={optionId}
                type="radio"
                name={`${id}-item`}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
              />
              <label htmlFor={optionId} className={option.label === null ? 'pm-position-label' : undefined}>
                {option.label === null ? <span className="cw-visually-hidden">{label}</span> : label}
              </label>
            </div>
          );
        })}
      </div>
      {missing && (
        <p id={`${id}-error`} className="field__error">
          Choose an answer to go on.
        </p>
      )}
    </fieldset>
  );
}

function AfterSending({ result }: { readonly result: ClientSafety | 'sent' }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  if (result !== 'sent' && result.stopFlow)
    return (
      <div className="pm-crisis" role="alert" aria-live="assertive" data-testid="crisis-screen">
        <h2 ref={headingRef} tabIndex={-1}>
          Please reach out for support now
        </h2>
        <p className="pm-crisis__message">{result.message}</p>
        <CrisisResources list={result.crisisResources} />
        <p>Your answers were sent to your care team.</p>
      </div>
    );
  if (result !== 'sent')
    return (
      <div className="pm-supportive" data-testid="supportive-screen">
        <h2 ref={headingRef} tabIndex={-1}>
          Thank you
        </h2>
        <p>{result.message}</p>
        <CrisisResources list={result.crisisResources} />
        <p>
          <Link to="/portal/measures">Back to your questionnaires</Link>
        </p>
      </div>
    );
  return (
    <div className="stack" data-testid="measure-sent">
      <h2 ref={headingRef} tabIndex={-1}>
        Thank you, your answers were sent
      </h2>
      <p>Your care team will look at them with you.</p>
      <p>
        <Link to="/portal/measures">Back to your questionnaires</Link>
      </p>
    </div>
  );
}
