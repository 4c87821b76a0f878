import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data key rotation covers every value sealed with a clinic data key, not only
 * the notes of 1764461000000: homework answers (drafts and submitted) and
 * feedback, safety alerts' matched sentence and manual reason, and the safety
 * check-in's open text.
 *
 * - Those tables have no key version column: the key version is inside the
 *   sealed value itself (`v1.<clinic>~<version>.…`, FieldEncryption.keyVersionOf),
 *   read in SQL by `sealed_key_version`. Adding a column would duplicate it.
 * - `rotate_encrypted_value` now takes the column too (safety_alerts has two) and
 *   is replaced by a version over a fixed list of (table, column) pairs: still a
 *   compare-and-swap on the old ciphertext, under a newer key version of the
 *   current clinic, changing only the ciphertext (and key_version where the table
 *   has one).
 * - Immutability: a submitted homework row and a feedback row accept exactly one
 *   more change, a new ciphertext under a NEWER key version written by the table
 *   owner (i.e. through that SECURITY DEFINER function), never by the runtime
 *   role. This replaces the `mend.reencrypting_answers` setting of 1764460800000,
 *   which any role could SET LOCAL for itself.
 */
export class RotationCoverage1764461100000 implements MigrationInterface {
  name = 'RotationCoverage1764461100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- The data key version named by a sealed value, null for anything else.
      create function sealed_key_version(p_sealed text) returns integer
        language sql immutable
        as $$ select (substring(p_sealed from '^v1[.][0-9a-f-]{36}~([0-9]{1,6})[.]'))::integer $$;

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

      -- Feedback: append-only, except a re-encryption by the owner under a newer key.
      create function submission_feedback_guard() returns trigger
        language plpgsql
        as $$
        begin
          if tg_op = 'UPDATE'
             and (to_jsonb(new) - 'body') = (to_jsonb(old) - 'body')
             and sealed_key_version(new.body) > sealed_key_version(old.body)
             and sessions_runs_as_table_owner(tg_relid) then
            return new;
          end if;
          raise exception '% on submission_feedback refused: the record is append-only', tg_op
            using errcode = 'P0001';
        end
        $$;
      drop trigger submission_feedback_append_only on submission_feedback;
      create trigger submission_feedback_append_only before update or delete on submission_feedback
        for each row execute function submission_feedback_guard();

      drop function rotate_encrypted_value(text, uuid, text, text, integer);

      -- REVIEWED (sudo-level): data key rotation. Replaces the ciphertext of ONE
      -- encrypted value of the current clinic with a new ciphertext under a newer
      -- key version, and changes nothing else: compare-and-swap on the old
      -- ciphertext (a concurrent edit or a second rotator wins, nothing is
      -- encrypted twice), the new value must name the clinic's key version given,
      -- which must exist and be newer than the value's. The (table, column) pairs
      -- are fixed here (no dynamic SQL). It runs as the owner so the immutability
      -- triggers, which refuse the runtime role, accept exactly this change.
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
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop function rotate_encrypted_value(text, text, uuid, text, text, integer);

      -- As 1764461000000.
      create function rotate_encrypted_value(
          p_table text, p_id uuid, p_expected text, p_new text, p_new_version integer)
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
             or not exists (select 1 from clinic_data_keys k where k.clinic_id = v_clinic and k.version = p_new_version) then
            raise exception 'rotate_encrypted_value: the new value is not sealed with this clinic''s key version'
              using errcode = 'P0001';
          end if;
          if p_table = 'progress_notes' then
            update progress_notes set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'progress_note_amendments' then
            update progress_note_amendments set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          elsif p_table = 'psychotherapy_notes' then
            update psychotherapy_notes set body = p_new, key_version = p_new_version
             where clinic_id = v_clinic and id = p_id and body = p_expected and key_version < p_new_version;
          else
            raise exception 'rotate_encrypted_value: % is not a rotatable table', p_table using errcode = 'P0001';
          end if;
          get diagnostics v_count = row_count;
          return v_count = 1;
        end
        $$;
      revoke all on function rotate_encrypted_value(text, uuid, text, text, integer) from public;
      grant execute on function rotate_encrypted_value(text, uuid, text, text, integer) to mend_runtime;

      -- As 1764460800000.
      drop trigger submission_feedback_append_only on submission_feedback;
      create trigger submission_feedback_append_only before update or delete on submission_feedback
        for each row execute function ledger_refuse_change();
      drop function submission_feedback_guard();

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

      drop function sealed_key_version(text);
    `);
  }
}
