import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

import type { MembershipRole, MembershipStatus } from '../roles.js';

/** A user's place in one clinic: roles and status. Unique per (clinic, user). */
@Entity({ name: 'memberships' })
@Index('memberships_clinic_id_user_id_key', ['clinicId', 'userId'], { unique: true })
@Index('memberships_user_id_idx', ['userId'])
export class Membership {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @Column('text', { array: true })
  roles: MembershipRole[];

  @Column('text', { default: 'active' })
  status: MembershipStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  disabledAt: Date | null;
}
