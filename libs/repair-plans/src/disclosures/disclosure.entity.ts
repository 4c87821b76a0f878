import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { DisclosureMode } from '../ledger/ledger.types.js';

/**
 * Content moved from one participant's private space into the shared space:
 * what (item type and id, never the content), whose, by whom, when, and under
 * which version of the case's secrets policy. Append-only.
 */
@Entity({ name: 'disclosures' })
@Index('disclosures_case_idx', ['clinicId', 'caseId', 'disclosedAt'])
export class Disclosure {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @Column('text')
  itemType: string;

  @Column('uuid')
  itemId: string;

  @Column('uuid')
  authorClientId: string;

  @Column('uuid', { nullable: true })
  disclosedByMembershipId: string | null;

  @Column('text')
  mode: DisclosureMode;

  @Column('integer', { nullable: true })
  secretsPolicyVersion: number | null;

  @Column('timestamptz', { default: () => 'now()' })
  disclosedAt: Date;
}
