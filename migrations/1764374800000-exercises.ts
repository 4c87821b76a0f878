import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The clinic's own exercises (issue 5). Built-in exercises (clinical.md §2, E01..E37)
 * live in code (libs/homework) and are addressed by key; a clinic's custom exercises
 * live here, each with immutable versions: an assignment pins one version, so a
 * version is insert-only for the runtime role (no update or delete grant). The
 * exercise row holds the current version number that optimistic concurrency
 * compares, and its status (`active`, or `retired`: no new assignments, existing
 * ones keep their pinned version). The definition (instructions, prompts, audience,
 * phases, visibility, coach mode, response schema) is jsonb, validated by the API
 * against the response-schema meta-schema before it is written.
 */
export class Exercises1764374800000 implements MigrationInterface {
  name = 'Exercises1764374800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table exercises (
        clinic_id uuid not null,
        id uuid not null,
        status text not null default 'active',
        current_version integer not null default 1,
        copied_from text,
        created_by_membership_id uuid not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        retired_at timestamptz,
        retired_by_membership_id uuid,
        primary key (clinic_id, id),
        constraint exercises_clinic_id_fkey foreign key (clinic_id) references clinics (id),
        constraint exercises_created_by_fkey foreign key (clinic_id, created_by_membership_id)
          references memberships (clinic_id, id),
        constraint exercises_retired_by_fkey foreign key (clinic_id, retired_by_membership_id)
          references memberships (clinic_id, id),
        constraint exercises_status_check check (status in ('active', 'retired')),
        constraint exercises_retired_check
          check ((status = 'retired') = (retired_at is not null) and (retired_at is null) = (retired_by_membership_id is null)),
        constraint exercises_current_version_check check (current_version >= 1),
        constraint exercises_copied_from_check check (char_length(copied_from) between 1 and 100)
      );
      create index exercises_status_idx on exercises (clinic_id, status);

      create table exercise_versions (
        clinic_id uuid not null,
        exercise_id uuid not null,
        version integer not null,
        id uuid not null,
        title text not null,
        definition jsonb not null,
        change_note text,
        author_membership_id uuid not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, exercise_id, version),
        constraint exercise_versions_exercise_fkey foreign key (clinic_id, exercise_id)
          references exercises (clinic_id, id),
        constraint exercise_versions_author_fkey foreign key (clinic_id, author_membership_id)
          references memberships (clinic_id, id),
        constraint exercise_versions_version_check check (version >= 1),
        constraint exercise_versions_title_check check (char_length(title) between 1 and 200),
        constraint exercise_versions_definition_check check (jsonb_typeof(definition) = 'object'),
        constraint exercise_versions_change_note_check check (char_length(change_note) between 1 and 2000)
      );
      create unique index exercise_versions_id_key on exercise_versions (clinic_id, id);
    `);
    for (const table of ['exercises', 'exercise_versions']) {
      await queryRunner.query(`
        alter table ${table} enable row level security;
        alter table ${table} force row level security;
        create policy ${table}_isolation on ${table}
          using (clinic_id = (select app_current_clinic()))
          with check (clinic_id = (select app_current_clinic()));
      `);
    }
    await queryRunner.query(`
      grant select, insert, update on exercises to mend_runtime;
      grant select, insert on exercise_versions to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop table exercise_versions;
      drop table exercises;
    `);
  }
}
