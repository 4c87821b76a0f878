import type { CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';

import { seesSharedContent } from '../ledger/ledger-timeline.js';
import type { CaseTimelineEntry } from '../timeline/case-timeline-entry.js';

/** `boundary.event` lines of the case timeline, at the time the event was recorded. */
export async function boundaryEventTimelineEntries(
  tx: TenantTransaction,
  viewer: CaseViewer,
): Promise<CaseTimelineEntry[]> {
  if (!seesSharedContent(viewer)) return [];
  const rows = await tx.query<{
    id: string;
    recorded_at: Date;
    reported_by_membership_id: string;
    boundary_id: string;
    severity: string;
    occurred_at: Date;
    completed_at: Date | null;
  }>(
    `select id, recorded_at, reported_by_membership_id, boundary_id, severity, occurred_at, completed_at
       from boundary_events where clinic_id = $1 and case_id = $2`,
    [tx.clinicId, viewer.case.caseId],
  );
  return rows.map((row) => ({
    at: row.recorded_at,
    kind: 'boundary.event',
    id: row.id,
    actorMembershipId: row.reported_by_membership_id,
    summary: 'Boundary event recorded',
    refs: {
      boundaryEventId: row.id,
      boundaryId: row.boundary_id,
      severity: row.severity,
      occurredAt: row.occurred_at.toISOString(),
      completedAt: row.completed_at?.toISOString() ?? null,
    },
  }));
}
