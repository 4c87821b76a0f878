import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (per clinic, tamper-evident) and the security log (global).
 *
 * - `audit_events`: one row per audited action, written in the same transaction
 *   as the change. `tx_id` is the writing transaction's 64-bit id
 *   (`pg_current_xact_id()`), stored as bigint because TypeORM cannot model
 *   `xid8` and the drift check must see every column; the runtime role may not
 *   insert it (column privileges), so the database always fills it in.
 * - `audit_seals`: seal k covers exactly the rows with
 *   `xmin_from <= tx_id < xmin_to`, where `xmin_to` is the sealer's snapshot
 *   xmin: every transaction below it has finished, so that set can no longer
 *   change. Seals chain by hash; writers never wait on a chain lock.
 * - `security_log`: events with no clinic yet (failed login for an unknown
 *   email, rate-limit blocks). The runtime role may only insert; reading it is
 *   an operator's task (owner).
 *
 * All three refuse UPDATE, DELETE and TRUNCATE for every role with a
 * statement-level trigger (it fires even when RLS filters every row). The owner
 * can still disable the trigger: that limit is why seal hashes can be anchored
 * outside the database (README, Audit trail).
 */
export class Audit1764288000000 implements MigrationInterface {
  name = 'Audit1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create function audit_refuse_change() returns trigger
        language plpgsql
        as $$
        begin
          raise exception '% on % refused: the audit trail is append-only', tg_op, tg_table_name;
        end
        $$;

      create table audit_events (
        clinic_id uuid not null references clinics (id),
        seq bigint generated always as identity,
        id uuid not null,
        occurred_at timestamptz not null,
        tx_id bigint not null default (pg_current_xact_id()::text)::bigint,
        actor_user_id uuid,
        actor_membership_id uuid,
        action text not null,
        target_type text,
        target_id text,
        outcome text not null,
        ip inet,
        correlation_id text,
        metadata jsonb not null default '{}'::jsonb,
        row_hash text not null,
        primary key (clinic_id, seq),
        constraint audit_events_action_check check (action ~ '^[a-z][a-z0-9_.-]{0,79}$'),
        constraint audit_events_target_type_check check (target_type ~ '^[a-z][a-z0-9_]{0,39}$'),
        constraint audit_events_target_id_check check (char_length(target_id) between 1 and 100),
        constraint audit_events_outcome_check check (outcome in ('success', 'denied', 'failure')),
        constraint audit_events_correlation_id_check check (char_length(correlation_id) between 1 and 100),
        constraint audit_events_metadata_check
          check (jsonb_typeof(metadata) = 'object' and octet_length(metadata::text) <= 4096),
        constraint audit_events_row_hash_check check (row_hash ~ '^[0-9a-f]{64}$')
      );
      create index audit_events_occurred_idx on audit_events (clinic_id, occurred_at);
      create index audit_events_target_idx on audit_events (clinic_id, target_type, target_id, occurred_at);
      -- The sealer and the verifier read ranges of tx_id.
      create index audit_events_tx_idx on audit_events (clinic_id, tx_id);
      alter table audit_events enable row level security;
      alter table audit_events force row level security;
      create policy audit_events_isolation on audit_events
        using (clinic_id = (select app_current_clinic()))
        with check (clinic_id = (select app_current_clinic()));
      grant select on audit_events to mend_runtime;
      grant insert (clinic_id, id, occurred_at, actor_user_id, actor_membership_id, action, target_type,
                    target_id, outcome, ip, correlation_id, metadata, row_hash)
        on audit_events to mend_runtime;
      create trigger audit_events_append_only
        before update or delete or truncate on audit_events
        for each statement execute function audit_refuse_change();

      create table audit_seals (
        clinic_id uuid not null references clinics (id),
        k integer not null,
        xmin_from bigint not null,
        xmin_to bigint not null,
        row_count integer not null,
        rows_digest text not null,
        prev_seal_hash text not null,
        seal_hash text not null,
        sealed_at timestamptz not null,
        primary key (clinic_id, k),
        constraint audit_seals_k_check check (k >= 1),
        constraint audit_seals_range_check check (xmin_from >= 0 and xmin_to > xmin_from),
        constraint audit_seals_row_count_check check (row_count >= 0),
        constraint audit_seals_hashes_check check (
          rows_digest ~ '^[0-9a-f]{64}$' and prev_seal_hash ~ '^[0-9a-f]{64}$' and seal_hash ~ '^[0-9a-f]{64}$')
      );
      alter table audit_seals enable row level security;
      alter table audit_seals force row level security;
      create policy audit_seals_isolation on audit_seals
        using (clinic_id = (select app_current_clinic()))
        with check (clinic_id = (select app_current_clinic()));
      grant select, insert on audit_seals to mend_runtime;
      create trigger audit_seals_append_only
        before update or delete or truncate on audit_seals
        for each statement execute function audit_refuse_change();

      create table security_log (
        id uuid primary key,
        occurred_at timestamptz not null,
        event text not null,
        email_hash text,
        ip inet,
        correlation_id text,
        metadata jsonb not null default '{}'::jsonb,
        constraint security_log_event_check check (event ~ '^[a-z][a-z0-9_.-]{0,79}$'),
        constraint security_log_email_hash_check check (email_hash ~ '^[0-9a-f]{64}$'),
        constraint security_log_correlation_id_check check (char_length(correlation_id) between 1 and 100),
        constraint security_log_metadata_check
          check (jsonb_typeof(metadata) = 'object' and octet_length(metadata::text) <= 4096)
      );
      create index security_log_occurred_idx on security_log (occurred_at);
      -- Global and clinic-less: no RLS; the runtime role may append and nothing else.
      grant insert on security_log to mend_runtime;
      create trigger security_log_append_only
        before update or delete or truncate on security_log
        for each statement execute function audit_refuse_change();
    `);

    // The owner reads (never changes) every clinic's audit rows and seals, so that
    // the SECURITY DEFINER function below can find clinics with unsealed rows.
    await queryRunner.query(`
      do $$ begin
        execute format('create policy audit_events_definer on audit_events for select to %I using (true)', current_user);
        execute format('create policy audit_seals_definer on audit_seals for select to %I using (true)', current_user);
      end $$;

      -- REVIEWED (sudo-level): the clinics that have audit rows not yet covered by a
      -- seal (tx_id at or above their last seal's xmin_to), with the time of the
      -- oldest such row. Ids and times only; the sealer then seals each clinic in
      -- that clinic's own transaction. A loose index scan over the primary key
      -- finds the clinics, so the cost grows with clinics and the unsealed tail,
      -- not with the whole trail.
      create function audit_unsealed_clinics()
        returns table (clinic_id uuid, oldest_occurred_at timestamptz)
        language sql stable security definer
        set search_path = public, pg_temp
        as $$
          with recursive clinic_ids (clinic_id) as (
            (select e.clinic_id from audit_events e order by e.clinic_id limit 1)
            union all
            select (select e.clinic_id from audit_events e
                     where e.clinic_id > c.clinic_id order by e.clinic_id limit 1)
              from clinic_ids c where c.clinic_id is not null
          )
          select c.clinic_id, tail.oldest_occurred_at
            from clinic_ids c
            cross join lateral (
              select coalesce((select s.xmin_to from audit_seals s
                                where s.clinic_id = c.clinic_id order by s.k desc limit 1), 0) as sealed_to
            ) head
            cross join lateral (
              select min(e.occurred_at) as oldest_occurred_at from audit_events e
               where e.clinic_id = c.clinic_id and e.tx_id >= head.sealed_to
            ) tail
           where c.clinic_id is not null and tail.oldest_occurred_at is not null
           order by tail.oldest_occurred_at
        $$;
      revoke all on function audit_unsealed_clinics() from public;
      grant execute on function audit_unsealed_clinics() to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop function audit_unsealed_clinics();
      drop table security_log;
      drop table audit_seals;
      drop table audit_events;
      drop function audit_refuse_change();
    `);
  }
}
