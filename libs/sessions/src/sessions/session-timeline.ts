import type { CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { CaseTimelineEntry } from '@mend/repair-plans';

import { seesSession } from './session.service.js';
import type { SessionEventKind, SessionKind } from './session.types.js';

const SUMMARY: Readonly<Record<SessionEventKind, string>> = {
  scheduled: 'Session scheduled',
  rescheduled: 'Session rescheduled',
  completed: 'Session completed',
  cancelled: 'Session cancelled',
  no_show: 'Session missed',
};

/**
 * `session.<event>` lines of the case timeline: scheduling, reschedules and
 * status changes. A participant sees joint sessions and their own individual
 * sessions only (never the other partner's); the directory sees none. No note
 * content, and nothing of psychotherapy notes, ever comes through here.
 */
export async function sessionTimelineEntries(tx: TenantTransaction, viewer: CaseViewer): Promise<CaseTimelineEntry[]> {
  if (viewer.kind === 'directory') return [];
  const rows = await tx.query<{
    id: string;
    session_id: string;
    kind: SessionEventKind;
    at: Date;
    by_membership_id: string;
    to_starts_at: Date;
    to_ends_at: Date;
    session_kind: SessionKind;
    individual_client_id: string | null;
    modality: string;
  }>(
    `select e.id, e.session_id, e.kind, e.at, e.by_membership_id, e.to_starts_at, e.to_ends_at,
            s.kind as session_kind, s.individual_client_id, s.modality
       from therapy_session_events e
       join therapy_sessions s on s.clinic_id = e.clinic_id and s.id = e.session_id
      where e.clinic_id = $1 and s.case_id = $2`,
    [tx.clinicId, viewer.case.caseId],
  );
  return rows
    .filter((row) => seesSession(viewer, { kind: row.session_kind, individual_client_id: row.individual_client_id }))
    .map((row) => ({
      at: row.at,
      kind: `session.${row.kind}`,
      id: row.id,
      actorMembershipId: row.by_membership_id,
      summary: SUMMARY[row.kind],
      refs: {
        sessionId: row.session_id,
        sessionKind: row.session_kind,
        modality: row.modality,
        startsAt: row.to_starts_at.toISOString(),
        endsAt: row.to_ends_at.toISOString(),
      },
    }));
}
