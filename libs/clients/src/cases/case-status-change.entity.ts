import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { CaseOutcome, CaseStatus } from '@mend/contracts';

/** One dated status transition of a case (append-only). */
@Entity({ name: 'case_status_changes' })
@Index('case_status_changes_case_idx', ['clinicId', 'caseId', 'changedAt'])
export class CaseStatusChange {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('text', { nullable: true })
  fromStatus: CaseStatus | null;

  @Column('text')
  toStatus: CaseStatus;

  @Column('text', { nullable: true })
  outcome: CaseOutcome | null;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  changedAt: Date;

  @Column('uuid', { nullable: true })
  changedByMembershipId: string | null;
}
