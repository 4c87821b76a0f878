import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The tenant. Its own row is visible only inside its own unit of work. */
@Entity({ name: 'clinics' })
export class Clinic {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** IANA zone used for clinic-level schedules (monthly reports, quiet-hour defaults). */
  @Column('text', { default: 'UTC' })
  timezone: string;

  /** The clinic's display labels for participant roles (`harmed`, `harming`, …); missing keys use the defaults. */
  @Column('jsonb', { default: () => "'{}'" })
  participantRoleLabels: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
