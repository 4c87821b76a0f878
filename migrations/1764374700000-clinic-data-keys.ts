import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-clinic data keys for encrypting clinical text at rest (note bodies,
 * psychotherapy notes, free-text answers). Each key is stored wrapped by the
 * master key (MASTER_KEY, later a KMS); versions let a clinic's key rotate while
 * old values still decrypt. A tenant table like the others: RLS keyed on the
 * transaction's clinic, so one clinic's key is never read in another's unit of work.
 */
export class ClinicDataKeys1764374700000 implements MigrationInterface {
  name = 'ClinicDataKeys1764374700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table clinic_data_keys (
        clinic_id uuid not null,
        version integer not null,
        wrapped_key text not null,
        master_key_id text not null,
        created_at timestamptz not null default now(),
        retired_at timestamptz,
        primary key (clinic_id, version),
        constraint clinic_data_keys_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint clinic_data_keys_version_check check (version >= 1),
        constraint clinic_data_keys_master_key_id_check check (master_key_id ~ '^[A-Za-z0-9_-]{1,40}$')
      );
      alter table clinic_data_keys enable row level security;
      alter table clinic_data_keys force row level security;
      create policy clinic_data_keys_isolation on clinic_data_keys
        using (clinic_id = (select app_current_clinic()))
        with check (clinic_id = (select app_current_clinic()));
      -- Keys are added and re-wrapped, never deleted (old values must stay readable).
      grant select, insert, update (wrapped_key, master_key_id, retired_at) on clinic_data_keys to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table clinic_data_keys');
  }
}
