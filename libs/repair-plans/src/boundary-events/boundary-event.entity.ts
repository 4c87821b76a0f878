import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { BoundarySeverity, LedgerRecorderKind } from '../ledger/ledger.types.js';

/**
 * A boundary of the repair plan was crossed. Append-only, except that the
 * completion of the restorative response is recorded once, later (a row trigger
 * in the migration enforces both).
 */
@Entity({ name: 'boundary_events' })
@Index('boundary_events_case_idx', ['clinicId', 'caseId', 'occurredAt'])
export class BoundaryEvent {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  boundaryId: string;

  @Column('timestamptz')
  occurredAt: Date;

  @Column('text')
  severity: BoundarySeverity;

  @Column('text', { nullable: true })
  restorativeResponse: string | null;

  @Column('uuid')
  reportedByMembershipId: string;

  @Column('text')
  reportedByKind: LedgerRecorderKind;

  @Column('uuid', { nullable: true })
  reporterClientId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  recordedAt: Date;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @Column('uuid', { nullable: true })
  completedByMembershipId: string | null;
}
