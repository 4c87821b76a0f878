import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

import type { MembershipRole } from '../roles.js';

/** A single-use, expiring invitation to join a clinic; only sha256 of its secret is stored. */
@Entity({ name: 'invitations' })
export class Invitation {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { array: true })
  roles: MembershipRole[];

  @Column('bytea')
  tokenHash: Buffer;

  /** Null when issued from the CLI. */
  @Column('uuid', { nullable: true })
  invitedByMembershipId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  acceptedAt: Date | null;

  @Column('uuid', { nullable: true })
  acceptedMembershipId: string | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
