import type { TenantTransaction, UnitOfWork } from '@mend/core';

import { genesisSealHash, RowsDigest, sealHash } from './audit-hash.js';
import { hasValidRowHash, readAuditRows } from './audit-rows.js';

export type BrokenLink =
  | { readonly kind: 'row'; readonly seq: string; readonly reason: string }
  | { readonly kind: 'seal'; readonly seal: number; readonly reason: string };

export type AuditChainVerdict =
  | {
      readonly ok: true;
      /** Every row of the clinic, sealed or not. */
      readonly rows: number;
      readonly seals: number;
      /** Rows not yet covered by a seal (their transactions were open, or the sealer has not run since). */
      readonly unsealedRows: number;
      /** The newest seal: record it outside the database to detect a truncated chain later. */
      readonly head: { readonly k: number; readonly sealHash: string } | null;
    }
  | { readonly ok: false; readonly firstBrokenLink: BrokenLink };

interface StoredSeal {
  k: number;
  xmin_from: string;
  xmin_to: string;
  row_count: number;
  rows_digest: string;
  prev_seal_hash: string;
  seal_hash: string;
  sealed_at: Date;
}

/** Seals checked per round trip; their rows are streamed in batches. */
const SEAL_PAGE = 200;

interface SealState {
  readonly seal: StoredSeal;
  readonly digest: RowsDigest;
  firstBadRowSeq?: string;
}

/** Index of the seal whose [xmin_from, xmin_to) holds txId (ranges are contiguous and sorted). */
function sealIndexOf(states: readonly SealState[], txId: bigint): number {
  let low = 0;
  let high = states.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const { seal } = states[middle];
    if (txId < BigInt(seal.xmin_from)) high = middle - 1;
    else if (txId >= BigInt(seal.xmin_to)) low = middle + 1;
    else return middle;
  }
  return -1;
}

/**
 * Recomputes a clinic's whole audit chain in one consistent snapshot (REPEATABLE
 * READ, as the clinic, so RLS applies): every row hash; for every seal, the set
 * of rows its transaction-id range covers now, their count and digest, the
 * seal's own hash and its link to the previous seal. Rows below the first seal's
 * range (covered by no seal) are tampering too. Reports the first broken link
 * in chain order: rows outside every seal, then seal by seal (its link and
 * hash, its rows, its digest), then the unsealed tail.
 *
 * Not detectable from inside the database: removing the newest seals together
 * with their rows (a truncated chain). The `head` of a good verdict is what to
 * anchor outside (README, Audit trail).
 */
export async function verifyAuditChain(unitOfWork: UnitOfWork, clinicId: string): Promise<AuditChainVerdict> {
  const clinic = clinicId.toLowerCase();
  return unitOfWork.run(clinic, (tx) => verifyInTransaction(tx, clinic), { isolation: 'REPEATABLE READ' });
}

async function verifyInTransaction(tx: TenantTransaction, clinic: string): Promise<AuditChainVerdict> {
  let rows = 0;
  let seals = 0;

  for await (const row of readAuditRows(tx, clinic, { from: null, to: 0n })) {
    return { ok: false, firstBrokenLink: { kind: 'row', seq: row.seq, reason: 'row is covered by no seal' } };
  }

  let previous: StoredSeal | undefined;
  for (;;) {
    const page = await tx.query<StoredSeal>(
      `select k, xmin_from::text as xmin_from, xmin_to::text as xmin_to, row_count, rows_digest, prev_seal_hash,
              seal_hash, sealed_at
         from audit_seals where clinic_id = $1 and k > $2 order by k limit $3`,
      [clinic, previous?.k ?? 0, SEAL_PAGE],
    );
    if (page.length === 0) break;

    // A seal whose link is broken ends the walk: the seals before it are checked
    // (with their rows) first, so the report names the earliest break.
    const states: SealState[] = [];
    let brokenLink: BrokenLink | undefined;
    for (const seal of page) {
      const reason = brokenSealLink(seal, previous, clinic);
      if (reason !== undefined) {
        brokenLink = { kind: 'seal', seal: seal.k, reason };
        break;
      }
      states.push({ seal, digest: new RowsDigest() });
      previous = seal;
    }

    if (states.length > 0) {
      const range = { from: BigInt(states[0].seal.xmin_from), to: BigInt(states[states.length - 1].seal.xmin_to) };
      for await (const row of readAuditRows(tx, clinic, range)) {
        rows += 1;
        // Sound links make the ranges contiguous, so every row here has its seal.
        const state = states[sealIndexOf(states, BigInt(row.txId))];
        state.digest.add(row);
        if (state.firstBadRowSeq === undefined && !hasValidRowHash(row)) state.firstBadRowSeq = row.seq;
      }
    }

    for (const state of states) {
      const { seal } = state;
      if (state.firstBadRowSeq !== undefined) {
        return {
          ok: false,
          firstBrokenLink: { kind: 'row', seq: state.firstBadRowSeq, reason: 'row hash does not match its fields' },
        };
      }
      const digest = state.digest.digest();
      if (state.digest.count !== seal.row_count || digest !== seal.rows_digest) {
        return {
          ok: false,
          firstBrokenLink: {
            kind: 'seal',
            seal: seal.k,
            reason:
              state.digest.count === seal.row_count
                ? 'the rows in its range differ from the rows sealed (edited, reordered or replaced)'
                : `its range holds ${state.digest.count} rows, ${seal.row_count} were sealed`,
          },
        };
      }
      seals += 1;
    }
    if (brokenLink !== undefined) return { ok: false, firstBrokenLink: brokenLink };
    if (page.length < SEAL_PAGE) break;
  }

  let unsealedRows = 0;
  const tailFrom = previous === undefined ? 0n : BigInt(previous.xmin_to);
  for await (const row of readAuditRows(tx, clinic, { from: tailFrom, to: null })) {
    if (!hasValidRowHash(row)) {
      return {
        ok: false,
        firstBrokenLink: { kind: 'row', seq: row.seq, reason: 'row hash does not match its fields' },
      };
    }
    unsealedRows += 1;
  }

  return {
    ok: true,
    rows: rows + unsealedRows,
    seals,
    unsealedRows,
    head: previous === undefined ? null : { k: previous.k, sealHash: previous.seal_hash },
  };
}

/** Why a seal does not follow its predecessor or does not hash to itself; undefined when sound. */
function brokenSealLink(seal: StoredSeal, previous: StoredSeal | undefined, clinic: string): string | undefined {
  const expectedK = (previous?.k ?? 0) + 1;
  if (seal.k !== expectedK) return `expected seal ${expectedK} here (a seal is missing or renumbered)`;
  if (seal.xmin_from !== (previous?.xmin_to ?? '0')) return 'its range does not start where the previous seal ended';
  if (BigInt(seal.xmin_to) <= BigInt(seal.xmin_from)) return 'its range is empty or reversed';
  if (seal.prev_seal_hash !== (previous?.seal_hash ?? genesisSealHash(clinic))) {
    return 'it does not chain to the previous seal';
  }
  const recomputed = sealHash({
    clinicId: clinic,
    k: seal.k,
    xminFrom: seal.xmin_from,
    xminTo: seal.xmin_to,
    rowCount: seal.row_count,
    rowsDigest: seal.rows_digest,
    prevSealHash: seal.prev_seal_hash,
    sealedAt: seal.sealed_at,
  });
  if (recomputed !== seal.seal_hash) return 'its hash does not match its fields';
  return undefined;
}
