import { recordAudit } from '@mend/audit';
import { FieldEncryption, type EnvelopeEncryption, type TenantTransaction, type UnitOfWork } from '@mend/core';

/**
 * Every column sealed with a clinic data key, which a data key rotation
 * re-encrypts; each value is sealed at `{table, rowId: id, column}`. Where the
 * table has a `key_version` column it moves with the ciphertext; elsewhere the
 * key version is read from the sealed value itself (SQL `sealed_key_version`,
 * FieldEncryption.keyVersionOf). The SECURITY DEFINER function
 * rotate_encrypted_value (migrations 1764461100000, 1764547300000) accepts exactly these
 * (table, column) pairs; a column added here needs it there too.
 */
export const ROTATABLE_COLUMNS = [
  { table: 'progress_notes', column: 'body', keyVersionColumn: 'key_version' },
  { table: 'progress_note_amendments', column: 'body', keyVersionColumn: 'key_version' },
  { table: 'psychotherapy_notes', column: 'body', keyVersionColumn: 'key_version' },
  { table: 'submissions', column: 'answers', keyVersionColumn: null },
  { table: 'submission_feedback', column: 'body', keyVersionColumn: null },
  { table: 'safety_alerts', column: 'excerpt', keyVersionColumn: null },
  { table: 'safety_alerts', column: 'reason', keyVersionColumn: null },
  { table: 'safety_check_ins', column: 'open_text', keyVersionColumn: null },
  // Progress reports (migration 1764547300000): the built files and the counselor's narrative.
  { table: 'report_artifacts', column: 'content', keyVersionColumn: null },
  { table: 'report_requests', column: 'narrative', keyVersionColumn: null },
] as const;

type RotatableColumn = (typeof ROTATABLE_COLUMNS)[number];

/** SQL condition: the value of this column is sealed with a key version below `$2`. */
function olderThan(entry: RotatableColumn): string {
  return entry.keyVersionColumn === null
    ? `sealed_key_version(${entry.column}) < $2`
    : `${entry.keyVersionColumn} < $2`;
}

export interface ClinicRotationResult {
  readonly clinicId: string;
  /** The key version values were moved to (null: the clinic has no data key yet). */
  readonly version: number | null;
  /** True when an interrupted rotation was continued rather than a new version created. */
  readonly resumed: boolean;
  readonly reencrypted: number;
  /** Values changed concurrently (re-sealed by their writer with the new key): left alone. */
  readonly skipped: number;
}

export interface RotationOptions {
  readonly batchSize?: number;
  /** Plan only: count what would be re-encrypted, change nothing. */
  readonly dryRun?: boolean;
  /** Called after each committed batch (progress; tests stop the rotation here). */
  readonly afterBatch?: (done: number) => void | Promise<void>;
}

function dataKeyId(clinicId: string, version: number): string {
  return `${clinicId.toLowerCase()}~${version}`;
}

async function pendingCount(tx: TenantTransaction, version: number): Promise<number> {
  let total = 0;
  for (const entry of ROTATABLE_COLUMNS) {
    const [row] = await tx.query<{ n: string }>(
      `select count(*) as n from ${entry.table} where clinic_id = $1 and ${olderThan(entry)}`,
      [tx.clinicId, version],
    );
    total += Number(row.n);
  }
  return total;
}

/**
 * Key rotation (reliability.md §5.1). Master key rotation re-wraps the data
 * keys only; a clinic's data key rotation adds version n+1 (new writes use it
 * at once) and re-encrypts that clinic's values in small batches, each its own
 * transaction, while the API keeps serving: every value is replaced by
 * compare-and-swap through rotate_encrypted_value, so a value edited meanwhile
 * is left to its writer, nothing is encrypted twice, and a rotation stopped
 * anywhere resumes where it stopped (run it again). Old key versions stay
 * readable; they are marked retired once nothing references them.
 */
export class DataKeyRotation {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly envelope: EnvelopeEncryption,
    private readonly encryption: FieldEncryption,
  ) {}

  /** Re-wraps every data key of the clinic not wrapped by `currentMasterKeyId`. Returns how many. */
  async rewrapClinic(clinicId: string, currentMasterKeyId: string, dryRun = false): Promise<number> {
    return this.unitOfWork.run(clinicId, async (tx) => {
      const keys = await tx.query<{ version: number; wrapped_key: string }>(
        `select version, wrapped_key from clinic_data_keys where clinic_id = $1 and master_key_id <> $2
          order by version for update`,
        [clinicId, currentMasterKeyId],
      );
      if (dryRun) return keys.length;
      for (const key of keys) {
        const wrapped = this.envelope.rewrapDataKey(dataKeyId(clinicId, key.version), key.wrapped_key);
        await tx.query(
          'update clinic_data_keys set wrapped_key = $3, master_key_id = $4 where clinic_id = $1 and version = $2',
          [clinicId, key.version, wrapped, currentMasterKeyId],
        );
      }
      if (keys.length > 0) {
        await recordAudit(tx, {
          action: 'data_key.rewrap',
          targetType: 'clinic',
          targetId: clinicId,
          actorUserId: null,
          metadata: { keys: keys.length, masterKeyId: currentMasterKeyId },
        });
      }
      return keys.length;
    });
  }

  /** Clinics with a data key wrapped by another master key. */
  async clinicsToRewrap(currentMasterKeyId: string): Promise<string[]> {
    const rows = await this.unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ clinic_id: string }>('select clinic_id from data_key_clinics_to_rewrap($1)', [currentMasterKeyId]),
    );
    return rows.map((row) => row.clinic_id);
  }

  async rotateClinic(clinicId: string, options: RotationOptions = {}): Promise<ClinicRotationResult> {
    const batchSize = options.batchSize ?? 100;
    const start = await this.unitOfWork.run(clinicId, async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`data-key-rotation:${clinicId}`]);
      const [current] = await tx.query<{ version: number }>(
        'select max(version) as version from clinic_data_keys where clinic_id = $1',
        [clinicId],
      );
      if (current?.version === null || current === undefined) return { version: null, resumed: false, pending: 0 };
      const pending = await pendingCount(tx, current.version);
      if (pending > 0 || options.dryRun === true) {
        return { version: current.version, resumed: pending > 0, pending };
      }
      const version = current.version + 1;
      const fresh = this.envelope.createDataKey(dataKeyId(clinicId, version));
      await tx.query(
        `insert into clinic_data_keys (clinic_id, version, wrapped_key, master_key_id) values ($1, $2, $3, $4)`,
        [clinicId, version, fresh.wrapped, fresh.wrapped.split('.')[1]],
      );
      await recordAudit(tx, {
        action: 'data_key.rotate',
        targetType: 'clinic',
        targetId: clinicId,
        actorUserId: null,
        metadata: { version },
      });
      return { version, resumed: false, pending: await pendingCount(tx, version) };
    });
    if (start.version === null || options.dryRun === true) {
      return { clinicId, version: start.version, resumed: start.resumed, reencrypted: 0, skipped: 0 };
    }
    const version = start.version;
    let reencrypted = 0;
    let skipped = 0;
    for (const entry of ROTATABLE_COLUMNS) {
      const { table, column } = entry;
      const seen = new Set<string>();
      for (;;) {
        const batch = await this.unitOfWork.run(clinicId, async (tx) => {
          const rows = await tx.query<{ id: string; value: string }>(
            `select id, ${column} as value from ${table} where clinic_id = $1 and ${olderThan(entry)}
              order by id limit $3`,
            [clinicId, version, batchSize],
          );
          let done = 0;
          for (const row of rows) {
            if (seen.has(row.id)) continue;
            seen.add(row.id);
            const location = { table, rowId: row.id, column };
            const plaintext = await this.encryption.decrypt(tx, location, row.value);
            const sealed = await this.encryption.encrypt(tx, location, plaintext);
            const sealedVersion = FieldEncryption.keyVersionOf(sealed) as number;
            const [swapped] = await tx.query<{ ok: boolean }>(
              'select rotate_encrypted_value($1, $2, $3, $4, $5, $6) as ok',
              [table, column, row.id, row.value, sealed, sealedVersion],
            );
            if (swapped.ok) done += 1;
            else skipped += 1;
          }
          return { rows: rows.length, done };
        });
        reencrypted += batch.done;
        if (batch.rows === 0) break;
        await options.afterBatch?.(reencrypted);
        // Rows left were re-sealed by their writers meanwhile (or seen already): done with this table.
        if (batch.done === 0) break;
      }
    }
    await this.unitOfWork.run(clinicId, async (tx) => {
      if ((await pendingCount(tx, version)) === 0) {
        await tx.query(
          'update clinic_data_keys set retired_at = now() where clinic_id = $1 and version < $2 and retired_at is null',
          [clinicId, version],
        );
      }
    });
    return { clinicId, version, resumed: start.resumed, reencrypted, skipped };
  }
}
