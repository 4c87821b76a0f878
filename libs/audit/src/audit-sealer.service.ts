import type { UnitOfWork } from '@mend/core';

import { genesisSealHash, sealHash, sealRowsDigest } from './audit-hash.js';
import { hasValidRowHash, readAuditRows, type StoredAuditRow } from './audit-rows.js';
import { AuditSealError } from './audit.error.js';

export interface SealResult {
  readonly clinicId: string;
  /** False when no finished transaction had left rows since the last seal. */
  readonly sealed: boolean;
  /** The new seal's number (when sealed). */
  readonly k?: number;
  readonly rowCount: number;
  /**
   * Rows whose stored hash did not match their fields when sealed. They are
   * sealed as stored (the seal cannot repair them, and leaving them out would
   * leave every later row unsealed); the verifier reports the first one.
   */
  readonly mismatchedRows: number;
}

export interface UnsealedClinic {
  readonly clinicId: string;
  readonly oldestOccurredAt: Date;
}

export interface SealPassResult {
  readonly clinics: number;
  readonly sealed: readonly SealResult[];
  readonly failed: readonly { readonly clinicId: string; readonly error: unknown }[];
}

interface LastSeal {
  k: number;
  xmin_to: string;
  seal_hash: string;
}

/**
 * Appends seals to each clinic's audit chain without ever making writers wait.
 *
 * Seal k takes `xmin_k`, the xmin of the sealer's own snapshot: every
 * transaction with a lower id has finished, so the rows with
 * `xmin_{k-1} <= tx_id < xmin_k` are final (later transactions get higher ids,
 * aborted ones left no rows). The seal covers exactly those rows, in seq order,
 * and chains to seal k-1 by hash. Rows of transactions still open (or started
 * later) stay in the unsealed tail for the next seal.
 */
export class AuditSealer {
  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Seals one clinic in one short unit of work (as that clinic, under RLS). */
  async sealClinic(unitOfWork: UnitOfWork, clinicId: string): Promise<SealResult> {
    const clinic = clinicId.toLowerCase();
    return unitOfWork.run(clinic, async (tx) => {
      // One sealer per clinic at a time (a second waits, then sees the first one's
      // seal); audit writers never take this lock. Taken before the snapshot, so
      // seal xmins only grow.
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`mend.audit.seal:${clinic}`]);
      const [{ xmin }] = await tx.query<{ xmin: string }>(
        'select (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint::text as xmin',
      );
      const [last] = await tx.query<LastSeal>(
        `select k, xmin_to::text as xmin_to, seal_hash from audit_seals
          where clinic_id = $1 order by k desc limit 1`,
        [clinic],
      );
      const xminFrom = BigInt(last?.xmin_to ?? '0');
      const xminTo = BigInt(xmin);
      if (xminTo < xminFrom) {
        // Only a restore into another cluster (dump and reload) moves the counter
        // back; rows written now would look forged below the last seal.
        throw new AuditSealError(
          `Transaction ids are behind the last audit seal of clinic ${clinic}: re-anchor the chain before sealing`,
        );
      }
      const nothing: SealResult = { clinicId: clinic, sealed: false, rowCount: 0, mismatchedRows: 0 };
      if (xminTo === xminFrom) return nothing;

      const rows: StoredAuditRow[] = [];
      let mismatchedRows = 0;
      for await (const row of readAuditRows(tx, clinic, { from: xminFrom, to: xminTo })) {
        rows.push(row);
        if (!hasValidRowHash(row)) mismatchedRows += 1;
      }
      // An empty range is not sealed: the next seal starts from the same xmin.
      if (rows.length === 0) return nothing;

      const k = (last?.k ?? 0) + 1;
      const fields = {
        clinicId: clinic,
        k,
        xminFrom: xminFrom.toString(),
        xminTo: xminTo.toString(),
        rowCount: rows.length,
        rowsDigest: sealRowsDigest(rows),
        prevSealHash: last?.seal_hash ?? genesisSealHash(clinic),
        sealedAt: new Date(this.clock().getTime()),
      };
      await tx.query(
        `insert into audit_seals (clinic_id, k, xmin_from, xmin_to, row_count, rows_digest, prev_seal_hash,
                                  seal_hash, sealed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          clinic,
          k,
          fields.xminFrom,
          fields.xminTo,
          fields.rowCount,
          fields.rowsDigest,
          fields.prevSealHash,
          sealHash(fields),
          fields.sealedAt.toISOString(),
        ],
      );
      return { clinicId: clinic, sealed: true, k, rowCount: rows.length, mismatchedRows };
    });
  }

  /** Clinics with rows not yet covered by a seal, oldest first (reviewed SECURITY DEFINER lookup). */
  async unsealedClinics(unitOfWork: UnitOfWork): Promise<UnsealedClinic[]> {
    const rows = await unitOfWork.runWithoutClinic((tx) =>
      tx.query<{ clinic_id: string; oldest_occurred_at: Date }>(
        'select clinic_id, oldest_occurred_at from audit_unsealed_clinics()',
      ),
    );
    return rows.map((row) => ({ clinicId: row.clinic_id, oldestOccurredAt: row.oldest_occurred_at }));
  }

  /**
   * One pass of the periodic sealer: every clinic with unsealed rows, each in its
   * own unit of work. A clinic that fails does not stop the others.
   */
  async sealUnsealedClinics(unitOfWork: UnitOfWork): Promise<SealPassResult> {
    const clinics = await this.unsealedClinics(unitOfWork);
    const sealed: SealResult[] = [];
    const failed: { clinicId: string; error: unknown }[] = [];
    for (const { clinicId } of clinics) {
      try {
        sealed.push(await this.sealClinic(unitOfWork, clinicId));
      } catch (error) {
        failed.push({ clinicId, error });
      }
    }
    return { clinics: clinics.length, sealed, failed };
  }
}
