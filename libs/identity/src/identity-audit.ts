import { recordAudit, recordSecurityEvent, type AuditMetadata, type AuditOutcome } from '@mend/audit';
import type { SystemTransaction, TenantTransaction } from '@mend/core';

/** Who did it: the signed-in member, or null for an operator (CLI) or an anonymous caller. */
export interface AuditActor {
  readonly userId: string | null;
  readonly membershipId: string | null;
  readonly ip?: string | null;
}

export const OPERATOR: AuditActor = { userId: null, membershipId: null, ip: null };

/**
 * Records an identity event in the clinic's audit trail, in the same transaction
 * as the change (so it exists exactly when the change commits). Ids and codes
 * only: never an email, a name or a password.
 */
export async function auditIdentity(
  tx: TenantTransaction,
  actor: AuditActor | null,
  action: string,
  target: { readonly type: string; readonly id: string } | null,
  metadata: AuditMetadata = {},
  outcome: AuditOutcome = 'success',
): Promise<void> {
  await recordAudit(tx, {
    action,
    outcome,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    actorUserId: actor?.userId ?? null,
    actorMembershipId: actor?.membershipId ?? null,
    ip: actor?.ip ?? null,
    metadata,
  });
}

/** An event with no clinic yet (a failed sign-in, a throttled one): the global security log. */
export async function securityEvent(
  tx: SystemTransaction,
  event: string,
  details: { readonly email?: string | null; readonly ip?: string | null; readonly metadata?: AuditMetadata },
): Promise<void> {
  await recordSecurityEvent(tx, {
    event,
    email: details.email ?? null,
    ip: details.ip ?? null,
    metadata: details.metadata,
  });
}

/**
 * Records a read of protected records (`<kind>.read`, `<kind>.list`). A caller
 * that names no actor (an older call site) gets the transaction's signed-in user
 * (`app.user_id`, set from the verified token) and their membership here, so the
 * trail always says who read; passing the principal saves that query.
 */
export async function auditRead(
  tx: TenantTransaction,
  actor: AuditActor | undefined,
  action: string,
  target: { readonly type: string; readonly id: string } | null,
  metadata: AuditMetadata = {},
): Promise<void> {
  let reader = actor;
  if (reader === undefined) {
    const rows = await tx.query<{ user_id: string | null; membership_id: string | null }>(
      `select u.user_id,
              (select m.id from memberships m where m.clinic_id = $1 and m.user_id = u.user_id) as membership_id
         from (select nullif(current_setting('app.user_id', true), '')::uuid as user_id) u`,
      [tx.clinicId],
    );
    reader = { userId: rows[0]?.user_id ?? null, membershipId: rows[0]?.membership_id ?? null, ip: null };
  }
  await auditIdentity(tx, reader, action, target, metadata);
}
