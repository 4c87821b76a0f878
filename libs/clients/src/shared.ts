import { recordAudit, recordAuditAtCommit, type AuditMetadata } from '@mend/audit';
import type { MembershipRole } from '@mend/contracts';
import type { TenantTransaction } from '@mend/core';

import { invalidField } from './clients.errors.js';

/** Who acts: the signed-in member (identity's Principal and access's AccessPrincipal fit this shape). */
export interface ClientsActor {
  readonly userId: string;
  readonly membershipId: string;
  readonly roles: readonly MembershipRole[];
  readonly ip?: string | null;
}

export const isAdmin = (actor: ClientsActor): boolean => actor.roles.includes('clinic_admin');
export const isClinician = (actor: ClientsActor): boolean =>
  actor.roles.includes('counselor') || actor.roles.includes('supervisor');

/**
 * Records a change or a read of client/case records in the clinic's audit trail,
 * in the same transaction. Ids, codes and field names only: never a name, a
 * title, a reason or a policy text.
 */
export async function auditCases(
  tx: TenantTransaction,
  actor: ClientsActor | null,
  action: string,
  target: { readonly type: 'client' | 'case' | 'clinic'; readonly id: string },
  metadata: AuditMetadata = {},
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: target.type,
    targetId: target.id,
    actorUserId: actor?.userId ?? null,
    actorMembershipId: actor?.membershipId ?? null,
    ip: actor?.ip ?? null,
    metadata,
  });
}

/** {@link auditCases} for a read whose audit row may travel with the COMMIT (see recordAuditAtCommit). */
export function auditCasesAtCommit(
  tx: TenantTransaction,
  actor: ClientsActor | null,
  action: string,
  target: { readonly type: 'client' | 'case' | 'clinic'; readonly id: string },
  metadata: AuditMetadata = {},
): void {
  recordAuditAtCommit(tx, {
    action,
    targetType: target.type,
    targetId: target.id,
    actorUserId: actor?.userId ?? null,
    actorMembershipId: actor?.membershipId ?? null,
    ip: actor?.ip ?? null,
    metadata,
  });
}

/**
 * The staff whose work a member sees: themselves and the counselors they
 * supervise. `$1` is the clinic, `$2` the member (a CTE named `scope`).
 */
export const SCOPE_CTE = `scope as (
    select $2::uuid as id
    union
    select l.counselor_membership_id from supervision_links l
     where l.clinic_id = $1 and l.supervisor_membership_id = $2::uuid)`;

export type SortOrder = 'asc' | 'desc';

/** A keyset cursor: the sort key (as PostgreSQL prints it, so no precision is lost) and the id. */
export interface Cursor {
  readonly key: string | null;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(value: string | undefined): Cursor | null {
  if (value === undefined || value === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || parsed[0] === null) &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      return { key: parsed[0] as string | null, id: parsed[1] };
    }
  } catch {
    // fall through: an unreadable cursor is a bad request
  }
  throw invalidField('cursor', 'isCursor', 'cursor must be a nextCursor value from a previous page');
}

/**
 * The keyset condition of a page after `cursor`, for `order by <expr> <order>, <idExpr> <order>`.
 * Nulls sort last in both orders (`nulls last`), and the cursor of a null key continues among them.
 */
export function keysetCondition(
  expr: string,
  idExpr: string,
  cast: string,
  order: SortOrder,
  cursor: Cursor | null,
  params: unknown[],
): string {
  if (cursor === null) return 'true';
  const op = order === 'asc' ? '>' : '<';
  params.push(cursor.id);
  const idParam = `$${params.length}::uuid`;
  if (cursor.key === null) return `(${expr} is null and ${idExpr} ${op} ${idParam})`;
  params.push(cursor.key);
  const keyParam = `$${params.length}::${cast}`;
  return `((${expr}, ${idExpr}) ${op} (${keyParam}, ${idParam}) or ${expr} is null)`;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
