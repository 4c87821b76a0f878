import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'repair_plans',
  'repair_plan_revisions',
  'repair_plan_phase_changes',
  'readiness_assessments',
  'readiness_participant_ratings',
];

/**
 * Repair plans (one per case) with their immutable revisions (the plan document,
 * jsonb, validated by the API before it is written), the dated phase history
 * on the P0..P4 spine (a reason each time), and readiness assessments (the
 * counselor's rating plus each participant's own, and the outcome). Revisions,
 * phase changes and ratings are append-only for the runtime role (no update or
 * delete grant); the plan row holds the current revision number that optimistic
 * concurrency compares.
 */
export class RepairPlans1764374500000 implements MigrationInterface {
  name = 'RepairPlans1764374500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table repair_plans (
        clinic_id uuid not null,
        case_id uuid not null,
        current_revision integer not null default 0,
        phase text not null default 'P0',
        phase_changed_at timestamptz,
        review_date date,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (clinic_id, case_id),
        constraint repair_plans_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint repair_plans_current_revision_check check (current_revision >= 0),
        constraint repair_plans_phase_check check (phase in ('P0', 'P1', 'P2', 'P3', 'P4'))
      );
      create index repair_plans_review_date_idx on repair_plans (clinic_id, review_date);

      create table repair_plan_revisions (
        clinic_id uuid not null,
        case_id uuid not null,
        revision integer not null,
        id uuid not null,
        document jsonb not null,
        change_note text,
        author_membership_id uuid not null,
        created_at timestamptz not null default now(),
        primary key (clinic_id, case_id, revision),
        constraint repair_plan_revisions_plan_fkey foreign key (clinic_id, case_id)
          references repair_plans (clinic_id, case_id),
        constraint repair_plan_revisions_author_fkey foreign key (clinic_id, author_membership_id)
          references memberships (clinic_id, id),
        constraint repair_plan_revisions_revision_check check (revision >= 1),
        constraint repair_plan_revisions_document_check check (jsonb_typeof(document) = 'object'),
        constraint repair_plan_revisions_change_note_check check (char_length(change_note) between 1 and 2000)
      );
      create unique index repair_plan_revisions_id_key on repair_plan_revisions (clinic_id, id);

      create table repair_plan_phase_changes (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        from_phase text not null,
        to_phase text not null,
        reason text not null,
        changed_at timestamptz not null default now(),
        changed_by_membership_id uuid not null,
        primary key (clinic_id, id),
        constraint repair_plan_phase_changes_plan_fkey foreign key (clinic_id, case_id)
          references repair_plans (clinic_id, case_id),
        constraint repair_plan_phase_changes_changed_by_fkey foreign key (clinic_id, changed_by_membership_id)
          references memberships (clinic_id, id),
        constraint repair_plan_phase_changes_from_check check (from_phase in ('P0', 'P1', 'P2', 'P3', 'P4')),
        constraint repair_plan_phase_changes_to_check check (to_phase in ('P0', 'P1', 'P2', 'P3', 'P4')),
        constraint repair_plan_phase_changes_distinct_check check (from_phase <> to_phase),
        constraint repair_plan_phase_changes_reason_check check (char_length(reason) between 1 and 2000)
      );
      create index repair_plan_phase_changes_case_idx on repair_plan_phase_changes (clinic_id, case_id, changed_at);

      create table readiness_assessments (
        clinic_id uuid not null,
        id uuid not null,
        case_id uuid not null,
        assessed_on date not null,
        counselor_rating integer not null,
        counselor_note text,
        outcome text,
        outcome_reason text,
        decided_at timestamptz,
        decided_by_membership_id uuid,
        closed_case boolean not null default false,
        recorded_by_membership_id uuid not null,
        recorded_at timestamptz not null default now(),
        primary key (clinic_id, id),
        constraint readiness_assessments_case_fkey foreign key (clinic_id, case_id) references cases (clinic_id, id),
        constraint readiness_assessments_recorded_by_fkey foreign key (clinic_id, recorded_by_membership_id)
          references memberships (clinic_id, id),
        constraint readiness_assessments_decided_by_fkey foreign key (clinic_id, decided_by_membership_id)
          references memberships (clinic_id, id),
        constraint readiness_assessments_rating_check check (counselor_rating between 0 and 10),
        constraint readiness_assessments_note_check check (char_length(counselor_note) between 1 and 4000),
        constraint readiness_assessments_outcome_check check (outcome in ('continue', 'redefine', 'end')),
        constraint readiness_assessments_outcome_reason_check check (char_length(outcome_reason) between 1 and 2000),
        constraint readiness_assessments_decided_check
          check ((outcome is null) = (decided_at is null) and (outcome is null) = (decided_by_membership_id is null)),
        constraint readiness_assessments_closed_check check (not closed_case or outcome in ('redefine', 'end'))
      );
      create index readiness_assessments_case_idx on readiness_assessments (clinic_id, case_id, recorded_at);

      create table readiness_participant_ratings (
        clinic_id uuid not null,
        assessment_id uuid not null,
        case_id uuid not null,
        client_id uuid not null,
        rating integer not null,
        note text,
        rated_by_membership_id uuid not null,
        rated_at timestamptz not null default now(),
        primary key (clinic_id, assessment_id, client_id),
        constraint readiness_participant_ratings_assessment_fkey foreign key (clinic_id, assessment_id)
          references readiness_assessments (clinic_id, id),
        constraint readiness_participant_ratings_participant_fkey foreign key (clinic_id, case_id, client_id)
          references case_participants (clinic_id, case_id, client_id),
        constraint readiness_participant_ratings_rated_by_fkey foreign key (clinic_id, rated_by_membership_id)
          references memberships (clinic_id, id),
        constraint readiness_participant_ratings_rating_check check (rating between 0 and 10),
        constraint readiness_participant_ratings_note_check check (char_length(note) between 1 and 2000)
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
      grant select, insert, update on repair_plans to mend_runtime;
      grant select, insert on repair_plan_revisions to mend_runtime;
      grant select, insert on repair_plan_phase_changes to mend_runtime;
      grant select, insert, update on readiness_assessments to mend_runtime;
      grant select, insert, update on readiness_participant_ratings to mend_runtime;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop table readiness_participant_ratings;
      drop table readiness_assessments;
      drop table repair_plan_phase_changes;
      drop table repair_plan_revisions;
      drop table repair_plans;
    `);
  }
}
