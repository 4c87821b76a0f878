import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job to publish, written in the same transaction as the change that causes it.
 * The relay publishes it to BullMQ with the outbox id as job id.
 */
@Entity({ name: 'outbox' })
export class OutboxMessage {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Commit-independent order of creation (identity); the relay publishes in this order. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  seq: string;

  @Column('text')
  queue: string;

  @Column('text')
  jobName: string;

  /** Ids only, never documents or clinical text. */
  @Column('jsonb')
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  availableAt: Date;

  @Column('timestamptz', { nullable: true })
  claimedUntil: Date | null;

  @Column('integer', { default: 0 })
  claims: number;

  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;
}
