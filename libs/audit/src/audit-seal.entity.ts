import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Seal k of a clinic's audit chain: covers exactly the rows with
 * `xminFrom <= tx_id < xminTo` (every transaction below `xminTo` had finished
 * when the sealer took its snapshot) and chains to seal k-1 by hash.
 */
@Entity({ name: 'audit_seals' })
export class AuditSeal {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('integer')
  k: number;

  @Column('bigint')
  xminFrom: string;

  @Column('bigint')
  xminTo: string;

  @Column('integer')
  rowCount: number;

  @Column('text')
  rowsDigest: string;

  @Column('text')
  prevSealHash: string;

  @Column('text')
  sealHash: string;

  @Column('timestamptz')
  sealedAt: Date;
}
