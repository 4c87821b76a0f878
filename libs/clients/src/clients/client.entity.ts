import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import type { ClientStatus, ReminderChannel } from '@mend/contracts';

/** A person receiving care. At most one portal user (a client membership). */
@Entity({ name: 'clients' })
@Index('clients_membership_key', ['clinicId', 'membershipId'], { unique: true })
export class Client {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  displayName: string;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { nullable: true })
  phone: string | null;

  /** IANA zone: reminders and "overdue" are computed in the client's local day. */
  @Column('text')
  timezone: string;

  @Column('text', { default: 'email' })
  reminderChannel: ReminderChannel;

  /** Preferred local time of day for reminders (HH:MM:SS), in `timezone`. */
  @Column('time', { nullable: true })
  reminderTime: string | null;

  /** Notifications say nothing beyond "you have an update in Mend" (a shared phone, a shared inbox). */
  @Column('boolean', { default: false })
  discreetNotifications: boolean;

  /** The portal user's client membership, once an invitation was accepted. */
  @Column('uuid', { nullable: true })
  membershipId: string | null;

  /** The portal invitation last sent to this client; accepting it links `membershipId` (migration trigger). */
  @Column('uuid', { nullable: true })
  invitationId: string | null;

  @Column('text', { default: 'active' })
  status: ClientStatus;

  @Column('timestamptz', { nullable: true })
  archivedAt: Date | null;

  @Column('uuid', { nullable: true })
  createdByMembershipId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
