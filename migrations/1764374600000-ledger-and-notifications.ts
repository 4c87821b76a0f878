import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'commitment_check_ins',
  'commitment_check_in_responses',
  'boundary_events',
  'disclosures',
  'notifications',
];

/**
 * The trust ledger (check-ins on commitments and the other participants'
 * confirmations or disputes), boundary events, the disclosure log and the
 * in-app notification centre. Tenant tables (clinic_id first in the key, RLS
 * forced, composite foreign keys).
 *
 * The ledger, its responses and the disclosure log are append-only for every
 * role (a statement-level trigger refuses UPDATE, DELETE and TRUNCATE, like the
 * audit trail); a correction is a new check-in naming the one it corrects (one
 * correction per entry, so a chain is a line). A boundary event is append-only
 * except that its completion is recorded once, later (a row trigger lets only
 * `completed_at` / `completed_by_membership_id` go from null to a value).
 * Commitment and boundary ids name items of the repair plan; the foreign keys to
 * the plan's tables are added by a later migration once those exist.
 */
export class LedgerAndNotifications1764374600000 implements MigrationInterface {
  name = 'LedgerAndNotifications1764374600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create function ledger_refuse_change() returns trigger
        language plpgsql
        as $$
        begin
          raise exception '% on % refused: the record is append-only', tg_op, tg_table_name
            using errcode = 'P0001';
        end
        $$;

      create function boundary_events_guard_update() returns trigger
        language plpgsql
        as $$
        begin
          if old.completed_at is null
             and new.completed_at is not null
             and (to_jsonb(new) - 'completed_at' - 'completed_by_membership_id')
               = (to_jsonb(old) - 'completed_at' - 'completed_by_membership_id') then
            return new;
          end if;
          raise exception 'UPDATE on boundary_events refused: only the completion is recorded, once'
            using errcode = 'P0001';
        end
        $$;

      create table commitment_check_ins (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        commitment_id uuid not null,
        participant_client_id uuid not null,
        status text not null,
        occurred_on date not null,
        note text,
        corrects_check_in_id uuid,
        recorded_by_membership_id uuid not null,
        recorded_by_kind text not null,
        recorded_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint commitment_check_ins_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint commitment_check_ins_participant_fkey foreign key (clinic_id, participant_client_id)
          references clients (clinic_id, id),
        constraint commitment_check_ins_recorded_by_fkey foreign key (clinic_id, recorded_by_membership_id)
          references memberships (clinic_id, id),
        constraint commitment_check_ins_corrects_fkey foreign key (clinic_id, corrects_check_in_id)
          references commitment_check_ins (clinic_id, id),
        constraint commitment_check_ins_status_check check (status in ('kept', 'partly_kept', 'missed')),
        constraint commitment_check_ins_recorded_by_kind_check check (recorded_by_kind in ('participant', 'care_team')),
        constraint commitment_check_ins_note_check check (char_length(note) between 1 and 2000),
        constraint commitment_check_ins_not_self_check check (corrects_check_in_id <> id)
      );
      create index commitment_check_ins_case_idx on commitment_check_ins (clinic_id, case_id, commitment_id, occurred_on);
      create unique index commitment_check_ins_one_correction_idx on commitment_check_ins (clinic_id, corrects_check_in_id)
        where corrects_check_in_id is not null;

      create table commitment_check_in_responses (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        check_in_id uuid not null,
        responder_client_id uuid not null,
        responded_by_membership_id uuid not null,
        response text not null,
        note text,
        responded_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint commitment_check_in_responses_case_fkey foreign key (clinic_id, case_id)
          references cases (clinic_id, id),
        constraint commitment_check_in_responses_check_in_fkey foreign key (clinic_id, check_in_id)
          references commitment_check_ins (clinic_id, id),
        constraint commitment_check_in_responses_responder_fkey foreign key (clinic_id, responder_client_id)
          references clients (clinic_id, id),
        constraint commitment_check_in_responses_responded_by_fkey foreign key (clinic_id, responded_by_membership_id)
          references memberships (clinic_id, id),
        constraint commitment_check_in_responses_response_check check (response in ('confirmed', 'disputed')),
        constraint commitment_check_in_responses_note_check check (char_length(note) between 1 and 2000)
      );
      create unique index commitment_check_in_responses_once_idx
        on commitment_check_in_responses (clinic_id, check_in_id, responder_client_id);
      create index commitment_check_in_responses_case_idx on commitment_check_in_responses (clinic_id, case_id);

      create table boundary_events (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        boundary_id uuid not null,
        occurred_at timestamptz not null,
        severity text not null,
        restorative_response text,
        reported_by_membership_id uuid not null,
        reported_by_kind text not null,
        reporter_client_id uuid,
        recorded_at timestamptz not null default now(),
        completed_at timestamptz,
        completed_by_membership_id uuid,
        primary key (clinic_id, id),
        constraint boundary_events_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint boundary_events_reported_by_fkey foreign key (clinic_id, reported_by_membership_id)
          references memberships (clinic_id, id),
        constraint boundary_events_reporter_client_fkey foreign key (clinic_id, reporter_client_id)
          references clients (clinic_id, id),
        constraint boundary_events_completed_by_fkey foreign key (clinic_id, completed_by_membership_id)
          references memberships (clinic_id, id),
        constraint boundary_events_severity_check check (severity in ('low', 'moderate', 'high')),
        constraint boundary_events_reported_by_kind_check check (
          (reported_by_kind = 'participant' and reporter_client_id is not null)
          or (reported_by_kind = 'care_team' and reporter_client_id is null)),
        constraint boundary_events_restorative_response_check check (char_length(restorative_response) between 1 and 2000),
        constraint boundary_events_completion_check check (
          (completed_at is null) = (completed_by_membership_id is null) and completed_at >= occurred_at)
      );
      create index boundary_events_case_idx on boundary_events (clinic_id, case_id, occurred_at);

      create table disclosures (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        item_type text not null,
        item_id uuid not null,
        author_client_id uuid not null,
        disclosed_by_membership_id uuid,
        mode text not null,
        secrets_policy_version integer,
        disclosed_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint disclosures_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint disclosures_author_fkey foreign key (clinic_id, author_client_id) references clients (clinic_id, id),
        constraint disclosures_disclosed_by_fkey foreign key (clinic_id, disclosed_by_membership_id)
          references memberships (clinic_id, id),
        constraint disclosures_policy_fkey foreign key (clinic_id, case_id, secrets_policy_version)
          references case_secrets_policies (clinic_id, case_id, version),
        constraint disclosures_item_type_check check (item_type ~ '^[a-z][a-z0-9_.]{0,39}$'),
        constraint disclosures_mode_check check (mode in ('released_by_author', 'shared_by_care_team'))
      );
      create index disclosures_case_idx on disclosures (clinic_id, case_id, disclosed_at);

      create table notifications (
        clinic_id uuid not null,
        id uuid not null,
        recipient_membership_id uuid not null,
        kind text not null,
        title text not null,
        case_id uuid,
        subject_type text,
        subject_id uuid,
        created_at timestamptz not null default now(),
        read_at timestamptz,
        primary key (clinic_id, id),
        constraint notifications_recipient_fkey foreign key (clinic_id, recipient_membership_id)
          references memberships (clinic_id, id),
        constraint notifications_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint notifications_kind_check check (kind ~ '^[a-z][a-z0-9_.]{0,59}$'),
        constraint notifications_title_check check (char_length(title) between 1 and 200),
        constraint notifications_subject_type_check check (subject_type ~ '^[a-z][a-z0-9_.]{0,39}$')
      );
      create index notifications_recipient_idx
        on notifications (clinic_id, recipient_membership_id, created_at desc, id desc);
      create index notifications_unread_idx on notifications (clinic_id, recipient_membership_id)
        where read_at is null;
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
      create trigger commitment_check_ins_append_only
        before update or delete or truncate on commitment_check_ins
        for each statement execute function ledger_refuse_change();
      create trigger commitment_check_in_responses_append_only
        before update or delete or truncate on commitment_check_in_responses
        for each statement execute function ledger_refuse_change();
      create trigger disclosures_append_only
        before update or delete or truncate on disclosures
        for each statement execute function ledger_refuse_change();
      create trigger boundary_events_no_delete
        before delete or truncate on boundary_events
        for each statement execute function ledger_refuse_change();
      create trigger boundary_events_completion_only
        before update on boundary_events
        for each row execute function boundary_events_guard_update();

      grant select, insert on commitment_check_ins to mend_runtime;
      grant select, insert on commitment_check_in_responses to mend_runtime;
      grant select, insert on disclosures to mend_runtime;
      grant select, insert on boundary_events to mend_runtime;
      grant update (completed_at, completed_by_membership_id) on boundary_events to mend_runtime;
      grant select, insert on notifications to mend_runtime;
      grant update (read_at) on notifications to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop table notifications;
      drop table disclosures;
      drop table boundary_events;
      drop table commitment_check_in_responses;
      drop table commitment_check_ins;
      drop function boundary_events_guard_update();
      drop function ledger_refuse_change();
    `);
  }
}
