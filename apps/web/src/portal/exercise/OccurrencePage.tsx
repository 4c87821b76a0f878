import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';

import { api, call } from '../../api/client';
import { ApiError, describeError } from '../../api/errors';
import type { Schemas } from '../../api/types';
import { FormError } from '../../ui/fields';
import { formatDay, formatInstant } from '../../ui/format';
import { Page } from '../../ui/Page';
import { ErrorNotice, Loading } from '../../ui/Status';
import { participantName } from '../case-context';
import { portalKeys, useMyCases, useMyTimezone } from '../portal-data';
import {
  initialState,
  serverFieldErrors,
  toAnswers,
  validate,
  type Answers,
  type FieldErrors,
  type FormState,
  type FormValue,
} from './answers';
import { AnswersView } from './AnswersView';
import { FieldInput } from './FieldInput';
import { parseExerciseContent, type ExerciseContent } from './schema';

type Occurrence = Schemas['OccurrenceDetailResponse'];
type Safety = Schemas['ClientSafetyResponseDto'];

const AUTOSAVE_MS = 1_500;

/** /portal/exercises/:caseId/:occurrenceId — answer an exercise, or read what was sent and what was revealed. */
export function OccurrencePage() {
  const { caseId = '', occurrenceId = '' } = useParams();
  const cases = useMyCases();
  const occurrence = useQuery({
    queryKey: portalKeys.occurrence(caseId, occurrenceId),
    queryFn: () =>
      call(
        api.GET('/api/v1/cases/{caseId}/occurrences/{occurrenceId}', { params: { path: { caseId, occurrenceId } } }),
      ),
    // The form owns its state once loaded: no refetch that could overwrite what is being typed.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  if (occurrence.isPending)
    return (
      <Page title="Exercise">
        <Loading label="Loading the exercise…" />
      </Page>
    );
  if (occurrence.data === undefined)
    return (
      <Page title="Exercise">
        <ErrorNotice error={occurrence.error} onRetry={() => void occurrence.refetch()} />
        <Link to="/portal">Back to today</Link>
      </Page>
    );
  const content = parseExerciseContent(occurrence.data.exerciseContent);
  const caseView = cases.data?.find((item) => item.id === caseId);
  if (caseView?.yourClientId !== undefined && occurrence.data.clientId !== caseView.yourClientId) {
    // The partner's answers, opened from "Shared with me": read only.
    return (
      <Page title={content.title || occurrence.data.exercise.title}>
        <p className="muted">
          From {participantName(caseView, occurrence.data.clientId)} · due {formatDay(occurrence.data.dueOn)}
        </p>
        <section className="card" aria-labelledby="shared-answers-title">
          <h2 id="shared-answers-title">Their answers</h2>
          {occurrence.data.answers === null ? (
            <p>These answers are not shared with you.</p>
          ) : (
            <AnswersView fields={content.fields} answers={occurrence.data.answers} />
          )}
        </section>
        <Link to="/portal/shared">Back to what was shared with you</Link>
      </Page>
    );
  }
  return (
    <Page title={content.title || occurrence.data.exercise.title}>
      <ExerciseIntro occurrence={occurrence.data} content={content} />
      {occurrence.data.submission?.status === 'submitted' ? (
        <SubmittedView occurrence={occurrence.data} content={content} />
      ) : occurrence.data.status === 'cancelled' ? (
        <p className="notice">Your counselor cancelled this exercise; there is nothing to do.</p>
      ) : (
        <ExerciseForm occurrence={occurrence.data} content={content} />
      )}
    </Page>
  );
}

function ExerciseIntro({
  occurrence,
  content,
}: {
  readonly occurrence: Occurrence;
  readonly content: ExerciseContent;
}) {
  const part = content.parts.find((item) => item.key === occurrence.part);
  const prompts = content.prompts.filter((prompt) => prompt.part === undefined || prompt.part === occurrence.part);
  return (
    <div className="stack">
      <p className="muted">
        Due {formatDay(occurrence.dueOn)}
        {content.estimatedMinutes !== undefined && ` · about ${content.estimatedMinutes} minutes`}
        {part !== undefined && ` · your part: ${part.label}`}
      </p>
      <p className="notice">{visibilityText(occurrence)}</p>
      {content.instructions !== '' && <p>{content.instructions}</p>}
      {prompts.map((prompt, index) => (
        <blockquote key={index} className="prompt">
          {prompt.text}
        </blockquote>
      ))}
    </div>
  );
}

function visibilityText(occurrence: Occurrence): string {
  switch (occurrence.visibility) {
    case 'private':
      return 'Private: only you will see your answers (your counselor sees only that it was done).';
    case 'clinician':
      return 'Your counselor will see your answers; your partner will not.';
    case 'release':
      return 'Your counselor will see your answers. You decide later whether to share them with your partner.';
    case 'reveal':
      return 'Your partner will see your answers only once you have both sent yours — and you will see theirs.';
    case 'shared':
      return 'Your counselor and your partner will see your answers.';
  }
}

type SaveState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved'; readonly at: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'stale' };

function ExerciseForm({ occurrence, content }: { readonly occurrence: Occurrence; readonly content: ExerciseContent }) {
  const queryClient = useQueryClient();
  const timezone = useMyTimezone();
  const fields = useMemo(
    () => content.fields.filter((field) => field.part === undefined || field.part === occurrence.part),
    [content.fields, occurrence.part],
  );
  const [state, setState] = useState<FormState>(() => initialState(fields, occurrence.answers));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [saveState, setSaveState] = useState<SaveState>(
    occurrence.submission !== null ? { kind: 'saved', at: occurrence.submission.updatedAt } : { kind: 'idle' },
  );
  const [safety, setSafety] = useState<Safety | null>(null);
  // The latest state, for the save that runs after the debounce.
  const stateRef = useRef(state);
  stateRef.current = state;
  const version = useRef(occurrence.submission?.draftVersion ?? 0);
  const dirty = useRef(false);
  const saving = useRef<Promise<void> | undefined>(undefined);
  const path = useMemo(
    () => ({ caseId: occurrence.caseId, occurrenceId: occurrence.id }),
    [occurrence.caseId, occurrence.id],
  );

  const saveDraft = useCallback(async (): Promise<void> => {
    if (!dirty.current) return;
    // One save at a time: the next one carries the version the previous one produced.
    while (saving.current !== undefined) await saving.current;
    if (!dirty.current) return;
    const answers = toAnswers(fields, stateRef.current);
    // A draft may be partial, but the server refuses wrong types, ranges and lengths even there:
    // show those next to the fields and save once they are fixed.
    const problems = validate(fields, answers, 'draft');
    if (Object.keys(problems).length > 0) {
      setErrors((current) => ({ ...current, ...problems }));
      setSaveState({ kind: 'error', message: 'check the answers marked in red.' });
      return;
    }
    dirty.current = false;
    setSaveState({ kind: 'saving' });
    const run = (async () => {
      try {
        const saved = await call(
          api.PUT('/api/v1/cases/{caseId}/occurrences/{occurrenceId}/draft', {
            params: { path },
            body: { version: version.current, answers },
          }),
        );
        version.current = saved.submission?.draftVersion ?? version.current + 1;
        setSaveState({ kind: 'saved', at: saved.submission?.updatedAt ?? new Date().toISOString() });
        void queryClient.invalidateQueries({ queryKey: portalKeys.today });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'submission_stale_version') {
          setSaveState({ kind: 'stale' });
        } else {
          dirty.current = true;
          if (error instanceof ApiError && error.status === 422)
            setErrors(serverFieldErrors(error.problem?.errors ?? []));
          setSaveState({ kind: 'error', message: describeError(error) });
        }
      }
    })();
    saving.current = run;
    await run;
    saving.current = undefined;
  }, [fields, path, queryClient]);

  useEffect(() => {
    if (!dirty.current) return;
    const timer = setTimeout(() => void saveDraft(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [state, saveDraft]);

  // Leaving the page (another route, or closing the tab) saves what was typed.
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') void saveDraft();
    };
    document.addEventListener('visibilitychange', onHide);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      void saveDraft();
    };
  }, [saveDraft]);

  const update = (key: string, value: FormValue) => {
    dirty.current = true;
    setState((current) => ({ ...current, [key]: value }));
    if (Object.keys(errors).some((errorKey) => errorKey === key || errorKey.startsWith(`${key}[`))) {
      setErrors((current) =>
        Object.fromEntries(
          Object.entries(current).filter(([errorKey]) => errorKey !== key && !errorKey.startsWith(`${key}[`)),
        ),
      );
    }
  };

  const submit = useMutation({
    mutationFn: async (answers: Answers) => {
      while (saving.current !== undefined) await saving.current;
      return call(
        api.POST('/api/v1/cases/{caseId}/occurrences/{occurrenceId}/submit', {
          params: { path },
          body: { answers, ...(version.current > 0 && { version: version.current }) },
        }),
      );
    },
    onSuccess: (submitted) => {
      dirty.current = false;
      setSafety(submitted.safety);
      queryClient.setQueryData(portalKeys.occurrence(occurrence.caseId, occurrence.id), submitted);
      void queryClient.invalidateQueries({ queryKey: portalKeys.today });
      void queryClient.invalidateQueries({ queryKey: portalKeys.assignments(occurrence.caseId) });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 422) {
        setErrors(serverFieldErrors(error.problem?.errors ?? []));
        setFormError('Some answers need a look: see the messages next to them.');
      } else if (error instanceof ApiError && error.code === 'submission_stale_version') {
        setSaveState({ kind: 'stale' });
        setFormError('This exercise was changed in another window. Reload the page to continue from there.');
      } else {
        setFormError(describeError(error));
      }
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const answers = toAnswers(fields, state);
    const found = validate(fields, answers, 'submit');
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(`Please check ${Object.keys(found).length === 1 ? 'the answer' : 'the answers'} marked below.`);
      // Focus the first field with a problem, so keyboard and screen-reader users land on it.
      const form = event.currentTarget;
      requestAnimationFrame(() => {
        const first = form.querySelector<HTMLElement>(
          'input[aria-invalid="true"], textarea[aria-invalid="true"], select[aria-invalid="true"], fieldset[aria-invalid="true"] input',
        );
        first?.focus();
      });
      return;
    }
    setFormError(undefined);
    submit.mutate(answers);
  };

  if (safety !== null) return <SafetyMessage safety={safety} />;

  return (
    <form className="form exercise-form" noValidate onSubmit={onSubmit} aria-describedby="save-state">
      {fields.map((field) => (
        <FieldInput
          key={field.key}
          field={field}
          value={state[field.key]}
          onChange={(value) => update(field.key, value)}
          errors={errors}
          errorKey={field.key}
          coachMode={content.coachMode}
        />
      ))}
      <FormError message={formError} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submit.isPending || saveState.kind === 'stale'}>
          {submit.isPending ? 'Sending…' : 'Send my answers'}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            dirty.current = true;
            void saveDraft();
          }}
          disabled={saveState.kind === 'saving'}
        >
          Save draft
        </button>
        <span id="save-state" className="save-state" role="status" aria-live="polite">
          {saveStateText(saveState, timezone)}
        </span>
      </div>
      {saveState.kind === 'stale' && (
        <p className="notice notice--warn" role="alert">
          This draft was saved from another window since you opened it.{' '}
          <button type="button" className="button button--link" onClick={() => window.location.reload()}>
            Reload to continue from the newest version
          </button>
        </p>
      )}
    </form>
  );
}

function saveStateText(state: SaveState, timezone: string): string {
  switch (state.kind) {
    case 'idle':
      return 'Your answers are saved as a draft as you type.';
    case 'saving':
      return 'Saving draft…';
    case 'saved':
      return `Draft saved ${formatInstant(state.at, timezone)}.`;
    case 'error':
      return `Draft not saved: ${state.message}`;
    case 'stale':
      return 'Saved elsewhere: reload to continue.';
  }
}

function SafetyMessage({ safety }: { readonly safety: Safety }) {
  return (
    <section className="notice notice--warn" role="alert" aria-labelledby="safety-title">
      <h2 id="safety-title">Your answers were sent</h2>
      <p>{safety.message}</p>
      <ul className="list-plain">
        {safety.crisisResources.resources.map((resource) => (
          <li key={`${resource.name}-${resource.contact}`}>
            <strong>{resource.name}</strong>:{' '}
            {resource.href !== null ? <a href={resource.href}>{resource.contact}</a> : resource.contact}
          </li>
        ))}
      </ul>
      {!safety.stopFlow && <Link to="/portal">Back to today</Link>}
    </section>
  );
}

/** After sending: your answers, your counselor's feedback, releasing, and the partner's answers once revealed. */
function SubmittedView({
  occurrence,
  content,
}: {
  readonly occurrence: Occurrence;
  readonly content: ExerciseContent;
}) {
  const queryClient = useQueryClient();
  const timezone = useMyTimezone();
  const submission = occurrence.submission;
  const release = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/occurrences/{occurrenceId}/release', {
          params: { path: { caseId: occurrence.caseId, occurrenceId: occurrence.id } },
        }),
      ),
    onSuccess: (released) => {
      queryClient.setQueryData(portalKeys.occurrence(occurrence.caseId, occurrence.id), released);
      void queryClient.invalidateQueries({ queryKey: ['case', occurrence.caseId] });
    },
  });
  const myFields = content.fields.filter((field) => field.part === undefined || field.part === occurrence.part);
  return (
    <div className="stack">
      <p className="notice" role="status">
        Sent {submission?.submittedAt ? formatInstant(submission.submittedAt, timezone) : ''}. Thank you.
      </p>
      <section aria-labelledby="mine-title" className="card" data-testid="my-answers">
        <h2 id="mine-title">Your answers</h2>
        <AnswersView fields={myFields} answers={occurrence.answers ?? {}} />
      </section>
      {occurrence.feedback !== null && occurrence.feedback.length > 0 && (
        <section aria-labelledby="feedback-title" className="card">
          <h2 id="feedback-title">From your counselor</h2>
          <ul className="list-plain">
            {occurrence.feedback.map((item) => (
              <li key={item.id}>
                {item.note !== null && <p>{item.note}</p>}
                <p className="muted">{formatInstant(item.createdAt, timezone)}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      {occurrence.visibility === 'release' && submission !== null && (
        <section aria-labelledby="release-title" className="card">
          <h2 id="release-title">Share with your partner</h2>
          {submission.releasedAt !== null ? (
            <p>You shared these answers with your partner {formatInstant(submission.releasedAt, timezone)}.</p>
          ) : occurrence.releaseRequiresReview && submission.reviewApprovedAt === null ? (
            <p>Your counselor will look at your answers first; then you can choose to share them.</p>
          ) : (
            <>
              <p>Only you and your counselor can see these answers. You can share them with your partner now.</p>
              {release.error !== null && <FormError message={describeError(release.error)} />}
              <button type="button" className="button" onClick={() => release.mutate()} disabled={release.isPending}>
                {release.isPending ? 'Sharing…' : 'Share with my partner'}
              </button>
            </>
          )}
        </section>
      )}
      {occurrence.pairId !== null && <PartnerAnswers occurrence={occurrence} />}
      <Link to="/portal">Back to today</Link>
    </div>
  );
}

/** The partner's half of a paired assignment: hidden until the API says it may be seen (reveal, shared). */
function PartnerAnswers({ occurrence }: { readonly occurrence: Occurrence }) {
  const assignment = useQuery({
    queryKey: [...portalKeys.assignments(occurrence.caseId), occurrence.assignmentId],
    queryFn: () =>
      call(
        api.GET('/api/v1/cases/{caseId}/assignments/{assignmentId}', {
          params: { path: { caseId: occurrence.caseId, assignmentId: occurrence.assignmentId } },
        }),
      ),
    refetchInterval: 30_000,
  });
  const partner = assignment.data?.occurrences.find(
    (item) => item.pairId === occurrence.pairId && item.id !== occurrence.id,
  );
  const partnerDetail = useQuery({
    queryKey: portalKeys.occurrence(occurrence.caseId, partner?.id ?? ''),
    queryFn: () =>
      call(
        api.GET('/api/v1/cases/{caseId}/occurrences/{occurrenceId}', {
          params: { path: { caseId: occurrence.caseId, occurrenceId: partner?.id ?? '' } },
        }),
      ),
    enabled: partner !== undefined && partner.answersVisible,
  });
  return (
    <section aria-labelledby="partner-title" className="card" data-testid="partner-answers">
      <h2 id="partner-title">Your partner’s answers</h2>
      {assignment.isPending ? (
        <Loading label="Checking on your partner…" />
      ) : assignment.error !== null && assignment.data === undefined ? (
        <ErrorNotice error={assignment.error} onRetry={() => void assignment.refetch()} />
      ) : partner === undefined || !partner.answersVisible ? (
        <p data-testid="partner-waiting">
          {occurrence.visibility === 'reveal'
            ? 'Your partner has not sent theirs yet. You will both see each other’s answers once they do.'
            : 'Your partner’s answers are not shared with you.'}
        </p>
      ) : partnerDetail.data === undefined ? (
        partnerDetail.isPending ? (
          <Loading />
        ) : (
          <ErrorNotice error={partnerDetail.error} onRetry={() => void partnerDetail.refetch()} />
        )
      ) : (
        <AnswersView
          fields={parseExerciseContent(partnerDetail.data.exerciseContent).fields.filter(
            (field) => field.part === undefined || field.part === partnerDetail.data.part,
          )}
          answers={partnerDetail.data.answers ?? {}}
        />
      )}
    </section>
  );
}
