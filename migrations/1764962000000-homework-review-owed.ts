import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The caseload's homework counts (`GET /cases?include=homework`) walked every
 * occurrence a case ever had, with a submission and a feedback probe per answer
 * awaiting review: the cost grew with each case's history (46 against 230 caseload
 * pages a second on a 12-month clinic, 2026-11-29). Two things make it follow what
 * is open instead:
 *
 * - `submissions.review_owed`: a submitted answer the care team may read (any
 *   visibility but `private`) on which it still owes something — no feedback yet,
 *   or a `release` that requires review and is not approved. The homework
 *   overview's `awaitingReview` definition, kept by the database itself: a BEFORE
 *   trigger computes it on every insert and update of a submission (whatever
 *   value a writer sends is overwritten), and feedback touches its submission so
 *   that the trigger recomputes it. Nothing else can move it: the assignment's
 *   visibility and review rule never change, feedback is append-only, a submitted
 *   row's status and approval are recorded once. A partial index holds the owed
 *   ones by case.
 * - A partial index of the occurrences still open (assigned, in progress,
 *   overdue) by case and due day: due, overdue and the next item due.
 *
 * The submission guard lets `review_owed` move (it is derived, never written);
 * its trigger fires before the guard (triggers of one kind fire in name order).
 */
export class HomeworkReviewOwed1764962000000 implements MigrationInterface {
  name = 'HomeworkReviewOwed1764962000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table submissions add column review_owed boolean not null default false;

      create function submissions_derive_review_owed() returns trigger
        language plpgsql
        as $$
        begin
          if new.status <> 'submitted' then
            new.review_owed := false;
            return new;
          end if;
          new.review_owed := exists (
            select 1 from assignment_occurrences o
              join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
             where o.clinic_id = new.clinic_id and o.id = new.occurrence_id and a.visibility <> 'private'
               and (not exists (select 1 from submission_feedback f
                                 where f.clinic_id = new.clinic_id and f.submission_id = new.id)
                    or (a.visibility = 'release' and a.release_requires_review and new.review_approved_at is null)));
          return new;
        end
        $$;
      create trigger submissions_derive_review_owed before insert or update on submissions
        for each row execute function submissions_derive_review_owed();

      -- Feedback settles what the care team owes on its submission: touching the row makes
      -- submissions_derive_review_owed recompute it (still owed while a release waits for approval).
      create function submission_feedback_settles_review() returns trigger
        language plpgsql
        as $$
        begin
          update submissions set review_owed = false
           where clinic_id = new.clinic_id and id = new.submission_id and review_owed;
          return null;
        end
        $$;
      create trigger submission_feedback_settles_review after insert on submission_feedback
        for each row execute function submission_feedback_settles_review();

      create or replace function submissions_guard() returns trigger
        language plpgsql
        as $$
        declare
          unchanged text[] := array['draft_version', 'updated_at', 'review_approved_at', 'review_approved_by_membership_id',
                                    'released_at', 'released_by_membership_id', 'revealed_at', 'review_owed'];
        begin
          if tg_op = 'DELETE' then
            raise exception 'DELETE on submissions refused: answers are kept' using errcode = 'P0001';
          end if;
          if old.status <> 'submitted' then
            return new;
          end if;
          -- A submitted row: only the review approval, the release and the reveal are
          -- recorded later, each once (null -> value); review_owed is derived from them
          -- and the feedback (submissions_derive_review_owed, which runs first).
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
          -- Key rotation: a new ciphertext of the answers under a newer data key, written by
          -- the owner (rotate_encrypted_value), never by the runtime role.
          if new.answers is distinct from old.answers
             and sealed_key_version(new.answers) > sealed_key_version(old.answers)
             and sessions_runs_as_table_owner(tg_relid) then
            unchanged := array_append(unchanged, 'answers');
          end if;
          if (to_jsonb(new) - unchanged) <> (to_jsonb(old) - unchanged) then
            raise exception 'UPDATE on submissions refused: submitted answers are immutable' using errcode = 'P0001';
          end if;
          return new;
        end
        $$;

      -- Every submitted answer, clinic by clinic (row-level security binds the owner too; it
      -- reads the clinic list through clinics_definer): the trigger computes the value.
      do $do$
      declare
        clinic uuid;
      begin
        for clinic in select id from clinics loop
          perform set_config('app.clinic_id', clinic::text, true);
          update submissions set review_owed = true where clinic_id = clinic and status = 'submitted';
        end loop;
        perform set_config('app.clinic_id', '', true);
      end
      $do$;

      create index submissions_review_owed_idx on submissions (clinic_id, case_id) where review_owed;
      create index assignment_occurrences_case_open_idx on assignment_occurrences (clinic_id, case_id, due_on)
        where status in ('assigned', 'in_progress', 'overdue');
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop index assignment_occurrences_case_open_idx;
      drop index submissions_review_owed_idx;
      drop trigger submission_feedback_settles_review on submission_feedback;
      drop function submission_feedback_settles_review();
      drop trigger submissions_derive_review_owed on submissions;
      drop function submissions_derive_review_owed();

      create or replace function submissions_guard() returns trigger
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
          -- Key rotation: a new ciphertext of the answers under a newer data key, written by
          -- the owner (rotate_encrypted_value), never by the runtime role.
          if new.answers is distinct from old.answers
             and sealed_key_version(new.answers) > sealed_key_version(old.answers)
             and sessions_runs_as_table_owner(tg_relid) then
            unchanged := array_append(unchanged, 'answers');
          end if;
          if (to_jsonb(new) - unchanged) <> (to_jsonb(old) - unchanged) then
            raise exception 'UPDATE on submissions refused: submitted answers are immutable' using errcode = 'P0001';
          end if;
          return new;
        end
        $$;

      alter table submissions drop column review_owed;
    `);
  }
}
