import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One sign-in of a membership on one device: the family of its refresh tokens.
 * Checked on every request (not revoked, idle and absolute limits not reached).
 */
@Entity({ name: 'login_sessions' })
@Index('login_sessions_membership_idx', ['clinicId', 'membershipId'])
export class LoginSession {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  membershipId: string;

  @Column('uuid')
  userId: string;

  /** Authentication methods of the sign-in: ['pwd'] or ['pwd', 'otp']. */
  @Column('text', { array: true })
  amr: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  lastSeenAt: Date;

  @Column('timestamptz')
  idleExpiresAt: Date;

  @Column('timestamptz')
  absoluteExpiresAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Column('text', { nullable: true })
  revokeReason: string | null;

  /** Truncated to 256 characters. */
  @Column('text', { nullable: true })
  userAgent: string | null;

  @Column('inet', { nullable: true })
  ip: string | null;
}
