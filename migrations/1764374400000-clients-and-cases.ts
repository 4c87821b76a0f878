import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'clients',
  'cases',
  'case_participants',
  'case_care_team',
  'case_status_changes',
  'case_secrets_policies',
  'case_secrets_policy_signatures',
];

/**
 * Clients and cases: the people receiving care, the cases they take part in
 * (with their role in the breach), the care team (one primary counselor), the
 * dated status history, the versioned secrets policy and each participant's
 * e-signature of it. Every table is a tenant table (clinic_id first in the key,
 * RLS forced, composite foreign keys), and the clinic gains its configurable
 * labels for the participant roles.
 */
export class ClientsAndCases1764374400000 implements MigrationInterface {
  name = 'ClientsAndCases1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table clinics add column participant_role_labels jsonb not null default '{}'::jsonb;
      alter table clinics add constraint clinics_participant_role_labels_check
        check (jsonb_typeof(participant_role_labels) = 'object');

      create table clients (
        clinic_id uuid not null,
        id uuid not null,
        display_name text not null,
        email text,
        phone text,
        timezone text not null,
        reminder_channel text not null default 'email',
        reminder_time time,
        discreet_notifications boolean not null default false,
        membership_id uuid,
        status text not null default 'active',
        archived_at timestamptz,
        created_by_membership_id uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint clients_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint clients_membership_fkey foreign key (clinic_id, membership_id)
          references memberships (clinic_id, id),
        constraint clients_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint clients_display_name_check check (char_length(display_name) between 1 and 200),
        constraint clients_email_check check (email = lower(email) and char_length(email) between 3 and 254),
        constraint clients_phone_check check (char_length(phone) between 3 and 40),
        constraint clients_timezone_check check (char_length(timezone) between 1 and 64),
        constraint clients_reminder_channel_check check (reminder_channel in ('email', 'in_app')),
        constraint clients_status_check check (status in ('active', 'archived')),
        constraint clients_archived_at_check check ((status = 'archived') = (archived_at is not null))
      );
      create unique index clients_membership_key on clients (clinic_id, membership_id);
      create index clients_display_name_idx on clients (clinic_id, lower(display_name), id);

      create table cases (
        clinic_id uuid not null,
        id uuid not null,
        title text not null,
        type text not null,
        status text not null default 'intake',
        status_changed_at timestamptz not null default now(),
        outcome text,
        safety_status text not null default 'normal',
        safety_reason text,
        safety_changed_at timestamptz,
        safety_changed_by_membership_id uuid,
        secrets_policy_version integer,
        created_by_membership_id uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint cases_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint cases_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint cases_safety_changed_by_fkey foreign key (clinic_id, safety_changed_by_membership_id)
          references memberships (clinic_id, id),
        constraint cases_title_check check (char_length(title) between 1 and 200),
        constraint cases_type_check check (type in ('couple', 'family', 'individual', 'friendship', 'other')),
        constraint cases_status_check check (status in ('intake', 'active', 'on_hold', 'closed')),
        constraint cases_outcome_check check (outcome in ('continue', 'redefine', 'end')),
        constraint cases_safety_status_check check (safety_status in ('normal', 'safety_hold')),
        constraint cases_safety_reason_check
          check ((safety_status = 'safety_hold') = (safety_reason is not null) and char_length(safety_reason) <= 2000)
      );
      create index cases_status_idx on cases (clinic_id, status, updated_at);

      create table case_participants (
        clinic_id uuid not null,
        case_id uuid not null,
        client_id uuid not null,
        role text not null,
        added_at timestamptz not null default now(),
        primary key (clinic_id, case_id, client_id),
        constraint case_participants_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint case_participants_client_fkey foreign key (clinic_id, client_id) references clients (clinic_id, id),
        constraint case_participants_role_check check (role in ('harmed', 'harming', 'mutual', 'individual'))
      );
      create index case_participants_client_idx on case_participants (clinic_id, client_id);

      create table case_care_team (
        clinic_id uuid not null,
        case_id uuid not null,
        membership_id uuid not null,
        is_primary boolean not null default false,
        added_at timestamptz not null default now(),
        primary key (clinic_id, case_id, membership_id),
        constraint case_care_team_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint case_care_team_membership_fkey foreign key (clinic_id, membership_id)
          references memberships (clinic_id, id)
      );
      create unique index case_care_team_one_primary_idx on case_care_team (clinic_id, case_id) where is_primary;
      create index case_care_team_membership_idx on case_care_team (clinic_id, membership_id);

      create table case_status_changes (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        from_status text,
        to_status text not null,
        outcome text,
        reason text,
        changed_at timestamptz not null default now(),
        changed_by_membership_id uuid,
        primary key (clinic_id, id),
        constraint case_status_changes_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint case_status_changes_changed_by_fkey foreign key (clinic_id, changed_by_membership_id)
          references memberships (clinic_id, id),
        constraint case_status_changes_from_check check (from_status in ('intake', 'active', 'on_hold', 'closed')),
        constraint case_status_changes_to_check check (to_status in ('intake', 'active', 'on_hold', 'closed')),
        constraint case_status_changes_outcome_check check (outcome in ('continue', 'redefine', 'end')),
        constraint case_status_changes_reason_check check (char_length(reason) <= 2000)
      );
      create index case_status_changes_case_idx on case_status_changes (clinic_id, case_id, changed_at);

      create table case_secrets_policies (
        clinic_id uuid not null,
        case_id uuid not null,
        version integer not null,
        kind text not null,
        body text not null,
        created_at timestamptz not null default now(),
        created_by_membership_id uuid,
        primary key (clinic_id, case_id, version),
        constraint case_secrets_policies_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint case_secrets_policies_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint case_secrets_policies_kind_check check (kind in ('no_secrets', 'limited_secrets', 'custom')),
        constraint case_secrets_policies_version_check check (version >= 1),
        constraint case_secrets_policies_body_check check (char_length(body) between 1 and 20000)
      );
      alter table cases add constraint cases_secrets_policy_fkey foreign key (clinic_id, id, secrets_policy_version)
        references case_secrets_policies (clinic_id, case_id, version) deferrable initially deferred;

      create table case_secrets_policy_signatures (
        clinic_id uuid not null,
        case_id uuid not null,
        version integer not null,
        client_id uuid not null,
        signed_by_user_id uuid not null,
        signed_name text not null,
        signed_at timestamptz not null default now(),
        ip inet,
        user_agent text,
        primary key (clinic_id, case_id, version, client_id),
        constraint case_secrets_policy_signatures_policy_fkey foreign key (clinic_id, case_id, version)
          references case_secrets_policies (clinic_id, case_id, version),
        constraint case_secrets_policy_signatures_participant_fkey foreign key (clinic_id, case_id, client_id)
          references case_participants (clinic_id, case_id, client_id),
        constraint case_secrets_policy_signatures_user_fkey foreign key (signed_by_user_id) references users (id),
        constraint case_secrets_policy_signatures_name_check check (char_length(signed_name) between 1 and 200),
        constraint case_secrets_policy_signatures_user_agent_check check (char_length(user_agent) <= 256)
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
      grant select, insert, update on clients to mend_runtime;
      grant select, insert, update on cases to mend_runtime;
      grant select, insert, update, delete on case_participants to mend_runtime;
      grant select, insert, update, delete on case_care_team to mend_runtime;
      grant select, insert on case_status_changes to mend_runtime;
      grant select, insert on case_secrets_policies to mend_runtime;
      grant select, insert on case_secrets_policy_signatures to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table cases drop constraint cases_secrets_policy_fkey;
      drop table case_secrets_policy_signatures;
      drop table case_secrets_policies;
      drop table case_status_changes;
      drop table case_care_team;
      drop table case_participants;
      drop table cases;
      drop table clients;
      alter table clinics drop constraint clinics_participant_role_labels_check;
      alter table clinics drop column participant_role_labels;
    `);
  }
}
