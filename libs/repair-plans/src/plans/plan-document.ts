import type { PlanItemVisibility } from '@mend/contracts';

/**
 * The content of one repair plan revision (PRODUCT.md, RepairPlan; clinical.md
 * S01, S03, S22, S23), stored as jsonb in `repair_plan_revisions.document`.
 * Every item of every section carries a stable uuid `id` that survives edits
 * (the trust ledger and boundary events name commitments and boundaries by it).
 *
 * The phase is not part of the document: it moves on its own dated history with
 * a reason (repair_plan_phase_changes), without making a revision.
 */
export interface PlanDocument {
  readonly breachAssessment: readonly BreachAssessmentItem[];
  readonly goals: readonly PlanGoal[];
  readonly commitments: readonly PlanCommitment[];
  readonly boundaries: readonly PlanBoundary[];
  readonly needs: readonly PlanNeed[];
  readonly contingencyPlans: readonly PlanContingency[];
  /** `YYYY-MM-DD` (the clinic's calendar), or null. */
  readonly reviewDate: string | null;
}

/** The four questions of the honest assessment (S01). */
export const BREACH_ASPECTS = ['what_happened', 'who_was_affected', 'why_it_mattered', 'lasting_change'] as const;
export type BreachAspect = (typeof BREACH_ASPECTS)[number];

export interface BreachAssessmentItem {
  readonly id: string;
  readonly aspect: BreachAspect;
  readonly text: string;
  /** `shared`: every participant and the care team; `clinician`: the care team only. */
  readonly visibility: PlanItemVisibility;
}

export const GOAL_STATUSES = ['not_started', 'in_progress', 'achieved', 'on_hold', 'discontinued'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const OBJECTIVE_STATUSES = ['open', 'met', 'not_met'] as const;
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number];

export interface PlanObjective {
  readonly id: string;
  readonly description: string;
  /** How it is measured (e.g. "check-ins kept per week", "CSI-16 score"). */
  readonly measure: string;
  /** The value that counts as met (e.g. "6 of 7", ">= 100"). */
  readonly target: string;
  /** `YYYY-MM-DD`, or null. */
  readonly targetDate: string | null;
  readonly status: ObjectiveStatus;
}

export interface PlanGoal {
  readonly id: string;
  readonly title: string;
  readonly status: GoalStatus;
  readonly objectives: readonly PlanObjective[];
}

export const COMMITMENT_CADENCES = [
  'daily',
  'several_times_a_week',
  'weekly',
  'fortnightly',
  'monthly',
  'as_agreed',
] as const;
export type CommitmentCadence = (typeof COMMITMENT_CADENCES)[number];

export interface PlanCommitment {
  readonly id: string;
  /** Who commits: participant client ids of the case (at least one). */
  readonly participantClientIds: readonly string[];
  readonly what: string;
  readonly cadence: CommitmentCadence;
  /** Free detail of the cadence ("Mon, Wed, Fri evenings"), or null. */
  readonly cadenceDetail: string | null;
  /** How it is verified (e.g. "shared calendar", "partner confirms in the ledger"). */
  readonly verification: string;
  /** `YYYY-MM-DD` or null; when both are given, start <= end. */
  readonly startDate: string | null;
  readonly endDate: string | null;
}

export interface PlanBoundary {
  readonly id: string;
  /** Whom the boundary binds (participant client ids; empty = everyone in the case). */
  readonly participantClientIds: readonly string[];
  readonly description: string;
  /** What happens if it is crossed. */
  readonly consequence: string;
  /** The restorative response agreed (S26): proportionate, aimed at repair. */
  readonly restorativeResponse: string;
}

export interface PlanNeed {
  readonly id: string;
  /** Whose need (a participant of the case). */
  readonly clientId: string;
  readonly text: string;
  readonly visibility: PlanItemVisibility;
  /**
   * Null when the care team wrote it; the participant's client id when they
   * proposed it themselves (PUT /plan/my-needs). A `clinician` need is seen by
   * the care team and, when they proposed it, its author.
   */
  readonly proposedByClientId: string | null;
}

export interface PlanContingency {
  readonly id: string;
  /** The slip-up or warning sign (S22). */
  readonly trigger: string;
  /** What each does then. */
  readonly response: string;
}

export const PLAN_SECTIONS = [
  'breachAssessment',
  'goals',
  'commitments',
  'boundaries',
  'needs',
  'contingencyPlans',
] as const satisfies readonly (keyof PlanDocument)[];
export type PlanSection = (typeof PLAN_SECTIONS)[number];

export const EMPTY_PLAN_DOCUMENT: PlanDocument = {
  breachAssessment: [],
  goals: [],
  commitments: [],
  boundaries: [],
  needs: [],
  contingencyPlans: [],
  reviewDate: null,
};

/** An item as a caller sends it: the id is absent for a new item (the server assigns one). */
export type Draft<T> = Omit<T, 'id'> & { readonly id?: string };

/** Input of a plan write: every section, items with or without ids. */
export interface PlanDocumentInput {
  readonly breachAssessment: readonly Draft<BreachAssessmentItem>[];
  readonly goals: readonly (Omit<Draft<PlanGoal>, 'objectives'> & {
    readonly objectives: readonly Draft<PlanObjective>[];
  })[];
  readonly commitments: readonly Draft<PlanCommitment>[];
  readonly boundaries: readonly Draft<PlanBoundary>[];
  readonly needs: readonly Omit<Draft<PlanNeed>, 'proposedByClientId'>[];
  readonly contingencyPlans: readonly Draft<PlanContingency>[];
  readonly reviewDate: string | null;
}
