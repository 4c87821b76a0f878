import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLES_CHECK = `cardinality(roles) between 1 and 4
  and roles <@ array['clinic_admin', 'supervisor', 'counselor', 'client']::text[]
  and (not ('client' = any (roles)) or roles = array['client']::text[])`;

const EMAIL_CHECK = `email = lower(email) and char_length(email) between 3 and 254 and position('@' in email) > 1`;

/**
 * Identity: users (global), their memberships of clinics, supervision links,
 * invitations, login sessions with their refresh tokens, and password resets.
 *
 * - `users`, `user_credentials` and `user_recovery_codes` belong to no clinic.
 *   Their policies key on the transaction-local `app.user_id` (app_current_user()):
 *   a user reads and changes only their own rows; members of the current clinic
 *   may also read the `users` rows of that clinic's users (names and emails in
 *   member lists), which is why the password hash and the MFA state live in
 *   `user_credentials`, whose policy is self-only.
 * - Every other table is a tenant table: clinic_id first in the key, RLS forced,
 *   composite foreign keys, so a cross-clinic reference is refused by the database.
 * - Tokens handed to a browser carry their clinic and row id
 *   (`<clinicId>.<rowId>.<secret>`); only sha256(secret) is stored.
 * - Three reviewed SECURITY DEFINER functions: `login_lookup` (ids and statuses of
 *   the memberships of one email, before any clinic is known),
 *   `user_mfa_enrolled` (a boolean for member lists) and
 *   `revoke_user_login_sessions` (a user's own login sessions in every clinic,
 *   when their password changes).
 */
export class Identity1764288100000 implements MigrationInterface {
  name = 'Identity1764288100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create function app_current_user() returns uuid
        language sql stable parallel safe
        as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

      create table users (
        id uuid primary key,
        email text not null,
        display_name text,
        created_at timestamptz not null default now(),
        constraint users_email_check check (${EMAIL_CHECK}),
        constraint users_display_name_check check (char_length(display_name) between 1 and 200)
      );
      create unique index users_email_key on users (email);

      -- The secrets of a user, apart from the row colleagues may read: only the
      -- user themselves (app.user_id) reads or changes this row.
      create table user_credentials (
        user_id uuid primary key,
        password_hash text,
        password_changed_at timestamptz,
        mfa_secret text,
        mfa_pending_secret text,
        mfa_data_key text,
        mfa_enrolled_at timestamptz,
        mfa_last_step bigint,
        constraint user_credentials_user_id_fkey foreign key (user_id) references users (id) on delete cascade
      );

      create table user_recovery_codes (
        user_id uuid not null,
        id uuid not null,
        code_hash text not null,
        created_at timestamptz not null default now(),
        used_at timestamptz,
        primary key (user_id, id),
        constraint user_recovery_codes_user_id_fkey foreign key (user_id) references users (id) on delete cascade
      );

      create table memberships (
        clinic_id uuid not null,
        id uuid not null,
        user_id uuid not null,
        roles text[] not null,
        status text not null default 'active',
        created_at timestamptz not null default now(),
        disabled_at timestamptz,
        primary key (clinic_id, id),
        constraint memberships_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint memberships_user_id_fkey foreign key (user_id) references users (id),
        constraint memberships_roles_check check (${ROLES_CHECK}),
        constraint memberships_status_check check (status in ('active', 'disabled')),
        constraint memberships_disabled_at_check check ((status = 'disabled') = (disabled_at is not null))
      );
      create unique index memberships_clinic_id_user_id_key on memberships (clinic_id, user_id);
      create index memberships_user_id_idx on memberships (user_id);

      create table supervision_links (
        clinic_id uuid not null,
        supervisor_membership_id uuid not null,
        counselor_membership_id uuid not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, supervisor_membership_id, counselor_membership_id),
        constraint supervision_links_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint supervision_links_supervisor_fkey foreign key (clinic_id, supervisor_membership_id)
          references memberships (clinic_id, id),
        constraint supervision_links_counselor_fkey foreign key (clinic_id, counselor_membership_id)
          references memberships (clinic_id, id),
        constraint supervision_links_distinct_check check (supervisor_membership_id <> counselor_membership_id)
      );
      create index supervision_links_counselor_idx on supervision_links (clinic_id, counselor_membership_id);

      create table invitations (
        clinic_id uuid not null,
        id uuid not null,
        email text not null,
        roles text[] not null,
        token_hash bytea not null,
        invited_by_membership_id uuid,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        accepted_at timestamptz,
        accepted_membership_id uuid,
        revoked_at timestamptz,
        primary key (clinic_id, id),
        constraint invitations_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint invitations_invited_by_fkey foreign key (clinic_id, invited_by_membership_id)
          references memberships (clinic_id, id),
        constraint invitations_accepted_membership_fkey foreign key (clinic_id, accepted_membership_id)
          references memberships (clinic_id, id),
        constraint invitations_email_check check (${EMAIL_CHECK}),
        constraint invitations_roles_check check (${ROLES_CHECK})
      );
      create index invitations_pending_idx on invitations (clinic_id, expires_at)
        where accepted_at is null and revoked_at is null;

      create table login_sessions (
        clinic_id uuid not null,
        id uuid not null,
        membership_id uuid not null,
        user_id uuid not null,
        amr text[] not null,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null,
        idle_expires_at timestamptz not null,
        absolute_expires_at timestamptz not null,
        revoked_at timestamptz,
        revoke_reason text,
        user_agent text,
        ip inet,
        primary key (clinic_id, id),
        constraint login_sessions_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint login_sessions_membership_fkey foreign key (clinic_id, membership_id)
          references memberships (clinic_id, id),
        constraint login_sessions_user_id_fkey foreign key (user_id) references users (id),
        constraint login_sessions_amr_check check (amr <@ array['pwd', 'otp', 'rc']::text[] and 'pwd' = any (amr)),
        constraint login_sessions_revoke_reason_check check (revoke_reason ~ '^[a-z_]{1,40}$'),
        constraint login_sessions_user_agent_check check (char_length(user_agent) <= 256)
      );
      create index login_sessions_membership_idx on login_sessions (clinic_id, membership_id);
      create index login_sessions_live_user_idx on login_sessions (user_id) where revoked_at is null;

      create table refresh_tokens (
        clinic_id uuid not null,
        id uuid not null,
        login_session_id uuid not null,
        token_hash bytea not null,
        replaced_by_id uuid,
        created_at timestamptz not null default now(),
        rotated_at timestamptz,
        grace_until timestamptz,
        primary key (clinic_id, id),
        constraint refresh_tokens_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint refresh_tokens_login_session_fkey foreign key (clinic_id, login_session_id)
          references login_sessions (clinic_id, id),
        constraint refresh_tokens_replaced_by_fkey foreign key (clinic_id, replaced_by_id)
          references refresh_tokens (clinic_id, id),
        constraint refresh_tokens_rotation_check check ((rotated_at is null) = (grace_until is null))
      );
      create index refresh_tokens_login_session_idx on refresh_tokens (clinic_id, login_session_id);

      create table password_resets (
        clinic_id uuid not null,
        id uuid not null,
        user_id uuid not null,
        membership_id uuid not null,
        token_hash bytea not null,
        issued_by_membership_id uuid,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz,
        primary key (clinic_id, id),
        constraint password_resets_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint password_resets_user_id_fkey foreign key (user_id) references users (id),
        constraint password_resets_membership_fkey foreign key (clinic_id, membership_id)
          references memberships (clinic_id, id),
        constraint password_resets_issued_by_fkey foreign key (clinic_id, issued_by_membership_id)
          references memberships (clinic_id, id)
      );
    `);

    // Tenant tables: the clinic isolation policy of the first migration.
    for (const table of [
      'memberships',
      'supervision_links',
      'invitations',
      'login_sessions',
      'refresh_tokens',
      'password_resets',
    ]) {
      await queryRunner.query(`
        alter table ${table} enable row level security;
        alter table ${table} force row level security;
        create policy ${table}_isolation on ${table}
          using (clinic_id = (select app_current_clinic()))
          with check (clinic_id = (select app_current_clinic()));
      `);
    }

    await queryRunner.query(`
      alter table users enable row level security;
      alter table users force row level security;
      -- A user reads and changes only their own row (app.user_id)...
      create policy users_self on users
        using (id = (select app_current_user()))
        with check (id = (select app_current_user()));
      -- ...and members of the current clinic read the rows of that clinic's users.
      create policy users_clinic_members on users for select
        using (exists (select 1 from memberships m
                        where m.user_id = users.id and m.clinic_id = (select app_current_clinic())));

      -- Self only: a colleague never reads a password hash or a TOTP seed.
      alter table user_credentials enable row level security;
      alter table user_credentials force row level security;
      create policy user_credentials_self on user_credentials
        using (user_id = (select app_current_user()))
        with check (user_id = (select app_current_user()));

      alter table user_recovery_codes enable row level security;
      alter table user_recovery_codes force row level security;
      create policy user_recovery_codes_self on user_recovery_codes
        using (user_id = (select app_current_user()))
        with check (user_id = (select app_current_user()));

      grant select, insert, update on users to mend_runtime;
      grant select, insert, update on user_credentials to mend_runtime;
      grant select, insert, update, delete on user_recovery_codes to mend_runtime;
      grant select, insert, update on memberships to mend_runtime;
      grant select, insert, delete on supervision_links to mend_runtime;
      grant select, insert, update on invitations to mend_runtime;
      grant select, insert, update on login_sessions to mend_runtime;
      grant select, insert, update on refresh_tokens to mend_runtime;
      grant select, insert, update on password_resets to mend_runtime;
    `);

    // The owner (this migration's role) sees what the SECURITY DEFINER functions
    // below need, and nothing is granted to the runtime role beyond them.
    await queryRunner.query(`
      do $$ begin
        execute format('create policy users_definer on users for select to %I using (true)', current_user);
        execute format('create policy memberships_definer on memberships for select to %I using (true)', current_user);
        execute format('create policy user_credentials_definer on user_credentials for select to %I using (true)', current_user);
        execute format('create policy login_sessions_definer on login_sessions to %I using (true) with check (true)', current_user);
      end $$;

      -- REVIEWED (sudo-level): the memberships of the user with this email, before
      -- any clinic is known (login, invitation acceptance). Ids and statuses only:
      -- never the password hash, which the caller then reads through the users
      -- self policy in a transaction with app.user_id set. A user without
      -- memberships comes back once with null clinic and membership.
      create function login_lookup(p_email text)
        returns table (user_id uuid, clinic_id uuid, membership_id uuid, status text)
        language sql stable security definer
        set search_path = public, pg_temp
        as $$
          select u.id, m.clinic_id, m.id, m.status
            from users u
            left join memberships m on m.user_id = u.id
           where u.email = lower(p_email)
           order by m.created_at, m.id
        $$;
      revoke all on function login_lookup(text) from public;
      grant execute on function login_lookup(text) to mend_runtime;

      -- REVIEWED (sudo-level): whether a member of the current clinic has a
      -- confirmed second factor, for member lists (user_credentials is self-only).
      -- A boolean, never a credential; null for a user who is neither the caller
      -- nor a member of the current clinic.
      create function user_mfa_enrolled(p_user_id uuid)
        returns boolean
        language sql stable security definer
        set search_path = public, pg_temp
        as $$
          select exists (select 1 from user_credentials c
                          where c.user_id = p_user_id and c.mfa_enrolled_at is not null)
           where p_user_id = app_current_user()
              or exists (select 1 from memberships m
                          where m.user_id = p_user_id and m.clinic_id = app_current_clinic())
        $$;
      revoke all on function user_mfa_enrolled(uuid) from public;
      grant execute on function user_mfa_enrolled(uuid) to mend_runtime;

      -- REVIEWED (sudo-level): revokes the live login sessions of a user in every
      -- clinic (a password is global, its sessions are per clinic). Only for the
      -- user the transaction acts as (app.user_id): a caller cannot sign out
      -- someone else. The session (clinic, id) given as "keep" survives (the one
      -- that changed the password). Returns how many were revoked.
      create function revoke_user_login_sessions(
          p_user_id uuid, p_reason text, p_at timestamptz,
          p_keep_clinic_id uuid default null, p_keep_session_id uuid default null)
        returns integer
        language sql volatile security definer
        set search_path = public, pg_temp
        as $$
          with revoked as (
            update login_sessions s
               set revoked_at = p_at, revoke_reason = p_reason
             where s.user_id = p_user_id
               and p_user_id = app_current_user()
               and s.revoked_at is null
               and (s.clinic_id, s.id) is distinct from (p_keep_clinic_id, p_keep_session_id)
            returning 1)
          select count(*)::integer from revoked
        $$;
      revoke all on function revoke_user_login_sessions(uuid, text, timestamptz, uuid, uuid) from public;
      grant execute on function revoke_user_login_sessions(uuid, text, timestamptz, uuid, uuid) to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- This policy of users reads memberships: it goes first.
      drop policy users_clinic_members on users;
      drop function revoke_user_login_sessions(uuid, text, timestamptz, uuid, uuid);
      drop function user_mfa_enrolled(uuid);
      drop function login_lookup(text);
      drop table password_resets;
      drop table refresh_tokens;
      drop table login_sessions;
      drop table invitations;
      drop table supervision_links;
      drop table memberships;
      drop table user_recovery_codes;
      drop table user_credentials;
      drop table users;
      drop function app_current_user();
    `);
  }
}
