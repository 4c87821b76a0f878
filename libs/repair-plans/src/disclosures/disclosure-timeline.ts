import type { CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';

import type { CaseTimelineEntry } from '../timeline/case-timeline-entry.js';

/**
 * `disclosure.made` lines of the case timeline: the care team sees every
 * disclosure, a participant those of their own content (like the disclosure
 * list). Not paused by a safety hold: it is a record of the participant's own
 * content, not a shared activity.
 */
export async function disclosureTimelineEntries(
  tx: TenantTransaction,
  viewer: CaseViewer,
): Promise<CaseTimelineEntry[]> {
  if (viewer.kind === 'directory') return [];
  const rows = await tx.query<{
    id: string;
    disclosed_at: Date;
    disclosed_by_membership_id: string | null;
    item_type: string;
    item_id: string;
    author_client_id: string;
    mode: string;
    secrets_policy_version: number | null;
  }>(
    `select id, disclosed_at, disclosed_by_membership_id, item_type, item_id, author_client_id, mode, secrets_policy_version
       from disclosures
      where clinic_id = $1 and case_id = $2 and ($3::uuid is null or author_client_id = $3::uuid)`,
    [tx.clinicId, viewer.case.caseId, viewer.kind === 'participant' ? viewer.clientId : null],
  );
  return rows.map((row) => ({
    at: row.disclosed_at,
    kind: 'disclosure.made',
    id: row.id,
    actorMembershipId: row.disclosed_by_membership_id,
    summary: row.mode === 'released_by_author' ? 'Item released by its author' : 'Item shared by the care team',
    refs: {
      disclosureId: row.id,
      itemType: row.item_type,
      itemId: row.item_id,
      authorClientId: row.author_client_id,
      mode: row.mode,
      secretsPolicyVersion: row.secrets_policy_version,
    },
  }));
}
