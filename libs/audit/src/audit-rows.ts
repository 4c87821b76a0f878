import type { SystemTransaction } from '@mend/core';

import { auditRowHash, type AuditRowFields, type SealedRowRef } from './audit-hash.js';
import type { JsonValue } from './canonical-json.js';

/** An audit row as read back for sealing and verification. */
export interface StoredAuditRow extends SealedRowRef {
  readonly fields: AuditRowFields;
}

interface RawAuditRow {
  seq: string;
  tx_id: string;
  clinic_id: string;
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_membership_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  correlation_id: string | null;
  metadata: { [key: string]: JsonValue };
  row_hash: string;
}

/** Columns in the form the hash needs: bigints as text, inet as PostgreSQL prints it. */
const COLUMNS = `seq::text as seq, tx_id::text as tx_id, clinic_id, id, occurred_at, actor_user_id,
  actor_membership_id, action, target_type, target_id, outcome, ip, correlation_id, metadata, row_hash`;

function toStored(raw: RawAuditRow): StoredAuditRow {
  return {
    seq: raw.seq,
    txId: raw.tx_id,
    rowHash: raw.row_hash,
    fields: {
      clinicId: raw.clinic_id,
      id: raw.id,
      occurredAt: raw.occurred_at,
      actorUserId: raw.actor_user_id,
      actorMembershipId: raw.actor_membership_id,
      action: raw.action,
      targetType: raw.target_type,
      targetId: raw.target_id,
      outcome: raw.outcome,
      ip: raw.ip,
      correlationId: raw.correlation_id,
      metadata: raw.metadata,
    },
  };
}

/** True when the stored hash is the hash of the stored fields. */
export function hasValidRowHash(row: StoredAuditRow): boolean {
  return auditRowHash(row.fields) === row.rowHash;
}

export interface TxRange {
  /** Inclusive; null for no lower bound. */
  readonly from: bigint | null;
  /** Exclusive; null for no upper bound. */
  readonly to: bigint | null;
}

/**
 * The clinic's audit rows whose transaction id lies in a range, in seq order,
 * in batches (keyset on seq), so memory stays bounded however long the range.
 */
export async function* readAuditRows(
  tx: SystemTransaction,
  clinicId: string,
  range: TxRange,
  batchSize = 2_000,
): AsyncGenerator<StoredAuditRow> {
  let afterSeq: string | null = null;
  for (;;) {
    const rows: RawAuditRow[] = await tx.query<RawAuditRow>(
      `select ${COLUMNS} from audit_events
        where clinic_id = $1
          and ($2::bigint is null or tx_id >= $2::bigint)
          and ($3::bigint is null or tx_id < $3::bigint)
          and ($4::bigint is null or seq > $4::bigint)
        order by seq
        limit $5`,
      [clinicId, range.from?.toString() ?? null, range.to?.toString() ?? null, afterSeq, batchSize],
    );
    for (const row of rows) yield toStored(row);
    if (rows.length < batchSize) return;
    afterSeq = rows[rows.length - 1].seq;
  }
}
