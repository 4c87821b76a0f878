import { recordAudit, TOKEN, type AuditMetadata, type RecordedAuditEvent } from '@mend/audit';
import type { TenantTransaction } from '@mend/core';

import type { AccessDeniedError } from './access.errors.js';

export const AUTHZ_DENIED = 'authz.denied';

/** Who was refused (ids only). */
export interface DeniedActor {
  readonly userId: string | null;
  readonly membershipId: string | null;
  readonly ip?: string | null;
}

/**
 * Records an `authz.denied` event in the caller's clinic: ids and codes only
 * (the action, the kind and id of the record named, the status answered and
 * why). It must run in a unit of work of its own, after the refused one rolled
 * back — the API's unit of work around each route handler and the worker do that — so the
 * refusal is kept while the refused request changes nothing.
 */
export function recordAccessDenial(
  tx: TenantTransaction,
  actor: DeniedActor,
  denial: AccessDeniedError,
  context: AuditMetadata = {},
): Promise<RecordedAuditEvent> {
  const targetId = denial.resourceId !== null && TOKEN.test(denial.resourceId) ? denial.resourceId : null;
  return recordAudit(tx, {
    action: AUTHZ_DENIED,
    outcome: 'denied',
    targetType: denial.resourceKind,
    targetId,
    actorUserId: actor.userId,
    actorMembershipId: actor.membershipId,
    ip: actor.ip ?? null,
    metadata: { ...context, action: denial.action, status: denial.status, reason: denial.reason },
  });
}
