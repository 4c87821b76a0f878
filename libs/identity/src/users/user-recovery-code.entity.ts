import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A single-use MFA recovery code of a user, stored as a hash (self-only policy). */
@Entity({ name: 'user_recovery_codes' })
export class UserRecoveryCode {
  @PrimaryColumn('uuid')
  userId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  codeHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;
}
