import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Found by the list-route index test once it also checked bitmap scans
 * (test/e2e/http/list-indexes, 2026-11-28): a supervisor's note queue
 * (`GET /me/note-queue`, the signed notes of the counselors they supervise that
 * await a co-signature) read the clinic's progress notes through a bitmap of an
 * index on the clinic alone and filtered them — no index served signed notes
 * awaiting a co-signature (the author index is partial, drafts only). This
 * partial index holds just those notes, by author: the queue reads them by the
 * supervised authors, or (little data) all of the clinic's few such notes and
 * keeps the supervised authors' ones — never the clinic's notes at large.
 */
export class NotesAwaitingCosignatureIndex1764875000000 implements MigrationInterface {
  name = 'NotesAwaitingCosignatureIndex1764875000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create index progress_notes_awaiting_cosignature_idx on progress_notes (clinic_id, author_membership_id)
        where status = 'signed' and cosign_required and cosigned_at is null;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop index progress_notes_awaiting_cosignature_idx;`);
  }
}
