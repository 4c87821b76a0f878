import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A supervisor oversees a counselor's work (both memberships of the same clinic). */
@Entity({ name: 'supervision_links' })
@Index('supervision_links_counselor_idx', ['clinicId', 'counselorMembershipId'])
export class SupervisionLink {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  supervisorMembershipId: string;

  @PrimaryColumn('uuid')
  counselorMembershipId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
