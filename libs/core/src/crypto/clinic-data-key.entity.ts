import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A clinic's data key, wrapped by the master key. Several versions during a rotation. */
@Entity({ name: 'clinic_data_keys' })
export class ClinicDataKey {
  @PrimaryColumn('uuid')
  clinicId: string;

  @PrimaryColumn('integer')
  version: number;

  @Column('text')
  wrappedKey: string;

  @Column('text')
  masterKeyId: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  /** Set when a newer version took over: values are still decrypted with it until re-encrypted. */
  @Column('timestamptz', { nullable: true })
  retiredAt: Date | null;
}
