import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { Visibility } from '../exercises/exercise.types.js';
import type { ExerciseContent } from '../exercises/library/exercise-content.js';
import type { ScheduleInput } from './schedule.js';

export const OCCURRENCE_STATUSES = ['assigned', 'in_progress', 'completed', 'overdue', 'cancelled'] as const;
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];

export type AssignmentRecordStatus = 'active' | 'cancelled';

/** An exercise version given within a case, with a pinned snapshot of its definition. */
@Entity({ name: 'assignments' })
@Index('assignments_case_idx', ['clinicId', 'caseId', 'createdAt'])
export class Assignment {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  /** A built-in key (`E05`) or a clinic exercise id. */
  @Column('text')
  exerciseRef: string;

  @Column('uuid', { nullable: true })
  customExerciseId: string | null;

  @Column('integer')
  exerciseVersion: number;

  @Column('text')
  exerciseTitle: string;

  @Column('jsonb')
  exerciseSnapshot: ExerciseContent;

  @Column('boolean')
  paired: boolean;

  @Column('text')
  visibility: Visibility;

  @Column('boolean', { default: false })
  releaseRequiresReview: boolean;

  @Column('jsonb')
  schedule: ScheduleInput;

  @Column('text', { default: 'active' })
  status: AssignmentRecordStatus;

  @Column('uuid')
  createdByMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @Column('uuid', { nullable: true })
  cancelledByMembershipId: string | null;
}

/** One recipient's occurrence of an assignment on a local date (paired: linked by `pairId`). */
@Entity({ name: 'assignment_occurrences' })
@Index('assignment_occurrences_once_idx', ['clinicId', 'assignmentId', 'clientId', 'dueOn'], { unique: true })
@Index('assignment_occurrences_client_idx', ['clinicId', 'clientId', 'dueOn'])
@Index('assignment_occurrences_case_idx', ['clinicId', 'caseId', 'dueOn'])
export class AssignmentOccurrence {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  assignmentId: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  clientId: string;

  @Column('text', { nullable: true })
  part: string | null;

  @Column('date')
  opensOn: string;

  @Column('date')
  dueOn: string;

  @Column('uuid', { nullable: true })
  pairId: string | null;

  @Column('text', { default: 'assigned' })
  status: OccurrenceStatus;

  @Column('timestamptz', { default: () => 'now()' })
  statusChangedAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}

/** A dated status transition of an occurrence (insert-only; the worker records `overdue`, by nobody). */
@Entity({ name: 'assignment_status_changes' })
@Index('assignment_status_changes_occurrence_idx', ['clinicId', 'occurrenceId', 'changedAt'])
export class AssignmentStatusChange {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  occurrenceId: string;

  @Column('text', { nullable: true })
  fromStatus: OccurrenceStatus | null;

  @Column('text')
  toStatus: OccurrenceStatus;

  @Column('timestamptz', { default: () => 'now()' })
  changedAt: Date;

  @Column('uuid', { nullable: true })
  changedByMembershipId: string | null;
}
