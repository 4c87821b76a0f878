import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'clinic_reminder_settings',
  'client_reminder_settings',
  'client_reminder_preferences',
  'reminders',
  'deliveries',
];

const CATEGORIES = [
  'assignment_due_soon',
  'assignment_due',
  'assignment_overdue',
  'check_in',
  'session_tomorrow',
  'measure_due',
  'plan_review',
  'note_unsigned',
  'alert_unacknowledged',
  'safety_alert',
  'safety_escalation',
];
const SAFETY_CATEGORIES = ['alert_unacknowledged', 'safety_alert', 'safety_escalation'];
const list = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');
const HH_MM = `'^([01][0-9]|2[0-3]):[0-5][0-9]$'`;

/**
 * Reminders and notifications (issue 7). PostgreSQL is the source of truth:
 * - clinic_reminder_settings: the clinic's defaults (channels it sends on, the
 *   default local time, quiet hours in the recipient's timezone);
 * - client_reminder_settings / client_reminder_preferences: a client's own quiet
 *   hours, and per category a channel, a local time or an opt-out (a safety
 *   category can never be opted out of: a check constraint);
 * - reminders: one row per (category, source, occurrence, recipient), with the
 *   nominal time (`due_at`), the time it fires (`fire_at`, after quiet hours;
 *   `deferred_from` when moved) and its state: pending → queued (claimed by a
 *   worker, `claim_token`, `claimed_until`, `job_id`) → sent | cancelled | failed;
 * - deliveries: the proof of sending, unique per (reminder, occurrence, channel);
 *   the provider call carries the same idempotency key.
 * Tenant tables: clinic_id first in every key, RLS forced, composite foreign keys.
 * Cross-clinic work goes through the reviewed SECURITY DEFINER functions
 * `reminder_claim` (FOR UPDATE SKIP LOCKED, in batches; re-claims a queued row
 * whose lease ran out: that is the reconciler), `reminder_clinics` (ids only) and
 * `reminder_backlog` (counts and times only, for /health).
 */
export class Reminders1764547200000 implements MigrationInterface {
  name = 'Reminders1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table clinic_reminder_settings (
        clinic_id uuid not null,
        channels text[] not null,
        local_time text not null default '18:00',
        quiet_start text not null default '21:00',
        quiet_end text not null default '08:00',
        updated_by_membership_id uuid,
        updated_at timestamptz not null default now(),
        primary key (clinic_id),
        constraint clinic_reminder_settings_clinic_fkey foreign key (clinic_id) references clinics (id),
        constraint clinic_reminder_settings_updated_by_fkey foreign key (clinic_id, updated_by_membership_id)
          references memberships (clinic_id, id),
        constraint clinic_reminder_settings_channels_check
          check (channels <@ array['in_app', 'email', 'sms']::text[] and cardinality(channels) between 1 and 3),
        constraint clinic_reminder_settings_times_check
          check (local_time ~ ${HH_MM} and quiet_start ~ ${HH_MM} and quiet_end ~ ${HH_MM})
      );

      create table client_reminder_settings (
        clinic_id uuid not null,
        client_id uuid not null,
        quiet_start text,
        quiet_end text,
        updated_by_membership_id uuid,
        updated_at timestamptz not null default now(),
        primary key (clinic_id, client_id),
        constraint client_reminder_settings_client_fkey foreign key (clinic_id, client_id)
          references clients (clinic_id, id),
        constraint client_reminder_settings_updated_by_fkey foreign key (clinic_id, updated_by_membership_id)
          references memberships (clinic_id, id),
        constraint client_reminder_settings_quiet_check
          check ((quiet_start is null) = (quiet_end is null) and quiet_start ~ ${HH_MM} and quiet_end ~ ${HH_MM})
      );

      create table client_reminder_preferences (
        clinic_id uuid not null,
        client_id uuid not null,
        category text not null,
        channel text,
        local_time text,
        opted_out boolean not null default false,
        updated_by_membership_id uuid,
        updated_at timestamptz not null default now(),
        primary key (clinic_id, client_id, category),
        constraint client_reminder_preferences_client_fkey foreign key (clinic_id, client_id)
          references clients (clinic_id, id),
        constraint client_reminder_preferences_updated_by_fkey foreign key (clinic_id, updated_by_membership_id)
          references memberships (clinic_id, id),
        constraint client_reminder_preferences_category_check check (category in (${list(CATEGORIES)})),
        constraint client_reminder_preferences_channel_check check (channel in ('in_app', 'email', 'sms')),
        constraint client_reminder_preferences_time_check check (local_time ~ ${HH_MM}),
        constraint client_reminder_preferences_safety_check
          check (not (opted_out and category in (${list(SAFETY_CATEGORIES)})))
      );

      create table reminders (
        clinic_id uuid not null,
        id uuid not null,
        category text not null,
        recipient_membership_id uuid,
        recipient_client_id uuid,
        case_id uuid,
        source_type text not null,
        source_id uuid not null,
        occurrence_key text not null,
        dedupe_key text not null,
        channels text[] not null,
        discreet boolean not null default false,
        due_at timestamptz not null,
        fire_at timestamptz not null,
        deferred_from timestamptz,
        status text not null default 'pending',
        generation integer not null default 0,
        claim_token uuid,
        claimed_at timestamptz,
        claimed_until timestamptz,
        claims integer not null default 0,
        job_id text,
        attempts integer not null default 0,
        last_error text,
        sent_at timestamptz,
        failed_at timestamptz,
        cancelled_reason text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint reminders_recipient_membership_fkey foreign key (clinic_id, recipient_membership_id)
          references memberships (clinic_id, id),
        constraint reminders_recipient_client_fkey foreign key (clinic_id, recipient_client_id)
          references clients (clinic_id, id),
        constraint reminders_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint reminders_category_check check (category in (${list(CATEGORIES)})),
        constraint reminders_recipient_check check (recipient_membership_id is not null or recipient_client_id is not null),
        constraint reminders_source_type_check check (source_type ~ '^[a-z][a-z0-9_]{0,39}$'),
        constraint reminders_occurrence_key_check check (char_length(occurrence_key) between 1 and 64),
        constraint reminders_dedupe_key_check check (char_length(dedupe_key) between 1 and 300),
        constraint reminders_channels_check
          check (channels <@ array['in_app', 'email', 'sms']::text[] and cardinality(channels) between 1 and 3),
        constraint reminders_status_check check (status in ('pending', 'queued', 'sent', 'cancelled', 'failed')),
        constraint reminders_last_error_check check (char_length(last_error) <= 200),
        constraint reminders_cancelled_reason_check check (cancelled_reason ~ '^[a-z][a-z0-9_]{0,39}$')
      );
      create unique index reminders_dedupe_idx on reminders (clinic_id, dedupe_key);
      create index reminders_due_idx on reminders (fire_at) where status = 'pending';
      create index reminders_lease_idx on reminders (claimed_until) where status = 'queued';
      create index reminders_failed_idx on reminders (clinic_id, failed_at) where status = 'failed';
      create index reminders_recipient_idx on reminders (clinic_id, recipient_membership_id, fire_at);

      create table deliveries (
        clinic_id uuid not null,
        reminder_id uuid not null,
        occurrence_key text not null,
        channel text not null,
        idempotency_key text not null,
        status text not null default 'sending',
        provider_message_id text,
        provider_calls integer not null default 0,
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        primary key (clinic_id, reminder_id, occurrence_key, channel),
        constraint deliveries_reminder_fkey foreign key (clinic_id, reminder_id) references reminders (clinic_id, id),
        constraint deliveries_channel_check check (channel in ('in_app', 'email', 'sms')),
        constraint deliveries_status_check check (status in ('sending', 'sent')),
        constraint deliveries_sent_check check ((status = 'sent') = (sent_at is not null)),
        constraint deliveries_idempotency_key_check check (char_length(idempotency_key) between 1 and 200),
        constraint deliveries_provider_message_id_check check (char_length(provider_message_id) <= 300)
      );
    `);
    for (const table of TENANT_TABLES) {
      await queryRunner.query(`
        alter table ${table} enable row level security;
        alter table ${table} force row level security;
        create policy ${table}_isolation on ${table}
          using (clinic_id = (select app_current_clinic()))
          with check (clinic_id = (select app_current_clinic()));
      `);
    }
    await queryRunner.query(`
      grant select, insert, update on clinic_reminder_settings to mend_runtime;
      grant select, insert, update on client_reminder_settings to mend_runtime;
      grant select, insert, update, delete on client_reminder_preferences to mend_runtime;
      grant select, insert, update on reminders to mend_runtime;
      grant select, insert, update on deliveries to mend_runtime;

      -- The owner (this migration's role) sees every reminder, so that the
      -- SECURITY DEFINER functions below can claim and count across clinics.
      do $do$ begin
        execute format('create policy reminders_definer on reminders to %I using (true) with check (true)', current_user);
        execute format('create policy clinics_definer_reminders on clinics for select to %I using (true)', current_user);
      end $do$;

      -- REVIEWED (sudo-level): claims up to batch_size reminders of any clinic that
      -- are due (pending, fire_at passed), and re-claims queued ones whose lease ran
      -- out (a worker died between claiming and enqueueing, or its job was lost with
      -- Redis: the reconciler). Rows are locked with FOR UPDATE SKIP LOCKED, so any
      -- number of workers claim disjoint batches. Returns ids, clinic ids, the
      -- generation (part of the deterministic job id) and times only.
      create function reminder_claim(batch_size integer, lease_seconds integer)
        returns table (id uuid, clinic_id uuid, generation integer, claims integer, fire_at timestamptz)
        language sql volatile security definer
        set search_path = public, pg_temp
        as $$
          with due as (
            select r.clinic_id, r.id from reminders r
             where r.status = 'pending' and r.fire_at <= now()
             order by r.fire_at
             limit least(greatest(batch_size, 1), 5000)
             for update skip locked
          ), lapsed as (
            select r.clinic_id, r.id from reminders r
             where r.status = 'queued' and r.claimed_until < now()
             order by r.claimed_until
             limit least(greatest(batch_size, 1), 5000)
             for update skip locked
          )
          update reminders o
             set status = 'queued',
                 claim_token = gen_random_uuid(),
                 claimed_at = now(),
                 claimed_until = now() + make_interval(secs => least(greatest(lease_seconds, 5), 3600)),
                 claims = o.claims + 1,
                 job_id = 'reminder-' || o.id::text || '-' || o.generation::text,
                 updated_at = now()
           where (o.clinic_id, o.id) in (select d.clinic_id, d.id from due d union all select l.clinic_id, l.id from lapsed l)
          returning o.id, o.clinic_id, o.generation, o.claims, o.fire_at
        $$;
      revoke all on function reminder_claim(integer, integer) from public;
      grant execute on function reminder_claim(integer, integer) to mend_runtime;

      -- REVIEWED: the clinics the reminder planner visits (ids only).
      create function reminder_clinics() returns table (clinic_id uuid)
        language sql stable security definer
        set search_path = public, pg_temp
        as $$ select c.id from clinics c order by c.id $$;
      revoke all on function reminder_clinics() from public;
      grant execute on function reminder_clinics() to mend_runtime;

      -- REVIEWED: how far behind reminders are (for /health): counts and times only.
      create function reminder_backlog()
        returns table (due bigint, oldest_due_at timestamptz, queued bigint, failed bigint)
        language sql stable security definer
        set search_path = public, pg_temp
        as $$
          select count(*) filter (where status = 'pending' and fire_at <= now()),
                 min(fire_at) filter (where status = 'pending' and fire_at <= now()),
                 count(*) filter (where status = 'queued'),
                 count(*) filter (where status = 'failed')
            from reminders where status in ('pending', 'queued', 'failed')
        $$;
      revoke all on function reminder_backlog() from public;
      grant execute on function reminder_backlog() to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop function reminder_backlog();
      drop function reminder_clinics();
      drop function reminder_claim(integer, integer);
      drop policy clinics_definer_reminders on clinics;
      drop table deliveries;
      drop table reminders;
      drop table client_reminder_preferences;
      drop table client_reminder_settings;
      drop table clinic_reminder_settings;
    `);
  }
}
