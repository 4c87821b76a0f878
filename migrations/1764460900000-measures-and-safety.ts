import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'clinic_measures',
  'measure_schedules',
  'measure_administrations',
  'safety_alerts',
  'clinic_safety_settings',
  'clinic_crisis_resources',
  'safety_check_ins',
];

/**
 * Outcome measures and safety (issue 6). Tenant tables (clinic_id first in the
 * key, RLS forced, composite foreign keys):
 * - clinic_measures: a measure the clinic holds a licence for (`clinic`), or the
 *   verbatim wording of a built-in it holds a licence for (`built_in_wording`):
 *   the full, validated definition as jsonb, one row per (measure, version);
 * - measure_schedules / measure_administrations: a measure scheduled for a client
 *   of a case (once or every N days, in the client's timezone) and each
 *   administration: due, then completed with item answers, score and version;
 * - safety_alerts: tiered alerts (clinical.md §4.3) with acknowledgement and
 *   escalation; matched text (`excerpt`) and a manual reason are encrypted
 *   (FieldEncryption); rule ids and spans are stored, never in titles or logs;
 * - clinic_safety_settings: escalation contact and delay, thresholds in safe bounds,
 *   the clinic's safety check-in questions (null: Mend's default);
 * - clinic_crisis_resources: a clinic's own crisis resources per country (the
 *   built-in seed lives in code, marked as needing local verification);
 * - safety_check_ins: the private, per-partner safety check-in.
 *
 * Also: the outbox claim serves the `safety` queue before every other queue, so a
 * backlog of ordinary jobs never delays a safety alert.
 */
export class MeasuresAndSafety1764460900000 implements MigrationInterface {
  name = 'MeasuresAndSafety1764460900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table clinic_measures (
        clinic_id uuid not null,
        measure_id text not null,
        version text not null,
        kind text not null,
        definition jsonb not null,
        licence_reference text not null,
        created_by_membership_id uuid,
        created_at timestamptz not null default now(),
        primary key (clinic_id, measure_id, version),
        constraint clinic_measures_clinic_fkey foreign key (clinic_id) references clinics (id),
        constraint clinic_measures_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint clinic_measures_kind_check check (kind in ('clinic', 'built_in_wording')),
        constraint clinic_measures_measure_id_check check (measure_id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
        constraint clinic_measures_version_check check (char_length(version) between 1 and 40),
        constraint clinic_measures_licence_reference_check check (char_length(licence_reference) between 1 and 500)
      );

      create table measure_schedules (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        client_id uuid not null,
        measure_id text not null,
        measure_version text not null,
        timezone text not null,
        local_time text not null,
        start_date date not null,
        interval_days integer,
        occurrences integer,
        status text not null default 'active',
        created_by_membership_id uuid not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint measure_schedules_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint measure_schedules_client_fkey foreign key (clinic_id, client_id) references clients (clinic_id, id),
        constraint measure_schedules_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint measure_schedules_local_time_check check (local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        constraint measure_schedules_interval_check check (interval_days between 1 and 365),
        constraint measure_schedules_occurrences_check check (occurrences between 1 and 200),
        constraint measure_schedules_status_check check (status in ('active', 'stopped'))
      );
      create index measure_schedules_case_idx on measure_schedules (clinic_id, case_id);

      create table measure_administrations (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        client_id uuid not null,
        schedule_id uuid,
        occurrence integer,
        measure_id text not null,
        measure_version text not null,
        status text not null,
        due_at timestamptz,
        answers jsonb,
        score jsonb,
        total double precision,
        administered_at timestamptz,
        recorded_by_membership_id uuid,
        recorded_by_kind text,
        created_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint measure_administrations_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint measure_administrations_client_fkey foreign key (clinic_id, client_id)
          references clients (clinic_id, id),
        constraint measure_administrations_schedule_fkey foreign key (clinic_id, schedule_id)
          references measure_schedules (clinic_id, id),
        constraint measure_administrations_recorded_by_fkey foreign key (clinic_id, recorded_by_membership_id)
          references memberships (clinic_id, id),
        constraint measure_administrations_status_check check (status in ('due', 'completed', 'cancelled')),
        constraint measure_administrations_recorded_by_kind_check check (recorded_by_kind in ('client', 'care_team')),
        constraint measure_administrations_completed_check check (
          (status = 'completed') = (answers is not null and score is not null and total is not null
            and administered_at is not null and recorded_by_kind is not null))
      );
      create index measure_administrations_series_idx
        on measure_administrations (clinic_id, client_id, measure_id, administered_at);
      create index measure_administrations_case_idx on measure_administrations (clinic_id, case_id, created_at);
      create unique index measure_administrations_occurrence_idx
        on measure_administrations (clinic_id, schedule_id, occurrence) where schedule_id is not null;

      create table safety_alerts (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        subject_client_id uuid,
        tier smallint not null,
        trigger text not null,
        rule_ids jsonb not null,
        source_type text,
        source_id uuid,
        spans jsonb not null,
        excerpt text,
        reason text,
        suggest_safety_hold boolean not null default false,
        status text not null default 'open',
        raised_at timestamptz not null,
        raised_by_membership_id uuid,
        acknowledged_at timestamptz,
        acknowledged_by_membership_id uuid,
        escalation_due_at timestamptz,
        escalated_at timestamptz,
        escalated_to_membership_id uuid,
        dedupe_key text,
        primary key (clinic_id, id),
        constraint safety_alerts_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint safety_alerts_subject_client_fkey foreign key (clinic_id, subject_client_id)
          references clients (clinic_id, id),
        constraint safety_alerts_raised_by_fkey foreign key (clinic_id, raised_by_membership_id)
          references memberships (clinic_id, id),
        constraint safety_alerts_acknowledged_by_fkey foreign key (clinic_id, acknowledged_by_membership_id)
          references memberships (clinic_id, id),
        constraint safety_alerts_escalated_to_fkey foreign key (clinic_id, escalated_to_membership_id)
          references memberships (clinic_id, id),
        constraint safety_alerts_tier_check check (tier in (1, 2, 3)),
        constraint safety_alerts_trigger_check check (trigger in
          ('measure', 'risk_scan', 'check_in', 'manual', 'reliable_deterioration', 'couple_distress', 'boundary_breaches')),
        constraint safety_alerts_status_check check (status in ('open', 'acknowledged')),
        constraint safety_alerts_acknowledged_check check (
          (status = 'acknowledged') = (acknowledged_at is not null and acknowledged_by_membership_id is not null))
      );
      create index safety_alerts_case_idx on safety_alerts (clinic_id, case_id, raised_at);
      create index safety_alerts_open_idx on safety_alerts (clinic_id, raised_at) where status = 'open';
      create unique index safety_alerts_dedupe_idx on safety_alerts (clinic_id, dedupe_key) where dedupe_key is not null;

      create table clinic_safety_settings (
        clinic_id uuid not null,
        escalation_membership_id uuid,
        escalation_delay_minutes integer not null default 30,
        phq9_item9_tier1_min integer not null default 2,
        phq9_total_tier2_min integer not null default 20,
        boundary_breach_count integer not null default 3,
        boundary_breach_window_days integer not null default 14,
        default_country text not null default 'US',
        check_in_questions jsonb,
        updated_by_membership_id uuid,
        updated_at timestamptz not null default now(),
        primary key (clinic_id),
        constraint clinic_safety_settings_clinic_fkey foreign key (clinic_id) references clinics (id),
        constraint clinic_safety_settings_escalation_fkey foreign key (clinic_id, escalation_membership_id)
          references memberships (clinic_id, id),
        constraint clinic_safety_settings_updated_by_fkey foreign key (clinic_id, updated_by_membership_id)
          references memberships (clinic_id, id),
        constraint clinic_safety_settings_bounds_check check (
          escalation_delay_minutes between 5 and 240
          and phq9_item9_tier1_min between 1 and 2
          and phq9_total_tier2_min between 10 and 20
          and boundary_breach_count between 2 and 5
          and boundary_breach_window_days between 7 and 30),
        constraint clinic_safety_settings_country_check check (default_country ~ '^[A-Z]{2}$')
      );

      create table clinic_crisis_resources (
        clinic_id uuid not null,
        country text not null,
        resources jsonb not null,
        verified_at timestamptz,
        updated_by_membership_id uuid,
        updated_at timestamptz not null default now(),
        primary key (clinic_id, country),
        constraint clinic_crisis_resources_clinic_fkey foreign key (clinic_id) references clinics (id),
        constraint clinic_crisis_resources_updated_by_fkey foreign key (clinic_id, updated_by_membership_id)
          references memberships (clinic_id, id),
        constraint clinic_crisis_resources_country_check check (country ~ '^[A-Z]{2}$')
      );

      create table safety_check_ins (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        client_id uuid not null,
        status text not null default 'offered',
        questions jsonb not null,
        answers jsonb,
        open_text text,
        offered_at timestamptz not null default now(),
        offered_by_membership_id uuid not null,
        completed_at timestamptz,
        primary key (clinic_id, id),
        constraint safety_check_ins_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint safety_check_ins_client_fkey foreign key (clinic_id, client_id) references clients (clinic_id, id),
        constraint safety_check_ins_offered_by_fkey foreign key (clinic_id, offered_by_membership_id)
          references memberships (clinic_id, id),
        constraint safety_check_ins_status_check check (status in ('offered', 'completed')),
        constraint safety_check_ins_completed_check check ((status = 'completed') = (completed_at is not null))
      );
      create index safety_check_ins_case_idx on safety_check_ins (clinic_id, case_id, client_id, offered_at);
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
      grant select, insert on clinic_measures to mend_runtime;
      grant select, insert, update on measure_schedules to mend_runtime;
      grant select, insert, update on measure_administrations to mend_runtime;
      grant select, insert, update on safety_alerts to mend_runtime;
      grant select, insert, update on clinic_safety_settings to mend_runtime;
      grant select, insert, update on clinic_crisis_resources to mend_runtime;
      grant select, insert, update on safety_check_ins to mend_runtime;

      -- REVIEWED: as 1764201600000, but rows of the safety queue are claimed first.
      create or replace function outbox_claim(batch_size integer, lease_seconds integer)
        returns table (id uuid, clinic_id uuid, created_at timestamptz)
        language sql volatile security definer
        set search_path = public, pg_temp
        as $$
          with safety as (
            select p.clinic_id, p.id from outbox p
             where p.queue = 'safety'
               and p.published_at is null
               and p.available_at <= now()
               and (p.claimed_until is null or p.claimed_until < now())
             order by p.available_at, p.seq
             limit least(greatest(batch_size, 1), 5000)
             for update skip locked
          ), ordinary as (
            select p.clinic_id, p.id from outbox p
             where p.queue <> 'safety'
               and p.published_at is null
               and p.available_at <= now()
               and (p.claimed_until is null or p.claimed_until < now())
             order by p.available_at, p.seq
             limit least(greatest(batch_size, 1), 5000)
             for update skip locked
          )
          update outbox o
             set claimed_until = now() + make_interval(secs => least(greatest(lease_seconds, 1), 600)),
                 claims = o.claims + 1
           where (o.clinic_id, o.id) in (select s.clinic_id, s.id from safety s union all select r.clinic_id, r.id from ordinary r)
          returning o.id, o.clinic_id, o.created_at
        $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create or replace function outbox_claim(batch_size integer, lease_seconds integer)
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
      drop table safety_check_ins;
      drop table clinic_crisis_resources;
      drop table clinic_safety_settings;
      drop table safety_alerts;
      drop table measure_administrations;
      drop table measure_schedules;
      drop table clinic_measures;
    `);
  }
}
