import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { MeasureDefinition } from '../instruments/measure-definition.js';

/**
 * A clinic-licensed measure (`clinic`). `built_in_wording` rows (a built-in's wording a clinic supplied
 * before Mend shipped it, the CSI) are kept but no longer read: Mend's verified wording is used.
 */
@Entity({ name: 'clinic_measures' })
export class ClinicMeasure {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('text')
  measureId: string;

  @PrimaryColumn('text')
  version: string;

  @Column('text')
  kind: 'clinic' | 'built_in_wording';

  @Column('jsonb')
  definition: MeasureDefinition;

  @Column('text')
  licenceReference: string;

  @Column('uuid', { nullable: true })
  createdByMembershipId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}

/**
 * A clinic admin's record that the clinic accepts or holds the rights holder's terms for a
 * built-in whose portal use needs it (the CSI): who, when, a free-text reference (e.g. the
 * date of the authors' email). Withdrawing sets `withdrawnAt`; rows are never deleted. At
 * most one is current per measure (partial unique index, migration-only).
 */
@Entity({ name: 'measure_licence_confirmations' })
export class MeasureLicenceConfirmation {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  measureId: string;

  @Column('text')
  reference: string;

  @Column('uuid')
  confirmedByMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  confirmedAt: Date;

  @Column('uuid', { nullable: true })
  withdrawnByMembershipId: string | null;

  @Column('timestamptz', { nullable: true })
  withdrawnAt: Date | null;
}

@Entity({ name: 'measure_schedules' })
@Index('measure_schedules_case_idx', ['clinicId', 'caseId'])
export class MeasureSchedule {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  clientId: string;

  @Column('text')
  measureId: string;

  @Column('text')
  measureVersion: string;

  @Column('text')
  timezone: string;

  @Column('text')
  localTime: string;

  @Column('date')
  startDate: string;

  @Column('integer', { nullable: true })
  intervalDays: number | null;

  @Column('integer', { nullable: true })
  occurrences: number | null;

  @Column('text', { default: 'active' })
  status: 'active' | 'stopped';

  @Column('uuid')
  createdByMembershipId: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}

@Entity({ name: 'measure_administrations' })
@Index('measure_administrations_series_idx', ['clinicId', 'clientId', 'measureId', 'administeredAt'])
@Index('measure_administrations_case_idx', ['clinicId', 'caseId', 'createdAt'])
export class MeasureAdministration {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  clientId: string;

  @Column('uuid', { nullable: true })
  scheduleId: string | null;

  @Column('integer', { nullable: true })
  occurrence: number | null;

  @Column('text')
  measureId: string;

  @Column('text')
  measureVersion: string;

  @Column('text')
  status: 'due' | 'completed' | 'cancelled';

  @Column('timestamptz', { nullable: true })
  dueAt: Date | null;

  @Column('jsonb', { nullable: true })
  answers: Record<string, number | null> | null;

  @Column('jsonb', { nullable: true })
  score: Record<string, unknown> | null;

  @Column('double precision', { nullable: true })
  total: number | null;

  @Column('timestamptz', { nullable: true })
  administeredAt: Date | null;

  @Column('uuid', { nullable: true })
  recordedByMembershipId: string | null;

  @Column('text', { nullable: true })
  recordedByKind: 'client' | 'care_team' | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
