import { useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { formatDay } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { CasePicker, participantName, useChosenCase } from './case-context';
import { portalKeys, type CaseView } from './portal-data';

const CADENCE: Readonly<Record<Schemas['CommitmentDto']['cadence'], string>> = {
  daily: 'every day',
  several_times_a_week: 'several times a week',
  weekly: 'every week',
  fortnightly: 'every two weeks',
  monthly: 'every month',
  as_agreed: 'as agreed',
};

const PHASES: Readonly<Record<Schemas['PlanResponse']['phase'], string>> = {
  P0: 'Getting started and safety',
  P1: 'Stabilising and making amends',
  P2: 'Understanding what happened',
  P3: 'Rebuilding and deciding',
  P4: 'Maintaining',
};

/** The agreements of the repair plan a client can see: commitments, boundaries, plans for slip-ups, goals. */
export function AgreementsPage() {
  const chosen = useChosenCase();
  return (
    <Page title="Our agreements">
      <CasePicker chosen={chosen} />
      {chosen.current !== undefined && <Agreements key={chosen.current.id} caseView={chosen.current} />}
    </Page>
  );
}

function Agreements({ caseView }: { readonly caseView: CaseView }) {
  const plan = useQuery({
    queryKey: portalKeys.plan(caseView.id),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/plan', { params: { path: { caseId: caseView.id } } })),
  });
  const who = (ids: readonly string[]) =>
    ids.length === 0
      ? 'both of you'
      : ids.map((id) => (id === caseView.yourClientId ? 'you' : participantName(caseView, id))).join(' and ');
  return (
    <QueryView query={plan} label="Loading your plan…">
      {({ content, phase, revision, revisedAt }) => (
        <div className="stack">
          <p className="muted">
            Stage: {PHASES[phase]}. Plan version {revision}
            {revisedAt !== null && `, updated ${formatDay(revisedAt.slice(0, 10))}`}
            {content.reviewDate !== null && `. Next review: ${formatDay(content.reviewDate)}`}.
          </p>
          <section aria-labelledby="commitments-title">
            <h2 id="commitments-title">Commitments</h2>
            {content.commitments.length === 0 ? (
              <Empty>No commitments yet.</Empty>
            ) : (
              <ul className="list-plain">
                {content.commitments.map((commitment) => (
                  <li key={commitment.id} className="card">
                    <p>
                      <strong>{commitment.what}</strong>
                    </p>
                    <p>
                      Who: {who(commitment.participantClientIds)} · {CADENCE[commitment.cadence]}
                      {commitment.cadenceDetail ? ` (${commitment.cadenceDetail})` : ''}
                    </p>
                    <p className="muted">How we will know: {commitment.verification}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="boundaries-title">
            <h2 id="boundaries-title">Boundaries</h2>
            {content.boundaries.length === 0 ? (
              <Empty>No boundaries agreed yet.</Empty>
            ) : (
              <ul className="list-plain">
                {content.boundaries.map((boundary) => (
                  <li key={boundary.id} className="card">
                    <p>
                      <strong>{boundary.description}</strong> ({who(boundary.participantClientIds)})
                    </p>
                    <p>If it is crossed: {boundary.consequence}</p>
                    <p>How we repair: {boundary.restorativeResponse}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="contingency-title">
            <h2 id="contingency-title">If things slip</h2>
            {content.contingencyPlans.length === 0 ? (
              <Empty>No plans for slip-ups yet.</Empty>
            ) : (
              <ul className="list-plain">
                {content.contingencyPlans.map((plan) => (
                  <li key={plan.id} className="card">
                    <p>
                      <strong>When:</strong> {plan.trigger}
                    </p>
                    <p>
                      <strong>We will:</strong> {plan.response}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {content.goals.length > 0 && (
            <section aria-labelledby="goals-title">
              <h2 id="goals-title">Goals</h2>
              <ul className="list-plain">
                {content.goals.map((goal) => (
                  <li key={goal.id} className="card">
                    <p>
                      <strong>{goal.title}</strong>
                    </p>
                    <ul>
                      {goal.objectives.map((objective) => (
                        <li key={objective.id}>
                          {objective.description} — {objective.target}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </QueryView>
  );
}
