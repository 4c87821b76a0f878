import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Ground truth for the outbox pipeline: the `system.probe` job records each
 * delivery here, so a duplicate shows as `deliveries > 1` (health checks,
 * benchmarks and the relay's fault tests read it).
 */
@Entity({ name: 'probe_receipts' })
export class ProbeReceipt {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('uuid')
  outboxId: string;

  @Column('integer', { default: 1 })
  deliveries: number;

  @Column('timestamptz')
  enqueuedAt: Date;

  @Column('timestamptz', { default: () => 'now()' })
  receivedAt: Date;
}
