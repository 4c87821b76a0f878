import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A staff member on a case's care team; exactly one is primary (unique partial index in the migration). */
@Entity({ name: 'case_care_team' })
@Index('case_care_team_membership_idx', ['clinicId', 'membershipId'])
export class CaseCareTeamMember {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn('uuid')
  membershipId: string;

  @Column('boolean', { default: false })
  isPrimary: boolean;

  @Column('timestamptz', { default: () => 'now()' })
  addedAt: Date;
}
