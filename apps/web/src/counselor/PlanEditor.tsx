/**
 * Editing the repair plan: every section as a list of items (add, change, remove),
 * the review date and a change note; saved as a new revision (PUT with the
 * revision it was based on). A concurrent change (409) keeps the typed text and
 * lets the counselor look at the latest revision before saving over it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';

import { api, call } from '../api/client';
import { ApiError } from '../api/errors';
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { Checkbox, fieldErrorsOf, ProblemSummary, Section, SelectInput, SubmitButton, TextInput } from './components';
import { BREACH_ASPECT_LABELS, CADENCE_LABELS, GOAL_STATUS_LABELS, OBJECTIVE_STATUS_LABELS } from './labels';
import { counselorPaths } from './paths';
import { counselorKeys, usePlan } from './queries';

type Content = Schemas['PlanContentDto'];
type Breach = Schemas['BreachAssessmentItemDto'];
type Goal = Schemas['GoalDto'];
type Objective = Schemas['ObjectiveDto'];
type Commitment = Schemas['CommitmentDto'];
type Boundary = Schemas['BoundaryDto'];
type Need = Schemas['NeedDto'];
type Contingency = Schemas['ContingencyDto'];

function toDraft(content: Schemas['PlanContentResponse']): Content {
  return {
    breachAssessment: content.breachAssessment.map((item) => ({ ...item })),
    goals: content.goals.map((goal) => ({ ...goal, objectives: goal.objectives.map((o) => ({ ...o })) })),
    commitments: content.commitments.map((item) => ({ ...item, participantClientIds: [...item.participantClientIds] })),
    boundaries: content.boundaries.map((item) => ({ ...item, participantClientIds: [...item.participantClientIds] })),
    needs: content.needs.map(({ id, clientId, text, visibility }) => ({ id, clientId, text, visibility })),
    contingencyPlans: content.contingencyPlans.map((item) => ({ ...item })),
    reviewDate: content.reviewDate,
  };
}

const orNull = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value;

/** What is sent: empty optional values become null. */
function cleaned(draft: Content): Content {
  return {
    ...draft,
    goals: draft.goals.map((goal) => ({
      ...goal,
      objectives: goal.objectives.map((o) => ({ ...o, targetDate: orNull(o.targetDate) })),
    })),
    commitments: draft.commitments.map((c) => ({
      ...c,
      cadenceDetail: orNull(c.cadenceDetail),
      startDate: orNull(c.startDate),
      endDate: orNull(c.endDate),
    })),
    reviewDate: orNull(draft.reviewDate),
  };
}

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((current, position) => (position === index ? item : current));
}

function removeAt<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, position) => position !== index);
}

/** One editable item: a fieldset with a legend and a remove button. */
function ItemFrame({
  legend,
  onRemove,
  children,
}: {
  readonly legend: string;
  readonly onRemove: () => void;
  readonly children: ReactNode;
}) {
  return (
    <fieldset className="cw-item">
      <legend className="field__label">{legend}</legend>
      {children}
      <button type="button" className="button button--secondary cw-remove" onClick={onRemove}>
        Remove {legend.toLowerCase()}
      </button>
    </fieldset>
  );
}

function AddButton({ onClick, children }: { readonly onClick: () => void; readonly children: ReactNode }) {
  return (
    <button type="button" className="button button--secondary" onClick={onClick}>
      {children}
    </button>
  );
}

function ParticipantChecks({
  legend,
  hint,
  selected,
  onChange,
  error,
}: {
  readonly legend: string;
  readonly hint?: string;
  readonly selected: readonly string[];
  readonly onChange: (ids: string[]) => void;
  readonly error?: string;
}) {
  const { caseView } = useCaseContext();
  const has = (id: string) => selected.some((s) => s.toLowerCase() === id.toLowerCase());
  return (
    <fieldset className="field field--group">
      <legend className="field__label">{legend}</legend>
      {hint !== undefined && <p className="field__help">{hint}</p>}
      {caseView.participants.map((participant) => (
        <Checkbox
          key={participant.clientId}
          label={participant.displayName}
          checked={has(participant.clientId)}
          onChange={(checked) =>
            onChange(
              checked
                ? [...selected, participant.clientId]
                : selected.filter((id) => id.toLowerCase() !== participant.clientId.toLowerCase()),
            )
          }
        />
      ))}
      {error !== undefined && <p className="field__error">{error}</p>}
    </fieldset>
  );
}

const VISIBILITY_OPTIONS = [
  { value: 'shared' as const, label: 'Shared with the participants' },
  { value: 'clinician' as const, label: 'Care team only' },
];

function PlanForm({ revision, initial }: { readonly revision: number; readonly initial: Content }) {
  const { caseId, caseView } = useCaseContext();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Content>(initial);
  const [changeNote, setChangeNote] = useState('');
  const [base, setBase] = useState(revision);
  const [conflict, setConflict] = useState<number>();
  const set = <K extends keyof Content>(key: K, value: Content[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const firstClient = caseView.participants[0]?.clientId ?? '';

  const mutation = useMutation({
    mutationFn: (expectedRevision: number) =>
      call(
        api.PUT('/api/v1/cases/{caseId}/plan', {
          params: { path: { caseId } },
          body: {
            expectedRevision,
            content: cleaned(draft),
            ...(changeNote.trim() !== '' && { changeNote: changeNote.trim() }),
          },
        }),
      ),
    onSuccess: async (plan) => {
      await client.invalidateQueries({ queryKey: counselorKeys.case(caseId) });
      void navigate(counselorPaths.plan(caseId), { state: { notice: `Saved as revision ${plan.revision}.` } });
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.status === 409) {
        const latest = await client.fetchQuery({
          queryKey: counselorKeys.plan(caseId),
          queryFn: () => call(api.GET('/api/v1/cases/{caseId}/plan', { params: { path: { caseId } } })),
        });
        setConflict(latest.revision);
      }
    },
  });
  const errors = fieldErrorsOf(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(base);
  };

  return (
    <form className="form cw-plan-form" onSubmit={submit} noValidate aria-label="Edit the repair plan">
      <p className="cw-muted">
        Editing revision {revision === 0 ? '0 (the empty plan)' : revision}. Saving writes a new revision; earlier ones
        stay readable in the history.
      </p>

      <Section title="Breach assessment">
        {draft.breachAssessment.map((item, index) => {
          const path = `breachAssessment[${index}]`;
          const update = (patch: Partial<Breach>) =>
            set('breachAssessment', replaceAt(draft.breachAssessment, index, { ...item, ...patch }));
          return (
            <ItemFrame
              key={item.id ?? `new-${index}`}
              legend={`Assessment item ${index + 1}`}
              onRemove={() => set('breachAssessment', removeAt(draft.breachAssessment, index))}
            >
              <SelectInput
                label="Aspect"
                value={item.aspect}
                error={errors[`${path}.aspect`]}
                onChange={(aspect) => aspect !== '' && update({ aspect })}
                options={Object.entries(BREACH_ASPECT_LABELS).map(([value, label]) => ({
                  value: value as Breach['aspect'],
                  label,
                }))}
              />
              <TextInput
                label="Text"
                multiline
                required
                maxLength={4000}
                value={item.text}
                error={errors[`${path}.text`]}
                onChange={(text) => update({ text })}
              />
              <SelectInput
                label="Who sees it"
                value={item.visibility}
                onChange={(visibility) => visibility !== '' && update({ visibility })}
                options={VISIBILITY_OPTIONS}
              />
            </ItemFrame>
          );
        })}
        <AddButton
          onClick={() =>
            set('breachAssessment', [
              ...draft.breachAssessment,
              { aspect: 'what_happened', text: '', visibility: 'clinician' },
            ])
          }
        >
          Add an assessment item
        </AddButton>
      </Section>

      <Section title="Goals">
        {draft.goals.map((goal, index) => {
          const path = `goals[${index}]`;
          const update = (patch: Partial<Goal>) => set('goals', replaceAt(draft.goals, index, { ...goal, ...patch }));
          return (
            <ItemFrame
              key={goal.id ?? `new-${index}`}
              legend={`Goal ${index + 1}`}
              onRemove={() => set('goals', removeAt(draft.goals, index))}
            >
              <TextInput
                label="Goal"
                required
                maxLength={500}
                value={goal.title}
                error={errors[`${path}.title`]}
                onChange={(title) => update({ title })}
              />
              <SelectInput
                label="Status"
                value={goal.status}
                onChange={(status) => status !== '' && update({ status })}
                options={Object.entries(GOAL_STATUS_LABELS).map(([value, label]) => ({
                  value: value as Goal['status'],
                  label,
                }))}
              />
              {goal.objectives.map((objective, position) => {
                const objectivePath = `${path}.objectives[${position}]`;
                const updateObjective = (patch: Partial<Objective>) =>
                  update({ objectives: replaceAt(goal.objectives, position, { ...objective, ...patch }) });
                return (
                  <ItemFrame
                    key={objective.id ?? `new-${position}`}
                    legend={`Objective ${index + 1}.${position + 1}`}
                    onRemove={() => update({ objectives: removeAt(goal.objectives, position) })}
                  >
                    <TextInput
                      label="Objective"
                      required
                      maxLength={1000}
                      value={objective.description}
                      error={errors[`${objectivePath}.description`]}
                      onChange={(description) => updateObjective({ description })}
                    />
                    <TextInput
                      label="How it is measured"
                      required
                      maxLength={500}
                      value={objective.measure}
                      error={errors[`${objectivePath}.measure`]}
                      onChange={(measure) => updateObjective({ measure })}
                    />
                    <TextInput
                      label="Target"
                      required
                      maxLength={200}
                      value={objective.target}
                      error={errors[`${objectivePath}.target`]}
                      onChange={(target) => updateObjective({ target })}
                    />
                    <TextInput
                      label="Target date"
                      type="date"
                      value={objective.targetDate ?? ''}
                      error={errors[`${objectivePath}.targetDate`]}
                      onChange={(targetDate) => updateObjective({ targetDate })}
                    />
                    <SelectInput
                      label="Status"
                      value={objective.status}
                      onChange={(status) => status !== '' && updateObjective({ status })}
                      options={Object.entries(OBJECTIVE_STATUS_LABELS).map(([value, label]) => ({
                        value: value as Objective['status'],
                        label,
                      }))}
                    />
                  </ItemFrame>
                );
              })}
              <AddButton
                onClick={() =>
                  update({
                    objectives: [
                      ...goal.objectives,
                      { description: '', measure: '', target: '', targetDate: null, status: 'open' },
                    ],
                  })
                }
              >
                Add an objective to goal {index + 1}
              </AddButton>
            </ItemFrame>
          );
        })}
        <AddButton onClick={() => set('goals', [...draft.goals, { title: '', status: 'not_started', objectives: [] }])}>
          Add a goal
        </AddButton>
      </Section>

      <Section title="Commitments">
        {draft.commitments.map((commitment, index) => {
          const path = `commitments[${index}]`;
          const update = (patch: Partial<Commitment>) =>
            set('commitments', replaceAt(draft.commitments, index, { ...commitment, ...patch }));
          return (
            <ItemFrame
              key={commitment.id ?? `new-${index}`}
              legend={`Commitment ${index + 1}`}
              onRemove={() => set('commitments', removeAt(draft.commitments, index))}
            >
              <ParticipantChecks
                legend="Who commits"
                selected={commitment.participantClientIds}
                error={errors[`${path}.participantClientIds`]}
                onChange={(participantClientIds) => update({ participantClientIds })}
              />
              <TextInput
                label="What"
                required
                maxLength={1000}
                value={commitment.what}
                error={errors[`${path}.what`]}
                onChange={(what) => update({ what })}
              />
              <SelectInput
                label="Cadence"
                value={commitment.cadence}
                onChange={(cadence) => cadence !== '' && update({ cadence })}
                options={Object.entries(CADENCE_LABELS).map(([value, label]) => ({
                  value: value as Commitment['cadence'],
                  label,
                }))}
              />
              <TextInput
                label="Cadence detail"
                hint="Optional, e.g. “Sunday evenings”."
                maxLength={200}
                value={commitment.cadenceDetail ?? ''}
                error={errors[`${path}.cadenceDetail`]}
                onChange={(cadenceDetail) => update({ cadenceDetail })}
              />
              <TextInput
                label="How it is verified"
                required
                maxLength={500}
                value={commitment.verification}
                error={errors[`${path}.verification`]}
                onChange={(verification) => update({ verification })}
              />
              <div className="cw-row">
                <TextInput
                  label="Start date"
                  type="date"
                  value={commitment.startDate ?? ''}
                  error={errors[`${path}.startDate`]}
                  onChange={(startDate) => update({ startDate })}
                />
                <TextInput
                  label="End date"
                  type="date"
                  value={commitment.endDate ?? ''}
                  error={errors[`${path}.endDate`]}
                  onChange={(endDate) => update({ endDate })}
                />
              </div>
            </ItemFrame>
          );
        })}
        <AddButton
          onClick={() =>
            set('commitments', [
              ...draft.commitments,
              { participantClientIds: [], what: '', cadence: 'weekly', verification: '', cadenceDetail: null },
            ])
          }
        >
          Add a commitment
        </AddButton>
      </Section>

      <Section title="Boundaries">
        {draft.boundaries.map((boundary, index) => {
          const path = `boundaries[${index}]`;
          const update = (patch: Partial<Boundary>) =>
            set('boundaries', replaceAt(draft.boundaries, index, { ...boundary, ...patch }));
          return (
            <ItemFrame
              key={boundary.id ?? `new-${index}`}
              legend={`Boundary ${index + 1}`}
              onRemove={() => set('boundaries', removeAt(draft.boundaries, index))}
            >
              <ParticipantChecks
                legend="Whom it binds"
                hint="None ticked: everyone in the case."
                selected={boundary.participantClientIds}
                error={errors[`${path}.participantClientIds`]}
                onChange={(participantClientIds) => update({ participantClientIds })}
              />
              <TextInput
                label="Boundary"
                required
                maxLength={1000}
                value={boundary.description}
                error={errors[`${path}.description`]}
                onChange={(description) => update({ description })}
              />
              <TextInput
                label="Agreed consequence if it is crossed"
                required
                maxLength={1000}
                value={boundary.consequence}
                error={errors[`${path}.consequence`]}
                onChange={(consequence) => update({ consequence })}
              />
              <TextInput
                label="Agreed restorative response"
                required
                maxLength={1000}
                value={boundary.restorativeResponse}
                error={errors[`${path}.restorativeResponse`]}
                onChange={(restorativeResponse) => update({ restorativeResponse })}
              />
            </ItemFrame>
          );
        })}
        <AddButton
          onClick={() =>
            set('boundaries', [
              ...draft.boundaries,
              { participantClientIds: [], description: '', consequence: '', restorativeResponse: '' },
            ])
          }
        >
          Add a boundary
        </AddButton>
      </Section>

      <Section title="Needs">
        {draft.needs.map((need, index) => {
          const path = `needs[${index}]`;
          const update = (patch: Partial<Need>) => set('needs', replaceAt(draft.needs, index, { ...need, ...patch }));
          return (
            <ItemFrame
              key={need.id ?? `new-${index}`}
              legend={`Need ${index + 1}`}
              onRemove={() => set('needs', removeAt(draft.needs, index))}
            >
              <SelectInput
                label="Whose need"
                value={need.clientId}
                error={errors[`${path}.clientId`]}
                onChange={(clientId) => clientId !== '' && update({ clientId })}
                options={caseView.participants.map((p) => ({ value: p.clientId, label: p.displayName }))}
              />
              <TextInput
                label="Need"
                multiline
                required
                maxLength={2000}
                value={need.text}
                error={errors[`${path}.text`]}
                onChange={(text) => update({ text })}
              />
              <SelectInput
                label="Who sees it"
                value={need.visibility}
                onChange={(visibility) => visibility !== '' && update({ visibility })}
                options={VISIBILITY_OPTIONS}
              />
            </ItemFrame>
          );
        })}
        <AddButton
          onClick={() => set('needs', [...draft.needs, { clientId: firstClient, text: '', visibility: 'clinician' }])}
        >
          Add a need
        </AddButton>
      </Section>

      <Section title="Contingency plans">
        {draft.contingencyPlans.map((plan, index) => {
          const path = `contingencyPlans[${index}]`;
          const update = (patch: Partial<Contingency>) =>
            set('contingencyPlans', replaceAt(draft.contingencyPlans, index, { ...plan, ...patch }));
          return (
            <ItemFrame
              key={plan.id ?? `new-${index}`}
              legend={`Contingency plan ${index + 1}`}
              onRemove={() => set('contingencyPlans', removeAt(draft.contingencyPlans, index))}
            >
              <TextInput
                label="The slip-up or warning sign"
                required
                maxLength={1000}
                value={plan.trigger}
                error={errors[`${path}.trigger`]}
                onChange={(trigger) => update({ trigger })}
              />
              <TextInput
                label="What to do then"
                multiline
                required
                maxLength={2000}
                value={plan.response}
                error={errors[`${path}.response`]}
                onChange={(response) => update({ response })}
              />
            </ItemFrame>
          );
        })}
        <AddButton onClick={() => set('contingencyPlans', [...draft.contingencyPlans, { trigger: '', response: '' }])}>
          Add a contingency plan
        </AddButton>
      </Section>

      <Section title="Review and save">
        <TextInput
          label="Next review date"
          type="date"
          value={draft.reviewDate ?? ''}
          error={errors.reviewDate}
          onChange={(reviewDate) => set('reviewDate', reviewDate)}
        />
        <TextInput
          label="Change note"
          hint="Why this change (care team only)."
          multiline
          maxLength={2000}
          value={changeNote}
          error={errors.changeNote}
          onChange={setChangeNote}
        />
        {conflict !== undefined ? (
          <div className="status status--error" role="alert">
            <p className="status__title">Someone else saved the plan meanwhile (now revision {conflict}).</p>
            <p>
              Your edits are still here. <Link to={counselorPaths.planHistory(caseId)}>Look at the history</Link> (it
              opens in this tab; use a new tab to keep this form), then save over revision {conflict} if your version
              should win.
            </p>
            <button
              type="button"
              className="button"
              onClick={() => {
                setBase(conflict);
                setConflict(undefined);
                mutation.reset();
              }}
            >
              Base my edits on revision {conflict}
            </button>
          </div>
        ) : (
          <ProblemSummary error={mutation.error} />
        )}
        <div className="form-actions">
          <SubmitButton pending={mutation.isPending} pendingLabel="Saving the plan…" disabled={conflict !== undefined}>
            Save as a new revision
          </SubmitButton>
          <Link className="button button--secondary" to={counselorPaths.plan(caseId)}>
            Cancel
          </Link>
        </div>
      </Section>
    </form>
  );
}

export function PlanEditPage() {
  const { caseId, caseView } = useCaseContext();
  const plan = usePlan(caseId);
  // Load once: a background refetch must not replace what is being typed.
  const [loaded, setLoaded] = useState<{ revision: number; content: Content }>();
  useEffect(() => {
    if (loaded === undefined && plan.data !== undefined)
      setLoaded({ revision: plan.data.revision, content: toDraft(plan.data.content) });
  }, [loaded, plan.data]);
  return (
    <Page title={`Edit the repair plan · ${caseView.title ?? 'Case'}`} heading="Edit the repair plan">
      <QueryView query={{ ...plan, data: loaded }} label="Loading the plan…">
        {(data) => <PlanForm revision={data.revision} initial={data.content} />}
      </QueryView>
    </Page>
  );
}
