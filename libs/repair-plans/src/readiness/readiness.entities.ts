import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { CaseOutcome } from '@mend/contracts';

/** A dated readiness assessment (S27): the counselor's rating and note, and the outcome once decided. */
@Entity({ name: 'readiness_assessments' })
@Index('readiness_assessments_case_idx', ['clinicId', 'caseId', 'recordedAt'])
export class ReadinessAssessment {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('date')
  assessedOn: string;

  /** 0 (not ready) .. 10 (ready for deeper repair). */
  @Column('integer')
  counselorRating: number;

  @Column('text', { nullable: true })
  counselorNote: string | null;

  /** Null while pending. */
  @Column('text', { nullable: true })
  outcome: CaseOutcome | null;

  @Column('text', { nullable: true })
  outcomeReason: string | null;

  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Column('uuid', { nullable: true })
  decidedByMembershipId: string | null;

  @Column('boolean', { default: false })
  closedCase: boolean;

  @Column('uuid')
  recordedByMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  recordedAt: Date;
}

/** A participant's own rating in an assessment (one per participant; replaced while the outcome is pending). */
@Entity({ name: 'readiness_participant_ratings' })
@Index('readiness_participant_ratings_case_idx', ['clinicId', 'caseId', 'clientId'])
export class ReadinessParticipantRating {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  assessmentId: string;

  @PrimaryColumn('uuid')
  clientId: string;

  @Column('uuid')
  caseId: string;

  @Column('integer')
  rating: number;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid')
  ratedByMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  ratedAt: Date;
}
