import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One audited action of a clinic (append-only: the database refuses UPDATE and
 * DELETE). Written only through `recordAudit`, which computes `rowHash`; this
 * entity exists for reading (the clinic admin's trail) and for the drift check.
 */
@Entity({ name: 'audit_events' })
@Index('audit_events_occurred_idx', ['clinicId', 'occurredAt'])
@Index('audit_events_target_idx', ['clinicId', 'targetType', 'targetId', 'occurredAt'])
@Index('audit_events_tx_idx', ['clinicId', 'txId'])
export class AuditEvent {
  @PrimaryColumn('uuid')
  clinicId: string;

  /** Order of insertion (identity): gaps and out-of-order commits are normal. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

  @Column('uuid')
  id: string;

  @Column('timestamptz')
  occurredAt: Date;

  /**
   * The writing transaction's 64-bit id, set by the database (the runtime role
   * may not insert it). The migration's default is
   * `(pg_current_xact_id()::text)::bigint`; the default here is that expression
   * as TypeORM reads it back (casts stripped), for the drift check.
   */
  @Column({ type: 'bigint', default: () => '((pg_current_xact_id()))', insert: false, update: false })
  txId: string;

  @Column('uuid', { nullable: true })
  actorUserId: string | null;

  @Column('uuid', { nullable: true })
  actorMembershipId: string | null;

  @Column('text')
  action: string;

  @Column('text', { nullable: true })
  targetType: string | null;

  @Column('text', { nullable: true })
  targetId: string | null;

  @Column('text')
  outcome: 'success' | 'denied' | 'failure';

  @Column('inet', { nullable: true })
  ip: string | null;

  @Column('text', { nullable: true })
  correlationId: string | null;

  /** Ids and small scalars only (see `assertAuditMetadata`). */
  @Column('jsonb', { default: () => "'{}'" })
  metadata: Record<string, unknown>;

  @Column('text')
  rowHash: string;
}
