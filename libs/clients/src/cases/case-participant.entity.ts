import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { ParticipantRole } from '@mend/contracts';

/** A client taking part in a case, with their role in the breach. */
@Entity({ name: 'case_participants' })
@Index('case_participants_client_idx', ['clinicId', 'clientId'])
export class CaseParticipant {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn('uuid')
  clientId: string;

  @Column('text')
  role: ParticipantRole;

  @Column('timestamptz', { default: () => 'now()' })
  addedAt: Date;
}
