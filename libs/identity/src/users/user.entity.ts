import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A person, across clinics (global, no clinic_id). Row-level security shows a
 * user their own row (app.user_id) and members of the current clinic the rows of
 * that clinic's users; only the user changes their own row.
 */
@Entity({ name: 'users' })
@Index('users_email_key', ['email'], { unique: true })
export class User {
  @PrimaryColumn('uuid')
  id: string;

  /** Trimmed and lower-cased. */
  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  displayName: string | null;

  /** argon2id PHC string; null until the user has set a password. */
  @Column('text', { nullable: true })
  passwordHash: string | null;

  @Column('timestamptz', { nullable: true })
  passwordChangedAt: Date | null;

  /** TOTP seed sealed by envelope encryption (AAD `user:<id>/mfa`). */
  @Column('text', { nullable: true })
  mfaSecret: string | null;

  /** Seed of an enrolment started but not confirmed yet (sealed). */
  @Column('text', { nullable: true })
  mfaPendingSecret: string | null;

  /** The user's data key, wrapped by the master key. */
  @Column('text', { nullable: true })
  mfaDataKey: string | null;

  @Column('timestamptz', { nullable: true })
  mfaEnrolledAt: Date | null;

  /** Last accepted TOTP time step: a code is accepted once, across API instances. */
  @Column('bigint', { nullable: true })
  mfaLastStep: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
