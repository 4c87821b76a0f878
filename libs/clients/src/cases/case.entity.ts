import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import type { CaseOutcome, CaseStatus, CaseType, SafetyStatus } from '@mend/contracts';

/** A case: one or more participants, a care team, a status, a secrets policy and a safety status. */
@Entity({ name: 'cases' })
@Index('cases_status_idx', ['clinicId', 'status', 'updatedAt'])
export class Case {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  /** The care team's short name for the case (not shown to participants' partners beyond their own case). */
  @Column('text')
  title: string;

  @Column('text')
  type: CaseType;

  @Column('text', { default: 'intake' })
  status: CaseStatus;

  @Column('timestamptz', { default: () => 'now()' })
  statusChangedAt: Date;

  /** How a closed case ended (readiness outcome): redefining or ending is a valid, dignified outcome. */
  @Column('text', { nullable: true })
  outcome: CaseOutcome | null;

  /** While `safety_hold`, shared features are suspended; participants see a neutral message only. */
  @Column('text', { default: 'normal' })
  safetyStatus: SafetyStatus;

  /** Care team only; never shown to participants, never in logs or notifications. */
  @Column('text', { nullable: true })
  safetyReason: string | null;

  @Column('timestamptz', { nullable: true })
  safetyChangedAt: Date | null;

  @Column('uuid', { nullable: true })
  safetyChangedByMembershipId: string | null;

  /** The secrets policy version participants must sign (null: none set yet). */
  @Column('integer', { nullable: true })
  secretsPolicyVersion: number | null;

  @Column('uuid', { nullable: true })
  createdByMembershipId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
