import type { CaseViewer } from '@mend/access';
import type { TenantTransaction } from '@mend/core';
import { localDate } from '@mend/repair-plans';

import type { Visibility } from '../exercises/exercise.types.js';
import type { OccurrenceStatus } from './assignment.entities.js';

/**
 * Who sees what of homework (PRODUCT.md, Who sees what; clinical.md §2.1), in one place.
 *
 * An occurrence (and whether it exists) is visible:
 * - to the care team (and supervisors of its members): always;
 * - to its recipient: always, except that `shared` and `reveal` items are SUSPENDED
 *   while the case is on a safety hold (neither listed nor readable: 409 neutral);
 * - to the other participant(s): only `shared` items, `release` items once the
 *   author released them, `reveal` items once both partners submitted — and none
 *   during a safety hold. `private` and `clinician` items never: they are absent
 *   from lists, counts and the timeline, and asking for one is 404.
 *
 * Answers are visible to the author (drafts included), to the care team once
 * submitted unless `private` (the care team sees only that a private item was
 * done), and to another participant once submitted and visible to them as above.
 * Drafts are never visible to anyone but the author.
 */

export interface OccurrenceRow {
  id: string;
  assignment_id: string;
  case_id: string;
  client_id: string;
  part: string | null;
  opens_on: string;
  due_on: string;
  pair_id: string | null;
  status: OccurrenceStatus;
  status_changed_at: Date;
  timezone: string;
  visibility: Visibility;
  paired: boolean;
  release_requires_review: boolean;
  assignment_status: 'active' | 'cancelled';
  exercise_ref: string;
  exercise_version: number;
  exercise_title: string;
  submission_id: string | null;
  submission_status: 'draft' | 'submitted' | null;
  draft_version: number | null;
  submission_updated_at: Date | null;
  submitted_at: Date | null;
  submitted_by_membership_id: string | null;
  review_approved_at: Date | null;
  released_at: Date | null;
  revealed_at: Date | null;
}

/** Columns of {@link OccurrenceRow}: `o` occurrences, `a` assignments, `s` submissions (left join), `c` clients, `k` clinics. */
export const OCCURRENCE_SELECT = `
  select o.id, o.assignment_id, o.case_id, o.client_id, o.part, o.opens_on::text as opens_on, o.due_on::text as due_on,
         o.pair_id, o.status, o.status_changed_at, coalesce(c.timezone, k.timezone, 'UTC') as timezone,
         a.visibility, a.paired, a.release_requires_review, a.status as assignment_status, a.exercise_ref,
         a.exercise_version, a.exercise_title,
         s.id as submission_id, s.status as submission_status, s.draft_version, s.updated_at as submission_updated_at,
         s.submitted_at, s.submitted_by_membership_id, s.review_approved_at, s.released_at, s.revealed_at
    from assignment_occurrences o
    join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
    join clinics k on k.id = o.clinic_id
    left join clients c on c.clinic_id = o.clinic_id and c.id = o.client_id
    left join submissions s on s.clinic_id = o.clinic_id and s.occurrence_id = o.id`;

export const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  a !== null && a !== undefined && b !== null && b !== undefined && a.toLowerCase() === b.toLowerCase();

const onHold = (viewer: CaseViewer): boolean => viewer.case.safetyStatus === 'safety_hold';

/** Whether another participant may see this occurrence (hold aside). */
function disclosedToPartner(row: OccurrenceRow): boolean {
  switch (row.visibility) {
    case 'shared':
      return true;
    case 'release':
      return row.released_at !== null;
    case 'reveal':
      return row.revealed_at !== null;
    case 'private':
    case 'clinician':
      return false;
  }
}

export type OccurrenceAccess = 'none' | 'suspended' | 'visible';

export function occurrenceAccess(viewer: CaseViewer, row: OccurrenceRow): OccurrenceAccess {
  if (viewer.kind === 'care_team') return 'visible';
  if (viewer.kind !== 'participant') return 'none';
  if (sameId(row.client_id, viewer.clientId)) {
    return onHold(viewer) && (row.visibility === 'shared' || row.visibility === 'reveal') ? 'suspended' : 'visible';
  }
  if (!disclosedToPartner(row)) return 'none';
  return onHold(viewer) ? 'suspended' : 'visible';
}

/** Only visible occurrences are listed or counted (suspended ones neither). */
export function listedFor(viewer: CaseViewer, rows: readonly OccurrenceRow[]): OccurrenceRow[] {
  return rows.filter((row) => occurrenceAccess(viewer, row) === 'visible');
}

export function isAuthor(viewer: CaseViewer, row: OccurrenceRow): boolean {
  return viewer.kind === 'participant' && sameId(row.client_id, viewer.clientId);
}

/** Whether the viewer may read this occurrence's answers (it being visible to them). */
export function answersVisible(viewer: CaseViewer, row: OccurrenceRow): boolean {
  if (row.submission_id === null) return false;
  if (isAuthor(viewer, row)) return true;
  if (row.submission_status !== 'submitted') return false;
  if (viewer.kind === 'care_team') return row.visibility !== 'private';
  return viewer.kind === 'participant' && disclosedToPartner(row);
}

/**
 * The status shown: `overdue` as soon as the recipient's local day is past the due
 * date, even before the worker records it (it records the transition when it runs).
 */
export function effectiveStatus(
  row: Pick<OccurrenceRow, 'status' | 'due_on' | 'timezone'>,
  now: Date,
): OccurrenceStatus {
  if ((row.status === 'assigned' || row.status === 'in_progress') && localDate(now, row.timezone) > row.due_on)
    return 'overdue';
  return row.status;
}

export async function occurrenceRows(
  tx: TenantTransaction,
  filter: { readonly caseId: string; readonly assignmentId?: string; readonly occurrenceId?: string },
  lock = false,
): Promise<OccurrenceRow[]> {
  return tx.query<OccurrenceRow>(
    `${OCCURRENCE_SELECT}
      where o.clinic_id = $1 and o.case_id = $2
        and ($3::uuid is null or o.assignment_id = $3::uuid)
        and ($4::uuid is null or o.id = $4::uuid)
      order by o.due_on, o.client_id, o.id
      ${lock ? 'for update of o' : ''}`,
    [tx.clinicId, filter.caseId, filter.assignmentId ?? null, filter.occurrenceId ?? null],
  );
}
