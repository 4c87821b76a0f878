/** Everything that happened in the case, newest first, in pages (labels only, never clinical text). */
import { useInfiniteQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, Loading } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { formatDateTime } from './labels';
import { counselorKeys } from './queries';

const KIND_LABELS: Record<string, string> = {
  'case.status_changed': 'Case status',
  'plan.revised': 'Repair plan',
  'plan.phase_changed': 'Phase',
  'readiness.assessed': 'Readiness',
  'ledger.check_in': 'Trust ledger',
  'ledger.response': 'Trust ledger',
  'boundary.event': 'Boundary',
  'disclosure.made': 'Disclosure',
};

function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? (kind.split('.')[0] ?? kind).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function TimelinePage() {
  const { caseId, caseView } = useCaseContext();
  const staffName = (membershipId: string) =>
    caseView.careTeam.find((member) => member.membershipId.toLowerCase() === membershipId.toLowerCase())?.displayName;
  const timeline = useInfiniteQuery({
    queryKey: counselorKeys.timeline(caseId),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/cases/{caseId}/timeline', {
          params: { path: { caseId }, query: { limit: 50, ...(pageParam !== undefined && { before: pageParam }) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const entries = timeline.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <Page title={`Timeline · ${caseView.title ?? 'Case'}`} heading="Timeline">
      {timeline.isPending ? (
        <Loading label="Loading the timeline…" />
      ) : timeline.data === undefined ? (
        <ErrorNotice error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : entries.length === 0 ? (
        <Empty>Nothing has happened in this case yet.</Empty>
      ) : (
        <>
          <ol className="cw-timeline">
            {entries.map((entry) => (
              <li key={`${entry.kind}-${entry.id}-${entry.at}`} className="cw-timeline__entry">
                <p className="cw-timeline__when">{formatDateTime(entry.at)}</p>
                <p>
                  <span className="badge cw-badge--neutral">{kindLabel(entry.kind)}</span> {entry.summary}
                  {entry.actorMembershipId !== null && staffName(entry.actorMembershipId) && (
                    <span className="cw-muted"> · {staffName(entry.actorMembershipId)}</span>
                  )}
                </p>
              </li>
            ))}
          </ol>
          {timeline.error !== null && <ErrorNotice error={timeline.error} title="Older entries could not be loaded" />}
          {timeline.hasNextPage && (
            <button
              type="button"
              className="button button--secondary"
              disabled={timeline.isFetchingNextPage}
              onClick={() => void timeline.fetchNextPage()}
            >
              {timeline.isFetchingNextPage ? 'Loading older entries…' : 'Show older entries'}
            </button>
          )}
        </>
      )}
    </Page>
  );
}
