import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes found missing by the list-route index test (test/e2e/http/list-indexes,
 * issue 12): every statement of the main list routes re-planned with sequential
 * scans off on a generated clinic.
 * - readiness_participant_ratings by case: the case timeline reads a case's
 *   ratings by (clinic_id, case_id), which only the clinic prefix of the primary
 *   key served (a scan of the clinic's ratings). The same columns, with client_id,
 *   are the referencing side of the foreign key to case_participants, which a
 *   change of a participant row checks.
 * - safety_alerts by the member an alert was escalated to: the alerts inbox now
 *   reads the caller's alerts from their cases and from this index (it read the
 *   clinic's alerts and tested each one).
 */
export class ListIndexes1764701000000 implements MigrationInterface {
  name = 'ListIndexes1764701000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create index readiness_participant_ratings_case_idx
        on readiness_participant_ratings (clinic_id, case_id, client_id);
      create index safety_alerts_escalated_to_idx on safety_alerts (clinic_id, escalated_to_membership_id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `drop index safety_alerts_escalated_to_idx; drop index readiness_participant_ratings_case_idx;`,
    );
  }
}
