import { createHash } from 'node:crypto';

import { canonicalJson, type JsonValue } from './canonical-json.js';

const ROW_DOMAIN = 'mend.audit.row.v1';
const SEAL_DOMAIN = 'mend.audit.seal.v1';
const GENESIS_DOMAIN = 'mend.audit.genesis.v1';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hashed fields of an audit row: every column except `seq` and `tx_id` (unknown before the insert). */
export interface AuditRowFields {
  readonly clinicId: string;
  readonly id: string;
  readonly occurredAt: Date;
  readonly actorUserId: string | null;
  readonly actorMembershipId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly outcome: string;
  readonly ip: string | null;
  readonly correlationId: string | null;
  readonly metadata: { readonly [key: string]: JsonValue };
}

/**
 * sha256 over the canonical JSON of the row's fields, prefixed with a domain
 * tag so that a row hash can never be replayed as a seal hash. `occurred_at`
 * enters in milliseconds (the writer sets it so; PostgreSQL returns it so), and
 * uuids in lower case (PostgreSQL returns them so, whatever case was written).
 */
export function auditRowHash(row: AuditRowFields): string {
  const fields: { [key: string]: JsonValue } = {
    action: row.action,
    actor_membership_id: row.actorMembershipId?.toLowerCase() ?? null,
    actor_user_id: row.actorUserId?.toLowerCase() ?? null,
    clinic_id: row.clinicId.toLowerCase(),
    correlation_id: row.correlationId,
    id: row.id.toLowerCase(),
    ip: row.ip,
    metadata: row.metadata,
    occurred_at: row.occurredAt.toISOString(),
    outcome: row.outcome,
    target_id: row.targetId,
    target_type: row.targetType,
  };
  return sha256Hex(`${ROW_DOMAIN}\n${canonicalJson(fields)}`);
}

/** What a seal binds of each row: its position (seq), its transaction and its hash. */
export interface SealedRowRef {
  readonly seq: string;
  readonly txId: string;
  readonly rowHash: string;
}

/**
 * Digest of the rows a seal covers, in seq order. It binds seq and tx_id as well
 * as each row hash: a digest over the row hashes alone would not notice two rows
 * of different seals exchanging their seq numbers.
 */
export function sealRowsDigest(rows: readonly SealedRowRef[]): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row.seq}:${row.txId}:${row.rowHash}\n`, 'utf8');
  return hash.digest('hex');
}

/** Incremental form of {@link sealRowsDigest} for the verifier (rows arrive in batches). */
export class RowsDigest {
  private readonly hash = createHash('sha256');
  count = 0;

  add(row: SealedRowRef): void {
    this.hash.update(`${row.seq}:${row.txId}:${row.rowHash}\n`, 'utf8');
    this.count += 1;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** The `prev_seal_hash` of a clinic's first seal: binds the chain to its clinic. */
export function genesisSealHash(clinicId: string): string {
  return sha256Hex(`${GENESIS_DOMAIN}\n${clinicId.toLowerCase()}`);
}

export interface SealFields {
  readonly clinicId: string;
  readonly k: number;
  readonly xminFrom: string;
  readonly xminTo: string;
  readonly rowCount: number;
  readonly rowsDigest: string;
  readonly prevSealHash: string;
  readonly sealedAt: Date;
}

/** sha256(prev ‖ k ‖ xmin_from ‖ xmin_to ‖ count ‖ rows digest ‖ sealed_at), bound to the clinic. */
export function sealHash(seal: SealFields): string {
  return sha256Hex(
    [
      SEAL_DOMAIN,
      seal.clinicId.toLowerCase(),
      seal.prevSealHash,
      String(seal.k),
      seal.xminFrom,
      seal.xminTo,
      String(seal.rowCount),
      seal.rowsDigest,
      seal.sealedAt.toISOString(),
    ].join('\n'),
  );
}
