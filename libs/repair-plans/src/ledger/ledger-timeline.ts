import type { CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';

import type { CaseTimelineEntry } from '../timeline/case-timeline-entry.js';
import type { CaseTimelineWindow } from '../timeline/case-timeline.service.js';

/** Participants see nothing shared while the case is on a safety hold; a directory viewer sees no clinical content. */
export function seesSharedContent(viewer: CaseViewer): boolean {
  if (viewer.kind === 'directory') return false;
  return !(viewer.kind === 'participant' && viewer.case.safetyStatus === 'safety_hold');
}

/** `ledger.check_in` and `ledger.response` lines of the case timeline (shared: participants and care team). */
export async function ledgerTimelineEntries(
  tx: TenantTransaction,
  viewer: CaseViewer,
  window: CaseTimelineWindow = { before: null, limit: 10_000 },
): Promise<CaseTimelineEntry[]> {
  if (!seesSharedContent(viewer)) return [];
  const checkIns = await tx.query<{
    id: string;
    recorded_at: Date;
    recorded_by_membership_id: string;
    commitment_id: string;
    participant_client_id: string;
    status: string;
    occurred_on: string;
    corrects_check_in_id: string | null;
  }>(
    `select id, recorded_at, recorded_by_membership_id, commitment_id, participant_client_id, status,
            occurred_on::text as occurred_on, corrects_check_in_id
       from commitment_check_ins
      where clinic_id = $1 and case_id = $2 and ($3::timestamptz is null or recorded_at <= $3)
      order by recorded_at desc, id limit $4`,
    [tx.clinicId, viewer.case.caseId, window.before, window.limit],
  );
  const responses = await tx.query<{
    id: string;
    responded_at: Date;
    responded_by_membership_id: string;
    check_in_id: string;
    response: string;
  }>(
    `select id, responded_at, responded_by_membership_id, check_in_id, response
       from commitment_check_in_responses
      where clinic_id = $1 and case_id = $2 and ($3::timestamptz is null or responded_at <= $3)
      order by responded_at desc, id limit $4`,
    [tx.clinicId, viewer.case.caseId, window.before, window.limit],
  );
  return [
    ...checkIns.map((row) => ({
      at: row.recorded_at,
      kind: 'ledger.check_in',
      id: row.id,
      actorMembershipId: row.recorded_by_membership_id,
      summary: row.corrects_check_in_id === null ? 'Check-in recorded' : 'Check-in corrected',
      refs: {
        checkInId: row.id,
        commitmentId: row.commitment_id,
        participantClientId: row.participant_client_id,
        status: row.status,
        occurredOn: row.occurred_on,
        correctsCheckInId: row.corrects_check_in_id,
      },
    })),
    ...responses.map((row) => ({
      at: row.responded_at,
      kind: 'ledger.response',
      id: row.id,
      actorMembershipId: row.responded_by_membership_id,
      summary: row.response === 'confirmed' ? 'Check-in confirmed' : 'Check-in disputed',
      refs: { checkInId: row.check_in_id, response: row.response },
    })),
  ];
}
