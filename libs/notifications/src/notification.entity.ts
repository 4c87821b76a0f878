import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One in-app message to one recipient (a membership). The title is content-free
 * ("Something you wrote was shared in your case"): never clinical text; the
 * subject ids let the portal link to the record. Read state is the only change.
 */
@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  recipientMembershipId: string;

  @Column('text')
  kind: string;

  @Column('text')
  title: string;

  @Column('uuid', { nullable: true })
  caseId: string | null;

  @Column('text', { nullable: true })
  subjectType: string | null;

  @Column('uuid', { nullable: true })
  subjectId: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  readAt: Date | null;
}
