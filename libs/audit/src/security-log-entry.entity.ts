import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A security event with no clinic yet (append-only, global). The runtime role
 * may only insert; operators read it as the owner.
 */
@Entity({ name: 'security_log' })
@Index('security_log_occurred_idx', ['occurredAt'])
export class SecurityLogEntry {
  @PrimaryColumn('uuid')
  id: string;

  @Column('timestamptz')
  occurredAt: Date;

  @Column('text')
  event: string;

  /** sha256 hex of the lower-cased email; never the email. */
  @Column('text', { nullable: true })
  emailHash: string | null;

  @Column('inet', { nullable: true })
  ip: string | null;

  @Column('text', { nullable: true })
  correlationId: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  metadata: Record<string, unknown>;
}
