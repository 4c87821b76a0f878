import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit, type AuditMetadata } from '@mend/audit';
import type { PlanPhase } from '@mend/contracts';
import type { FieldProblem, TenantTransaction } from '@mend/core';

import type { DisclosureLog } from '../disclosures/disclosure-log.js';
import type { CaseTimelineEntry } from '../timeline/case-timeline-entry.js';
import { diffPlans, type PlanDiff } from './plan-diff.js';
import {
  EMPTY_PLAN_DOCUMENT,
  PLAN_SECTIONS,
  type PlanBoundary,
  type PlanCommitment,
  type PlanDocument,
  type PlanDocumentInput,
  type PlanNeed,
  type PlanSection,
} from './plan-document.js';
import { canonical, projectPlanFor } from './plan-visibility.js';
import {
  CaseClosedError,
  PlanRevisionConflictError,
  PlanRevisionNotFoundError,
  PlanRuleError,
  SamePhaseError,
} from './plan.errors.js';

/** The current plan as one viewer sees it. */
export interface PlanView {
  readonly caseId: string;
  /** 0 while nothing has been written yet (then `content` is empty). Send it back as `expectedRevision`. */
  readonly revision: number;
  readonly phase: PlanPhase;
  readonly phaseChangedAt: Date | null;
  readonly revisedAt: Date | null;
  readonly revisedByMembershipId: string | null;
  readonly content: PlanDocument;
}

export interface PlanRevisionSummary {
  readonly revision: number;
  readonly createdAt: Date;
  readonly authorMembershipId: string;
  /** Care team only (null for participants): it may name clinical matters. */
  readonly changeNote: string | null;
}

export interface PlanRevisionView extends PlanRevisionSummary {
  readonly content: PlanDocument;
}

export interface PlanDiffView {
  readonly from: number;
  readonly to: number;
  readonly diff: PlanDiff;
}

export interface PhaseChangeView {
  readonly id: string;
  readonly fromPhase: PlanPhase;
  readonly toPhase: PlanPhase;
  /** Care team only (null for participants). */
  readonly reason: string | null;
  readonly changedAt: Date;
  readonly changedByMembershipId: string;
}

export interface PlanWrite {
  readonly expectedRevision: number;
  readonly changeNote?: string | null;
}

/** A whole document (PUT) or some sections of it (PATCH: the others are kept as they are). */
export type PlanContentWrite = PlanWrite &
  (
    | { readonly mode: 'replace'; readonly content: PlanDocumentInput }
    | {
        readonly mode: 'merge';
        readonly content: Partial<PlanDocumentInput>;
      }
  );

export interface OwnNeedsWrite {
  readonly expectedRevision: number;
  readonly needs: readonly { readonly id?: string; readonly text: string }[];
}

interface PlanRow {
  current_revision: number;
  phase: PlanPhase;
  phase_changed_at: Date | null;
}

interface RevisionRow {
  id: string;
  revision: number;
  document: PlanDocument;
  change_note: string | null;
  author_membership_id: string;
  created_at: Date;
}

// ---- reading -------------------------------------------------------------------------------------

async function planRow(tx: TenantTransaction, caseId: string, lock = false): Promise<PlanRow | null> {
  const rows = await tx.query<PlanRow>(
    `select current_revision, phase, phase_changed_at from repair_plans
      where clinic_id = $1 and case_id = $2${lock ? ' for update' : ''}`,
    [tx.clinicId, caseId],
  );
  return rows[0] ?? null;
}

async function revisionRow(tx: TenantTransaction, caseId: string, revision: number): Promise<RevisionRow | null> {
  const rows = await tx.query<RevisionRow>(
    `select id, revision, document, change_note, author_membership_id, created_at from repair_plan_revisions
      where clinic_id = $1 and case_id = $2 and revision = $3`,
    [tx.clinicId, caseId, revision],
  );
  return rows[0] ?? null;
}

async function allRevisions(tx: TenantTransaction, caseId: string, withDocuments: boolean): Promise<RevisionRow[]> {
  return tx.query<RevisionRow>(
    `select id, revision, ${withDocuments ? 'document' : 'null as document'}, change_note, author_membership_id, created_at
       from repair_plan_revisions where clinic_id = $1 and case_id = $2 order by revision`,
    [tx.clinicId, caseId],
  );
}

/**
 * The revisions a viewer is shown. The care team: all. A participant: the first,
 * and each one that changed what they can see — a revision that only touched
 * clinician items does not appear for them at all (its number is skipped).
 */
async function visibleRevisions(tx: TenantTransaction, viewer: CaseViewer, caseId: string): Promise<RevisionRow[]> {
  if (viewer.kind === 'care_team') return allRevisions(tx, caseId, false);
  if (viewer.kind === 'directory') return [];
  const rows = await allRevisions(tx, caseId, true);
  const shown: RevisionRow[] = [];
  let previous = canonical(projectPlanFor(viewer, EMPTY_PLAN_DOCUMENT));
  for (const row of rows) {
    const projected = canonical(projectPlanFor(viewer, row.document));
    if (projected !== previous || row.revision === 1) shown.push(row);
    previous = projected;
  }
  return shown;
}

async function audit(
  tx: TenantTransaction,
  viewer: CaseViewer,
  action: string,
  metadata: AuditMetadata,
  targetId = viewer.case.caseId,
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: 'case',
    targetId,
    actorUserId: viewer.principal.userId,
    actorMembershipId: viewer.principal.membershipId,
    ip: (viewer.principal as { readonly ip?: string | null }).ip ?? null,
    metadata: { ...metadata, viewer: viewer.kind },
  });
}

function toView(viewer: CaseViewer, plan: PlanRow | null, current: RevisionRow | null): PlanView {
  return {
    caseId: viewer.case.caseId,
    revision: plan?.current_revision ?? 0,
    phase: plan?.phase ?? 'P0',
    phaseChangedAt: plan?.phase_changed_at ?? null,
    revisedAt: current?.created_at ?? null,
    revisedByMembershipId: current?.author_membership_id ?? null,
    content: projectPlanFor(viewer, current?.document ?? EMPTY_PLAN_DOCUMENT),
  };
}

/** The current plan, filtered for the viewer; audited as a read of clinical content. */
export async function readPlan(tx: TenantTransaction, viewer: CaseViewer): Promise<PlanView> {
  const caseId = viewer.case.caseId;
  const plan = await planRow(tx, caseId);
  const current =
    plan === null || plan.current_revision === 0 ? null : await revisionRow(tx, caseId, plan.current_revision);
  await audit(tx, viewer, 'case.plan.read', { revision: plan?.current_revision ?? 0 });
  return toView(viewer, plan, current);
}

export async function listRevisions(tx: TenantTransaction, viewer: CaseViewer): Promise<PlanRevisionSummary[]> {
  const rows = await visibleRevisions(tx, viewer, viewer.case.caseId);
  await audit(tx, viewer, 'case.plan.revision.list', { count: rows.length });
  return rows.map((row) => summaryOf(viewer, row));
}

function summaryOf(viewer: CaseViewer, row: RevisionRow): PlanRevisionSummary {
  return {
    revision: row.revision,
    createdAt: row.created_at,
    authorMembershipId: row.author_membership_id,
    changeNote: viewer.kind === 'care_team' ? row.change_note : null,
  };
}

/** One revision as the viewer sees it; 404 for a revision that does not exist or that the viewer is not shown. */
export async function readRevision(
  tx: TenantTransaction,
  viewer: CaseViewer,
  revision: number,
): Promise<PlanRevisionView> {
  const row = await shownRevision(tx, viewer, revision);
  if (row === null) throw new PlanRevisionNotFoundError();
  await audit(tx, viewer, 'case.plan.revision.read', { revision });
  return { ...summaryOf(viewer, row), content: projectPlanFor(viewer, row.document) };
}

async function shownRevision(tx: TenantTransaction, viewer: CaseViewer, revision: number): Promise<RevisionRow | null> {
  const caseId = viewer.case.caseId;
  if (viewer.kind === 'participant') {
    const shown = await visibleRevisions(tx, viewer, caseId);
    if (!shown.some((row) => row.revision === revision)) return null;
  }
  return revisionRow(tx, caseId, revision);
}

/**
 * The difference between two revisions (`from` may be 0: the empty plan), both
 * projected for the viewer first. Participants may name only revisions they are
 * shown.
 */
export async function diffRevisions(
  tx: TenantTransaction,
  viewer: CaseViewer,
  from: number,
  to: number,
): Promise<PlanDiffView> {
  if (from >= to) {
    throw new PlanRuleError([
      { field: 'from', rule: 'before_to', message: 'from must be an earlier revision than to' },
    ]);
  }
  const fromRow = from === 0 ? null : await shownRevision(tx, viewer, from);
  const toRow = await shownRevision(tx, viewer, to);
  if ((from !== 0 && fromRow === null) || toRow === null) throw new PlanRevisionNotFoundError();
  await audit(tx, viewer, 'case.plan.diff.read', { fromRevision: from, toRevision: to });
  return {
    from,
    to,
    diff: diffPlans(
      projectPlanFor(viewer, fromRow?.document ?? EMPTY_PLAN_DOCUMENT),
      projectPlanFor(viewer, toRow.document),
    ),
  };
}

export async function listPhaseChanges(tx: TenantTransaction, viewer: CaseViewer): Promise<PhaseChangeView[]> {
  const rows = await phaseChangeRows(tx, viewer.case.caseId);
  await audit(tx, viewer, 'case.plan.phase_change.list', { count: rows.length });
  return rows.map((row) => phaseChangeOf(viewer, row));
}

interface PhaseChangeRow {
  id: string;
  from_phase: PlanPhase;
  to_phase: PlanPhase;
  reason: string;
  changed_at: Date;
  changed_by_membership_id: string;
}

function phaseChangeRows(tx: TenantTransaction, caseId: string): Promise<PhaseChangeRow[]> {
  return tx.query<PhaseChangeRow>(
    `select id, from_phase, to_phase, reason, changed_at, changed_by_membership_id from repair_plan_phase_changes
      where clinic_id = $1 and case_id = $2 order by changed_at, id`,
    [tx.clinicId, caseId],
  );
}

function phaseChangeOf(viewer: CaseViewer, row: PhaseChangeRow): PhaseChangeView {
  return {
    id: row.id,
    fromPhase: row.from_phase,
    toPhase: row.to_phase,
    reason: viewer.kind === 'care_team' ? row.reason : null,
    changedAt: row.changed_at,
    changedByMembershipId: row.changed_by_membership_id,
  };
}

// ---- writing -------------------------------------------------------------------------------------

interface DateContext {
  /** The clinic's calendar day now (YYYY-MM-DD). */
  readonly today: string;
  /** The clinic's calendar day the plan was created (today for a new plan). */
  readonly planStart: string;
}

async function dateContext(tx: TenantTransaction, caseId: string): Promise<DateContext> {
  const rows = await tx.query<{ today: string; plan_start: string }>(
    `select to_char((now() at time zone c.timezone)::date, 'YYYY-MM-DD') as today,
            to_char((coalesce(p.created_at, now()) at time zone c.timezone)::date, 'YYYY-MM-DD') as plan_start
       from clinics c left join repair_plans p on p.clinic_id = c.id and p.case_id = $2
      where c.id = $1`,
    [tx.clinicId, caseId],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('The clinic of the transaction is not readable');
  return { today: row.today, planStart: row.plan_start };
}

function assertWritable(viewer: CaseViewer): void {
  if (viewer.case.status === 'closed') throw new CaseClosedError();
}

/** Locks the plan row (creating it at revision 0 the first time) and checks the expected revision. */
async function lockPlan(tx: TenantTransaction, caseId: string, expectedRevision: number | null): Promise<PlanRow> {
  let plan = await planRow(tx, caseId, true);
  if (plan === null) {
    // A concurrent creator makes this wait for its commit, then insert nothing; the locked read sees its row.
    await tx.query(
      `insert into repair_plans (clinic_id, case_id) values ($1, $2) on conflict (clinic_id, case_id) do nothing`,
      [tx.clinicId, caseId],
    );
    plan = await planRow(tx, caseId, true);
    if (plan === null) throw new Error('The plan row could not be created');
  }
  if (expectedRevision !== null && plan.current_revision !== expectedRevision) {
    throw new PlanRevisionConflictError(expectedRevision, plan.current_revision);
  }
  return plan;
}

/**
 * Writes a new immutable revision built from the current one. The plan row is
 * locked first, so of two writers naming the same revision exactly one wins and
 * the other gets 409 with the current revision (the revisions' primary key is a
 * second line of defence).
 */
async function commitRevision(
  tx: TenantTransaction,
  viewer: CaseViewer,
  expectedRevision: number,
  changeNote: string | null,
  build: (previous: PlanDocument, dates: DateContext) => PlanDocument,
  auditAction: string,
  afterWrite?: (previous: PlanDocument, document: PlanDocument) => Promise<void>,
): Promise<PlanView> {
  assertWritable(viewer);
  const caseId = viewer.case.caseId;
  const plan = await lockPlan(tx, caseId, expectedRevision);
  const previousRow = plan.current_revision === 0 ? null : await revisionRow(tx, caseId, plan.current_revision);
  const previous = previousRow?.document ?? EMPTY_PLAN_DOCUMENT;
  const document = build(previous, await dateContext(tx, caseId));
  const revision = plan.current_revision + 1;
  const inserted = await tx.query<RevisionRow>(
    `insert into repair_plan_revisions (clinic_id, case_id, revision, id, document, change_note, author_membership_id)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7)
     returning id, revision, document, change_note, author_membership_id, created_at`,
    [tx.clinicId, caseId, revision, randomUUID(), JSON.stringify(document), changeNote, viewer.principal.membershipId],
  );
  await tx.query(
    `update repair_plans set current_revision = $3, review_date = $4::date, updated_at = now()
      where clinic_id = $1 and case_id = $2`,
    [tx.clinicId, caseId, revision, document.reviewDate],
  );
  const diff = diffPlans(previous, document);
  await audit(tx, viewer, auditAction, {
    revision,
    changedSections: PLAN_SECTIONS.filter(
      (section) =>
        diff.sections[section].added.length +
          diff.sections[section].removed.length +
          diff.sections[section].changed.length >
        0,
    ),
    reviewDateChanged: diff.reviewDate !== null,
  });
  await afterWrite?.(previous, document);
  return toView(viewer, { ...plan, current_revision: revision }, inserted[0]);
}

/**
 * Needs a participant proposed that the care team has just moved from
 * `clinician` to `shared`: content leaving the author's private space, which
 * the disclosure log records (and the author is told in-app).
 */
export function newlySharedProposals(previous: PlanDocument, document: PlanDocument): PlanDocument['needs'] {
  const before = new Map(previous.needs.map((need) => [need.id, need]));
  return document.needs.filter(
    (need) =>
      need.proposedByClientId !== null &&
      need.visibility === 'shared' &&
      before.get(need.id)?.visibility === 'clinician',
  );
}

/**
 * A new revision from the care team: the whole document (PUT) or the sections
 * given (PATCH). Sharing a participant's proposed need goes through `disclosures`.
 */
export async function writePlan(
  tx: TenantTransaction,
  viewer: CaseViewer,
  write: PlanContentWrite,
  disclosures?: DisclosureLog,
): Promise<PlanView> {
  const participants = new Set(viewer.case.participants.map((participant) => participant.clientId.toLowerCase()));
  return commitRevision(
    tx,
    viewer,
    write.expectedRevision,
    write.changeNote ?? null,
    (previous, dates) => {
      const input: PlanDocumentInput =
        write.mode === 'replace' ? write.content : { ...asInput(previous), ...definedOnly(write.content) };
      return normalisePlan(input, previous, participants, dates);
    },
    'case.plan.update',
    async (previous, document) => {
      for (const need of newlySharedProposals(previous, document)) {
        if (disclosures === undefined) throw new Error('Sharing a proposed need needs the disclosure log');
        await disclosures.record(tx, {
          caseId: viewer.case.caseId,
          itemType: 'plan.need',
          itemId: need.id,
          authorClientId: need.proposedByClientId as string,
          disclosedByMembershipId: viewer.principal.membershipId,
          mode: 'shared_by_care_team',
        });
      }
    },
  );
}

function definedOnly(content: Partial<PlanDocumentInput>): Partial<PlanDocumentInput> {
  return Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined));
}

function asInput(document: PlanDocument): PlanDocumentInput {
  return { ...document, needs: document.needs.map(({ proposedByClientId: _ignored, ...need }) => need) };
}

/**
 * A participant's own proposals among the needs (the one plan edit participants
 * make): the list replaces the needs they proposed before. A new or reworded
 * need is `clinician` (seen by them and the care team) until the counselor
 * shares it; one they keep word for word keeps the visibility the counselor set.
 * Needs the care team wrote are not theirs to change.
 */
export async function proposeOwnNeeds(
  tx: TenantTransaction,
  viewer: Extract<CaseViewer, { kind: 'participant' }>,
  write: OwnNeedsWrite,
): Promise<PlanView> {
  const self = viewer.clientId.toLowerCase();
  return commitRevision(
    tx,
    viewer,
    write.expectedRevision,
    null,
    (previous) => {
      const own = new Map(
        previous.needs
          .filter((need) => need.proposedByClientId?.toLowerCase() === self)
          .map((need) => [need.id, need] as const),
      );
      const errors: FieldProblem[] = [];
      const seen = new Set<string>();
      const mine: PlanNeed[] = write.needs.map((draft, index) => {
        const id = draft.id?.toLowerCase();
        const before = id === undefined ? undefined : own.get(id);
        if (id !== undefined && before === undefined) {
          errors.push(problem(`needs[${index}].id`, 'unknown_id', 'id is not one of your proposed needs'));
        }
        if (id !== undefined && seen.has(id)) {
          errors.push(problem(`needs[${index}].id`, 'duplicate_id', 'id appears twice'));
        }
        if (id !== undefined) seen.add(id);
        return {
          id: before?.id ?? randomUUID(),
          clientId: viewer.clientId,
          text: draft.text,
          visibility: before !== undefined && before.text === draft.text ? before.visibility : 'clinician',
          proposedByClientId: viewer.clientId,
        };
      });
      if (errors.length > 0) throw new PlanRuleError(errors);
      const others = previous.needs.filter((need) => need.proposedByClientId?.toLowerCase() !== self);
      return { ...previous, needs: [...others, ...mine] };
    },
    'case.plan.needs_propose',
  );
}

const problem = (field: string, rule: string, message: string): FieldProblem => ({ field, rule, message });

/**
 * Gives new items an id, keeps the ids (and who proposed a need) of existing
 * ones, and checks the rules a DTO cannot: ids must be of this plan's section,
 * unique; people must be participants of the case; dates in a possible order
 * (commitment start <= end; no objective target or commitment end before the
 * plan was created; a new or moved review date not in the past).
 */
export function normalisePlan(
  input: PlanDocumentInput,
  previous: PlanDocument,
  participants: ReadonlySet<string>,
  dates: DateContext,
): PlanDocument {
  const errors: FieldProblem[] = [];
  const seen = new Set<string>();
  const known = (section: PlanSection | 'objectives'): Set<string> =>
    new Set(
      section === 'objectives'
        ? previous.goals.flatMap((goal) => goal.objectives.map((objective) => objective.id))
        : previous[section].map((item) => item.id),
    );
  const idFor = (given: string | undefined, ids: Set<string>, field: string): string => {
    if (given === undefined) return randomUUID();
    const id = given.toLowerCase();
    if (!ids.has(id)) errors.push(problem(field, 'unknown_id', 'id is not an item of this section of the plan'));
    if (seen.has(id)) errors.push(problem(field, 'duplicate_id', 'id appears twice in the plan'));
    seen.add(id);
    return id;
  };
  const participantId = (id: string, field: string): string => {
    if (!participants.has(id.toLowerCase())) {
      errors.push(problem(field, 'not_a_participant', 'must be a participant of the case'));
    }
    return id.toLowerCase();
  };
  const checkParticipants = (ids: readonly string[], field: string): string[] =>
    ids.map((id, index) => participantId(id, `${field}[${index}]`));
  const notBeforeStart = (date: string | null | undefined, field: string): void => {
    if (date !== null && date !== undefined && date < dates.planStart) {
      errors.push(problem(field, 'before_plan_start', `must not be before the plan was created (${dates.planStart})`));
    }
  };

  const breachIds = known('breachAssessment');
  const breachAssessment = input.breachAssessment.map((item, index) => ({
    id: idFor(item.id, breachIds, `breachAssessment[${index}].id`),
    aspect: item.aspect,
    text: item.text,
    visibility: item.visibility,
  }));
  const goalIds = known('goals');
  const objectiveIds = known('objectives');
  const goals = input.goals.map((goal, index) => ({
    id: idFor(goal.id, goalIds, `goals[${index}].id`),
    title: goal.title,
    status: goal.status,
    objectives: goal.objectives.map((objective, position) => {
      const field = `goals[${index}].objectives[${position}]`;
      notBeforeStart(objective.targetDate, `${field}.targetDate`);
      return {
        id: idFor(objective.id, objectiveIds, `${field}.id`),
        description: objective.description,
        measure: objective.measure,
        target: objective.target,
        targetDate: objective.targetDate ?? null,
        status: objective.status,
      };
    }),
  }));
  const commitmentIds = known('commitments');
  const commitments = input.commitments.map((commitment, index) => {
    const field = `commitments[${index}]`;
    if (
      commitment.startDate !== null &&
      commitment.startDate !== undefined &&
      commitment.endDate !== null &&
      commitment.endDate !== undefined &&
      commitment.endDate < commitment.startDate
    ) {
      errors.push(problem(`${field}.endDate`, 'not_before_start', 'endDate must not be before startDate'));
    }
    notBeforeStart(commitment.endDate, `${field}.endDate`);
    return {
      id: idFor(commitment.id, commitmentIds, `${field}.id`),
      participantClientIds: checkParticipants(commitment.participantClientIds, `${field}.participantClientIds`),
      what: commitment.what,
      cadence: commitment.cadence,
      cadenceDetail: commitment.cadenceDetail ?? null,
      verification: commitment.verification,
      startDate: commitment.startDate ?? null,
      endDate: commitment.endDate ?? null,
    };
  });
  const boundaryIds = known('boundaries');
  const boundaries = input.boundaries.map((boundary, index) => ({
    id: idFor(boundary.id, boundaryIds, `boundaries[${index}].id`),
    participantClientIds: checkParticipants(boundary.participantClientIds, `boundaries[${index}].participantClientIds`),
    description: boundary.description,
    consequence: boundary.consequence,
    restorativeResponse: boundary.restorativeResponse,
  }));
  const needIds = known('needs');
  const proposedBy = new Map(previous.needs.map((need) => [need.id, need.proposedByClientId] as const));
  const needs = input.needs.map((need, index) => {
    const id = idFor(need.id, needIds, `needs[${index}].id`);
    return {
      id,
      clientId: participantId(need.clientId, `needs[${index}].clientId`),
      text: need.text,
      visibility: need.visibility,
      proposedByClientId: proposedBy.get(id) ?? null,
    };
  });
  const contingencyIds = known('contingencyPlans');
  const contingencyPlans = input.contingencyPlans.map((plan, index) => ({
    id: idFor(plan.id, contingencyIds, `contingencyPlans[${index}].id`),
    trigger: plan.trigger,
    response: plan.response,
  }));
  const reviewDate = input.reviewDate ?? null;
  if (reviewDate !== null && reviewDate !== previous.reviewDate && reviewDate < dates.today) {
    errors.push(
      problem('reviewDate', 'not_in_past', `a new review date must not be in the past (today is ${dates.today})`),
    );
  }
  if (errors.length > 0) throw new PlanRuleError(errors);
  return { breachAssessment, goals, commitments, boundaries, needs, contingencyPlans, reviewDate };
}

/** Moves the case on the phase spine (either direction), dated, with the care team's reason. */
/**
 * The port through which a phase change reaches a library above this one
 * (libs/measures re-offers each participant the private safety check-in,
 * clinical.md §4: re-screen at phase transitions; wired by the app): called in
 * the same transaction, after the change is written, so whatever the listener
 * writes commits or rolls back with it.
 */
export interface PlanPhaseListener {
  phaseChanged(tx: TenantTransaction, viewer: CaseViewer, change: PhaseChangeView): Promise<void>;
}

export const NO_PLAN_PHASE_LISTENER: PlanPhaseListener = { phaseChanged: () => Promise.resolve() };

export async function changePhase(
  tx: TenantTransaction,
  viewer: CaseViewer,
  change: { readonly toPhase: PlanPhase; readonly reason: string },
  listener: PlanPhaseListener = NO_PLAN_PHASE_LISTENER,
): Promise<PhaseChangeView> {
  assertWritable(viewer);
  const caseId = viewer.case.caseId;
  const plan = await lockPlan(tx, caseId, null);
  if (plan.phase === change.toPhase) throw new SamePhaseError();
  const rows = await tx.query<PhaseChangeRow>(
    `insert into repair_plan_phase_changes (clinic_id, id, case_id, from_phase, to_phase, reason, changed_by_membership_id)
     values ($1, $2, $3, $4, $5, $6, $7)
     returning id, from_phase, to_phase, reason, changed_at, changed_by_membership_id`,
    [tx.clinicId, randomUUID(), caseId, plan.phase, change.toPhase, change.reason, viewer.principal.membershipId],
  );
  const row = rows[0];
  await tx.query(
    `update repair_plans set phase = $3, phase_changed_at = $4, updated_at = now() where clinic_id = $1 and case_id = $2`,
    [tx.clinicId, caseId, change.toPhase, row.changed_at],
  );
  await audit(tx, viewer, 'case.plan.phase_change', { fromPhase: plan.phase, toPhase: change.toPhase }, caseId);
  const view = phaseChangeOf(viewer, row);
  await listener.phaseChanged(tx, viewer, view);
  return view;
}

// ---- for other parts of the case (trust ledger, boundary events) ----------------------------------

/** The current plan document of a case (unfiltered: for services that check references), or null before the first revision. */
export async function currentPlanDocument(
  tx: TenantTransaction,
  caseId: string,
): Promise<{ readonly revision: number; readonly document: PlanDocument } | null> {
  const rows = await tx.query<{ revision: number; document: PlanDocument }>(
    `select r.revision, r.document from repair_plans p
       join repair_plan_revisions r on r.clinic_id = p.clinic_id and r.case_id = p.case_id and r.revision = p.current_revision
      where p.clinic_id = $1 and p.case_id = $2`,
    [tx.clinicId, caseId],
  );
  return rows[0] ?? null;
}

async function findItem<T extends { id: string }>(
  tx: TenantTransaction,
  caseId: string,
  section: 'commitments' | 'boundaries',
  itemId: string,
  includeRemoved: boolean,
): Promise<T | null> {
  const id = itemId.toLowerCase();
  if (!includeRemoved) {
    const current = await currentPlanDocument(tx, caseId);
    return (current?.document[section] as unknown as readonly T[] | undefined)?.find((item) => item.id === id) ?? null;
  }
  // The newest revision that holds the item (it may have been removed since).
  const rows = await tx.query<{ item: T }>(
    `select item from repair_plan_revisions r, jsonb_array_elements(r.document -> '${section}') as item
      where r.clinic_id = $1 and r.case_id = $2 and item ->> 'id' = $3
      order by r.revision desc limit 1`,
    [tx.clinicId, caseId, id],
  );
  return rows[0]?.item ?? null;
}

/**
 * A commitment of the case's current plan, by its stable id (null if the plan
 * has no such commitment). With `includeRemoved`, also one that an older
 * revision held (its last version), for entries recorded before it was removed.
 */
export function findCommitment(
  tx: TenantTransaction,
  caseId: string,
  commitmentId: string,
  options: { readonly includeRemoved?: boolean } = {},
): Promise<PlanCommitment | null> {
  return findItem<PlanCommitment>(tx, caseId, 'commitments', commitmentId, options.includeRemoved ?? false);
}

/** A boundary of the case's current plan by its stable id (see {@link findCommitment}). */
export function findBoundary(
  tx: TenantTransaction,
  caseId: string,
  boundaryId: string,
  options: { readonly includeRemoved?: boolean } = {},
): Promise<PlanBoundary | null> {
  return findItem<PlanBoundary>(tx, caseId, 'boundaries', boundaryId, options.includeRemoved ?? false);
}

// ---- timeline ------------------------------------------------------------------------------------

/**
 * The plan's part of the case timeline, for the viewer: `plan.revised` for each
 * revision they are shown (participants: only those that changed what they
 * see) and `plan.phase_changed` for each phase change (the reason stays out).
 * Summaries are labels, never plan text.
 */
export async function planTimelineEntries(tx: TenantTransaction, viewer: CaseViewer): Promise<CaseTimelineEntry[]> {
  if (viewer.kind === 'directory') return [];
  const caseId = viewer.case.caseId;
  const revisions = await visibleRevisions(tx, viewer, caseId);
  const phases = await phaseChangeRows(tx, caseId);
  return [
    ...revisions.map((row) => ({
      at: new Date(row.created_at),
      kind: 'plan.revised',
      id: row.id,
      actorMembershipId: row.author_membership_id,
      summary: `Repair plan revised (revision ${row.revision})`,
      refs: { caseId, revision: row.revision },
    })),
    ...phases.map((row) => ({
      at: new Date(row.changed_at),
      kind: 'plan.phase_changed',
      id: row.id,
      actorMembershipId: row.changed_by_membership_id,
      summary: `Phase changed from ${row.from_phase} to ${row.to_phase}`,
      refs: { caseId, fromPhase: row.from_phase, toPhase: row.to_phase },
    })),
  ];
}
