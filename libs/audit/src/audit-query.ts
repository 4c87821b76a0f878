import { CoreError, CoreErrorCode, type TenantTransaction } from '@mend/core';

import { ACTION, AUDIT_OUTCOMES, optionalUuid, TARGET_TYPE, type AuditOutcome } from './audit-event.input.js';
import { AuditEventError } from './audit.error.js';
import { recordAudit } from './record-audit.js';

export const AUDIT_READ = 'audit.read';
export const AUDIT_QUERY_MAX_LIMIT = 200;
export const AUDIT_QUERY_DEFAULT_LIMIT = 50;

/** Filters of a clinic admin's query of the trail; every one optional. */
export interface AuditQuery {
  readonly targetType?: string;
  readonly targetId?: string;
  readonly actorUserId?: string;
  /** An exact action (`auth.login`) or a prefix ending in `*` (`auth.*`). */
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive, so a month is `from` its first day `to` the next month's. */
  readonly to?: Date;
  /** 1 to 200, default 50. */
  readonly limit?: number;
  /** Keyset cursor: only rows with a smaller seq (the `nextBefore` of the previous page). */
  readonly before?: string;
}

/** One audit row as a clinic admin sees it: ids, codes and times (the rows hold nothing else). */
export interface AuditEventView {
  readonly seq: string;
  readonly id: string;
  readonly action: string;
  readonly outcome: AuditOutcome;
  readonly occurredAt: Date;
  readonly actorUserId: string | null;
  readonly actorMembershipId: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly ip: string | null;
  readonly correlationId: string | null;
  readonly metadata: Record<string, unknown>;
}

export interface AuditPage {
  readonly items: readonly AuditEventView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextBefore: string | null;
}

/** Who reads the trail (the read is itself recorded). */
export interface AuditReader {
  readonly userId: string;
  readonly membershipId: string;
  readonly ip?: string | null;
}

interface RawRow {
  seq: string;
  id: string;
  action: string;
  outcome: AuditOutcome;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_membership_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  correlation_id: string | null;
  metadata: Record<string, unknown>;
}

const SEQ = /^[1-9][0-9]{0,18}$/;

/** `auth.*` → prefix `auth.`; `auth.login` → exact. Refuses anything the stored actions cannot match. */
export function parseActionFilter(action: string): { readonly exact?: string; readonly prefix?: string } {
  if (action.endsWith('*')) {
    const prefix = action.slice(0, -1);
    if (prefix.length === 0 || !ACTION.test(prefix))
      throw new AuditEventError('Filter "action" is a code or a prefix*');
    return { prefix };
  }
  if (!ACTION.test(action)) throw new AuditEventError('Filter "action" is a code or a prefix*');
  return { exact: action };
}

/** The WHERE clause and parameters of a query (clinic first, so the primary key serves the keyset). */
function whereOf(clinicId: string, query: AuditQuery): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [clinicId];
  const conditions = ['clinic_id = $1'];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    parameters.push(value);
    conditions.push(condition(`$${parameters.length}`));
  };
  if (query.targetType !== undefined) {
    if (!TARGET_TYPE.test(query.targetType)) throw new AuditEventError('Filter "targetType" is an identifier');
    add((p) => `target_type = ${p}`, query.targetType);
  }
  if (query.targetId !== undefined) add((p) => `target_id = ${p}`, optionalUuid(query.targetId, 'targetId'));
  if (query.actorUserId !== undefined) {
    add((p) => `actor_user_id = ${p}`, optionalUuid(query.actorUserId, 'actorUserId'));
  }
  if (query.action !== undefined) {
    const action = parseActionFilter(query.action);
    // starts_with, not LIKE: `_` is a legal action character and would be a wildcard.
    if (action.prefix !== undefined) add((p) => `starts_with(action, ${p})`, action.prefix);
    else add((p) => `action = ${p}`, action.exact);
  }
  if (query.outcome !== undefined) {
    if (!AUDIT_OUTCOMES.includes(query.outcome)) throw new AuditEventError('Filter "outcome" is unknown');
    add((p) => `outcome = ${p}`, query.outcome);
  }
  if (query.from !== undefined) add((p) => `occurred_at >= ${p}`, query.from.toISOString());
  if (query.to !== undefined) add((p) => `occurred_at < ${p}`, query.to.toISOString());
  if (query.before !== undefined) {
    if (!SEQ.test(query.before)) throw new AuditEventError('Cursor "before" is a sequence number');
    add((p) => `seq < ${p}::bigint`, query.before);
  }
  return { sql: conditions.join(' and '), parameters };
}

/**
 * A page of the clinic's audit trail, newest first (keyset on seq, so a page
 * costs the same however deep), and the read itself recorded as `audit.read`
 * with the filters used (ids and codes only) in the same transaction. The
 * clinic is the transaction's: RLS would hide other clinics' rows anyway.
 */
export async function queryAuditEvents(
  tx: TenantTransaction,
  reader: AuditReader,
  query: AuditQuery,
): Promise<AuditPage> {
  const limit = query.limit ?? AUDIT_QUERY_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_QUERY_MAX_LIMIT) {
    throw new AuditEventError(`Filter "limit" is 1 to ${AUDIT_QUERY_MAX_LIMIT}`);
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new CoreError(CoreErrorCode.RuleViolated, 'The period is empty: "from" is after "to"', [
      { field: 'from', rule: 'notAfterTo', message: 'from must not be after to' },
    ]);
  }
  const where = whereOf(tx.clinicId, query);
  const rows = await tx.query<RawRow>(
    `select seq::text as seq, id, action, outcome, occurred_at, actor_user_id, actor_membership_id,
            target_type, target_id, host(ip) as ip, correlation_id, metadata
       from audit_events
      where ${where.sql}
      order by seq desc
      limit ${limit + 1}`,
    where.parameters,
  );
  const page = rows.slice(0, limit);
  const nextBefore = rows.length > limit ? (page[page.length - 1]?.seq ?? null) : null;

  // Recorded after the select, so a page never contains the row of its own read.
  const action = query.action === undefined ? undefined : parseActionFilter(query.action);
  await recordAudit(tx, {
    action: AUDIT_READ,
    targetType: query.targetType ?? null,
    targetId: query.targetId ?? null,
    actorUserId: reader.userId,
    actorMembershipId: reader.membershipId,
    ip: reader.ip ?? null,
    metadata: {
      filterActorUserId: query.actorUserId ?? null,
      filterAction: action?.exact ?? null,
      filterActionPrefix: action?.prefix ?? null,
      filterOutcome: query.outcome ?? null,
      from: query.from?.toISOString() ?? null,
      to: query.to?.toISOString() ?? null,
      before: query.before ?? null,
      limit,
      returned: page.length,
    },
  });

  return {
    items: page.map((row) => ({
      seq: row.seq,
      id: row.id,
      action: row.action,
      outcome: row.outcome,
      occurredAt: row.occurred_at,
      actorUserId: row.actor_user_id,
      actorMembershipId: row.actor_membership_id,
      targetType: row.target_type,
      targetId: row.target_id,
      ip: row.ip,
      correlationId: row.correlation_id,
      metadata: row.metadata,
    })),
    nextBefore,
  };
}
