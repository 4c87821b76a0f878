import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { CheckInResponseKind, CheckInStatus, LedgerRecorderKind } from './ledger.types.js';

/**
 * One entry of a case's trust ledger: a participant's commitment was kept,
 * partly kept or missed on a (local) date. Append-only in the database; a
 * correction is a new entry naming the one it corrects (one correction per entry).
 */
@Entity({ name: 'commitment_check_ins' })
@Index('commitment_check_ins_case_idx', ['clinicId', 'caseId', 'commitmentId', 'occurredOn'])
export class CommitmentCheckIn {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  commitmentId: string;

  /** The participant whose commitment this is about (self-reported, or recorded for them by the care team). */
  @Column('uuid')
  participantClientId: string;

  @Column('text')
  status: CheckInStatus;

  @Column('date')
  occurredOn: string;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid', { nullable: true })
  correctsCheckInId: string | null;

  @Column('uuid')
  recordedByMembershipId: string;

  @Column('text')
  recordedByKind: LedgerRecorderKind;

  @Column('timestamptz', { default: () => 'now()' })
  recordedAt: Date;
}

/** Another participant's confirmation or dispute of a check-in (one per participant per entry). */
@Entity({ name: 'commitment_check_in_responses' })
@Index('commitment_check_in_responses_once_idx', ['clinicId', 'checkInId', 'responderClientId'], { unique: true })
@Index('commitment_check_in_responses_case_idx', ['clinicId', 'caseId'])
export class CommitmentCheckInResponse {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  checkInId: string;

  @Column('uuid')
  responderClientId: string;

  @Column('uuid')
  respondedByMembershipId: string;

  @Column('text')
  response: CheckInResponseKind;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  respondedAt: Date;
}
