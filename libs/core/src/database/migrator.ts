import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

import { createDataSource, type EntityClass, type Migration } from './data-source.factory.js';

export interface MigrationRun {
  readonly applied: readonly string[];
}

function ownerDataSource(
  ownerUrl: string,
  migrations: readonly Migration[],
  entities: readonly EntityClass[] = [],
): DataSource {
  return createDataSource({
    url: ownerUrl,
    entities: [...entities],
    migrations: [...migrations],
    poolSize: 1,
    applicationName: 'mend-migrate',
  });
}

/** Applies every pending migration, each in its own transaction, as the owner role. */
export async function runMigrations(
  ownerUrl: string,
  migrations: readonly Migration[],
  logger?: Logger,
): Promise<MigrationRun> {
  const dataSource = await ownerDataSource(ownerUrl, migrations).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger?.info({ migration: migration.name }, 'migration applied');
    return { applied: applied.map((migration) => migration.name) };
  } finally {
    await dataSource.destroy();
  }
}

/** Reverts the most recent migration (its `down`). */
export async function revertLastMigration(
  ownerUrl: string,
  migrations: readonly Migration[],
): Promise<string | undefined> {
  const dataSource = await ownerDataSource(ownerUrl, migrations).initialize();
  try {
    const before = await dataSource.query<{ name: string }[]>(
      'select name from schema_migrations order by id desc limit 1',
    );
    if (before.length === 0) return undefined;
    await dataSource.undoLastMigration({ transaction: 'each' });
    return before[0].name;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Objects that only the migrations model (TypeORM cannot), excluded from the
 * drift check by name: composite foreign keys with clinic_id (typeorm#11682),
 * partial indexes and check constraints. Policies, functions and triggers are
 * invisible to TypeORM's schema builder and need no entry.
 */
export const MIGRATION_ONLY_OBJECTS: readonly string[] = [
  'outbox_pending_idx',
  'clinics_name_check',
  'outbox_queue_check',
  'outbox_job_name_check',
  'outbox_clinic_id_fkey',
  'probe_receipts_clinic_id_fkey',
  'probe_receipts_clinic_id_outbox_id_fkey',
  'audit_events_clinic_id_fkey',
  'audit_events_action_check',
  'audit_events_target_type_check',
  'audit_events_target_id_check',
  'audit_events_outcome_check',
  'audit_events_correlation_id_check',
  'audit_events_metadata_check',
  'audit_events_row_hash_check',
  'audit_seals_clinic_id_fkey',
  'audit_seals_k_check',
  'audit_seals_range_check',
  'audit_seals_row_count_check',
  'audit_seals_hashes_check',
  'security_log_event_check',
  'security_log_email_hash_check',
  'security_log_correlation_id_check',
  'security_log_metadata_check',
  'users_email_check',
  'users_display_name_check',
  'user_credentials_user_id_fkey',
  'user_recovery_codes_user_id_fkey',
  'memberships_clinic_id_fkey',
  'memberships_user_id_fkey',
  'memberships_roles_check',
  'memberships_status_check',
  'memberships_disabled_at_check',
  'supervision_links_clinic_id_fkey',
  'supervision_links_supervisor_fkey',
  'supervision_links_counselor_fkey',
  'supervision_links_distinct_check',
  'invitations_clinic_id_fkey',
  'invitations_invited_by_fkey',
  'invitations_accepted_membership_fkey',
  'invitations_email_check',
  'invitations_roles_check',
  'invitations_pending_idx',
  'login_sessions_clinic_id_fkey',
  'login_sessions_membership_fkey',
  'login_sessions_user_id_fkey',
  'login_sessions_amr_check',
  'login_sessions_revoke_reason_check',
  'login_sessions_user_agent_check',
  'login_sessions_live_user_idx',
  'refresh_tokens_clinic_id_fkey',
  'refresh_tokens_login_session_fkey',
  'refresh_tokens_replaced_by_fkey',
  'refresh_tokens_rotation_check',
  'password_resets_clinic_id_fkey',
  'password_resets_user_id_fkey',
  'password_resets_membership_fkey',
  'password_resets_issued_by_fkey',
  'clinics_participant_role_labels_check',
  'clients_clinic_id_fkey',
  'clients_membership_fkey',
  'clients_created_by_fkey',
  'clients_display_name_check',
  'clients_email_check',
  'clients_phone_check',
  'clients_timezone_check',
  'clients_reminder_channel_check',
  'clients_status_check',
  'clients_archived_at_check',
  'clients_display_name_idx',
  'cases_clinic_id_fkey',
  'cases_created_by_fkey',
  'cases_safety_changed_by_fkey',
  'cases_title_check',
  'cases_type_check',
  'cases_status_check',
  'cases_outcome_check',
  'cases_safety_status_check',
  'cases_safety_reason_check',
  'cases_secrets_policy_fkey',
  'case_participants_case_fkey',
  'case_participants_client_fkey',
  'case_participants_role_check',
  'case_care_team_case_fkey',
  'case_care_team_membership_fkey',
  'case_care_team_one_primary_idx',
  'case_status_changes_case_fkey',
  'case_status_changes_changed_by_fkey',
  'case_status_changes_from_check',
  'case_status_changes_to_check',
  'case_status_changes_outcome_check',
  'case_status_changes_reason_check',
  'case_secrets_policies_case_fkey',
  'case_secrets_policies_created_by_fkey',
  'case_secrets_policies_kind_check',
  'case_secrets_policies_version_check',
  'case_secrets_policies_body_check',
  'case_secrets_policy_signatures_policy_fkey',
  'case_secrets_policy_signatures_participant_fkey',
  'case_secrets_policy_signatures_user_fkey',
  'case_secrets_policy_signatures_name_check',
  'case_secrets_policy_signatures_user_agent_check',
];

/**
 * What TypeORM would change to make the migrated schema match the entities.
 * Empty means no drift.
 */
export async function detectDrift(
  ownerUrl: string,
  entities: readonly EntityClass[],
  excluded: readonly string[] = MIGRATION_ONLY_OBJECTS,
): Promise<string[]> {
  const dataSource = await ownerDataSource(ownerUrl, [], entities).initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries
      .map((query) => query.query)
      .filter((query) => !excluded.some((name) => query.includes(`"${name}"`)));
  } finally {
    await dataSource.destroy();
  }
}
