/**
 * Assigning an exercise: the library filtered by phase, audience, seed concept and
 * words; then the chosen exercise given to one participant or paired to both
 * (each partner's part where the exercise has parts), with its visibility (the
 * exercise's default or one it allows) and a due date or a recurrence.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import {
  Badge,
  Checkbox,
  fieldErrorsOf,
  ProblemSummary,
  RadioGroup,
  Section,
  SelectInput,
  SubmitButton,
  TextInput,
} from './components';
import {
  AUDIENCE_LABELS,
  AUDIENCES,
  PHASE_LABELS,
  PHASES,
  SEED_CONCEPT_LABELS,
  SEED_CONCEPTS,
  todayLocal,
  VISIBILITY_LABELS,
  type Audience,
  type Phase,
  type SeedConcept,
  type Visibility,
} from './labels';
import { counselorPaths } from './paths';
import { counselorKeys, invalidateHomework, useExercise, useExerciseLibrary } from './queries';

type Summary = Schemas['ExerciseSummaryResponse'];
type Weekday = NonNullable<Schemas['ScheduleDto']['weekdays']>[number];

const WEEKDAYS: readonly { value: Weekday; label: string }[] = [
  { value: 'MO', label: 'Monday' },
  { value: 'TU', label: 'Tuesday' },
  { value: 'WE', label: 'Wednesday' },
  { value: 'TH', label: 'Thursday' },
  { value: 'FR', label: 'Friday' },
  { value: 'SA', label: 'Saturday' },
  { value: 'SU', label: 'Sunday' },
];

function Library({
  exercises,
  initialPhase,
  onChoose,
  chosen,
}: {
  readonly exercises: readonly Summary[];
  readonly initialPhase: Phase | '';
  readonly onChoose: (ref: string) => void;
  readonly chosen: string | undefined;
}) {
  const [phase, setPhase] = useState<Phase | ''>(initialPhase);
  const [audience, setAudience] = useState<Audience | ''>('');
  const [concept, setConcept] = useState<SeedConcept | ''>('');
  const [words, setWords] = useState('');
  const matches = useMemo(() => {
    const needle = words.trim().toLowerCase();
    return exercises.filter(
      (exercise) =>
        (phase === '' || exercise.phases.includes(phase)) &&
        (audience === '' || exercise.audience === audience) &&
        (concept === '' || exercise.seedConcepts.includes(concept)) &&
        (needle === '' || exercise.title.toLowerCase().includes(needle) || exercise.ref.toLowerCase() === needle),
    );
  }, [exercises, phase, audience, concept, words]);
  return (
    <>
      <form
        className="cw-filters"
        role="search"
        aria-label="Filter the exercise library"
        onSubmit={(e) => e.preventDefault()}
      >
        <SelectInput<Phase>
          label="Phase"
          value={phase}
          onChange={setPhase}
          options={[{ value: '', label: 'Any phase' }, ...PHASES.map((p) => ({ value: p, label: PHASE_LABELS[p] }))]}
        />
        <SelectInput<Audience>
          label="Audience"
          value={audience}
          onChange={setAudience}
          options={[
            { value: '', label: 'Any audience' },
            ...AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] })),
          ]}
        />
        <SelectInput<SeedConcept>
          label="Seed concept"
          value={concept}
          onChange={setConcept}
          options={[
            { value: '', label: 'Any concept' },
            ...SEED_CONCEPTS.map((c) => ({ value: c, label: `${c} · ${SEED_CONCEPT_LABELS[c]}` })),
          ]}
        />
        <TextInput label="Title contains" type="search" value={words} onChange={setWords} maxLength={100} />
      </form>
      <p role="status" className="cw-muted">
        {matches.length === 1 ? '1 exercise matches.' : `${matches.length} exercises match.`}
      </p>
      {matches.length === 0 ? (
        <Empty>No exercise matches these filters.</Empty>
      ) : (
        <ul className="cards cw-library" aria-label="Exercises">
          {matches.map((exercise) => (
            <li
              key={exercise.ref}
              className={`card cw-exercise${chosen === exercise.ref ? ' cw-exercise--chosen' : ''}`}
            >
              <h3 className="cw-card__title">
                {exercise.title}{' '}
                <span className="cw-muted">{exercise.source === 'built_in' ? exercise.ref : '(clinic)'}</span>
              </h3>
              <p>
                <Badge>{AUDIENCE_LABELS[exercise.audience]}</Badge> <Badge>{exercise.phases.join(', ')}</Badge>{' '}
                <Badge>{VISIBILITY_LABELS[exercise.defaultVisibility].name}</Badge>{' '}
                <span className="cw-muted">about {exercise.estimatedMinutes} min</span>
              </p>
              <p className="cw-muted">
                {exercise.seedConcepts.map((c) => `${c} ${SEED_CONCEPT_LABELS[c]}`).join(' · ')}
              </p>
              <button
                type="button"
                className={`button${chosen === exercise.ref ? '' : ' button--secondary'}`}
                aria-pressed={chosen === exercise.ref}
                onClick={() => onChoose(exercise.ref)}
              >
                {chosen === exercise.ref ? 'Chosen' : 'Choose'}
                <span className="cw-visually-hidden"> {exercise.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

interface ResponsePart {
  readonly key: string;
  readonly label: string;
  readonly audience?: string;
}

/** The parts of a paired exercise (its response schema is an open object in the OpenAPI document). */
function partsOf(definition: Schemas['ExerciseDefinitionDto']): readonly ResponsePart[] {
  const parts = (definition.responseSchema as { parts?: unknown }).parts;
  if (!Array.isArray(parts)) return [];
  return parts
    .filter((part): part is Record<string, unknown> => typeof part === 'object' && part !== null)
    .filter((part) => typeof part.key === 'string')
    .map((part) => ({
      key: String(part.key),
      label: typeof part.label === 'string' ? part.label : String(part.key),
      audience: typeof part.audience === 'string' ? part.audience : undefined,
    }));
}

function AssignForm({ exercise }: { readonly exercise: Schemas['ExerciseResponse'] }) {
  const { caseId, caseView } = useCaseContext();
  const client = useQueryClient();
  const navigate = useNavigate();
  const definition = exercise.definition;
  const parts = partsOf(definition);
  const participants = caseView.participants;
  const canPair = participants.length >= 2;
  const allowed: readonly Visibility[] = [definition.defaultVisibility, ...definition.switchableVisibility];
  const defaultMode =
    canPair &&
    (definition.audience === 'each' ||
      definition.audience === 'together' ||
      definition.defaultVisibility === 'reveal' ||
      parts.length > 0)
      ? 'paired'
      : 'single';

  const [mode, setMode] = useState<'single' | 'paired'>(defaultMode);
  const [single, setSingle] = useState(() => {
    const byRole = participants.find((p) => p.role === definition.audience);
    return (byRole ?? participants[0])?.clientId ?? '';
  });
  const [partOf, setPartOf] = useState<Record<string, string>>(() => {
    const initial: Record<string, string> = {};
    participants.slice(0, 2).forEach((p, index) => {
      const match = parts.find((part) => part.audience === p.role) ?? parts[index];
      if (match !== undefined) initial[p.clientId] = match.key;
    });
    return initial;
  });
  const [visibility, setVisibility] = useState<Visibility>(definition.defaultVisibility);
  const [requiresReview, setRequiresReview] = useState(true);
  const [kind, setKind] = useState<'once' | 'recurring'>('once');
  const [opensOn, setOpensOn] = useState('');
  const [dueOn, setDueOn] = useState(() => todayLocal(7));
  const [frequency, setFrequency] = useState<'daily' | 'weekly'>('weekly');
  const [interval, setInterval] = useState('1');
  const [weekdays, setWeekdays] = useState<Weekday[]>([]);
  const [startsOn, setStartsOn] = useState(todayLocal);
  const [ends, setEnds] = useState<'count' | 'until'>('count');
  const [count, setCount] = useState('4');
  const [until, setUntil] = useState(() => todayLocal(28));
  const [graceDays, setGraceDays] = useState('0');

  const effectiveVisibility: Visibility =
    mode === 'single' && visibility === 'reveal' ? definition.defaultVisibility : visibility;
  const mutation = useMutation({
    mutationFn: (body: Schemas['CreateAssignmentRequest']) =>
      call(api.POST('/api/v1/cases/{caseId}/assignments', { params: { path: { caseId } }, body })),
    onSuccess: async (detail) => {
      await invalidateHomework(client, caseId);
      client.setQueryData(counselorKeys.assignment(caseId, detail.id), detail);
      void navigate(counselorPaths.assignment(caseId, detail.id), { state: { created: true } });
    },
  });
  const errors = fieldErrorsOf(mutation.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const recipients =
      mode === 'single'
        ? [{ clientId: single }]
        : participants.slice(0, 2).map((p) => ({
            clientId: p.clientId,
            ...(parts.length > 0 && partOf[p.clientId] !== undefined && { part: partOf[p.clientId] }),
          }));
    const schedule: Schemas['ScheduleDto'] =
      kind === 'once'
        ? { kind, dueOn, ...(opensOn !== '' && { opensOn }) }
        : {
            kind,
            frequency,
            interval: Number(interval) || 1,
            startsOn,
            ...(frequency === 'weekly' && weekdays.length > 0 && { weekdays }),
            ...(ends === 'count' ? { count: Number(count) } : { until }),
            ...(Number(graceDays) > 0 && { graceDays: Number(graceDays) }),
          };
    mutation.mutate({
      exerciseRef: exercise.ref,
      exerciseVersion: exercise.version,
      recipients,
      visibility: effectiveVisibility,
      ...(effectiveVisibility === 'release' && { releaseRequiresReview: requiresReview }),
      schedule,
    });
  };

  return (
    <form className="form" onSubmit={submit} aria-label={`Assign ${definition.title}`} noValidate>
      <p className="cw-prewrap">{definition.instructions}</p>
      <RadioGroup<'single' | 'paired'>
        legend="Who does it"
        name="mode"
        value={mode}
        error={errors.recipients}
        onChange={setMode}
        options={[
          { value: 'single', label: 'One participant' },
          {
            value: 'paired',
            label: 'Both partners (paired)',
            description: canPair
              ? 'One assignment; each partner answers their own copy' + (parts.length > 0 ? ' of their part.' : '.')
              : 'This case has only one participant.',
            disabled: !canPair,
          },
        ]}
      />
      {mode === 'single' ? (
        <SelectInput
          label="Participant"
          required
          value={single}
          error={errors['recipients[0].clientId']}
          onChange={setSingle}
          options={participants.map((p) => ({
            value: p.clientId,
            label: `${p.displayName}${p.roleLabel ? ` (${p.roleLabel})` : ''}`,
          }))}
        />
      ) : (
        parts.length > 0 &&
        participants
          .slice(0, 2)
          .map((participant, index) => (
            <SelectInput
              key={participant.clientId}
              label={`${participant.displayName}'s part`}
              required
              value={partOf[participant.clientId] ?? ''}
              error={errors[`recipients[${index}].part`]}
              onChange={(value) => setPartOf((current) => ({ ...current, [participant.clientId]: value }))}
              options={[
                { value: '', label: 'Choose a part' },
                ...parts.map((part) => ({ value: part.key, label: part.label })),
              ]}
            />
          ))
      )}
      <RadioGroup<Visibility>
        legend="Who sees the answers"
        name="visibility"
        value={effectiveVisibility}
        error={errors.visibility}
        onChange={setVisibility}
        options={allowed.map((value) => ({
          value,
          label: `${VISIBILITY_LABELS[value].name}${value === definition.defaultVisibility ? ' (the exercise’s default)' : ''}`,
          description: VISIBILITY_LABELS[value].description,
          disabled: value === 'reveal' && mode === 'single',
        }))}
      />
      {effectiveVisibility === 'release' && (
        <Checkbox
          label="The author may release it only after I have reviewed it"
          checked={requiresReview}
          onChange={setRequiresReview}
        />
      )}
      <RadioGroup<'once' | 'recurring'>
        legend="When"
        name="kind"
        value={kind}
        onChange={setKind}
        options={[
          { value: 'once', label: 'Once, by a due date' },
          { value: 'recurring', label: 'Recurring' },
        ]}
      />
      {kind === 'once' ? (
        <div className="cw-row">
          <TextInput
            label="Opens on"
            hint="Empty: today, in each participant's own timezone."
            type="date"
            value={opensOn}
            error={errors['schedule.opensOn']}
            onChange={setOpensOn}
          />
          <TextInput
            label="Due on"
            type="date"
            required
            value={dueOn}
            error={errors['schedule.dueOn']}
            onChange={setDueOn}
          />
        </div>
      ) : (
        <>
          <div className="cw-row">
            <SelectInput<'daily' | 'weekly'>
              label="Repeats"
              value={frequency}
              onChange={(value) => value !== '' && setFrequency(value)}
              options={[
                { value: 'daily', label: 'Every day (or every N days)' },
                { value: 'weekly', label: 'Every week (or every N weeks)' },
              ]}
            />
            <TextInput
              label={frequency === 'daily' ? 'Every how many days' : 'Every how many weeks'}
              type="number"
              min={1}
              max={52}
              value={interval}
              error={errors['schedule.interval']}
              onChange={setInterval}
            />
          </div>
          {frequency === 'weekly' && (
            <fieldset className="field field--group">
              <legend className="field__label">On these days</legend>
              <p className="field__help">None ticked: the weekday of the start date.</p>
              <div className="choices">
                {WEEKDAYS.map((day) => (
                  <Checkbox
                    key={day.value}
                    label={day.label}
                    checked={weekdays.includes(day.value)}
                    onChange={(checked) =>
                      setWeekdays((current) =>
                        checked ? [...current, day.value] : current.filter((value) => value !== day.value),
                      )
                    }
                  />
                ))}
              </div>
              {errors['schedule.weekdays'] !== undefined && (
                <p className="field__error">{errors['schedule.weekdays']}</p>
              )}
            </fieldset>
          )}
          <TextInput
            label="Starts on"
            type="date"
            value={startsOn}
            error={errors['schedule.startsOn']}
            onChange={setStartsOn}
          />
          <RadioGroup<'count' | 'until'>
            legend="Ends"
            name="ends"
            value={ends}
            onChange={setEnds}
            options={[
              { value: 'count', label: 'After a number of times' },
              { value: 'until', label: 'On a date' },
            ]}
          />
          {ends === 'count' ? (
            <TextInput
              label="How many times"
              type="number"
              min={1}
              max={366}
              value={count}
              error={errors['schedule.count']}
              onChange={setCount}
            />
          ) : (
            <TextInput
              label="Last date"
              type="date"
              value={until}
              error={errors['schedule.until']}
              onChange={setUntil}
            />
          )}
          <TextInput
            label="Days late still counted on time"
            type="number"
            min={0}
            max={6}
            value={graceDays}
            error={errors['schedule.graceDays']}
            onChange={setGraceDays}
          />
        </>
      )}
      <ProblemSummary error={mutation.error} title="The exercise was not assigned" />
      <div className="form-actions">
        <SubmitButton pending={mutation.isPending} pendingLabel="Assigning…">
          Assign {definition.title}
        </SubmitButton>
        <Link className="button button--secondary" to={counselorPaths.homework(caseId)}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

export function AssignPage() {
  const { caseId, caseView } = useCaseContext();
  const library = useExerciseLibrary();
  const [chosen, setChosen] = useState<string>();
  const exercise = useExercise(chosen);
  const formHeading = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (exercise.data !== undefined) formHeading.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [exercise.data]);
  return (
    <Page title={`Assign an exercise · ${caseView.title ?? 'Case'}`} heading="Assign an exercise">
      {caseView.status === 'closed' && (
        <p className="notice notice--warn">This case is closed: nothing can be assigned.</p>
      )}
      {caseView.safety?.status === 'safety_hold' && (
        <p className="notice notice--warn">
          The case is on a safety hold: shared and reveal exercises cannot be assigned until it is lifted.
        </p>
      )}
      <Section title="1. Choose from the library">
        <QueryView query={library} label="Loading the exercise library…">
          {(exercises) => (
            <Library exercises={exercises} initialPhase={caseView.phase ?? ''} chosen={chosen} onChoose={setChosen} />
          )}
        </QueryView>
      </Section>
      <div ref={formHeading}>
        <Section title={exercise.data ? `2. Assign ${exercise.data.definition.title}` : '2. Assign'}>
          {chosen === undefined ? (
            <p className="cw-muted">Choose an exercise above first.</p>
          ) : (
            <QueryView query={exercise} label="Loading the exercise…">
              {(data) => <AssignForm key={`${data.ref}-${data.version}`} exercise={data} />}
            </QueryView>
          )}
        </Section>
      </div>
      <p>
        <Link to={counselorPaths.homework(caseId)}>Back to the case&apos;s homework</Link>
      </p>
    </Page>
  );
}
