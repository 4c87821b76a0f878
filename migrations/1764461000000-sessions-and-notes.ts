import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'therapy_sessions',
  'therapy_session_events',
  'therapy_session_attendance',
  'calendar_feeds',
  'note_cosign_requirements',
  'progress_notes',
  'progress_note_amendments',
  'psychotherapy_notes',
];

/**
 * Therapy sessions (schedule, status transitions, attendance, reschedule
 * history), the counselors' private calendar feeds, progress notes (draft ->
 * signed, amendments, supervisor co-signature) and psychotherapy notes.
 * Tenant tables (clinic_id first in the key, RLS forced, composite foreign keys).
 *
 * - A counselor cannot be double-booked: an exclusion constraint over
 *   (clinic, counselor, [starts_at, ends_at)) for every session not cancelled
 *   (btree_gist, a trusted extension the owner role may create).
 * - Note bodies, amendments and psychotherapy notes hold only ciphertext
 *   (FieldEncryption, AAD = clinic/table/row/column) and the data key version.
 * - A signed progress note is immutable for the runtime role (row trigger):
 *   the only changes are the one-time supervisor co-signature and, through the
 *   reviewed SECURITY DEFINER function rotate_encrypted_value (owned by this
 *   role), a new ciphertext under a newer key version. Amendments and session
 *   events are append-only.
 */
export class SessionsAndNotes1764461000000 implements MigrationInterface {
  name = 'SessionsAndNotes1764461000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create extension if not exists btree_gist;

      -- True when the statement runs as the owner of the table (inside a SECURITY
      -- DEFINER function of the migration role), never for the runtime role.
      create function sessions_runs_as_table_owner(p_table oid) returns boolean
        language sql stable
        set search_path = pg_catalog, pg_temp
        as $$
          select exists (select 1 from pg_class c join pg_roles r on r.oid = c.relowner
                          where c.oid = p_table and r.rolname = current_user)
        $$;

      create function sessions_refuse_change() returns trigger
        language plpgsql
        as $$
        begin
          raise exception '% on % refused: the record is append-only', tg_op, tg_table_name
            using errcode = 'P0001';
        end
        $$;

      -- Signed notes: only the co-signature (once) or a re-encryption by the owner.
      create function progress_notes_guard_update() returns trigger
        language plpgsql
        as $$
        begin
          if old.status = 'draft' then
            return new;
          end if;
          if old.cosigned_at is null and new.cosigned_at is not null
             and (to_jsonb(new) - 'cosigned_at' - 'cosigned_by_membership_id')
               = (to_jsonb(old) - 'cosigned_at' - 'cosigned_by_membership_id') then
            return new;
          end if;
          if new.key_version > old.key_version
             and (to_jsonb(new) - 'body' - 'key_version') = (to_jsonb(old) - 'body' - 'key_version')
             and sessions_runs_as_table_owner(tg_relid) then
            return new;
          end if;
          raise exception 'UPDATE on progress_notes refused: a signed note is immutable (add an amendment)'
            using errcode = 'P0001';
        end
        $$;

      create function progress_notes_guard_delete() returns trigger
        language plpgsql
        as $$
        begin
          if old.status = 'signed' then
            raise exception 'DELETE on progress_notes refused: a signed note is kept' using errcode = 'P0001';
          end if;
          return old;
        end
        $$;

      -- Amendments: append-only, except a re-encryption by the owner.
      create function progress_note_amendments_guard_update() returns trigger
        language plpgsql
        as $$
        begin
          if new.key_version > old.key_version
             and (to_jsonb(new) - 'body' - 'key_version') = (to_jsonb(old) - 'body' - 'key_version')
             and sessions_runs_as_table_owner(tg_relid) then
            return new;
          end if;
          raise exception 'UPDATE on progress_note_amendments refused: the record is append-only'
            using errcode = 'P0001';
        end
        $$;

      create table therapy_sessions (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        counselor_membership_id uuid not null,
        kind text not null,
        individual_client_id uuid,
        modality text not null,
        starts_at timestamptz not null,
        ends_at timestamptz not null,
        status text not null default 'scheduled',
        status_changed_at timestamptz not null default now(),
        created_by_membership_id uuid not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint therapy_sessions_case_id_key unique (clinic_id, case_id, id),
        constraint therapy_sessions_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint therapy_sessions_counselor_fkey foreign key (clinic_id, counselor_membership_id)
          references memberships (clinic_id, id),
        constraint therapy_sessions_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint therapy_sessions_individual_fkey foreign key (clinic_id, case_id, individual_client_id)
          references case_participants (clinic_id, case_id, client_id),
        constraint therapy_sessions_kind_check
          check (kind in ('joint', 'individual') and (kind = 'individual') = (individual_client_id is not null)),
        constraint therapy_sessions_modality_check check (modality in ('in_person', 'video', 'phone')),
        constraint therapy_sessions_status_check check (status in ('scheduled', 'completed', 'cancelled', 'no_show')),
        constraint therapy_sessions_times_check
          check (ends_at > starts_at and ends_at <= starts_at + interval '12 hours'),
        constraint therapy_sessions_no_double_booking exclude using gist (
          clinic_id with =,
          counselor_membership_id with =,
          tstzrange(starts_at, ends_at, '[)') with &&
        ) where (status <> 'cancelled')
      );
      create index therapy_sessions_case_idx on therapy_sessions (clinic_id, case_id, starts_at);
      create index therapy_sessions_counselor_idx on therapy_sessions (clinic_id, counselor_membership_id, starts_at);

      create table therapy_session_events (
        clinic_id uuid not null,
        id uuid not null,
        session_id uuid not null,
        kind text not null,
        from_status text,
        to_status text not null,
        from_starts_at timestamptz,
        from_ends_at timestamptz,
        to_starts_at timestamptz not null,
        to_ends_at timestamptz not null,
        at timestamptz not null default now(),
        by_membership_id uuid not null,
        -- Insertion order: events of one request share its clock time.
        seq bigint generated always as identity,
        primary key (clinic_id, id),
        constraint therapy_session_events_session_fkey foreign key (clinic_id, session_id)
          references therapy_sessions (clinic_id, id),
        constraint therapy_session_events_by_fkey foreign key (clinic_id, by_membership_id)
          references memberships (clinic_id, id),
        constraint therapy_session_events_kind_check
          check (kind in ('scheduled', 'rescheduled', 'completed', 'cancelled', 'no_show'))
      );
      create index therapy_session_events_session_idx on therapy_session_events (clinic_id, session_id, seq);

      create table therapy_session_attendance (
        clinic_id uuid not null,
        session_id uuid not null,
        client_id uuid not null,
        attendance text not null,
        recorded_at timestamptz not null default now(),
        recorded_by_membership_id uuid not null,
        primary key (clinic_id, session_id, client_id),
        constraint therapy_session_attendance_session_fkey foreign key (clinic_id, session_id)
          references therapy_sessions (clinic_id, id),
        constraint therapy_session_attendance_client_fkey foreign key (clinic_id, client_id)
          references clients (clinic_id, id),
        constraint therapy_session_attendance_by_fkey foreign key (clinic_id, recorded_by_membership_id)
          references memberships (clinic_id, id),
        constraint therapy_session_attendance_check check (attendance in ('attended', 'late', 'absent'))
      );

      create table calendar_feeds (
        clinic_id uuid not null,
        id uuid not null,
        membership_id uuid not null,
        token_hash text not null,
        created_at timestamptz not null default now(),
        revoked_at timestamptz,
        primary key (clinic_id, id),
        constraint calendar_feeds_membership_fkey foreign key (clinic_id, membership_id)
          references memberships (clinic_id, id),
        constraint calendar_feeds_token_hash_check check (token_hash ~ '^[0-9a-f]{64}$')
      );
      create unique index calendar_feeds_token_idx on calendar_feeds (clinic_id, token_hash);
      create unique index calendar_feeds_one_live_idx on calendar_feeds (clinic_id, membership_id)
        where revoked_at is null;

      create table note_cosign_requirements (
        clinic_id uuid not null,
        counselor_membership_id uuid not null,
        required_by_membership_id uuid not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, counselor_membership_id),
        constraint note_cosign_requirements_counselor_fkey foreign key (clinic_id, counselor_membership_id)
          references memberships (clinic_id, id),
        constraint note_cosign_requirements_by_fkey foreign key (clinic_id, required_by_membership_id)
          references memberships (clinic_id, id)
      );

      create table progress_notes (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        session_id uuid,
        author_membership_id uuid not null,
        template text not null,
        status text not null default 'draft',
        body text not null,
        key_version integer not null,
        revision integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        signed_at timestamptz,
        cosign_required boolean not null default false,
        cosigned_at timestamptz,
        cosigned_by_membership_id uuid,
        primary key (clinic_id, id),
        constraint progress_notes_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint progress_notes_session_fkey foreign key (clinic_id, case_id, session_id)
          references therapy_sessions (clinic_id, case_id, id),
        constraint progress_notes_author_fkey foreign key (clinic_id, author_membership_id)
          references memberships (clinic_id, id),
        constraint progress_notes_cosigned_by_fkey foreign key (clinic_id, cosigned_by_membership_id)
          references memberships (clinic_id, id),
        constraint progress_notes_template_check check (template in ('soap', 'dap', 'birp', 'couple', 'free')),
        constraint progress_notes_status_check check (status in ('draft', 'signed')),
        constraint progress_notes_signed_check check ((status = 'signed') = (signed_at is not null)),
        constraint progress_notes_cosign_check
          check ((cosigned_at is null) = (cosigned_by_membership_id is null) and (cosigned_at is null or status = 'signed')),
        constraint progress_notes_key_version_check check (key_version >= 1)
      );
      create index progress_notes_case_idx on progress_notes (clinic_id, case_id, created_at);
      create index progress_notes_unsigned_idx on progress_notes (clinic_id, author_membership_id)
        where status = 'draft';
      create index progress_notes_key_version_idx on progress_notes (clinic_id, key_version);

      create table progress_note_amendments (
        clinic_id uuid not null,
        id uuid not null,
        note_id uuid not null,
        author_membership_id uuid not null,
        changed_fields text[] not null,
        body text not null,
        key_version integer not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint progress_note_amendments_note_fkey foreign key (clinic_id, note_id)
          references progress_notes (clinic_id, id),
        constraint progress_note_amendments_author_fkey foreign key (clinic_id, author_membership_id)
          references memberships (clinic_id, id),
        constraint progress_note_amendments_key_version_check check (key_version >= 1)
      );
      create index progress_note_amendments_note_idx on progress_note_amendments (clinic_id, note_id, created_at);
      create index progress_note_amendments_key_version_idx on progress_note_amendments (clinic_id, key_version);

      create table psychotherapy_notes (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        session_id uuid,
        author_membership_id uuid not null,
        body text not null,
        key_version integer not null,
        revision integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint psychotherapy_notes_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint psychotherapy_notes_session_fkey foreign key (clinic_id, case_id, session_id)
          references therapy_sessions (clinic_id, case_id, id),
        constraint psychotherapy_notes_author_fkey foreign key (clinic_id, author_membership_id)
          references memberships (clinic_id, id),
        constraint psychotherapy_notes_key_version_check check (key_version >= 1)
      );
      create index psychotherapy_notes_author_idx on psychotherapy_notes (clinic_id, author_membership_id, case_id);
      create index psychotherapy_notes_key_version_idx on psychotherapy_notes (clinic_id, key_version);
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
      create trigger therapy_session_events_append_only
        before update or delete or truncate on therapy_session_events
        for each statement execute function sessions_refuse_change();
      create trigger progress_notes_immutable_when_signed
        before update on progress_notes
        for each row execute function progress_notes_guard_update();
      create trigger progress_notes_keep_signed
        before delete on progress_notes
        for each row execute function progress_notes_guard_delete();
      create trigger progress_notes_no_truncate
        before truncate on progress_notes
        for each statement execute function sessions_refuse_change();
      create trigger progress_note_amendments_append_only
        before update on progress_note_amendments
        for each row execute function progress_note_amendments_guard_update();
      create trigger progress_note_amendments_no_delete
        before delete or truncate on progress_note_amendments
        for each statement execute function sessions_refuse_change();

      -- REVIEWED (sudo-level): data key rotation. Replaces the ciphertext of ONE
      -- encrypted value of the current clinic with a new ciphertext under a newer
      -- key version, and changes nothing else: compare-and-swap on the old
      -- ciphertext (a concurrent edit or a second rotator wins, nothing is
      -- encrypted twice), the new value must name the clinic's key version given,
      -- which must exist and be newer than the row's. The tables and columns are
      -- fixed here (no dynamic SQL). It runs as the owner so the immutability
      -- triggers, which refuse the runtime role, accept exactly this change.
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

      -- REVIEWED (sudo-level): master key rotation. The clinics that still have a
      -- data key wrapped by a master key other than the one given (ids only);
      -- keys:rotate --master then re-wraps each clinic's keys in that clinic's own
      -- unit of work. The owner reads (never changes) clinic_data_keys for it.
      do $$ begin
        execute format('create policy clinic_data_keys_definer on clinic_data_keys for select to %I using (true)',
                       current_user);
      end $$;
      create function data_key_clinics_to_rewrap(p_master_key_id text)
        returns table (clinic_id uuid)
        language sql stable security definer
        set search_path = public, pg_temp
        as $$
          select distinct k.clinic_id from clinic_data_keys k where k.master_key_id <> p_master_key_id order by 1
        $$;
      revoke all on function data_key_clinics_to_rewrap(text) from public;
      grant execute on function data_key_clinics_to_rewrap(text) to mend_runtime;

      grant select, insert, update on therapy_sessions to mend_runtime;
      grant select, insert on therapy_session_events to mend_runtime;
      grant select, insert, update on therapy_session_attendance to mend_runtime;
      grant select, insert on calendar_feeds to mend_runtime;
      grant update (revoked_at) on calendar_feeds to mend_runtime;
      grant select, insert, delete on note_cosign_requirements to mend_runtime;
      grant select, insert, update, delete on progress_notes to mend_runtime;
      grant select, insert on progress_note_amendments to mend_runtime;
      grant select, insert, update on psychotherapy_notes to mend_runtime;
    `);
  }

  /** Leaves the btree_gist extension installed (harmless, and later objects may use it). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop function rotate_encrypted_value(text, uuid, text, text, integer);
      drop function data_key_clinics_to_rewrap(text);
      drop policy clinic_data_keys_definer on clinic_data_keys;
      drop table psychotherapy_notes;
      drop table progress_note_amendments;
      drop table progress_notes;
      drop table note_cosign_requirements;
      drop table calendar_feeds;
      drop table therapy_session_attendance;
      drop table therapy_session_events;
      drop table therapy_sessions;
      drop function progress_note_amendments_guard_update();
      drop function progress_notes_guard_delete();
      drop function progress_notes_guard_update();
      drop function sessions_refuse_change();
      drop function sessions_runs_as_table_owner(oid);
    `);
  }
}
