import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A participant's e-signature of one secrets policy version: who, when, which version, from where. */
@Entity({ name: 'case_secrets_policy_signatures' })
export class CaseSecretsPolicySignature {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn('integer')
  version: number;

  @PrimaryColumn('uuid')
  clientId: string;

  @Column('uuid')
  signedByUserId: string;

  /** The name the participant typed to sign. */
  @Column('text')
  signedName: string;

  @Column('timestamptz', { default: () => 'now()' })
  signedAt: Date;

  @Column('inet', { nullable: true })
  ip: string | null;

  @Column('text', { nullable: true })
  userAgent: string | null;
}
