import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SubmissionStatus = 'draft' | 'submitted';

/**
 * A client's answers to one occurrence: a draft (autosaved, `draftVersion` counts
 * the saves) until submitted, then immutable (a database trigger). `answers` is
 * the ciphertext of the answers JSON (FieldEncryption).
 */
@Entity({ name: 'submissions' })
@Index('submissions_occurrence_idx', ['clinicId', 'occurrenceId'], { unique: true })
@Index('submissions_case_idx', ['clinicId', 'caseId'])
export class Submission {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  occurrenceId: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  authorClientId: string;

  @Column('text', { default: 'draft' })
  status: SubmissionStatus;

  @Column('text')
  answers: string;

  @Column('integer', { default: 1 })
  draftVersion: number;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { nullable: true })
  submittedAt: Date | null;

  @Column('uuid', { nullable: true })
  submittedByMembershipId: string | null;

  @Column('timestamptz', { nullable: true })
  reviewApprovedAt: Date | null;

  @Column('uuid', { nullable: true })
  reviewApprovedByMembershipId: string | null;

  @Column('timestamptz', { nullable: true })
  releasedAt: Date | null;

  @Column('uuid', { nullable: true })
  releasedByMembershipId: string | null;

  @Column('timestamptz', { nullable: true })
  revealedAt: Date | null;

  /**
   * The care team still owes something on this submitted answer (the homework
   * overview's `awaitingReview`): derived by a database trigger on every write and
   * on feedback; any value written is overwritten. Read-only for the application.
   */
  @Column('boolean', { default: false })
  reviewOwed: boolean;
}

/** Counselor feedback on a submission (feedback fields and a note; `body` is ciphertext). Insert-only. */
@Entity({ name: 'submission_feedback' })
@Index('submission_feedback_submission_idx', ['clinicId', 'submissionId', 'createdAt'])
export class SubmissionFeedback {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  submissionId: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  authorMembershipId: string;

  @Column('text')
  body: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
