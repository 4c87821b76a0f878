import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['report_requests', 'report_artifacts'];

/**
 * Progress reports (issue 9). Tenant tables (clinic_id first in the key, RLS
 * forced, composite foreign keys):
 * - report_requests: one report of a kind (`case`, `client_summary`,
 *   `caseload`, `clinic`) over a period of local dates [period_start,
 *   period_end) in `timezone`, for an audience, with its subject (a case, a
 *   counselor, or the clinic), who asked (null: a scheduled report), the
 *   instant its data is read as of (`as_of`: rebuilding the same request reads
 *   the same rows, so the numbers are identical), its status (`queued` ->
 *   `building` -> `ready` | `failed`, or `cancelled`), progress 0-100 and an
 *   error code. `narrative` is the counselor's optional text, encrypted
 *   (FieldEncryption). A scheduled report has a `schedule_key`, unique per
 *   clinic, so a schedule pass run twice (two workers) makes one report.
 * - report_artifacts: the built files (PDF, JSON, CSV tables): ciphertext
 *   (FieldEncryption of the bytes as base64), size and the sha256 of the
 *   plaintext bytes. Insert-only for the runtime role: a file is written once,
 *   in the same transaction that marks the report ready, so a worker killed
 *   mid-build leaves no partial file.
 *
 * Also:
 * - rotate_encrypted_value (1764461100000) covers report_artifacts.content and
 *   report_requests.narrative, so `keys:rotate` re-encrypts them;
 * - report_schedule_clinics(): the clinics, for the worker's schedule pass
 *   (monthly clinic report, weekly caseload digest). Clinic ids only; the pass
 *   then reads each clinic's timezone in that clinic's own transaction.
 */
export class Reports1764547300000 implements MigrationInterface {
  name = 'Reports1764547300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table report_requests (
        clinic_id uuid not null,
        id uuid not null,
        kind text not null,
        audience text not null,
        period_start date not null,
        period_end date not null,
        timezone text not null,
        as_of timestamptz not null,
        case_id uuid,
        audience_client_id uuid,
        counselor_membership_id uuid,
        requested_by_membership_id uuid,
        schedule_key text,
        narrative text,
        status text not null default 'queued',
        progress smallint not null default 0,
        attempts integer not null default 0,
        error_code text,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint report_requests_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint report_requests_audience_client_fkey foreign key (clinic_id, audience_client_id)
          references clients (clinic_id, id),
        constraint report_requests_counselor_fkey foreign key (clinic_id, counselor_membership_id)
          references memberships (clinic_id, id),
        constraint report_requests_requested_by_fkey foreign key (clinic_id, requested_by_membership_id)
          references memberships (clinic_id, id),
        constraint report_requests_kind_check check (kind in ('case', 'client_summary', 'caseload', 'clinic')),
        constraint report_requests_audience_check check (
          (kind = 'case' and audience = 'care_team')
          or (kind = 'client_summary' and audience in ('couple', 'partner'))
          or (kind = 'caseload' and audience = 'counselor')
          or (kind = 'clinic' and audience in ('clinic', 'supervisor'))),
        constraint report_requests_subject_check check (
          (case_id is not null) = (kind in ('case', 'client_summary'))
          and (audience_client_id is not null) = (audience = 'partner')
          and (counselor_membership_id is not null) = (kind = 'caseload')
          and (audience <> 'supervisor' or requested_by_membership_id is not null)),
        constraint report_requests_period_check check (
          period_end > period_start and period_end - period_start <= 366),
        constraint report_requests_status_check
          check (status in ('queued', 'building', 'ready', 'failed', 'cancelled')),
        constraint report_requests_progress_check check (progress between 0 and 100),
        constraint report_requests_error_code_check check (error_code ~ '^[a-z][a-z0-9_]{0,63}$'),
        constraint report_requests_schedule_key_check check (schedule_key ~ '^[a-z0-9][a-z0-9:._-]{0,119}$'),
        constraint report_requests_narrative_check check (narrative is null or kind in ('case', 'client_summary'))
      );
      create index report_requests_case_idx on report_requests (clinic_id, case_id, created_at);
      create index report_requests_requested_by_idx on report_requests (clinic_id, requested_by_membership_id, created_at);
      create unique index report_requests_schedule_idx on report_requests (clinic_id, schedule_key)
        where schedule_key is not null;

      create table report_artifacts (
        clinic_id uuid not null,
        id uuid not null,
        report_id uuid not null,
        name text not null,
        media_type text not null,
        content text not null,
        byte_size integer not null,
        sha256 text not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint report_artifacts_report_fkey foreign key (clinic_id, report_id)
          references report_requests (clinic_id, id),
        constraint report_artifacts_name_check check (name ~ '^[a-z][a-z0-9-]{0,60}[.](pdf|json|csv)$'),
        constraint report_artifacts_media_type_check
          check (media_type in ('application/pdf', 'application/json', 'text/csv')),
        constraint report_artifacts_byte_size_check check (byte_size >= 0),
        constraint report_artifacts_sha256_check check (sha256 ~ '^[0-9a-f]{64}$')
      );
      create unique index report_artifacts_name_idx on report_artifacts (clinic_id, report_id, name);
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
      grant select, insert, update on report_requests to mend_runtime;
      -- Files are written once (with the report's ready status) and never changed by the
      -- runtime role; key rotation re-encrypts them through rotate_encrypted_value (owner).
      grant select, insert on report_artifacts to mend_runtime;

      -- The owner reads (never changes) the clinic list, for report_schedule_clinics().
      do $do$ begin
        execute format('create policy clinics_definer on clinics for select to %I using (true)', current_user);
      end $do$;

      -- REVIEWED: the worker's report schedule pass visits every clinic (monthly clinic
      -- report, weekly caseload digest). Clinic ids only.
      create function report_schedule_clinics() returns table (clinic_id uuid)
        language sql stable security definer set search_path = public, pg_temp
        as $$ select c.id from clinics c order by c.id $$;
      revoke all on function report_schedule_clinics() from public;
      grant execute on function report_schedule_clinics() to mend_runtime;

      drop function rotate_encrypted_value(text, text, uuid, text, text, integer);

      -- REVIEWED (sudo-level): as 1764461100000, plus the report files and the report
      -- narrative. Replaces the ciphertext of ONE encrypted value of the current clinic
      -- with a new ciphertext under a newer key version, and changes nothing else:
      -- compare-and-swap on the old ciphertext, the new value must name the clinic's key
      -- version given, which must exist and be newer than the value's. The (table,
      -- column) pairs are fixed here (no dynamic SQL).
      create function rotate_encrypted_value(
          p_table text, p_column text, p_id uuid, p_expected text, p_new text, p_new_version integer)
        returns boolean
        language plpgsql volatile security definer
        set search_path = public, pg_temp
        as $$
        declare
          v_clinic uuid := app_current_clinic();
          v_count integer;
        begin
          if v_clinic is null then
            raise exception 'rotate_encrypted_value needs a clinic' using errcode = 'P0001';
          end if;
          if split_part(p_new, '.', 2) <> lower(v_clinic::text) || '~' || p_new_version::text
             or sealed_key_version(p_new) is distinct from p_new_version
             or not exists (select 1 from clinic_data_keys k where k.clinic_id = v_clinic and k.version = p_new_version) then
            raise exception 'rotate_encrypted_value: the new value is not sealed with this clinic''s key version'
              using errcode = 'P0001';
          end if;
          if p_table = 'progress_notes' and p_column = 'body' then
            update progress_notes set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'progress_note_amendments' and p_column = 'body' then
            update progress_note_amendments set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'psychotherapy_notes' and p_column = 'body' then
            update psychotherapy_notes set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'submissions' and p_column = 'answers' then
            update submissions set answers = p_new
             where clinic_id = v_clinic and id = p_id and answers = p_expected
               and sealed_key_version(answers) < p_new_version;
          elsif p_table = 'submission_feedback' and p_column = 'body' then
            update submission_feedback set body = p_new
             where clinic_id = v_clinic and id = p_id and body = p_expected and sealed_key_version(body) < p_new_version;
          elsif p_table = 'safety_alerts' and p_column = 'excerpt' then
            update safety_alerts set excerpt = p_new
             where clinic_id = v_clinic and id = p_id and excerpt = p_expected
               and sealed_key_version(excerpt) < p_new_version;
          elsif p_table = 'safety_alerts' and p_column = 'reason' then
            update safety_alerts set reason = p_new
             where clinic_id = v_clinic and id = p_id and reason = p_expected
               and sealed_key_version(reason) < p_new_version;
          elsif p_table = 'safety_check_ins' and p_column = 'open_text' then
            update safety_check_ins set open_text = p_new
             where clinic_id = v_clinic and id = p_id and open_text = p_expected
               and sealed_key_version(open_text) < p_new_version;
          elsif p_table = 'report_artifacts' and p_column = 'content' then
            update report_artifacts set content = p_new
             where clinic_id = v_clinic and id = p_id and content = p_expected
               and sealed_key_version(content) < p_new_version;
          elsif p_table = 'report_requests' and p_column = 'narrative' then
            update report_requests set narrative = p_new
             where clinic_id = v_clinic and id = p_id and narrative = p_expected
               and sealed_key_version(narrative) < p_new_version;
          else
            raise exception 'rotate_encrypted_value: %.% is not a rotatable column', p_table, p_column
              using errcode = 'P0001';
          end if;
          get diagnostics v_count = row_count;
          return v_count = 1;
        end
        $$;
      revoke all on function rotate_encrypted_value(text, text, uuid, text, text, integer) from public;
      grant execute on function rotate_encrypted_value(text, text, uuid, text, text, integer) to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop function rotate_encrypted_value(text, text, uuid, text, text, integer);

      -- As 1764461100000.
      create function rotate_encrypted_value(
          p_table text, p_column text, p_id uuid, p_expected text, p_new text, p_new_version integer)
        returns boolean
        language plpgsql volatile security definer
        set search_path = public, pg_temp
        as $$
        declare
          v_clinic uuid := app_current_clinic();
          v_count integer;
        begin
          if v_clinic is null then
            raise exception 'rotate_encrypted_value needs a clinic' using errcode = 'P0001';
          end if;
          if split_part(p_new, '.', 2) <> lower(v_clinic::text) || '~' || p_new_version::text
             or sealed_key_version(p_new) is distinct from p_new_version
             or not exists (select 1 from clinic_data_keys k where k.clinic_id = v_clinic and k.version = p_new_version) then
            raise exception 'rotate_encrypted_value: the new value is not sealed with this clinic''s key version'
              using errcode = 'P0001';
          end if;
          if p_table = 'progress_notes' and p_column = 'body' then
            update progress_notes set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'progress_note_amendments' and p_column = 'body' then
            update progress_note_amendments set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'psychotherapy_notes' and p_column = 'body' then
            update psychotherapy_notes set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'submissions' and p_column = 'answers' then
            update submissions set answers = p_new
             where clinic_id = v_clinic and id = p_id and answers = p_expected
               and sealed_key_version(answers) < p_new_version;
          elsif p_table = 'submission_feedback' and p_column = 'body' then
            update submission_feedback set body = p_new
             where clinic_id = v_clinic and id = p_id and body = p_expected and sealed_key_version(body) < p_new_version;
          elsif p_table = 'safety_alerts' and p_column = 'excerpt' then
            update safety_alerts set excerpt = p_new
             where clinic_id = v_clinic and id = p_id and excerpt = p_expected
               and sealed_key_version(excerpt) < p_new_version;
          elsif p_table = 'safety_alerts' and p_column = 'reason' then
            update safety_alerts set reason = p_new
             where clinic_id = v_clinic and id = p_id and reason = p_expected
               and sealed_key_version(reason) < p_new_version;
          elsif p_table = 'safety_check_ins' and p_column = 'open_text' then
            update safety_check_ins set open_text = p_new
             where clinic_id = v_clinic and id = p_id and open_text = p_expected
               and sealed_key_version(open_text) < p_new_version;
          else
            raise exception 'rotate_encrypted_value: %.% is not a rotatable column', p_table, p_column
              using errcode = 'P0001';
          end if;
          get diagnostics v_count = row_count;
          return v_count = 1;
        end
        $$;
      revoke all on function rotate_encrypted_value(text, text, uuid, text, text, integer) from public;
      grant execute on function rotate_encrypted_value(text, text, uuid, text, text, integer) to mend_runtime;

      drop function report_schedule_clinics();
      drop policy clinics_definer on clinics;
      drop table report_artifacts;
      drop table report_requests;
    `);
  }
}
