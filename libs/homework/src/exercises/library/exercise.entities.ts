import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { ExerciseContent } from './exercise-content.js';

export type ExerciseStatus = 'active' | 'retired';
export const EXERCISE_STATUSES: readonly ExerciseStatus[] = ['active', 'retired'];

/** A clinic's own exercise: its status and current version (built-ins live in code). */
@Entity({ name: 'exercises' })
@Index('exercises_status_idx', ['clinicId', 'status'])
export class Exercise {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { default: 'active' })
  status: ExerciseStatus;

  @Column('integer', { default: 1 })
  currentVersion: number;

  /** The built-in key (`E05`) or `<exercise id>@<version>` this exercise was copied from. */
  @Column('text', { nullable: true })
  copiedFrom: string | null;

  @Column('uuid')
  createdByMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;

  @Column('timestamptz', { nullable: true })
  retiredAt: Date | null;

  @Column('uuid', { nullable: true })
  retiredByMembershipId: string | null;
}

/** An immutable version of a custom exercise (insert-only for the runtime role); assignments pin one. */
@Entity({ name: 'exercise_versions' })
@Index('exercise_versions_id_key', ['clinicId', 'id'], { unique: true })
export class ExerciseVersion {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  exerciseId: string;

  @PrimaryColumn('integer')
  version: number;

  @Column('uuid')
  id: string;

  @Column('text')
  title: string;

  @Column('jsonb')
  definition: ExerciseContent;

  @Column('text', { nullable: true })
  changeNote: string | null;

  @Column('uuid')
  authorMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}

export const EXERCISE_ENTITIES = [Exercise, ExerciseVersion];
