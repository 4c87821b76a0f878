import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clinics, the transactional outbox and the pipeline probe; the tenant-isolation
 * mechanism every later table copies:
 * - `clinic_id` on the table, first in the primary key and in every unique index;
 * - row-level security enabled and FORCED, keyed on the transaction-local
 *   `app.clinic_id` (an unset or empty setting matches nothing);
 * - privileges granted to the NOLOGIN group `mend_runtime` (db:setup makes the
 *   runtime login role a member), never ownership;
 * - cross-clinic work only through reviewed SECURITY DEFINER functions owned by
 *   the migration role, which return ids, clinic ids and times only. The owner
 *   sees every row through an explicit policy restricted to itself.
 */
export class ClinicsAndOutbox1764201600000 implements MigrationInterface {
  name = 'ClinicsAndOutbox1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create function app_current_clinic() returns uuid
        language sql stable parallel safe
        as $$ select nullif(current_setting('app.clinic_id', true), '')::uuid $$;

      create table clinics (
        id uuid primary key,
        name text not null check (char_length(name) between 1 and 200),
        timezone text not null default 'UTC',
        created_at timestamptz not null default now()
      );
      alter table clinics enable row level security;
      alter table clinics force row level security;
      create policy clinics_isolation on clinics
        using (id = (select app_current_clinic()))
        with check (id = (select app_current_clinic()));
      grant select, insert, update on clinics to mend_runtime;

      create table outbox (
        clinic_id uuid not null references clinics (id),
        id uuid not null default gen_random_uuid(),
        seq bigint generated always as identity,
        queue text not null check (queue ~ '^[a-z][a-z0-9-]{0,39}$'),
        job_name text not null check (job_name ~ '^[a-z][a-z0-9.-]{0,79}$'),
        payload jsonb not null,
        created_at timestamptz not null default now(),
        available_at timestamptz not null default now(),
        claimed_until timestamptz,
        claims integer not null default 0,
        published_at timestamptz,
        primary key (clinic_id, id)
      );
      create index outbox_pending_idx on outbox (available_at, seq) where published_at is null;
      alter table outbox enable row level security;
      alter table outbox force row level security;
      create policy outbox_isolation on outbox
        using (clinic_id = (select app_current_clinic()))
        with check (clinic_id = (select app_current_clinic()));
      grant select, insert, update on outbox to mend_runtime;

      create table probe_receipts (
        clinic_id uuid not null references clinics (id),
        outbox_id uuid not null,
        deliveries integer not null default 1,
        enqueued_at timestamptz not null,
        received_at timestamptz not null default now(),
        primary key (clinic_id, outbox_id),
        foreign key (clinic_id, outbox_id) references outbox (clinic_id, id)
      );
      alter table probe_receipts enable row level security;
      alter table probe_receipts force row level security;
      create policy probe_receipts_isolation on probe_receipts
        using (clinic_id = (select app_current_clinic()))
        with check (clinic_id = (select app_current_clinic()));
      grant select, insert, update on probe_receipts to mend_runtime;
    `);

    // The owner (this migration's role) sees every outbox row, so that the
    // SECURITY DEFINER relay functions below can claim across clinics.
    await queryRunner.query(`
      do $$ begin
        execute format('create policy outbox_definer on outbox to %I using (true) with check (true)', current_user);
      end $$;

      -- REVIEWED (sudo-level): claims up to batch_size publishable outbox rows of any
      -- clinic for lease_seconds, returning only ids, clinic ids and times. The
      -- relay then reads and publishes each clinic's rows in that clinic's own
      -- transaction. A crashed relay's lease expires and the rows are claimed again;
      -- the job id (the outbox id) collapses the second publication.
      create function outbox_claim(batch_size integer, lease_seconds integer)
        returns table (id uuid, clinic_id uuid, created_at timestamptz)
        language sql volatile security definer
        set search_path = public, pg_temp
        as $$
          update outbox o
             set claimed_until = now() + make_interval(secs => least(greatest(lease_seconds, 1), 600)),
                 claims = o.claims + 1
           where (o.clinic_id, o.id) in (
             select p.clinic_id, p.id from outbox p
              where p.published_at is null
                and p.available_at <= now()
                and (p.claimed_until is null or p.claimed_until < now())
              order by p.available_at, p.seq
              limit least(greatest(batch_size, 1), 5000)
              for update skip locked)
          returning o.id, o.clinic_id, o.created_at
        $$;
      revoke all on function outbox_claim(integer, integer) from public;
      grant execute on function outbox_claim(integer, integer) to mend_runtime;

      -- REVIEWED: how far behind the relay is (for /health); counts and times only.
      create function outbox_backlog()
        returns table (pending bigint, oldest_created_at timestamptz)
        language sql stable security definer
        set search_path = public, pg_temp
        as $$ select count(*), min(created_at) from outbox where published_at is null $$;
      revoke all on function outbox_backlog() from public;
      grant execute on function outbox_backlog() to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop function outbox_backlog();
      drop function outbox_claim(integer, integer);
      drop table probe_receipts;
      drop table outbox;
      drop table clinics;
      drop function app_current_clinic();
    `);
  }
}
