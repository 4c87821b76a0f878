/** The current repair plan, read-only, with its phase control and links to editing and history. */
import { Link, useLocation } from 'react-router';

import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { Badge, Facts, Notice, Section } from './components';
import {
  BREACH_ASPECT_LABELS,
  CADENCE_LABELS,
  formatDay,
  formatDateTime,
  GOAL_STATUS_LABELS,
  OBJECTIVE_STATUS_LABELS,
  PHASE_LABELS,
} from './labels';
import { counselorPaths } from './paths';
import { PhaseControl } from './PhaseControl';
import { usePlan } from './queries';

type PlanContent = Schemas['PlanContentResponse'];

function VisibilityBadge({ visibility }: { readonly visibility: 'shared' | 'clinician' }) {
  return visibility === 'shared' ? <Badge tone="good">Shared</Badge> : <Badge>Care team only</Badge>;
}

function None({ what }: { readonly what: string }) {
  return <p className="cw-muted">No {what} yet.</p>;
}

export function PlanContentView({ content }: { readonly content: PlanContent }) {
  const { clientName } = useCaseContext();
  const names = (ids: readonly string[]) => (ids.length === 0 ? 'Everyone' : ids.map(clientName).join(', '));
  return (
    <>
      <Section title="Breach assessment" level={3}>
        {content.breachAssessment.length === 0 ? (
          <None what="assessment" />
        ) : (
          <ul className="cw-plan-list">
            {content.breachAssessment.map((item) => (
              <li key={item.id}>
                <p>
                  <strong>{BREACH_ASPECT_LABELS[item.aspect]}</strong> <VisibilityBadge visibility={item.visibility} />
                </p>
                <p className="cw-prewrap">{item.text}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Goals" level={3}>
        {content.goals.length === 0 ? (
          <None what="goals" />
        ) : (
          <ul className="cw-plan-list">
            {content.goals.map((goal) => (
              <li key={goal.id}>
                <p>
                  <strong>{goal.title}</strong> <Badge>{GOAL_STATUS_LABELS[goal.status]}</Badge>
                </p>
                {goal.objectives.length > 0 && (
                  <ul className="cw-list">
                    {goal.objectives.map((objective) => (
                      <li key={objective.id}>
                        {objective.description} — measured by {objective.measure}, target {objective.target}
                        {objective.targetDate ? ` by ${formatDay(objective.targetDate)}` : ''}{' '}
                        <Badge>{OBJECTIVE_STATUS_LABELS[objective.status]}</Badge>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Commitments" level={3}>
        {content.commitments.length === 0 ? (
          <None what="commitments" />
        ) : (
          <ul className="cw-plan-list">
            {content.commitments.map((commitment) => (
              <li key={commitment.id}>
                <p>
                  <strong>{commitment.what}</strong>
                </p>
                <p className="cw-muted">
                  {names(commitment.participantClientIds)} · {CADENCE_LABELS[commitment.cadence]}
                  {commitment.cadenceDetail ? ` (${commitment.cadenceDetail})` : ''} · verified by{' '}
                  {commitment.verification}
                  {commitment.startDate ? ` · from ${formatDay(commitment.startDate)}` : ''}
                  {commitment.endDate ? ` until ${formatDay(commitment.endDate)}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Boundaries" level={3}>
        {content.boundaries.length === 0 ? (
          <None what="boundaries" />
        ) : (
          <ul className="cw-plan-list">
            {content.boundaries.map((boundary) => (
              <li key={boundary.id}>
                <p>
                  <strong>{boundary.description}</strong>{' '}
                  <span className="cw-muted">({names(boundary.participantClientIds)})</span>
                </p>
                <Facts
                  items={[
                    ['If crossed', boundary.consequence],
                    ['Restorative response', boundary.restorativeResponse],
                  ]}
                />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Needs" level={3}>
        {content.needs.length === 0 ? (
          <None what="needs" />
        ) : (
          <ul className="cw-plan-list">
            {content.needs.map((need) => (
              <li key={need.id}>
                <p>
                  <strong>{clientName(need.clientId)}</strong> <VisibilityBadge visibility={need.visibility} />
                  {need.proposedByClientId !== null && <Badge tone="info">Proposed by the participant</Badge>}
                </p>
                <p className="cw-prewrap">{need.text}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Contingency plans" level={3}>
        {content.contingencyPlans.length === 0 ? (
          <None what="contingency plans" />
        ) : (
          <ul className="cw-plan-list">
            {content.contingencyPlans.map((plan) => (
              <li key={plan.id}>
                <Facts
                  items={[
                    ['When', plan.trigger],
                    ['Then', plan.response],
                  ]}
                />
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

export function PlanPage() {
  const { caseId, caseView, memberName } = useCaseContext();
  const plan = usePlan(caseId);
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return (
    <Page
      title={`Repair plan · ${caseView.title ?? 'Case'}`}
      heading="Repair plan"
      actions={
        <>
          <Link className="button" to={counselorPaths.planEdit(caseId)}>
            Edit the plan
          </Link>
          <Link className="button button--secondary" to={counselorPaths.planHistory(caseId)}>
            Revision history
          </Link>
        </>
      }
    >
      {notice !== undefined && <Notice>{notice}</Notice>}
      <QueryView query={plan} label="Loading the plan…">
        {(data) => (
          <>
            <Section title="Phase and review">
              <Facts
                items={[
                  ['Phase', PHASE_LABELS[data.phase]],
                  ['Phase since', formatDateTime(data.phaseChangedAt)],
                  ['Next review', formatDay(data.content.reviewDate)],
                  [
                    'Revision',
                    data.revision === 0
                      ? 'Not written yet'
                      : `${data.revision}, ${formatDateTime(data.revisedAt)} by ${memberName(data.revisedByMembershipId)}`,
                  ],
                ]}
              />
              <PhaseControl caseId={caseId} currentPhase={data.phase} />
            </Section>
            <PlanContentView content={data.content} />
          </>
        )}
      </QueryView>
    </Page>
  );
}
