import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { SecretsPolicyKind } from '@mend/contracts';

/** One version of a case's secrets policy: the exact text participants sign. Never changed once written. */
@Entity({ name: 'case_secrets_policies' })
export class CaseSecretsPolicy {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn('integer')
  version: number;

  @Column('text')
  kind: SecretsPolicyKind;

  @Column('text')
  body: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  @Column('uuid', { nullable: true })
  createdByMembershipId: string | null;
}
