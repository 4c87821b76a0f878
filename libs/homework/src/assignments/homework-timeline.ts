import type { CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import type { CaseTimelineEntry } from '@mend/repair-plans';

import { listedFor, occurrenceRows } from './homework-visibility.js';

/**
 * `homework.assigned`, `homework.submitted`, `homework.released` and
 * `homework.revealed` lines of the case timeline: content-free (labels and ids),
 * filtered exactly like the homework lists (an occurrence the viewer may not see
 * contributes nothing, not even to counts).
 */
export async function homeworkTimelineEntries(tx: TenantTransaction, viewer: CaseViewer): Promise<CaseTimelineEntry[]> {
  if (viewer.kind === 'directory') return [];
  const visible = listedFor(viewer, await occurrenceRows(tx, { caseId: viewer.case.caseId }));
  if (visible.length === 0) return [];
  const assignmentIds = [...new Set(visible.map((row) => row.assignment_id))];
  const assignments = await tx.query<{
    id: string;
    created_at: Date;
    created_by_membership_id: string;
    exercise_ref: string;
    visibility: string;
  }>(
    `select id, created_at, created_by_membership_id, exercise_ref, visibility from assignments
      where clinic_id = $1 and id = any($2::uuid[])`,
    [tx.clinicId, assignmentIds],
  );
  const entries: CaseTimelineEntry[] = assignments.map((row) => ({
    at: row.created_at,
    kind: 'homework.assigned',
    id: row.id,
    actorMembershipId: row.created_by_membership_id,
    summary: 'Homework assigned',
    refs: { assignmentId: row.id, exerciseRef: row.exercise_ref, visibility: row.visibility },
  }));
  for (const row of visible) {
    if (row.submission_status !== 'submitted' || row.submitted_at === null) continue;
    const refs = {
      assignmentId: row.assignment_id,
      occurrenceId: row.id,
      submissionId: row.submission_id,
      clientId: row.client_id,
    };
    entries.push({
      at: row.submitted_at,
      kind: 'homework.submitted',
      id: row.submission_id!,
      actorMembershipId: row.submitted_by_membership_id,
      summary: 'Homework submitted',
      refs,
    });
    if (row.released_at !== null)
      entries.push({
        at: row.released_at,
        kind: 'homework.released',
        id: `${row.submission_id!}:released`,
        actorMembershipId: row.submitted_by_membership_id,
        summary: 'Homework answers released to the partner',
        refs,
      });
    if (row.revealed_at !== null)
      entries.push({
        at: row.revealed_at,
        kind: 'homework.revealed',
        id: `${row.submission_id!}:revealed`,
        actorMembershipId: null,
        summary: 'Homework answers revealed to both partners',
        refs,
      });
  }
  return entries;
}
