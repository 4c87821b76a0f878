import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'safety_alerts' })
@Index('safety_alerts_case_idx', ['clinicId', 'caseId', 'raisedAt'])
@Index('safety_alerts_escalated_to_idx', ['clinicId', 'escalatedToMembershipId'])
export class SafetyAlert {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid', { nullable: true })
  subjectClientId: string | null;

  @Column('smallint')
  tier: number;

  @Column('text')
  trigger: string;

  @Column('jsonb')
  ruleIds: string[];

  @Column('text', { nullable: true })
  sourceType: string | null;

  @Column('uuid', { nullable: true })
  sourceId: string | null;

  @Column('jsonb')
  spans: unknown[];

  /** The matched sentence, encrypted (FieldEncryption): care team detail only. */
  @Column('text', { nullable: true })
  excerpt: string | null;

  /** A counselor's reason for a manual alert, encrypted. */
  @Column('text', { nullable: true })
  reason: string | null;

  @Column('boolean', { default: false })
  suggestSafetyHold: boolean;

  @Column('text', { default: 'open' })
  status: 'open' | 'acknowledged';

  @Column('timestamptz')
  raisedAt: Date;

  @Column('uuid', { nullable: true })
  raisedByMembershipId: string | null;

  @Column('timestamptz', { nullable: true })
  acknowledgedAt: Date | null;

  @Column('uuid', { nullable: true })
  acknowledgedByMembershipId: string | null;

  @Column('timestamptz', { nullable: true })
  escalationDueAt: Date | null;

  @Column('timestamptz', { nullable: true })
  escalatedAt: Date | null;

  @Column('uuid', { nullable: true })
  escalatedToMembershipId: string | null;

  @Column('text', { nullable: true })
  dedupeKey: string | null;
}

@Entity({ name: 'clinic_safety_settings' })
export class ClinicSafetySettings {
  @PrimaryColumn('uuid')
  clinicId: string;

  @Column('uuid', { nullable: true })
  escalationMembershipId: string | null;

  @Column('integer', { default: 30 })
  escalationDelayMinutes: number;

  @Column('integer', { default: 2 })
  phq9Item9Tier1Min: number;

  @Column('integer', { default: 20 })
  phq9TotalTier2Min: number;

  @Column('integer', { default: 3 })
  boundaryBreachCount: number;

  @Column('integer', { default: 14 })
  boundaryBreachWindowDays: number;

  @Column('text', { default: 'US' })
  defaultCountry: string;

  @Column('jsonb', { nullable: true })
  checkInQuestions: unknown[] | null;

  @Column('uuid', { nullable: true })
  updatedByMembershipId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}

@Entity({ name: 'clinic_crisis_resources' })
export class ClinicCrisisResources {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('text')
  country: string;

  @Column('jsonb')
  resources: unknown[];

  @Column('timestamptz', { nullable: true })
  verifiedAt: Date | null;

  @Column('uuid', { nullable: true })
  updatedByMembershipId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt: Date;
}

@Entity({ name: 'safety_check_ins' })
@Index('safety_check_ins_case_idx', ['clinicId', 'caseId', 'clientId', 'offeredAt'])
export class SafetyCheckIn {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('uuid')
  clientId: string;

  @Column('text', { default: 'offered' })
  status: 'offered' | 'completed';

  @Column('jsonb')
  questions: unknown[];

  @Column('jsonb', { nullable: true })
  answers: Record<string, boolean> | null;

  /** Encrypted (FieldEncryption). */
  @Column('text', { nullable: true })
  openText: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  offeredAt: Date;

  @Column('uuid')
  offeredByMembershipId: string;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;
}
