import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Measure licence confirmations (issue 6, CSI wording). Mend now ships the CSI-4 and CSI-16
 * wording (Funk & Rogge 2007), but offers them in the portal only after a clinic admin
 * records that the clinic accepts or holds the authors' terms. Tenant table (clinic_id
 * first in the key, RLS forced, composite foreign keys):
 * - measure_licence_confirmations: one record per confirmation of a built-in measure id
 *   (`csi-4`, `csi-16`): who (confirmed_by), when (confirmed_at), a free-text reference
 *   (e.g. the date of the authors' email). Withdrawing sets withdrawn_at/withdrawn_by;
 *   rows are never deleted (the runtime role has no delete). At most one current
 *   (not withdrawn) confirmation per measure: a partial unique index.
 *
 * Carried over: a clinic that supplied the CSI wording itself (clinic_measures rows of
 * kind `built_in_wording`, whose licence_reference recorded the authors' permission) gets
 * that reference as its current confirmation of the measure, confirmed by the member and
 * at the time that row was written; those rows stay but are no longer read.
 */
export class MeasureLicenceConfirmations1764547400000 implements MigrationInterface {
  name = 'MeasureLicenceConfirmations1764547400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table measure_licence_confirmations (
        clinic_id uuid not null,
        id uuid not null,
        measure_id text not null,
        reference text not null,
        confirmed_by_membership_id uuid not null,
        confirmed_at timestamptz not null default now(),
        withdrawn_by_membership_id uuid,
        withdrawn_at timestamptz,
        primary key (clinic_id, id),
        constraint measure_licence_confirmations_clinic_fkey foreign key (clinic_id) references clinics (id),
        constraint measure_licence_confirmations_confirmed_by_fkey foreign key (clinic_id, confirmed_by_membership_id)
          references memberships (clinic_id, id),
        constraint measure_licence_confirmations_withdrawn_by_fkey foreign key (clinic_id, withdrawn_by_membership_id)
          references memberships (clinic_id, id),
        constraint measure_licence_confirmations_measure_id_check check (measure_id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
        constraint measure_licence_confirmations_reference_check check (char_length(reference) between 1 and 500),
        constraint measure_licence_confirmations_withdrawn_check
          check ((withdrawn_at is null) = (withdrawn_by_membership_id is null) and (withdrawn_at is null or withdrawn_at >= confirmed_at))
      );
      create unique index measure_licence_confirmations_current_idx
        on measure_licence_confirmations (clinic_id, measure_id) where withdrawn_at is null;

      alter table measure_licence_confirmations enable row level security;
      alter table measure_licence_confirmations force row level security;
      create policy measure_licence_confirmations_isolation on measure_licence_confirmations
        using (clinic_id = (select app_current_clinic()))
        with check (clinic_id = (select app_current_clinic()));

      grant select, insert, update on measure_licence_confirmations to mend_runtime;


      -- The carry-over reads and writes every clinic's rows: the owner gets two policies for
      -- this statement only (RLS is forced for the owner too), dropped right after it.
      do $do$ begin
        execute format('create policy clinic_measures_carry_over on clinic_measures for select to %I using (true)',
          current_user);
        execute format(
          'create policy measure_licence_confirmations_carry_over on measure_licence_confirmations for insert to %I with check (true)',
          current_user);
      end $do$;
      insert into measure_licence_confirmations (clinic_id, id, measure_id, reference, confirmed_by_membership_id, confirmed_at)
        select distinct on (m.clinic_id, m.measure_id)
               m.clinic_id, gen_random_uuid(), m.measure_id, m.licence_reference, m.created_by_membership_id, m.created_at
          from clinic_measures m
         where m.kind = 'built_in_wording' and m.created_by_membership_id is not null
         order by m.clinic_id, m.measure_id, m.created_at desc;
      drop policy clinic_measures_carry_over on clinic_measures;
      drop policy measure_licence_confirmations_carry_over on measure_licence_confirmations;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table measure_licence_confirmations;`);
  }
}
