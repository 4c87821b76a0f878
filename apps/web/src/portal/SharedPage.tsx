import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { formatDay } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { CasePicker, participantName, useChosenCase } from './case-context';
import { portalKeys, type CaseView } from './portal-data';

/**
 * What was shared with the client: their partner's answers that were released to
 * them, revealed (both sent a paired exercise) or shared, newest first.
 */
export function SharedPage() {
  const chosen = useChosenCase();
  return (
    <Page title="Shared with me">
      <CasePicker chosen={chosen} />
      {chosen.current !== undefined && <SharedItems key={chosen.current.id} caseView={chosen.current} />}
    </Page>
  );
}

function SharedItems({ caseView }: { readonly caseView: CaseView }) {
  const assignments = useQuery({
    queryKey: portalKeys.assignments(caseView.id),
    queryFn: async () => {
      const list = await call(
        api.GET('/api/v1/cases/{caseId}/assignments', { params: { path: { caseId: caseView.id } } }),
      );
      // The occurrences of each assignment (answersVisible tells what the client may open).
      return Promise.all(
        list.assignments.map((assignment) =>
          call(
            api.GET('/api/v1/cases/{caseId}/assignments/{assignmentId}', {
              params: { path: { caseId: caseView.id, assignmentId: assignment.id } },
            }),
          ),
        ),
      );
    },
  });
  return (
    <QueryView query={assignments} label="Loading what was shared…">
      {(details) => {
        const items = details
          .flatMap((assignment) =>
            assignment.occurrences
              .filter((occurrence) => occurrence.clientId !== caseView.yourClientId && occurrence.answersVisible)
              .map((occurrence) => ({ assignment, occurrence })),
          )
          .sort((a, b) => b.occurrence.dueOn.localeCompare(a.occurrence.dueOn));
        if (items.length === 0)
          return <Empty>Nothing has been shared with you yet. Shared and revealed answers will appear here.</Empty>;
        return (
          <ul className="cards" data-testid="shared-items">
            {items.map(({ assignment, occurrence }) => (
              <li key={occurrence.id} className="card">
                <h2 className="occurrence-card__title">
                  <Link to={`/portal/exercises/${caseView.id}/${occurrence.id}`}>{assignment.exercise.title}</Link>
                </h2>
                <p>
                  From {participantName(caseView, occurrence.clientId)} · {howShared(occurrence)} · due{' '}
                  {formatDay(occurrence.dueOn)}
                </p>
              </li>
            ))}
          </ul>
        );
      }}
    </QueryView>
  );
}

function howShared(occurrence: {
  visibility: string;
  submission: { releasedAt: string | null; revealedAt: string | null } | null;
}): string {
  if (occurrence.submission?.revealedAt) return 'revealed when you both had sent yours';
  if (occurrence.submission?.releasedAt) return 'released to you';
  return occurrence.visibility === 'shared' ? 'shared' : 'shared with you';
}
