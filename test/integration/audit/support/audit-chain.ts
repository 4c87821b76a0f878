import { AuditSealer } from '@mend/audit';
import type { UnitOfWork } from '@mend/core';

export interface Coverage {
  readonly rows: number;
  /** Rows at or above the last seal's xmin_to. */
  readonly unsealed: number;
  /** Rows covered by no seal or by more than one (must be 0). */
  readonly notCoveredOnce: number;
  readonly sealedRowCount: number;
}

/** How the clinic's committed rows are covered by its seals, read as the clinic. */
export async function coverageOf(unitOfWork: UnitOfWork, clinicId: string): Promise<Coverage> {
  const [row] = await unitOfWork.run(clinicId, (tx) =>
    tx.query<{ rows: number; unsealed: number; not_covered_once: number; sealed_row_count: number }>(
      `select (select count(*)::int from audit_events) as rows,
              (select count(*)::int from audit_events
                where tx_id >= coalesce((select max(xmin_to) from audit_seals), 0)) as unsealed,
              (select count(*)::int from audit_events e
                where (select count(*) from audit_seals s
                        where e.tx_id >= s.xmin_from and e.tx_id < s.xmin_to) <> 1
                  and e.tx_id < coalesce((select max(xmin_to) from audit_seals), 0)) as not_covered_once,
              (select coalesce(sum(row_count), 0)::int from audit_seals) as sealed_row_count`,
    ),
  );
  return {
    rows: row.rows,
    unsealed: row.unsealed,
    notCoveredOnce: row.not_covered_once,
    sealedRowCount: row.sealed_row_count,
  };
}

/**
 * Seals until no committed row of the clinic is left unsealed. The snapshot xmin
 * is cluster-wide, so a transaction held open elsewhere on the shared server
 * (another test run) delays it: retry rather than assume.
 */
export async function sealUntilCovered(
  unitOfWork: UnitOfWork,
  clinicId: string,
  sealer = new AuditSealer(),
  timeoutMs = 30_000,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    await sealer.sealClinic(unitOfWork, clinicId);
    if ((await coverageOf(unitOfWork, clinicId)).unsealed === 0) return;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Audit rows of clinic ${clinicId} still unsealed after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A promise with its resolve function, to hold a transaction open at a chosen point. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
