import { randomUUID } from 'node:crypto';

import { currentContext, preparedStatement, type TenantTransaction } from '@mend/core';

import {
  ACTION,
  assertAuditMetadata,
  AUDIT_OUTCOMES,
  optionalUuid,
  TARGET_TYPE,
  TOKEN,
  type AuditMetadata,
  type AuditOutcome,
} from './audit-event.input.js';
import { auditRowHash, type AuditRowFields } from './audit-hash.js';
import { AuditEventError } from './audit.error.js';
import { canonicalIp } from './ip-address.js';

/** What happened, to what, by whom: ids and codes only, never clinical text. */
export interface AuditEventInput {
  /** Dotted code, e.g. `auth.login`, `client.read`, `note.update`. */
  readonly action: string;
  /** Default `success`. */
  readonly outcome?: AuditOutcome;
  /** e.g. `client`, `membership`; with `targetId`. */
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  /** Default: the user of the current request context. */
  readonly actorUserId?: string | null;
  readonly actorMembershipId?: string | null;
  /** The client address; unparseable values are stored as null. */
  readonly ip?: string | null;
  /** Default: the correlation id of the current request context. */
  readonly correlationId?: string | null;
  readonly metadata?: AuditMetadata;
}

export interface RecordedAuditEvent {
  readonly id: string;
  readonly occurredAt: Date;
  readonly rowHash: string;
}

/** A correlation id arrives from a header: an odd one is dropped, never a reason to fail the change. */
function correlationIdOf(value: string | null | undefined): string | null {
  const candidate = value === undefined ? currentContext()?.correlationId : value;
  return typeof candidate === 'string' && TOKEN.test(candidate) ? candidate : null;
}

/** Validates an event and builds the row exactly as it will be stored (and hashed). */
export function buildAuditRow(clinicId: string, event: AuditEventInput, now: Date = new Date()): AuditRowFields {
  if (!ACTION.test(event.action)) throw new AuditEventError('Audit field "action" must be a dotted lower-case code');
  const outcome = event.outcome ?? 'success';
  if (!AUDIT_OUTCOMES.includes(outcome))
    throw new AuditEventError('Audit field "outcome" is success, denied or failure');
  const targetType = event.targetType ?? null;
  if (targetType !== null && !TARGET_TYPE.test(targetType)) {
    throw new AuditEventError('Audit field "targetType" must be a lower-case identifier');
  }
  const targetId = event.targetId ?? null;
  if (targetId !== null && !TOKEN.test(targetId)) throw new AuditEventError('Audit field "targetId" must be an id');
  const metadata = event.metadata ?? {};
  assertAuditMetadata(metadata);
  return {
    clinicId: optionalUuid(clinicId, 'clinicId') as string,
    id: randomUUID(),
    // PostgreSQL keeps microseconds, JavaScript milliseconds: a millisecond time
    // is stored and read back exactly, so the verifier hashes the same value.
    occurredAt: new Date(now.getTime()),
    actorUserId: optionalUuid(
      event.actorUserId === undefined ? (currentContext()?.userId ?? null) : event.actorUserId,
      'actorUserId',
    ),
    actorMembershipId: optionalUuid(event.actorMembershipId, 'actorMembershipId'),
    action: event.action,
    targetType,
    targetId,
    outcome,
    ip: canonicalIp(event.ip),
    correlationId: correlationIdOf(event.correlationId),
    metadata,
  };
}

/**
 * Appends an audit row in the caller's transaction, so the row exists exactly
 * when the change it records commits (and a rolled-back change leaves none).
 * The row carries the hash of its own fields; seals chain the hashes later,
 * so writers never wait on each other.
 */
export async function recordAudit(tx: TenantTransaction, event: AuditEventInput): Promise<RecordedAuditEvent> {
  const row = buildAuditRow(tx.clinicId, event);
  const rowHash = auditRowHash(row);
  await tx.query(
    `insert into audit_events (clinic_id, id, occurred_at, actor_user_id, actor_membership_id, action,
                               target_type, target_id, outcome, ip, correlation_id, metadata, row_hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      row.clinicId,
      row.id,
      row.occurredAt.toISOString(),
      row.actorUserId,
      row.actorMembershipId,
      row.action,
      row.targetType,
      row.targetId,
      row.outcome,
      row.ip,
      row.correlationId,
      JSON.stringify(row.metadata),
      rowHash,
    ],
  );
  return { id: row.id, occurredAt: row.occurredAt, rowHash };
}

const INSERT_AUDIT_EVENT = preparedStatement(
  'audit_event_insert',
  `insert into audit_events (clinic_id, id, occurred_at, actor_user_id, actor_membership_id, action,
                             target_type, target_id, outcome, ip, correlation_id, metadata, row_hash)
   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  ['uuid', 'uuid', 'timestamptz', 'uuid', 'uuid', 'text', 'text', 'text', 'text', 'inet', 'text', 'jsonb', 'text'],
);

/**
 * {@link recordAudit} whose insert travels with the transaction's COMMIT (one
 * message, no round trip of its own): for the audit row of a read, which nothing
 * later in the transaction reads back. The row still exists exactly when the
 * transaction commits: a failing insert fails the COMMIT and the unit of work.
 */
export function recordAuditAtCommit(tx: TenantTransaction, event: AuditEventInput): RecordedAuditEvent {
  const row = buildAuditRow(tx.clinicId, event);
  const rowHash = auditRowHash(row);
  tx.executeAtCommit(INSERT_AUDIT_EVENT, [
    row.clinicId,
    row.id,
    row.occurredAt,
    row.actorUserId,
    row.actorMembershipId,
    row.action,
    row.targetType,
    row.targetId,
    row.outcome,
    row.ip,
    row.correlationId,
    JSON.stringify(row.metadata),
    rowHash,
  ]);
  return { id: row.id, occurredAt: row.occurredAt, rowHash };
}
