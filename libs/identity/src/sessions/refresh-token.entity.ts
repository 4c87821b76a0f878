import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A refresh token of a login session (hashed). Each use rotates it: the old row
 * gets `rotatedAt`, a grace window and the id of the token that replaced it.
 */
@Entity({ name: 'refresh_tokens' })
@Index('refresh_tokens_login_session_idx', ['clinicId', 'loginSessionId'])
export class RefreshToken {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  loginSessionId: string;

  @Column('bytea')
  tokenHash: Buffer;

  @Column('uuid', { nullable: true })
  replacedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  rotatedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  graceUntil: Date | null;
}
