import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { PlanPhase } from '@mend/contracts';

import type { PlanDocument } from './plan-document.js';

/** One repair plan per case: the current revision number (optimistic concurrency), the phase and the review date. */
@Entity({ name: 'repair_plans' })
@Index('repair_plans_review_date_idx', ['clinicId', 'reviewDate'])
export class RepairPlan {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  caseId: string;

  /** 0 until the first revision is written (a phase change may create the row first). */
  @Column('integer', { default: 0 })
  currentRevision: number;

  @Column('text', { default: 'P0' })
  phase: PlanPhase;

  @Column('timestamptz', { nullable: true })
  phaseChangedAt: Date | null;

  /** Mirrors the current revision's review date (for reminders). */
  @Column('date', { nullable: true })
  reviewDate: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}

/** An immutable revision of a plan (insert-only for the runtime role). */
@Entity({ name: 'repair_plan_revisions' })
@Index('repair_plan_revisions_id_key', ['clinicId', 'id'], { unique: true })
export class RepairPlanRevision {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn('integer')
  revision: number;

  @Column('uuid')
  id: string;

  @Column('jsonb')
  document: PlanDocument;

  /** Care team only. */
  @Column('text', { nullable: true })
  changeNote: string | null;

  @Column('uuid')
  authorMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}

/** A dated move on the phase spine, with the care team's reason (append-only). */
@Entity({ name: 'repair_plan_phase_changes' })
@Index('repair_plan_phase_changes_case_idx', ['clinicId', 'caseId', 'changedAt'])
export class RepairPlanPhaseChange {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('text')
  fromPhase: PlanPhase;

  @Column('text')
  toPhase: PlanPhase;

  @Column('text')
  reason: string;

  @Column('timestamptz', { default: () => 'now()' })
  changedAt: Date;

  @Column('uuid')
  changedByMembershipId: string;
}
