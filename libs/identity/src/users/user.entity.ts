import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A person, across clinics (global, no clinic_id). Row-level security shows a
 * user their own row (app.user_id) and members of the current clinic the rows of
 * that clinic's users; only the user changes their own row. Secrets (password
 * hash, MFA state) are in `user_credentials`, which only the user reads.
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
