import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'assignments',
  'assignment_occurrences',
  'assignment_status_changes',
  'submissions',
  'submission_feedback',
];

/**
 * Homework (issue 5): assignments, their dated occurrences, submissions and
 * counselor feedback. Tenant tables (clinic_id first in the key, RLS forced,
 * composite foreign keys).
 *
 * - `assignments` pin a SNAPSHOT of the exercise definition (built-ins live in
 *   code and may change; a clinic exercise version is referenced as well).
 * - `assignment_occurrences`: one per recipient per local date, generated when the
 *   assignment is created (every schedule is bounded by a due date, an end date or a
 *   count). A paired assignment links each date's two occurrences by `pair_id`.
 *   The status changes are recorded, dated, in `assignment_status_changes`
 *   (insert-only). Recipients reference clients, not case_participants, so that
 *   removing a participant keeps their homework history.
 * - `submissions`: one per occurrence. `answers` is the ciphertext of the answers
 *   JSON (FieldEncryption, location submissions/<id>/answers), drafts included.
 *   Once submitted, the answers are IMMUTABLE in the database: a row trigger refuses
 *   any UPDATE of a submitted row except recording, once each (null -> value), the
 *   review approval, the release and the reveal; DELETE is always refused.
 *   The only exception is a future key-rotation path, which re-encrypts `answers`
 *   with a newer clinic data key inside a transaction that sets
 *   `mend.reencrypting_answers = 'on'` (SET LOCAL); the plaintext never changes.
 * - `submission_feedback`: the counselor's feedback (feedback fields + note), its
 *   text encrypted (location submission_feedback/<id>/body), insert-only.
 */
export class Homework1764460800000 implements MigrationInterface {
  name = 'Homework1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table assignments (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        exercise_ref text not null,
        custom_exercise_id uuid,
        exercise_version integer not null,
        exercise_title text not null,
        exercise_snapshot jsonb not null,
        paired boolean not null,
        visibility text not null,
        release_requires_review boolean not null default false,
        schedule jsonb not null,
        status text not null default 'active',
        created_by_membership_id uuid not null,
        created_at timestamptz not null default now(),
        cancelled_at timestamptz,
        cancelled_by_membership_id uuid,
        primary key (clinic_id, id),
        constraint assignments_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint assignments_exercise_version_fkey foreign key (clinic_id, custom_exercise_id, exercise_version)
          references exercise_versions (clinic_id, exercise_id, version),
        constraint assignments_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint assignments_cancelled_by_fkey foreign key (clinic_id, cancelled_by_membership_id)
          references memberships (clinic_id, id),
        constraint assignments_visibility_check
          check (visibility in ('private', 'clinician', 'release', 'reveal', 'shared')),
        constraint assignments_status_check check (status in ('active', 'cancelled')),
        constraint assignments_cancelled_check
          check ((status = 'cancelled') = (cancelled_at is not null)),
        constraint assignments_review_check check (not release_requires_review or visibility = 'release'),
        constraint assignments_reveal_check check (visibility <> 'reveal' or paired),
        constraint assignments_snapshot_check check (jsonb_typeof(exercise_snapshot) = 'object'),
        constraint assignments_schedule_check check (jsonb_typeof(schedule) = 'object'),
        constraint assignments_exercise_ref_check check (char_length(exercise_ref) between 1 and 64)
      );
      create index assignments_case_idx on assignments (clinic_id, case_id, created_at);

      create table assignment_occurrences (
        clinic_id uuid not null,
        id uuid not null,
        assignment_id uuid not null,
        case_id uuid not null,
        client_id uuid not null,
        part text,
        opens_on date not null,
        due_on date not null,
        pair_id uuid,
        status text not null default 'assigned',
        status_changed_at timestamptz not null default now(),
        created_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint assignment_occurrences_assignment_fkey foreign key (clinic_id, assignment_id)
          references assignments (clinic_id, id),
        constraint assignment_occurrences_client_fkey foreign key (clinic_id, client_id)
          references clients (clinic_id, id),
        constraint assignment_occurrences_status_check
          check (status in ('assigned', 'in_progress', 'completed', 'overdue', 'cancelled')),
        constraint assignment_occurrences_dates_check check (opens_on <= due_on),
        constraint assignment_occurrences_part_check check (char_length(part) between 1 and 64)
      );
      create unique index assignment_occurrences_once_idx
        on assignment_occurrences (clinic_id, assignment_id, client_id, due_on);
      create index assignment_occurrences_client_idx on assignment_occurrences (clinic_id, client_id, due_on);
      create index assignment_occurrences_case_idx on assignment_occurrences (clinic_id, case_id, due_on);
      create index assignment_occurrences_open_idx on assignment_occurrences (due_on)
        where status in ('assigned', 'in_progress');

      create table assignment_status_changes (
        clinic_id uuid not null,
        id uuid not null,
        occurrence_id uuid not null,
        from_status text,
        to_status text not null,
        changed_at timestamptz not null default now(),
        changed_by_membership_id uuid,
        primary key (clinic_id, id),
        constraint assignment_status_changes_occurrence_fkey foreign key (clinic_id, occurrence_id)
          references assignment_occurrences (clinic_id, id),
        constraint assignment_status_changes_changed_by_fkey foreign key (clinic_id, changed_by_membership_id)
          references memberships (clinic_id, id),
        constraint assignment_status_changes_to_check
          check (to_status in ('assigned', 'in_progress', 'completed', 'overdue', 'cancelled'))
      );
      create index assignment_status_changes_occurrence_idx
        on assignment_status_changes (clinic_id, occurrence_id, changed_at);

      create table submissions (
        clinic_id uuid not null,
        id uuid not null,
        occurrence_id uuid not null,
        case_id uuid not null,
        author_client_id uuid not null,
        status text not null default 'draft',
        answers text not null,
        draft_version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        submitted_at timestamptz,
        submitted_by_membership_id uuid,
        review_approved_at timestamptz,
        review_approved_by_membership_id uuid,
        released_at timestamptz,
        released_by_membership_id uuid,
        revealed_at timestamptz,
        primary key (clinic_id, id),
        constraint submissions_occurrence_fkey foreign key (clinic_id, occurrence_id)
          references assignment_occurrences (clinic_id, id),
        constraint submissions_author_fkey foreign key (clinic_id, author_client_id)
          references clients (clinic_id, id),
        constraint submissions_submitted_by_fkey foreign key (clinic_id, submitted_by_membership_id)
          references memberships (clinic_id, id),
        constraint submissions_reviewed_by_fkey foreign key (clinic_id, review_approved_by_membership_id)
          references memberships (clinic_id, id),
        constraint submissions_released_by_fkey foreign key (clinic_id, released_by_membership_id)
          references memberships (clinic_id, id),
        constraint submissions_status_check check (status in ('draft', 'submitted')),
        constraint submissions_submitted_check check ((status = 'submitted') = (submitted_at is not null)),
        constraint submissions_disclosed_check
          check (status = 'submitted' or (released_at is null and revealed_at is null and review_approved_at is null)),
        constraint submissions_draft_version_check check (draft_version >= 1)
      );
      create unique index submissions_occurrence_idx on submissions (clinic_id, occurrence_id);
      create index submissions_case_idx on submissions (clinic_id, case_id);

      create table submission_feedback (
        clinic_id uuid not null,
        id uuid not null,
        submission_id uuid not null,
        case_id uuid not null,
        author_membership_id uuid not null,
        body text not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint submission_feedback_submission_fkey foreign key (clinic_id, submission_id)
          references submissions (clinic_id, id),
        constraint submission_feedback_author_fkey foreign key (clinic_id, author_membership_id)
          references memberships (clinic_id, id)
      );
      create index submission_feedback_submission_idx on submission_feedback (clinic_id, submission_id, created_at);

      create function submissions_guard() returns trigger
        language plpgsql
        as $$
        declare
          unchanged text[] := array['draft_version', 'updated_at', 'review_approved_at', 'review_approved_by_membership_id',
                                    'released_at', 'released_by_membership_id', 'revealed_at'];
        begin
          if tg_op = 'DELETE' then
            raise exception 'DELETE on submissions refused: answers are kept' using errcode = 'P0001';
          end if;
          if old.status <> 'submitted' then
            return new;
          end if;
          -- A submitted row: only the review approval, the release and the reveal are
          -- recorded later, each once (null -> value).
          if (old.review_approved_at is not null and new.review_approved_at is distinct from old.review_approved_at)
             or (old.review_approved_by_membership_id is not null
                 and new.review_approved_by_membership_id is distinct from old.review_approved_by_membership_id)
             or (old.released_at is not null and new.released_at is distinct from old.released_at)
             or (old.released_by_membership_id is not null
                 and new.released_by_membership_id is distinct from old.released_by_membership_id)
             or (old.revealed_at is not null and new.revealed_at is distinct from old.revealed_at) then
            raise exception 'UPDATE on submissions refused: a review, release or reveal is recorded once'
              using errcode = 'P0001';
          end if;
          -- Key rotation (a future path) may re-encrypt the answers under a newer clinic
          -- data key, never change them: it runs with SET LOCAL mend.reencrypting_answers = 'on'.
          if coalesce(current_setting('mend.reencrypting_answers', true), '') = 'on' then
            unchanged := array_append(unchanged, 'answers');
          end if;
          if (to_jsonb(new) - unchanged) <> (to_jsonb(old) - unchanged) then
            raise exception 'UPDATE on submissions refused: submitted answers are immutable' using errcode = 'P0001';
          end if;
          return new;
        end
        $$;
      create trigger submissions_guard before update or delete on submissions
        for each row execute function submissions_guard();
      create trigger submissions_refuse_truncate before truncate on submissions
        for each statement execute function ledger_refuse_change();
      create trigger assignment_status_changes_append_only before update or delete on assignment_status_changes
        for each row execute function ledger_refuse_change();
      create trigger submission_feedback_append_only before update or delete on submission_feedback
        for each row execute function ledger_refuse_change();

      -- The owner reads (never changes) every clinic's occurrences, so that the
      -- SECURITY DEFINER function below can find the clinics with lapsed ones.
      do $do$ begin
        execute format('create policy assignment_occurrences_definer on assignment_occurrences for select to %I using (true)',
                       current_user);
      end $do$;

      -- The worker's overdue scan finds the clinics to visit without a tenant (RLS is
      -- forced): occurrences still open with a due date before \`before\` (the worker
      -- passes the latest "today" anywhere, UTC+14, from its clock). Clinic ids only.
      create function homework_clinics_with_lapsed_occurrences(before date) returns table (clinic_id uuid)
        language sql stable security definer set search_path = public, pg_temp
        as $$
          select distinct o.clinic_id from assignment_occurrences o
           where o.status in ('assigned', 'in_progress') and o.due_on < before
        $$;
      revoke all on function homework_clinics_with_lapsed_occurrences(date) from public;
      grant execute on function homework_clinics_with_lapsed_occurrences(date) to mend_runtime;
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
      grant select, insert, update on assignments to mend_runtime;
      grant select, insert, update on assignment_occurrences to mend_runtime;
      grant select, insert on assignment_status_changes to mend_runtime;
      grant select, insert, update on submissions to mend_runtime;
      grant select, insert on submission_feedback to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop function homework_clinics_with_lapsed_occurrences(date);
      drop table submission_feedback;
      drop table submissions;
      drop function submissions_guard();
      drop table assignment_status_changes;
      drop table assignment_occurrences;
      drop table assignments;
    `);
  }
}
