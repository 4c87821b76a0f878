import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A single-use, one-hour password reset link for a member (hashed secret). */
@Entity({ name: 'password_resets' })
export class PasswordReset {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @Column('uuid')
  membershipId: string;

  @Column('bytea')
  tokenHash: Buffer;

  /** The clinic admin who issued it; null from the CLI (or self-service, once email exists). */
  @Column('uuid', { nullable: true })
  issuedByMembershipId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;
}
