import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit, type AuditMetadata } from '@mend/audit';
import type { CaseOutcome } from '@mend/contracts';
import { DomainError, type FieldProblem, type TenantTransaction } from '@mend/core';

import { CaseClosedError } from '../plans/plan.errors.js';
import type { CaseTimelineEntry } from '../timeline/case-timeline-entry.js';

export enum ReadinessErrorCode {
  NotFound = 'readiness_assessment_not_found',
  RuleViolated = 'readiness_rule_violated',
  AlreadyDecided = 'readiness_already_decided',
}

export class ReadinessNotFoundError extends DomainError {
  constructor() {
    super(ReadinessErrorCode.NotFound, 404, 'No such readiness assessment');
    this.name = 'ReadinessNotFoundError';
  }
}

export class ReadinessRuleError extends DomainError {
  constructor(errors: readonly FieldProblem[]) {
    super(ReadinessErrorCode.RuleViolated, 422, 'The assessment breaks a rule: see errors', errors);
    this.name = 'ReadinessRuleError';
  }
}

export class ReadinessAlreadyDecidedError extends DomainError {
  constructor() {
    super(
      ReadinessErrorCode.AlreadyDecided,
      409,
      'The outcome of this assessment is already recorded; record a new assessment instead',
    );
    this.name = 'ReadinessAlreadyDecidedError';
  }
}

export interface ParticipantRatingView {
  readonly clientId: string;
  readonly rating: number;
  readonly note: string | null;
  readonly ratedAt: Date;
}

/**
 * An assessment as one viewer sees it. The care team (and supervisors): all of
 * it, every participant's rating. A participant: the date, the outcome (and
 * whether it closed the case) and their own rating only — not the counselor's
 * rating or note, not the other participant's rating, not the outcome reason.
 */
export interface ReadinessView {
  readonly id: string;
  readonly caseId: string;
  readonly assessedOn: string;
  readonly recordedAt: Date;
  readonly recordedByMembershipId: string;
  readonly counselorRating: number | null;
  readonly counselorNote: string | null;
  readonly outcome: CaseOutcome | null;
  readonly outcomeReason: string | null;
  readonly decidedAt: Date | null;
  readonly closedCase: boolean;
  readonly ratings: readonly ParticipantRatingView[];
}

export interface RecordReadiness {
  readonly assessedOn: string;
  readonly counselorRating: number;
  readonly counselorNote?: string | null;
  readonly outcome?: CaseOutcome | null;
  readonly outcomeReason?: string | null;
  readonly closeCase?: boolean;
}

export interface DecideReadiness {
  readonly outcome: CaseOutcome;
  readonly outcomeReason?: string | null;
  readonly closeCase?: boolean;
}

interface AssessmentRow {
  id: string;
  case_id: string;
  assessed_on: string;
  counselor_rating: number;
  counselor_note: string | null;
  outcome: CaseOutcome | null;
  outcome_reason: string | null;
  decided_at: Date | null;
  decided_by_membership_id: string | null;
  closed_case: boolean;
  recorded_by_membership_id: string;
  recorded_at: Date;
}

interface RatingRow {
  assessment_id: string;
  client_id: string;
  rating: number;
  note: string | null;
  rated_at: Date;
  rated_by_membership_id: string;
}

const ASSESSMENT_COLUMNS = `id, case_id, to_char(assessed_on, 'YYYY-MM-DD') as assessed_on, counselor_rating,
  counselor_note, outcome, outcome_reason, decided_at, decided_by_membership_id, closed_case,
  recorded_by_membership_id, recorded_at`;

async function audit(
  tx: TenantTransaction,
  viewer: CaseViewer,
  action: string,
  targetId: string,
  metadata: AuditMetadata = {},
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: action.startsWith('case.status') ? 'case' : 'readiness_assessment',
    targetId,
    actorUserId: viewer.principal.userId,
    actorMembershipId: viewer.principal.membershipId,
    ip: (viewer.principal as { readonly ip?: string | null }).ip ?? null,
    metadata: { ...metadata, caseId: viewer.case.caseId, viewer: viewer.kind },
  });
}

function viewOf(viewer: CaseViewer, row: AssessmentRow, ratings: readonly RatingRow[]): ReadinessView {
  const careTeam = viewer.kind === 'care_team';
  const self = viewer.kind === 'participant' ? viewer.clientId.toLowerCase() : null;
  return {
    id: row.id,
    caseId: row.case_id,
    assessedOn: row.assessed_on,
    recordedAt: row.recorded_at,
    recordedByMembershipId: row.recorded_by_membership_id,
    counselorRating: careTeam ? row.counselor_rating : null,
    counselorNote: careTeam ? row.counselor_note : null,
    outcome: row.outcome,
    outcomeReason: careTeam ? row.outcome_reason : null,
    decidedAt: row.decided_at,
    closedCase: row.closed_case,
    ratings: ratings
      .filter((rating) => rating.assessment_id === row.id && (careTeam || rating.client_id.toLowerCase() === self))
      .map((rating) => ({
        clientId: rating.client_id,
        rating: rating.rating,
        note: rating.note,
        ratedAt: rating.rated_at,
      })),
  };
}

async function ratingsOf(tx: TenantTransaction, caseId: string, assessmentId?: string): Promise<RatingRow[]> {
  return tx.query<RatingRow>(
    `select assessment_id, client_id, rating, note, rated_at, rated_by_membership_id
       from readiness_participant_ratings
      where clinic_id = $1 and case_id = $2 and ($3::uuid is null or assessment_id = $3::uuid)
      order by rated_at, client_id`,
    [tx.clinicId, caseId, assessmentId ?? null],
  );
}

async function assessmentRow(
  tx: TenantTransaction,
  caseId: string,
  assessmentId: string,
  lock = false,
): Promise<AssessmentRow> {
  const rows = await tx.query<AssessmentRow>(
    `select ${ASSESSMENT_COLUMNS} from readiness_assessments
      where clinic_id = $1 and case_id = $2 and id = $3${lock ? ' for update' : ''}`,
    [tx.clinicId, caseId, assessmentId],
  );
  const row = rows[0];
  if (row === undefined) throw new ReadinessNotFoundError();
  return row;
}

function assertOpenCase(viewer: CaseViewer): void {
  if (viewer.case.status === 'closed') throw new CaseClosedError();
}

function outcomeProblems(outcome: CaseOutcome | null | undefined, closeCase: boolean | undefined): FieldProblem[] {
  if (closeCase !== true) return [];
  if (outcome === null || outcome === undefined) {
    return [{ field: 'closeCase', rule: 'requires_outcome', message: 'closing the case needs an outcome' }];
  }
  if (outcome === 'continue') {
    return [{ field: 'closeCase', rule: 'requires_redefine_or_end', message: 'only redefine or end closes the case' }];
  }
  return [];
}

/**
 * Closes the case with the assessment's outcome, in the caller's transaction:
 * the status, the outcome and a dated status change (no reason text: the
 * status history is shown to participants; the reason stays on the assessment).
 */
async function closeCase(tx: TenantTransaction, viewer: CaseViewer, outcome: CaseOutcome): Promise<void> {
  const caseId = viewer.case.caseId;
  const rows = await tx.query<{ status: string }>(
    'select status from cases where clinic_id = $1 and id = $2 for update',
    [tx.clinicId, caseId],
  );
  const from = rows[0]?.status;
  if (from === undefined || from === 'closed') throw new CaseClosedError();
  await tx.query(
    `update cases set status = 'closed', outcome = $3, status_changed_at = now(), updated_at = now()
      where clinic_id = $1 and id = $2`,
    [tx.clinicId, caseId, outcome],
  );
  await tx.query(
    `insert into case_status_changes (clinic_id, id, case_id, from_status, to_status, outcome, changed_by_membership_id)
     values ($1, $2, $3, $4, 'closed', $5, $6)`,
    [tx.clinicId, randomUUID(), caseId, from, outcome, viewer.principal.membershipId],
  );
  await audit(tx, viewer, 'case.status.change', caseId, { fromStatus: from, toStatus: 'closed', outcome });
}

/**
 * Records a dated assessment (the care team). The outcome may come now or later
 * ({@link decideReadiness}); `closeCase` with `redefine` or `end` closes the case
 * with that outcome — a valid, dignified end, recorded as such.
 */
export async function recordReadiness(
  tx: TenantTransaction,
  viewer: CaseViewer,
  input: RecordReadiness,
): Promise<ReadinessView> {
  assertOpenCase(viewer);
  const caseId = viewer.case.caseId;
  const dates = await tx.query<{ today: string; case_start: string }>(
    `select to_char((now() at time zone c.timezone)::date, 'YYYY-MM-DD') as today,
            to_char((k.created_at at time zone c.timezone)::date, 'YYYY-MM-DD') as case_start
       from clinics c join cases k on k.clinic_id = c.id and k.id = $2 where c.id = $1`,
    [tx.clinicId, caseId],
  );
  const { today, case_start: caseStart } = dates[0];
  const errors: FieldProblem[] = [];
  if (input.assessedOn > today) {
    errors.push({ field: 'assessedOn', rule: 'not_in_future', message: `must not be after today (${today})` });
  }
  if (input.assessedOn < caseStart) {
    errors.push({
      field: 'assessedOn',
      rule: 'not_before_case',
      message: `must not be before the case began (${caseStart})`,
    });
  }
  errors.push(...outcomeProblems(input.outcome, input.closeCase));
  if (errors.length > 0) throw new ReadinessRuleError(errors);
  const decided = input.outcome !== null && input.outcome !== undefined;
  const rows = await tx.query<AssessmentRow>(
    `insert into readiness_assessments
       (clinic_id, id, case_id, assessed_on, counselor_rating, counselor_note, outcome, outcome_reason, decided_at,
        decided_by_membership_id, closed_case, recorded_by_membership_id)
     values ($1, $2, $3, $4::date, $5, $6, $7, $8, case when $9 then now() end, case when $9 then $10::uuid end, $11, $10)
     returning ${ASSESSMENT_COLUMNS}`,
    [
      tx.clinicId,
      randomUUID(),
      caseId,
      input.assessedOn,
      input.counselorRating,
      input.counselorNote ?? null,
      input.outcome ?? null,
      decided ? (input.outcomeReason ?? null) : null,
      decided,
      viewer.principal.membershipId,
      input.closeCase === true,
    ],
  );
  const row = rows[0];
  await audit(tx, viewer, 'case.readiness.record', row.id, {
    outcome: row.outcome,
    closedCase: row.closed_case,
  });
  if (input.closeCase === true && input.outcome !== null && input.outcome !== undefined) {
    await closeCase(tx, viewer, input.outcome);
  }
  return viewOf(viewer, row, []);
}

/** Records the outcome of a pending assessment (once), optionally closing the case. */
export async function decideReadiness(
  tx: TenantTransaction,
  viewer: CaseViewer,
  assessmentId: string,
  input: DecideReadiness,
): Promise<ReadinessView> {
  assertOpenCase(viewer);
  const caseId = viewer.case.caseId;
  const current = await assessmentRow(tx, caseId, assessmentId, true);
  if (current.outcome !== null) throw new ReadinessAlreadyDecidedError();
  const errors = outcomeProblems(input.outcome, input.closeCase);
  if (errors.length > 0) throw new ReadinessRuleError(errors);
  await tx.query(
    `update readiness_assessments
        set outcome = $4, outcome_reason = $5, decided_at = now(), decided_by_membership_id = $6, closed_case = $7
      where clinic_id = $1 and case_id = $2 and id = $3`,
    [
      tx.clinicId,
      caseId,
      assessmentId,
      input.outcome,
      input.outcomeReason ?? null,
      viewer.principal.membershipId,
      input.closeCase === true,
    ],
  );
  await audit(tx, viewer, 'case.readiness.decide', assessmentId, {
    outcome: input.outcome,
    closedCase: input.closeCase === true,
  });
  if (input.closeCase === true) await closeCase(tx, viewer, input.outcome);
  const decided = await assessmentRow(tx, caseId, assessmentId);
  return viewOf(viewer, decided, await ratingsOf(tx, caseId, assessmentId));
}

/**
 * A participant's own rating (0..10, optional note) of a pending assessment;
 * sending it again replaces it. Not a shared feature (only they and the care
 * team see it), so a safety hold does not stop it.
 */
export async function rateReadiness(
  tx: TenantTransaction,
  viewer: Extract<CaseViewer, { kind: 'participant' }>,
  assessmentId: string,
  input: { readonly rating: number; readonly note?: string | null },
): Promise<ReadinessView> {
  assertOpenCase(viewer);
  const caseId = viewer.case.caseId;
  const current = await assessmentRow(tx, caseId, assessmentId, true);
  if (current.outcome !== null) {
    throw new ReadinessRuleError([
      { field: 'rating', rule: 'assessment_decided', message: 'the outcome is recorded: ratings are closed' },
    ]);
  }
  await tx.query(
    `insert into readiness_participant_ratings
       (clinic_id, assessment_id, case_id, client_id, rating, note, rated_by_membership_id)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (clinic_id, assessment_id, client_id)
     do update set rating = excluded.rating, note = excluded.note, rated_at = now(),
                   rated_by_membership_id = excluded.rated_by_membership_id`,
    [
      tx.clinicId,
      assessmentId,
      caseId,
      viewer.clientId,
      input.rating,
      input.note ?? null,
      viewer.principal.membershipId,
    ],
  );
  await audit(tx, viewer, 'case.readiness.rate', assessmentId, { rating: input.rating });
  return viewOf(viewer, current, await ratingsOf(tx, caseId, assessmentId));
}

export async function listReadiness(tx: TenantTransaction, viewer: CaseViewer): Promise<ReadinessView[]> {
  const caseId = viewer.case.caseId;
  const rows = await tx.query<AssessmentRow>(
    `select ${ASSESSMENT_COLUMNS} from readiness_assessments where clinic_id = $1 and case_id = $2
      order by assessed_on desc, recorded_at desc`,
    [tx.clinicId, caseId],
  );
  const ratings = await ratingsOf(tx, caseId);
  await audit(tx, viewer, 'case.readiness.list', caseId, { count: rows.length });
  return rows.map((row) => viewOf(viewer, row, ratings));
}

export async function readReadiness(
  tx: TenantTransaction,
  viewer: CaseViewer,
  assessmentId: string,
): Promise<ReadinessView> {
  const caseId = viewer.case.caseId;
  const row = await assessmentRow(tx, caseId, assessmentId);
  const view = viewOf(viewer, row, await ratingsOf(tx, caseId, assessmentId));
  await audit(tx, viewer, 'case.readiness.read', assessmentId);
  return view;
}

/**
 * Readiness on the case timeline: `readiness.assessed` (everyone who may read
 * the case's assessments), `readiness.decided` with the outcome, and
 * `readiness.rated` (the care team: every rating; a participant: their own).
 */
export async function readinessTimelineEntries(
  tx: TenantTransaction,
  viewer: CaseViewer,
): Promise<CaseTimelineEntry[]> {
  if (viewer.kind === 'directory') return [];
  const caseId = viewer.case.caseId;
  const rows = await tx.query<AssessmentRow>(
    `select ${ASSESSMENT_COLUMNS} from readiness_assessments where clinic_id = $1 and case_id = $2`,
    [tx.clinicId, caseId],
  );
  const ratings = await ratingsOf(tx, caseId);
  const self = viewer.kind === 'participant' ? viewer.clientId.toLowerCase() : null;
  const entries: CaseTimelineEntry[] = [];
  for (const row of rows) {
    entries.push({
      at: new Date(row.recorded_at),
      kind: 'readiness.assessed',
      id: row.id,
      actorMembershipId: row.recorded_by_membership_id,
      summary: 'Readiness assessment recorded',
      refs: { assessmentId: row.id, assessedOn: row.assessed_on },
    });
    if (row.decided_at !== null && row.outcome !== null) {
      entries.push({
        at: new Date(row.decided_at),
        kind: 'readiness.decided',
        id: row.id,
        actorMembershipId: row.decided_by_membership_id,
        summary: `Readiness outcome: ${row.outcome}`,
        refs: { assessmentId: row.id, outcome: row.outcome, closedCase: row.closed_case ? 'true' : 'false' },
      });
    }
  }
  for (const rating of ratings) {
    if (self !== null && rating.client_id.toLowerCase() !== self) continue;
    entries.push({
      at: new Date(rating.rated_at),
      kind: 'readiness.rated',
      id: rating.assessment_id,
      actorMembershipId: rating.rated_by_membership_id,
      summary: 'Readiness rating given',
      refs: { assessmentId: rating.assessment_id, clientId: rating.client_id },
    });
  }
  return entries;
}
