/** One assignment: its schedule, visibility and every occurrence per participant (each links to its review). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { Badge, Facts, Notice, ProblemSummary, Section } from './components';
import { describeSchedule } from './HomeworkPage';
import { formatDay, formatDateTime, OCCURRENCE_STATUS_LABELS, VISIBILITY_LABELS } from './labels';
import { counselorPaths } from './paths';
import { counselorKeys, invalidateHomework, useAssignment } from './queries';

type Detail = Schemas['AssignmentDetailResponse'];

function CancelAssignment({ assignment }: { readonly assignment: Detail }) {
  const { caseId } = useCaseContext();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/assignments/{assignmentId}/cancel', {
          params: { path: { caseId, assignmentId: assignment.id } },
        }),
      ),
    onSuccess: async (updated) => {
      client.setQueryData(counselorKeys.assignment(caseId, assignment.id), updated);
      setConfirming(false);
      await invalidateHomework(client, caseId);
    },
  });
  if (assignment.cancelledAt !== null) return <p>Cancelled {formatDateTime(assignment.cancelledAt)}.</p>;
  return (
    <div>
      {!confirming ? (
        <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
          Cancel this assignment
        </button>
      ) : (
        <div className="notice notice--warn" role="group" aria-label="Confirm cancelling">
          <p>Every occurrence not yet completed will be cancelled. Submitted answers stay.</p>
          <div className="form-actions">
            <button
              type="button"
              className="button button--danger"
              disabled={mutation.isPending}
              onClick={() => mutation.mutate()}
            >
              {mutation.isPending ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      <ProblemSummary error={mutation.error} title="The assignment was not cancelled" />
    </div>
  );
}

function OccurrenceTable({ assignment }: { readonly assignment: Detail }) {
  const { caseId, clientName } = useCaseContext();
  const sorted = [...assignment.occurrences].sort((a, b) =>
    a.dueOn === b.dueOn ? clientName(a.clientId).localeCompare(clientName(b.clientId)) : a.dueOn < b.dueOn ? -1 : 1,
  );
  return (
    <div className="table-wrap cw-table-wrap" tabIndex={0} role="region" aria-label="Occurrences (scrolls sideways)">
      <table className="cw-table">
        <caption className="cw-visually-hidden">Occurrences by due day</caption>
        <thead>
          <tr>
            <th scope="col">Due</th>
            <th scope="col">Who</th>
            <th scope="col">Status</th>
            <th scope="col">Submitted</th>
            <th scope="col">
              <span className="cw-visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((occurrence) => (
            <tr key={occurrence.id}>
              <td>{formatDay(occurrence.dueOn)}</td>
              <td>
                {clientName(occurrence.clientId)}
                {occurrence.part !== null ? ` (${occurrence.part})` : ''}
              </td>
              <td>
                <Badge
                  tone={
                    occurrence.status === 'overdue' ? 'warn' : occurrence.status === 'completed' ? 'good' : 'neutral'
                  }
                >
                  {OCCURRENCE_STATUS_LABELS[occurrence.status]}
                </Badge>
              </td>
              <td>{formatDateTime(occurrence.submission?.submittedAt)}</td>
              <td>
                <Link
                  to={counselorPaths.review(caseId, occurrence.id)}
                  aria-label={`${occurrence.submission?.status === 'submitted' ? 'Review' : 'Open'} ${clientName(occurrence.clientId)}'s occurrence due ${formatDay(occurrence.dueOn)}`}
                >
                  {occurrence.submission?.status === 'submitted' ? 'Review' : 'Open'}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AssignmentPage() {
  const { caseId, caseView, clientName, memberName } = useCaseContext();
  const { assignmentId = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const assignment = useAssignment(caseId, assignmentId);
  const title = assignment.data?.exercise.title ?? 'Assignment';
  return (
    <Page title={`${title} · ${caseView.title ?? 'Case'}`} heading={title}>
      {created && <Notice>The exercise was assigned. The participants see it in their portal.</Notice>}
      <QueryView query={assignment} label="Loading the assignment…">
        {(data) => (
          <>
            <Facts
              items={[
                [
                  'Given to',
                  data.recipients
                    .map((r) => `${clientName(r.clientId)}${r.part !== null ? ` (${r.part})` : ''}`)
                    .join(' & ') + (data.paired ? ' — paired' : ''),
                ],
                [
                  'Visibility',
                  `${VISIBILITY_LABELS[data.visibility].name} — ${VISIBILITY_LABELS[data.visibility].description}`,
                ],
                ...(data.visibility === 'release'
                  ? [
                      [
                        'Release',
                        data.releaseRequiresReview ? 'Only after your approval' : 'The author decides',
                      ] as const,
                    ]
                  : []),
                ['Schedule', describeSchedule(data.schedule)],
                ['Exercise', `${data.exercise.ref}, version ${data.exercise.version}`],
                ['Assigned', `${formatDateTime(data.createdAt)} by ${memberName(data.createdByMembershipId)}`],
                ['Status', OCCURRENCE_STATUS_LABELS[data.status]],
              ]}
            />
            <Section title="Occurrences">
              <OccurrenceTable assignment={data} />
            </Section>
            <Section title="Cancel">
              <CancelAssignment assignment={data} />
            </Section>
            <p>
              <Link to={counselorPaths.homework(caseId)}>Back to the case&apos;s homework</Link>
            </p>
          </>
        )}
      </QueryView>
    </Page>
  );
}
