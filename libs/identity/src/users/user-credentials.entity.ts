import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A user's secrets (global, no clinic_id), one row per user. Kept apart from
 * `users` because colleagues in a clinic may read each other's `users` row (names
 * and emails in member lists); row-level security shows this row only to the user
 * themselves (app.user_id), for reading and for changing.
 */
@Entity({ name: 'user_credentials' })
export class UserCredentials {
  @PrimaryColumn('uuid')
  userId: string;

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
}
